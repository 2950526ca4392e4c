// The OpenAPI 3.1 document, generated from the route table so that it cannot drift: each route's
// schemas, query parameters and error codes (grouped by HTTP status, with the codes every route
// of its kind answers added), object schemas with a title hoisted into named components.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "http/dispatch.h"
#include "http/problem.h"

namespace onex::http::detail {
namespace {

using nlohmann::json;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "GET /api/v1/users/{id}" → "getUsersId".
std::string operation_id(const Route& route) {
  std::string id = lower(route.method);
  std::string_view rest = route.pattern;
  if (rest.starts_with("/api/v1")) rest.remove_prefix(7);
  bool upper = true;
  for (char c : rest) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    id.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return id;
}

// The first segment after /api/v1: the operation's tag ("declarations").
std::string tag_of(const Route& route) {
  std::string_view rest = route.pattern;
  if (!rest.starts_with("/api/v1/")) return "operations";
  rest.remove_prefix(8);
  return std::string(rest.substr(0, rest.find('/')));
}

// Object schemas with a title become components; the schema keeps a $ref to them.
void hoist(json& s, json& components) {
  if (s.is_array()) {
    for (auto& item : s) hoist(item, components);
    return;
  }
  if (!s.is_object()) return;
  for (auto& [key, value] : s.items()) hoist(value, components);
  if (s.contains("title") && s["title"].is_string() && s.value("type", "") == "object") {
    const std::string name = s["title"];
    if (!components.contains(name)) components[name] = s;
    s = {{"$ref", "#/components/schemas/" + name}};
  }
}

// The codes every route of its kind can answer besides its own, with their status (these
// the dispatcher, the body reader and the idempotency wrapper answer, whatever the route).
std::vector<std::pair<std::string, int>> common_codes(const CompiledRoute& compiled) {
  const Route& route = compiled.route;
  // Any request: headers past the limit are refused before anything else.
  std::vector<std::pair<std::string, int>> codes = {{"internal.error", 500}, {"http.header_too_large", 431}};
  if (!route.is_public) {
    codes.insert(codes.end(), {{"auth.unauthenticated", 401}, {"auth.forbidden", 403}});
    if (!route.allow_setup_session) codes.push_back({"account.setup_required", 403});
    if (route.method == "POST")
      codes.insert(codes.end(), {{"idempotency.bad_key", 400}, {"idempotency.key_reused", 422}});
  }
  if (compiled.takes_body)
    codes.insert(codes.end(), {{"request.malformed_json", 400}, {"request.wrong_type", 400},
                               {"http.body_too_large", 413}, {"http.unsupported_media_type", 415},
                               {"validation.failed", 422}});
  if (!route.query.empty()) codes.insert(codes.end(), {{"request.bad_query", 400}, {"validation.failed", 422}});
  return codes;
}

json operation(const CompiledRoute& compiled, const ServerOptions& options, json& components,
               std::vector<std::string>& unknown_codes) {
  const Route& route = compiled.route;
  json op = {{"operationId", operation_id(route)}, {"tags", {tag_of(route)}}};
  op["summary"] = route.summary.empty() ? route.method + " " + route.pattern : route.summary;
  if (route.is_public) {
    op["security"] = json::array();
  } else {
    op["security"] = json::array({{{"bearer", json::array()}}});
    op["x-onex-roles"] = route.roles;
  }
  json parameters = json::array();
  for (const auto& q : route.query) {
    json p = {{"name", q.name}, {"in", "query"}, {"required", false}, {"schema", q.schema}};
    if (!q.description.empty()) p["description"] = q.description;
    parameters.push_back(std::move(p));
  }
  const auto& own = route.errors;
  if (std::find(own.begin(), own.end(), "concurrency.version_conflict") != own.end())
    parameters.push_back({{"name", "If-Match"},
                          {"in", "header"},
                          {"required", false},
                          {"description", "the version (or ETag) last seen: a stale one is 409"},
                          {"schema", {{"type", "string"}}}});
  if (!route.is_public && route.method == "POST")
    parameters.push_back({{"name", "Idempotency-Key"},
                          {"in", "header"},
                          {"required", false},
                          {"description", "a retry with the same key returns the first result"},
                          {"schema", {{"type", "string"}, {"maxLength", 255}}}});
  parameters.push_back({{"name", "Accept-Language"},
                        {"in", "header"},
                        {"required", false},
                        {"description", "zh-CN (or zh): a problem's title and detail in Chinese"},
                        {"schema", {{"type", "string"}}}});
  op["parameters"] = std::move(parameters);
  if (compiled.takes_body) {
    json content = json::object();
    for (const std::string& type : route.content_types) {
      json schema = route.request_schema;
      if (schema.is_null())
        schema = type == "application/json" ? json{{"type", "object"}}
                                            : json{{"type", "string"}, {"contentMediaType", type}};
      hoist(schema, components);
      content[type == "*/*" ? "application/octet-stream" : type] = {{"schema", schema}};
    }
    op["requestBody"] = {{"required", true}, {"content", content}};
  }
  json success = {{"description", std::string(reason_phrase(route.success_status))}};
  if (route.success_status != 204 && route.success_status != 304) {
    json schema = route.response_schema.is_null() ? json{{"type", "object"}} : route.response_schema;
    hoist(schema, components);
    success["content"] = {{route.response_media, {{"schema", schema}}}};
  }
  json responses = {{std::to_string(route.success_status), success}};
  for (const auto& [status, answer] : route.other_answers) {
    json schema = answer;
    hoist(schema, components);
    responses[std::to_string(status)] = {{"description", std::string(reason_phrase(status))},
                                         {"content", {{"application/json", {{"schema", schema}}}}}};
  }
  // The refusals, by status, each naming its codes.
  std::map<int, std::set<std::string>> by_status;
  for (const auto& [code, status] : common_codes(compiled)) by_status[status].insert(code);
  for (const auto& code : own) {
    auto text = server_chinese_text(code);
    if (!text && options.chinese) text = options.chinese(code);
    if (!text || text->status == 0) {
      unknown_codes.push_back(route.method + " " + route.pattern + ": " + code);
      continue;
    }
    by_status[text->status].insert(code);
  }
  for (const auto& [status, set] : by_status) {
    std::string names;
    for (const auto& c : set) names += (names.empty() ? "" : ", ") + c;
    responses[std::to_string(status)] = {
        {"description", std::string(reason_phrase(status)) + ": " + names},
        {"x-onex-codes", set},
        {"content",
         {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
  }
  op["responses"] = std::move(responses);
  return op;
}

json problem_schema() {
  return {
      {"type", "object"},
      {"description", "RFC 9457 problem details; `code` is stable, the rest is for people"},
      {"required", {"type", "title", "status", "code", "detail", "errors"}},
      {"properties",
       {{"type", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"code", {{"type", "string"}, {"description", "stable and dotted: account.locked"}}},
        {"detail", {{"type", "string"}}},
        {"errors",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"field", "code", "message"}},
            {"properties",
             {{"field", {{"type", "string"}}},
              {"code", {{"type", "string"}}},
              {"message", {{"type", "string"}}},
              {"row", {{"type", "integer"},
                       {"description", "an import's row at fault, as a spreadsheet numbers it"}}}}}}}}}}},
  };
}

}  // namespace

json openapi_document(const std::vector<CompiledRoute>& routes, const ServerOptions& options,
                      std::vector<std::string>* unknown) {
  json paths = json::object();
  json components = {{"Problem", problem_schema()}};
  std::set<std::string> tags;
  std::vector<std::string> unknown_codes;
  for (const CompiledRoute& compiled : routes) {
    json& item = paths[compiled.route.pattern];
    if (!item.contains("parameters")) {
      json parameters = json::array();
      for (const Segment& s : compiled.segments) {
        if (!s.is_param) continue;
        parameters.push_back({{"name", s.text},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}}}});
      }
      if (!parameters.empty()) item["parameters"] = parameters;
    }
    item[lower(compiled.route.method)] = operation(compiled, options, components, unknown_codes);
    tags.insert(tag_of(compiled.route));
  }
  if (unknown) *unknown = std::move(unknown_codes);
  json tag_list = json::array();
  for (const auto& t : tags)
    tag_list.push_back({{"name", t}, {"description", t == "operations" ? "Health, metrics and this document"
                                                                       : "Routes under /api/v1/" + t}});
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "onex"},
        {"version", ONEX_VERSION},
        {"summary", "1+X vocational skills certificate workflows over REST"},
        {"description", "The REST contract of onex (API.md). Errors are RFC 9457 problems whose "
                        "`code` is stable; each operation lists the codes it can answer."},
        {"license", {{"name", "Proprietary"}, {"identifier", "LicenseRef-Proprietary"}}}}},
      // The server that answers this document (onex serve --listen decides where that is).
      {"servers", json::array({{{"url", "/"}, {"description", "the onex server answering this document"}}})},
      {"tags", std::move(tag_list)},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas", components}}},
  };
}

}  // namespace onex::http::detail
