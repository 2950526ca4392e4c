// The OpenAPI 3.1 document, generated from the route table so that it cannot drift.
#include <algorithm>
#include <cctype>
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

std::string operation_id(const Route& route) {
  std::string id = lower(route.method);
  for (char c : route.pattern) {
    bool word = std::isalnum(static_cast<unsigned char>(c));
    if (word) {
      id.push_back(c);
    } else if (id.back() != '_') {
      id.push_back('_');
    }
  }
  while (id.back() == '_') id.pop_back();
  return id;
}

json problem_answer(int status) {
  return {
      {"description", std::string(reason_phrase(status))},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

json operation(const CompiledRoute& compiled) {
  const Route& route = compiled.route;
  json op = {{"operationId", operation_id(route)}};
  if (!route.summary.empty()) op["summary"] = route.summary;
  if (route.is_public) {
    op["security"] = json::array();
  } else {
    op["security"] = json::array({{{"bearer", json::array()}}});
    op["x-onex-roles"] = route.roles;
  }
  if (compiled.takes_body) {
    json content = json::object();
    for (const std::string& type : route.content_types) {
      content[type] = {
          {"schema", route.request_schema.is_null() ? json::object() : route.request_schema}};
    }
    op["requestBody"] = {{"required", true}, {"content", content}};
  }
  json success = {{"description", std::string(reason_phrase(route.success_status))}};
  if (route.success_status != 204) {
    std::string type = route.pattern == "/metrics" ? "text/plain" : "application/json";
    success["content"] = {
        {type,
         {{"schema", route.response_schema.is_null() ? json::object() : route.response_schema}}}};
  }
  json responses = {{std::to_string(route.success_status), success}};
  std::vector<int> failures = {400, 404};
  if (!route.is_public) failures.insert(failures.end(), {401, 403});
  if (compiled.takes_body) failures.insert(failures.end(), {413, 415, 422});
  failures.push_back(500);
  for (int status : failures) responses[std::to_string(status)] = problem_answer(status);
  op["responses"] = responses;
  return op;
}

}  // namespace

json openapi_document(const std::vector<CompiledRoute>& routes) {
  json paths = json::object();
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
    item[lower(compiled.route.method)] = operation(compiled);
  }
  json problem_schema = {
      {"type", "object"},
      {"required", {"type", "title", "status", "code"}},
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
            {"properties",
             {{"field", {{"type", "string"}}},
              {"code", {{"type", "string"}}},
              {"message", {{"type", "string"}}}}}}}}}}},
  };
  return {
      {"openapi", "3.1.0"},
      {"info", {{"title", "onex"}, {"version", "v1"}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas", {{"Problem", problem_schema}}}}},
  };
}

}  // namespace onex::http::detail
