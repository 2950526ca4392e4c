// What an error code means, in Chinese (API.md "Language": `Accept-Language: zh-CN` answers
// `title` and `detail` in Chinese; `code` is the same in every language). The texts of every
// code the library and its workflows answer; the server adds its own (http.*).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace onex {

struct ErrorText {
  int status = 0;      // the HTTP status it is answered with
  std::string title;   // a few words: 账号已锁定
  std::string detail;  // a sentence that says what to do: 密码错误次数过多，请 15 分钟后再试。
};

// A catalogue's line: a code, its HTTP status, its Chinese title and detail.
struct CodeText {
  std::string_view code;
  int status;
  std::string_view title, detail;
};
// The text of `code` in `catalogue`; nullopt when it has none.
inline std::optional<ErrorText> find_text(std::span<const CodeText> catalogue, std::string_view code) {
  for (const auto& t : catalogue)
    if (t.code == code) return ErrorText{t.status, std::string(t.title), std::string(t.detail)};
  return std::nullopt;
}

// The HTTP status and the Chinese title and detail of an error code, `<kind>.not_found` and
// `<kind>.illegal_transition` of every record kind included; nullopt for a code the library
// never answers.
std::optional<ErrorText> chinese_error_text(std::string_view code);

// The Chinese message of a field error's code (`required`, `too_long`, or an error code such as
// `certificate.not_found`); nullopt for one without a text.
std::optional<std::string> chinese_field_message(std::string_view code);

// Every error code the library and its workflows answer (the record kinds' included), for
// documentation and for the test that each has its text.
std::vector<std::string> error_codes();

}  // namespace onex
