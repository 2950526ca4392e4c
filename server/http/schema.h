// JSON Schemas for the OpenAPI document, written beside each route (Route::request_schema,
// response_schema, query). An object schema with a `title` becomes a named component
// (#/components/schemas/<title>) wherever it appears. The HTTP suites check every answer they
// get against its route's schema (tests/server/support.h), so a schema cannot drift from what
// the route answers without a test failing.
#pragma once

#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/server.h"

namespace onex::http::schema {

using nlohmann::json;

inline json with_description(json s, const std::string& description) {
  if (!description.empty()) s["description"] = description;
  return s;
}
inline json text(const std::string& description = {}) {
  return with_description({{"type", "string"}}, description);
}
inline json integer(const std::string& description = {}) {
  return with_description({{"type", "integer"}}, description);
}
inline json boolean(const std::string& description = {}) {
  return with_description({{"type", "boolean"}}, description);
}
// A time as the API writes it: RFC 3339 with its offset (2020-04-01T00:00:00+08:00).
inline json time(const std::string& description = {}) {
  return with_description({{"type", "string"}, {"format", "date-time"}}, description);
}
inline json one_of(std::initializer_list<std::string> values, const std::string& description = {}) {
  return with_description({{"type", "string"}, {"enum", values}}, description);
}
inline json array(json items, const std::string& description = {}) {
  return with_description({{"type", "array"}, {"items", std::move(items)}}, description);
}
// The value or null.
inline json nullable(json s) {
  if (s.contains("type") && s["type"].is_string() && !s.contains("title"))
    return s["type"] = json::array({s["type"], "null"}), s;
  return {{"oneOf", json::array({std::move(s), {{"type", "null"}}})}};
}
// Any JSON object (a record's data as its events carry it).
inline json any_object(const std::string& description = {}) {
  return with_description({{"type", "object"}}, description);
}

struct Member {
  std::string name;
  json schema;
  bool required = true;  // false: the member may be absent
};
inline Member optional(std::string name, json schema) { return {std::move(name), std::move(schema), false}; }

// An object with exactly these members (no others); `title` names it as a component.
inline json object(const std::string& title, std::initializer_list<Member> members) {
  json properties = json::object(), required = json::array();
  for (const auto& m : members) {
    properties[m.name] = m.schema;
    if (m.required) required.push_back(m.name);
  }
  json s = {{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = std::move(required);
  if (!title.empty()) s["title"] = title;
  return s;
}
// The same, with more members than `base` has.
inline json extend(json base, const std::string& title, std::initializer_list<Member> more) {
  for (const auto& m : more) {
    base["properties"][m.name] = m.schema;
    if (m.required) base["required"].push_back(m.name);
  }
  base["title"] = title;
  return base;
}

// A list as every list route answers it: {"items","total","page","page_size"}.
inline json page_of(const json& item, const std::string& title) {
  return object(title, {{"items", array(item)},
                        {"total", integer("how many match in all")},
                        {"page", integer()},
                        {"page_size", integer()}});
}

// The paging parameters every list takes, and more.
inline std::vector<Route::Query> paged(std::initializer_list<Route::Query> more = {}) {
  std::vector<Route::Query> q = {{"page", {{"type", "integer"}, {"minimum", 1}}, "1 by default"},
                                 {"page_size", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}},
                                  "10 by default, at most 100"}};
  q.insert(q.end(), more.begin(), more.end());
  return q;
}

// A route's contract, for the OpenAPI document: written in a table beside the route table of a
// file (one entry per "METHOD /pattern") and put on the routes by `document`.
struct Doc {
  json request{};   // the body's schema
  json response{};  // the success answer's
  std::vector<Route::Query> query{};
  std::vector<std::string> errors{};     // its own codes (Route::errors)
  std::map<int, json> other_answers{};  // other success answers
  std::string response_media{};         // when not JSON
  int success = 0;                      // the success status, when not the route's own
};
inline const std::vector<std::string> kIfMatch = {"concurrency.version_conflict", "request.bad_if_match"};
inline std::vector<std::string> codes(std::vector<std::string> own, const std::vector<std::string>& more = {}) {
  own.insert(own.end(), more.begin(), more.end());
  return own;
}

// Puts each entry on the route it names; a name that matches no route is a programming error
// (std::logic_error), as is a route of `routes` that no entry names.
inline void document(std::vector<Route>& routes, std::initializer_list<std::pair<std::string_view, Doc>> docs) {
  std::vector<bool> named(routes.size(), false);
  for (const auto& [name, doc] : docs) {
    bool found = false;
    for (std::size_t i = 0; i < routes.size(); ++i) {
      auto& r = routes[i];
      if (r.method + " " + r.pattern != name) continue;
      found = named[i] = true;
      if (!doc.request.is_null()) r.request_schema = doc.request;
      if (!doc.response.is_null()) r.response_schema = doc.response;
      r.query = doc.query;
      r.errors = doc.errors;
      r.other_answers = doc.other_answers;
      if (!doc.response_media.empty()) r.response_media = doc.response_media;
      if (doc.success != 0) r.success_status = doc.success;
    }
    if (!found) throw std::logic_error("no route " + std::string(name) + " to document");
  }
  for (std::size_t i = 0; i < routes.size(); ++i)
    if (!named[i]) throw std::logic_error("route " + routes[i].method + " " + routes[i].pattern + " has no document entry");
}

}  // namespace onex::http::schema
