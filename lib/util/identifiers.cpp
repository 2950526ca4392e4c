#include "util/identifiers.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <simdjson.h>

namespace onex::util {
namespace {

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

bool real_date(int y, int m, int d) {
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

bool valid_resident_id(std::string_view id) {
  if (id.size() != 18 || !digits(id.substr(0, 17))) return false;
  if (!real_date(number(id.substr(6, 4)), number(id.substr(10, 2)), number(id.substr(12, 2))))
    return false;
  static constexpr std::array<int, 17> weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr std::string_view checks = "10X98765432";
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * weights[i];
  return id[17] == checks[sum % 11];
}

bool valid_credit_code(std::string_view code) {
  static constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> weights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                  29, 25, 13, 8,  24, 10, 30, 28};
  if (code.size() != 18) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const auto at = alphabet.find(code[i]);
    if (at == std::string_view::npos) return false;
    sum += static_cast<int>(at) * weights[i];
  }
  const int check = (31 - sum % 31) % 31;
  return code[17] == alphabet[check];
}

std::string_view plain_mobile(std::string_view phone) {
  if (phone.starts_with("+86")) phone.remove_prefix(3);
  return phone;
}

bool valid_mobile(std::string_view phone) {
  phone = plain_mobile(phone);
  return phone.size() == 11 && digits(phone) && phone[0] == '1' && phone[1] >= '3';
}

bool valid_institution_code(std::string_view code) { return code.size() == 10 && digits(code); }

std::string mask_resident_id(std::string_view id) {
  if (id.size() < 10) return std::string(id.size(), '*');
  return std::string(id.substr(0, 6)) + "*****" +
         std::string(id.substr(id.size() - 4));
}

bool plain_id(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

bool plain_text(std::string_view s, std::size_t max_bytes) {
  return !blank(s) && s.size() <= max_bytes &&
         std::none_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

bool valid_account_name(std::string_view name) {
  return name.size() >= 3 && name.size() <= 32 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '.' || c == '@' || c == '-';
         });
}

bool valid_email(std::string_view email) {
  const auto at = email.find('@');
  return email.size() <= 254 && at != std::string_view::npos && at > 0 &&
         email.find('@', at + 1) == std::string_view::npos &&
         email.find('.', at) != std::string_view::npos && email.back() != '.' &&
         std::none_of(email.begin(), email.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

std::optional<std::size_t> utf8_length(std::string_view s) {
  if (!simdjson::validate_utf8(s.data(), s.size())) return std::nullopt;
  // Valid UTF-8: every byte that is not a continuation byte (10xxxxxx) starts a code point.
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace onex::util
