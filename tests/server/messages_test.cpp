// Chinese answers (API.md "Language"): every error code that the sources can answer has its
// Chinese title and detail, and a request that prefers Chinese gets them over HTTP.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/access.h"
#include "http/dispatch.h"
#include "onex/messages.h"
#include "server/app_world.h"

namespace fs = std::filesystem;
using onex::testing::AppWorld;
using onex::testing::AppWorldOptions;
using nlohmann::json;

namespace {

bool dotted(std::string_view s) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == s.size() || s.find('.', dot + 1) != std::string_view::npos)
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; });
}

// Every string literal of the form "word.word" in the sources, and those that name event types
// (`type = "…"`), which are storage names, not answers.
void scan(std::set<std::string>& literals, std::set<std::string>& event_types) {
  for (const char* dir : {"lib", "workflows", "server"})
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ONEX_SOURCE_DIR) / dir)) {
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".h") continue;
      std::ifstream in(entry.path());
      for (std::string line; std::getline(in, line);) {
        for (std::size_t at = line.find('"'); at != std::string::npos;) {
          const auto end = line.find('"', at + 1);
          if (end == std::string::npos) break;
          const std::string text = line.substr(at + 1, end - at - 1);
          if (dotted(text)) {
            literals.insert(text);
            if (line.find("type = \"" + text + "\"") != std::string::npos) event_types.insert(text);
          }
          at = line.find('"', end + 1);
        }
      }
    }
}

bool chinese(const std::string& s) {
  // UTF-8 CJK Unified Ideographs start with 0xE4..0xE9.
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0xE4 && u <= 0xE9;
  });
}

}  // namespace

TEST_CASE("every error code the sources answer has a Chinese title and detail") {
  std::set<std::string> literals, event_types;
  scan(literals, event_types);
  REQUIRE(literals.size() > 100);
  REQUIRE(event_types.count("declaration.submitted") == 1);
  const auto listed = onex::app::error_codes();
  const std::set<std::string> known(listed.begin(), listed.end());
  // Given every dotted literal that is not an event type nor the key file's name, and whose
  // first word is a family of codes (a record kind, or one the catalogues use: auth, request,
  // …; a field path such as "fee.per" is none),
  const std::set<std::string> not_codes = {"secret.key"};
  std::set<std::string> families;
  for (const auto& code : listed) families.insert(code.substr(0, code.find('.')));
  std::size_t codes = 0;
  for (const auto& literal : literals) {
    if (event_types.count(literal) || not_codes.count(literal)) continue;
    if (!families.count(literal.substr(0, literal.find('.')))) continue;
    ++codes;
    // then the application lists it,
    INFO("code " << literal);
    CHECK(known.count(literal) == 1);
  }
  CHECK(codes > 80);
  // and every listed code, the record kinds' not_found and illegal_transition included, has a
  // Chinese title and detail.
  for (const auto& kind : onex::record_kinds())
    for (const char* what : {".not_found", ".illegal_transition"}) {
      INFO("kind " << kind.kind);
      CHECK(known.count(std::string(kind.kind) + what) == 1);
    }
  onex::http::ServerOptions so;
  onex::app::answer_in_chinese(so);
  for (const auto& code : listed) {
    INFO("code " << code);
    auto text = onex::http::detail::server_chinese_text(code);
    if (!text) text = so.chinese(code);
    REQUIRE(text.has_value());
    CHECK(chinese(text->title));
    CHECK(chinese(text->detail));
    // Texts never show a store key.
    CHECK(text->detail.find('/') == std::string::npos);
  }
  CHECK_FALSE(onex::chinese_error_text("no.such_code").has_value());
}

TEST_CASE("Accept-Language picks Chinese only when it ranks above English") {
  using onex::http::detail::prefers_chinese;
  CHECK(prefers_chinese("zh-CN"));
  CHECK(prefers_chinese("zh"));
  CHECK(prefers_chinese("ZH-cn,en;q=0.8"));
  CHECK(prefers_chinese("zh-CN,zh;q=0.9,en;q=0.8,en-GB;q=0.7"));
  CHECK(prefers_chinese("en;q=0.5, zh-Hans;q=0.9"));
  CHECK_FALSE(prefers_chinese(""));
  CHECK_FALSE(prefers_chinese("en-US,en;q=0.9,zh;q=0.8"));
  CHECK_FALSE(prefers_chinese("en, zh"));
  CHECK_FALSE(prefers_chinese("zh;q=0"));
  CHECK_FALSE(prefers_chinese("fr, de"));
  CHECK_FALSE(prefers_chinese("zh;q=abc"));
}

TEST_CASE("a request that prefers Chinese gets the problem in Chinese, its code unchanged") {
  // Given the application without captchas,
  AppWorld w(AppWorldOptions{.captcha = false});
  const json wrong = {{"account", "admin"}, {"password", "not-the-password"}};
  // when a sign-in fails in English and in Chinese,
  const auto en = w.send("POST", "/api/v1/sessions", wrong);
  const auto zh = w.send("POST", "/api/v1/sessions", wrong, "", {"Accept-Language: zh-CN,zh;q=0.9"});
  // then both answer the same status and code, the Chinese one with Chinese words.
  CHECK(en.status == 401);
  CHECK(zh.status == 401);
  CHECK(en.code() == "auth.invalid_credentials");
  CHECK(zh.code() == "auth.invalid_credentials");
  CHECK(en.json()["title"] == "Unauthorized");
  CHECK(zh.json()["title"] == "账号或密码错误");
  CHECK(zh.json()["detail"] == "账号或密码错误，请重新输入。");
  CHECK(zh.header("content-language") == "zh-CN");
  CHECK(en.header("content-language").empty());
  CHECK(zh.header("vary").find("Accept-Language") != std::string::npos);

  // A field error's message is Chinese too, its field and code unchanged.
  const auto bad = w.send("POST", "/api/v1/sessions", json{{"account", "admin"}, {"pasword", "x"}}, "",
                          {"Accept-Language: zh"});
  CHECK(bad.status == 422);
  REQUIRE(bad.json()["errors"].size() >= 1);
  const json first = bad.json()["errors"][0];
  CHECK(first["field"] == "pasword");
  CHECK(first["code"] == "unknown_field");
  CHECK(first["message"] == "不是此请求的字段");
  CHECK(bad.json()["title"] == "请求内容有误");

  // The server's own refusals, too.
  const auto nowhere = w.send("GET", "/api/v1/nowhere", json(), "", {"Accept-Language: zh-CN"});
  CHECK(nowhere.status == 404);
  CHECK(nowhere.code() == "http.not_found");
  CHECK(nowhere.json()["title"] == "地址不存在");
  // English stays English for a client that ranks it first.
  const auto english = w.send("GET", "/api/v1/nowhere", json(), "", {"Accept-Language: en-GB,zh;q=0.5"});
  CHECK(english.json()["title"] == "Not Found");
}

TEST_CASE("the OpenAPI document types every body, answer and query parameter, and lists each route's codes") {
  AppWorld w(AppWorldOptions{.captcha = false});
  const json doc = w.get("/api/v1/openapi.json").json();
  REQUIRE(doc.is_object());
  CHECK(doc["info"].contains("license"));
  CHECK(doc["servers"].size() >= 1);
  std::size_t operations = 0;
  auto typed = [&](const json& schema) {
    return schema.contains("$ref") || schema.contains("properties") || schema.contains("oneOf") ||
           (schema.contains("type") && schema["type"] != "object");
  };
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters" || path == "/api/v1/openapi.json") continue;
      ++operations;
      INFO(method << " " << path);
      if (op.contains("requestBody"))
        for (const auto& [media, content] : op["requestBody"]["content"].items()) CHECK(typed(content["schema"]));
      bool success = false;
      for (const auto& [status, answer] : op["responses"].items()) {
        if (status[0] != '2') continue;
        success = true;
        if (answer.contains("content"))
          for (const auto& [media, content] : answer["content"].items()) CHECK(typed(content["schema"]));
      }
      CHECK(success);
      for (const auto& p : op.value("parameters", json::array())) CHECK(p["schema"].contains("type"));
      CHECK(op["responses"].contains("500"));
    }
  CHECK(operations >= 64);
  // Every code a route names has a status (the document lists it under it).
  const auto known = onex::app::error_codes();
  for (const auto& route : w.app->routes())
    for (const auto& code : route.errors) {
      INFO(route.method << " " << route.pattern << " names " << code);
      CHECK(std::find(known.begin(), known.end(), code) != known.end());
    }
  // A declaration's schema is its description's: the members the view writes.
  const json& declaration = doc["components"]["schemas"]["Declaration"];
  for (const char* member : {"majors", "planned_trainees", "teachers_html", "venue_html", "file_ids", "status"})
    CHECK(declaration["properties"].contains(member));
}
