#include "routes/body.h"

#include "engine/described.h"
#include "util/hash.h"

#include <algorithm>
#include <charconv>

namespace onex::routes {

using nlohmann::json;

Status Body::wrong_type(const char* field, const char* expected) {
  return Status::bad_request("request.wrong_type", std::string(field) + " must be " + expected);
}

Result<Body> Body::parse_object(const http::Request& request) {
  json j = json::parse(request.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::bad_request("request.malformed_json", "the body must be a JSON object");
  return Body(std::move(j));
}

Result<Body> Body::parse(const http::Request& request,
                         std::initializer_list<std::string_view> members) {
  auto parsed = parse_object(request);
  if (!parsed) return parsed;
  json j = std::move(parsed->j_);
  auto refused = engine::refuse_unknown(j, [&](std::string_view key) {
    return std::find(members.begin(), members.end(), key) != members.end();
  });
  if (!refused) return refused;
  return Body(std::move(j));
}

Result<Body> Body::parse_or_empty(const http::Request& request,
                                  std::initializer_list<std::string_view> members) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return empty();
  return parse(request, members);
}

Status Body::require(std::initializer_list<const char*> members) const {
  std::vector<FieldError> missing;
  for (const char* m : members)
    if (raw(m).is_null()) missing.push_back({m, "required", std::string(m) + " is required"});
  if (missing.empty()) return {};
  const std::string message = missing.front().field + " is required";
  return Status::unprocessable("validation.failed", message, std::move(missing));
}

const json& Body::raw(const char* field) const {
  static const json null;
  auto it = j_.find(field);
  return it == j_.end() ? null : *it;
}

Result<std::optional<std::string>> Body::optional_text(const char* field,
                                                       std::size_t max_bytes) const {
  const json& v = raw(field);
  if (v.is_null()) return std::optional<std::string>{};
  if (!v.is_string()) return wrong_type(field, "a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > max_bytes)
    return Status::unprocessable("validation.failed", std::string(field) + " is too long",
                                 {{field, "too_long", "at most " + std::to_string(max_bytes) + " bytes"}});
  return std::optional<std::string>{s};
}

Result<std::string> Body::text(const char* field, std::size_t max_bytes) const {
  auto v = optional_text(field, max_bytes);
  if (!v) return v.status();
  if (!*v || (*v)->empty())
    return Status::unprocessable("validation.failed", std::string(field) + " is required",
                                 {{field, "required", std::string(field) + " is required"}});
  return **v;
}

Result<std::optional<bool>> Body::optional_flag(const char* field) const {
  const json& v = raw(field);
  if (v.is_null()) return std::optional<bool>{};
  if (!v.is_boolean()) return wrong_type(field, "true or false");
  return std::optional<bool>{v.get<bool>()};
}

Result<bool> Body::flag(const char* field, bool fallback) const {
  auto v = optional_flag(field);
  if (!v) return v.status();
  return v->value_or(fallback);
}

Result<std::optional<long long>> Body::optional_integer(const char* field) const {
  const json& v = raw(field);
  if (v.is_null()) return std::optional<long long>{};
  if (!v.is_number_integer()) return wrong_type(field, "an integer");
  return std::optional<long long>{v.get<long long>()};
}

Result<std::optional<std::uint64_t>> if_match(const http::Request& request) {
  std::string v = request.header("If-Match");
  if (v.empty()) return std::optional<std::uint64_t>{};
  if (v.starts_with("W/")) v.erase(0, 2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  // "3", or "3-1a2b3c4d" (a representation with derived parts): the version is what counts.
  if (auto dash = v.find('-'); dash != std::string::npos) v.resize(dash);
  std::uint64_t version = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (v.empty() || ec != std::errc{} || p != v.data() + v.size())
    return Status::bad_request("request.bad_if_match", "If-Match must be a version ETag");
  return std::optional<std::uint64_t>{version};
}

Result<std::uint64_t> query_number(const http::Request& request, const char* name,
                                   std::uint64_t fallback, std::uint64_t min, std::uint64_t max) {
  auto v = request.query_value(name);
  if (!v || v->empty()) return fallback;
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec == std::errc::invalid_argument || p != v->data() + v->size())
    return Status::bad_request("request.bad_query", std::string(name) + " must be a whole number")
        .with("parameter", name);
  if (ec != std::errc{} || n < min || n > max)
    return Status::unprocessable(
        "validation.failed", std::string(name) + " is out of range",
        {{name, "out_of_range", std::to_string(min) + " to " + std::to_string(max)}});
  return n;
}

Result<std::pair<std::size_t, std::size_t>> paging(const http::Request& request) {
  auto page = query_number(request, "page", 1, 1, 1'000'000);
  if (!page) return page.status();
  auto size = query_number(request, "page_size", 10, 1, 100);
  if (!size) return size.status();
  return std::pair{std::size_t(*page), std::size_t(*size)};
}

http::Response versioned(int status, const json& value, std::uint64_t version) {
  auto r = http::json(status, value);
  r.headers.emplace_back("ETag", "\"" + std::to_string(version) + "\"");
  return r;
}

http::Response represented(int status, const json& value, std::uint64_t version) {
  auto r = http::json(status, value);
  r.headers.emplace_back("ETag", "\"" + std::to_string(version) + "-" +
                                     util::to_hex(util::sha256(r.body)).substr(0, 16) + "\"");
  return r;
}

}  // namespace onex::routes
