// Reading JSON request bodies strictly: malformed JSON or a wrong type is 400 naming the field;
// a missing required field or a bad value is 422 naming it.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/server.h"
#include "onex/status.h"

// Shorthand for "return the problem when this failed", in route handlers.
#define ONEX_TRY(var, expr)                                \
  auto var = (expr);                                       \
  if (!var) return http::problem(var.status())

namespace onex::routes {

class Body {
 public:
  // 400 request.malformed_json when the body is not a JSON object; 422 validation.failed with
  // an `unknown_field` error for each member that is not one of `members` (a request's members
  // are a contract: a misspelt or unknown one is refused, never ignored).
  static Result<Body> parse(const http::Request& request,
                            std::initializer_list<std::string_view> members);
  // Any JSON object, for a route that checks its members itself (naming more than unknown
  // ones: the institution routes call the registry's members immutable).
  static Result<Body> parse_object(const http::Request& request);
  // The same as parse for a body that may also be empty (no members at all).
  static Result<Body> parse_or_empty(const http::Request& request,
                                     std::initializer_list<std::string_view> members);

  // 422 validation.failed with a `required` error for each of `members` that is absent (or
  // null): a PUT replaces the whole record, so an omitted member is an error, never an empty value.
  Status require(std::initializer_list<const char*> members) const;
  static Body empty() { return Body(nlohmann::json::object()); }

  Result<std::string> text(const char* field, std::size_t max_bytes = 1024) const;  // required
  Result<std::optional<std::string>> optional_text(const char* field,
                                                   std::size_t max_bytes = 1024) const;
  Result<bool> flag(const char* field, bool fallback) const;
  Result<std::optional<bool>> optional_flag(const char* field) const;
  Result<std::optional<long long>> optional_integer(const char* field) const;
  // The member as it is (null when absent).
  const nlohmann::json& raw(const char* field) const;
  // The whole body, for a workflow that reads it by its record's description.
  const nlohmann::json& value() const { return j_; }

  static Status wrong_type(const char* field, const char* expected);

 private:
  explicit Body(nlohmann::json j) : j_(std::move(j)) {}
  nlohmann::json j_;
};

// The If-Match header as a version ("\"3\"" or "3"); nullopt when absent, 400 when malformed.
Result<std::optional<std::uint64_t>> if_match(const http::Request& request);

// A whole-number query parameter within [min, max]; `fallback` when absent or empty; 400
// request.bad_query (its `parameter` named) when it is no number, 422 validation.failed
// naming it when out of range.
Result<std::uint64_t> query_number(const http::Request& request, const char* name,
                                   std::uint64_t fallback, std::uint64_t min, std::uint64_t max);

// The `{id}` of the route's pattern.
inline std::string id_param(const http::Request& r) { return r.params.at("id"); }

// A positive page number / page size from the query (defaults 1 and 10, page_size at most 100).
Result<std::pair<std::size_t, std::size_t>> paging(const http::Request& request);

// One page of a list as every list route answers it: {items, total, page, page_size}, each
// item as `to` writes it. `page` is the library's answer (its `items` and `total`), `at` what
// paging() read.
template <class Page, class To>
nlohmann::json page_json(const Page& page, std::pair<std::size_t, std::size_t> at, To&& to) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(to(item));
  return {{"items", std::move(items)}, {"total", page.total}, {"page", at.first}, {"page_size", at.second}};
}

// JSON with ETag for a resource that carries its version.
http::Response versioned(int status, const nlohmann::json& value, std::uint64_t version);
// The same for a representation with parts that no event of the record changes (an
// institution's pilot years come from its quotas, a plan's status from the clock): the ETag is
// the version and a digest of the body ("3-1a2b…"), so that it changes whenever the
// representation does; If-Match reads the version before the '-'.
http::Response represented(int status, const nlohmann::json& value, std::uint64_t version);

}  // namespace onex::routes
