// China's provincial-level divisions (GB/T 2260) and the shape of city codes.
#pragma once

#include <array>
#include <string_view>

namespace onex {

struct Province {
  std::string_view code;  // two digits
  std::string_view name;
};

inline constexpr std::array<Province, 34> kProvinces{{
    {"11", "北京市"}, {"12", "天津市"}, {"13", "河北省"}, {"14", "山西省"},
    {"15", "内蒙古自治区"}, {"21", "辽宁省"}, {"22", "吉林省"}, {"23", "黑龙江省"},
    {"31", "上海市"}, {"32", "江苏省"}, {"33", "浙江省"}, {"34", "安徽省"},
    {"35", "福建省"}, {"36", "江西省"}, {"37", "山东省"}, {"41", "河南省"},
    {"42", "湖北省"}, {"43", "湖南省"}, {"44", "广东省"}, {"45", "广西壮族自治区"},
    {"46", "海南省"}, {"50", "重庆市"}, {"51", "四川省"}, {"52", "贵州省"},
    {"53", "云南省"}, {"54", "西藏自治区"}, {"61", "陕西省"}, {"62", "甘肃省"},
    {"63", "青海省"}, {"64", "宁夏回族自治区"}, {"65", "新疆维吾尔自治区"}, {"71", "台湾省"},
    {"81", "香港特别行政区"}, {"82", "澳门特别行政区"},
}};

constexpr bool is_province_code(std::string_view code) {
  for (const auto& p : kProvinces)
    if (p.code == code) return true;
  return false;
}

// A city code is four digits beginning with its province's code ("4101" 郑州市 in "41").
constexpr bool is_city_code_of(std::string_view city, std::string_view province) {
  if (city.size() != 4 || !city.starts_with(province) || !is_province_code(province)) return false;
  for (char c : city)
    if (c < '0' || c > '9') return false;
  return city.substr(2) != "00";
}

}  // namespace onex
