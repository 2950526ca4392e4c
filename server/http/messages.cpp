// The server's own error codes in Chinese, and answering a problem in the language the request
// prefers (API.md "Language").
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "http/dispatch.h"

namespace onex::http::detail {
namespace {

// clang-format off
constexpr std::array kTexts = {
  CodeText{"http.bad_request", 400, "请求无法解析", "请求的格式不正确。"},
  CodeText{"http.not_found", 404, "地址不存在", "没有这个接口地址。"},
  CodeText{"http.method_not_allowed", 405, "不支持该请求方法", "该地址不支持此请求方法，可用的方法见 Allow。"},
  CodeText{"http.body_too_large", 413, "请求体过大", "请求体超过了该接口允许的大小。"},
  CodeText{"http.header_too_large", 431, "请求头过大", "请求头超过了允许的大小。"},
  CodeText{"http.unsupported_media_type", 415, "不支持的内容类型", "请按接口说明设置 Content-Type。"},
  CodeText{"http.bad_route", 400, "路由表有误", "服务器的路由表无效。"},
  CodeText{"http.bad_listen", 400, "监听地址无效", "监听地址须为 主机:端口。"},
  CodeText{"http.listen_failed", 500, "无法监听", "监听地址已被占用或不可用。"},
  CodeText{"http.already_started", 409, "服务已启动", "服务已经在运行。"},
  CodeText{"internal.error", 500, "服务器内部错误", "服务器暂时无法完成请求，请稍后再试。"},
};
// clang-format on

}  // namespace

std::optional<ErrorText> server_chinese_text(std::string_view code) { return find_text(kTexts, code); }

std::vector<std::string> server_error_codes() {
  std::vector<std::string> out;
  for (const auto& t : kTexts) out.emplace_back(t.code);
  return out;
}

// Whether the request's Accept-Language ranks Chinese above English (RFC 9110 12.5.4: the
// highest q wins; a tie goes to the one listed first). Unknown languages do not count.
bool prefers_chinese(std::string_view header) {
  double zh = -1, en = -1;
  int zh_at = 0, en_at = 0, at = 0;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    ++at;
    std::string_view tag = item.substr(0, item.find(';'));
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    double q = 1;
    if (const auto qa = item.find("q="); qa != std::string_view::npos) {
      try {
        q = std::stod(std::string(item.substr(qa + 2)));
      } catch (...) {
        q = 0;
      }
    }
    const std::string_view primary = tag.substr(0, tag.find('-'));
    auto is = [&](std::string_view lang) {
      return primary.size() == lang.size() &&
             std::equal(primary.begin(), primary.end(), lang.begin(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    };
    if (is("zh") && q > zh) zh = q, zh_at = at;
    if (is("en") && q > en) en = q, en_at = at;
  }
  if (zh <= 0) return false;
  return zh > en || (zh == en && zh_at < en_at);
}

void translate_problem(Response& response, const ServerOptions& options) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("code") || !body["code"].is_string()) return;
  const std::string code = body["code"];
  auto text = server_chinese_text(code);
  if (!text && options.chinese) text = options.chinese(code);
  if (!text) return;
  body["title"] = text->title;
  body["detail"] = text->detail;
  if (body.contains("errors") && body["errors"].is_array())
    for (auto& e : body["errors"])
      if (e.is_object() && e.contains("code") && e["code"].is_string())
        if (options.chinese_field)
          if (auto m = options.chinese_field(e["code"].get<std::string>())) e["message"] = *m;
  response.body = body.dump();
  response.headers.emplace_back("Content-Language", "zh-CN");
}

}  // namespace onex::http::detail
