// The OpenAPI document as a contract the HTTP suites hold the server to: every answer a suite
// gets is checked against its route's operation in GET /api/v1/openapi.json (its status is
// listed; a problem's code is among that status's x-onex-codes; a JSON success body matches its
// schema), and every JSON request the server accepted matches the request schema. So the
// document cannot drift from what the routes do without a suite failing.
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "server/support.h"

namespace onex::testing {

class Contract {
 public:
  using json = nlohmann::json;

  // The first error of `value` against `schema` ("" when it matches), `at` naming where.
  static std::string mismatch(const json& value, const json& schema, const json& doc,
                              const std::string& at = "$") {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const std::string prefix = "#/components/schemas/";
      if (!ref.starts_with(prefix)) return at + ": unsupported $ref " + ref;
      const auto& components = doc["components"]["schemas"];
      const std::string name = ref.substr(prefix.size());
      if (!components.contains(name)) return at + ": no component " + name;
      return mismatch(value, components[name], doc, at);
    }
    if (schema.contains("oneOf")) {
      for (const auto& option : schema["oneOf"])
        if (mismatch(value, option, doc, at).empty()) return "";
      return at + ": matches none of oneOf";
    }
    if (schema.contains("const") && value != schema["const"]) return at + ": not " + schema["const"].dump();
    if (schema.contains("enum")) {
      bool found = false;
      for (const auto& e : schema["enum"]) found = found || e == value;
      if (!found) return at + ": " + value.dump() + " is not among " + schema["enum"].dump();
    }
    if (schema.contains("type")) {
      std::vector<std::string> types;
      if (schema["type"].is_array())
        for (const auto& t : schema["type"]) types.push_back(t);
      else
        types.push_back(schema["type"]);
      bool typed = false;
      for (const auto& t : types)
        typed = typed || (t == "string" && value.is_string()) ||
                (t == "integer" && value.is_number_integer()) || (t == "number" && value.is_number()) ||
                (t == "boolean" && value.is_boolean()) || (t == "object" && value.is_object()) ||
                (t == "array" && value.is_array()) || (t == "null" && value.is_null());
      if (!typed) return at + ": " + value.dump().substr(0, 80) + " is not " + schema["type"].dump();
    }
    if (value.is_string() && schema.value("format", "") == "date-time") {
      const std::string s = value;
      if (s.size() < 20 || s[10] != 'T' || !(s.ends_with("Z") || s[s.size() - 6] == '+' || s[s.size() - 6] == '-'))
        return at + ": " + s + " is not an RFC 3339 time";
    }
    if (value.is_object()) {
      if (schema.contains("required"))
        for (const auto& r : schema["required"])
          if (!value.contains(r.get<std::string>())) return at + ": lacks " + r.get<std::string>();
      const json properties = schema.value("properties", json::object());
      for (const auto& [key, member] : value.items()) {
        if (properties.contains(key)) {
          if (auto m = mismatch(member, properties[key], doc, at + "." + key); !m.empty()) return m;
        } else if (schema.contains("additionalProperties")) {
          const auto& extra = schema["additionalProperties"];
          if (extra.is_boolean() && !extra.get<bool>()) return at + ": undocumented member " + key;
          if (extra.is_object())
            if (auto m = mismatch(member, extra, doc, at + "." + key); !m.empty()) return m;
        }
      }
    }
    if (value.is_array() && schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i)
        if (auto m = mismatch(value[i], schema["items"], doc, at + "[" + std::to_string(i) + "]"); !m.empty())
          return m;
    return "";
  }

  // The path template of `doc` that `path` matches (literal segments preferred), or "".
  static std::string template_of(const json& doc, const std::string& path) {
    auto split = [](const std::string& p) {
      std::vector<std::string> out;
      std::size_t at = 1;
      while (at <= p.size()) {
        const auto slash = p.find('/', at);
        out.push_back(p.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
        if (slash == std::string::npos) break;
        at = slash + 1;
      }
      return out;
    };
    const auto parts = split(path);
    std::string best;
    int best_params = 1000;
    for (const auto& [pattern, item] : doc["paths"].items()) {
      const auto want = split(pattern);
      if (want.size() != parts.size()) continue;
      int params = 0;
      bool ok = true;
      for (std::size_t i = 0; ok && i < want.size(); ++i) {
        if (want[i].starts_with("{")) ++params, ok = !parts[i].empty();
        else ok = want[i] == parts[i];
      }
      if (ok && params < best_params) best = pattern, best_params = params;
    }
    return best;
  }

  void check(unsigned short port, const std::string& method, const std::string& target,
             const std::string& body, const std::string& content_type, const Reply& reply) {
    if (!reply.ok || target == "/api/v1/openapi.json") return;
    if (!doc_) {
      const Reply r = call(port, "GET", "/api/v1/openapi.json");
      REQUIRE(r.status == 200);
      doc_ = r.json();
    }
    const std::string path = target.substr(0, target.find('?'));
    const std::string pattern = template_of(*doc_, path);
    std::string verb = method == "HEAD" ? "get" : method;
    for (auto& c : verb) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (pattern.empty() || !(*doc_)["paths"][pattern].contains(verb)) return;  // 404 or 405
    const json& op = (*doc_)["paths"][pattern][verb];
    const std::string where = method + " " + pattern + " answered " + std::to_string(reply.status);
    if (reply.status == 304 || method == "HEAD") return;
    const std::string status = std::to_string(reply.status);
    if (!op["responses"].contains(status)) {
      FAIL_CHECK("OpenAPI: " << where << ", which it does not list: " << reply.body.substr(0, 300));
      return;
    }
    const json& answer = op["responses"][status];
    if (reply.status >= 400) {
      const std::string code = reply.code();
      const json codes = answer.value("x-onex-codes", json::array());
      if (std::find(codes.begin(), codes.end(), code) == codes.end())
        FAIL_CHECK("OpenAPI: " << where << " " << code << ", not among its codes " << codes.dump());
      return;
    }
    if (reply.header("content-type").starts_with("application/json") && answer.contains("content") &&
        answer["content"].contains("application/json")) {
      const json value = reply.json();
      if (auto m = mismatch(value, answer["content"]["application/json"]["schema"], *doc_); !m.empty())
        FAIL_CHECK("OpenAPI: " << where << ", a body unlike its schema: " << m);
    }
    if (content_type.starts_with("application/json") && !body.empty() && op.contains("requestBody") &&
        op["requestBody"]["content"].contains("application/json")) {
      const json sent = json::parse(body, nullptr, false);
      if (auto m = mismatch(sent, op["requestBody"]["content"]["application/json"]["schema"], *doc_); !m.empty())
        FAIL_CHECK("OpenAPI: " << where << " to a request unlike its schema: " << m);
    }
  }

 private:
  std::optional<json> doc_;
};

}  // namespace onex::testing
