// Answers from values: JSON, no content, and problem+json from a Status.
#include <algorithm>
#include <cctype>

#include "http/problem.h"
#include "http/server.h"

namespace onex::http {

std::string Request::header(std::string_view name) const {
  auto same = [&](const std::string& candidate) {
    return std::equal(candidate.begin(), candidate.end(), name.begin(), name.end(),
                      [](char a, char b) {
                        return std::tolower(static_cast<unsigned char>(a)) ==
                               std::tolower(static_cast<unsigned char>(b));
                      });
  };
  for (const auto& [key, value] : headers) {
    if (same(key)) return value;
  }
  return {};
}

std::optional<std::string> Request::query_value(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response json(int status, const nlohmann::json& value) {
  Response r;
  r.status = status;
  r.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

int http_status(StatusKind kind) {
  switch (kind) {
    case StatusKind::bad_request:
      return 400;
    case StatusKind::unauthenticated:
      return 401;
    case StatusKind::forbidden:
      return 403;
    case StatusKind::not_found:
      return 404;
    case StatusKind::conflict:
      return 409;
    case StatusKind::unprocessable:
      return 422;
    case StatusKind::rate_limited:
      return 429;
    case StatusKind::ok:
    case StatusKind::io_error:
    case StatusKind::corruption:
      return 500;
  }
  return 500;
}

Response problem(const Status& status) { return problem(status, nlohmann::json::object()); }

Response problem(const Status& status, const nlohmann::json& extra) {
  if (status.is_ok()) {
    return detail::problem_response(500, "internal.error",
                                    "an ok status was answered as a failure");
  }
  nlohmann::json members = extra.is_object() ? extra : nlohmann::json::object();
  for (const auto& [name, value] : status.members()) members[name] = value;
  const int code = http_status(status.kind());
  if (code >= 500) {
    // The store's messages name paths and keys: the client gets the code, the log the rest.
    auto r = detail::problem_response(code, status.code(),
                                      "the server could not complete the request", {}, {});
    r.log_note = status.to_string();
    return r;
  }
  auto r = detail::problem_response(code, status.code(), status.message(), status.errors(), members);
  if (status.kind() == StatusKind::rate_limited)
    r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, status.retry_after().count())));
  return r;
}

namespace detail {

Response problem_response(int status, std::string_view code, std::string_view detail,
                          const std::vector<FieldError>& errors, const nlohmann::json& extra) {
  nlohmann::json body = {
      {"type", "about:blank"},  // the stable, specific part is `code`
      {"title", std::string(reason_phrase(status))},
      {"status", status},
      {"code", std::string(code)},
      {"detail", std::string(detail)},
      {"errors", nlohmann::json::array()},
  };
  for (const FieldError& e : errors) {
    nlohmann::json error = {{"field", e.field}, {"code", e.code}, {"message", e.message}};
    if (e.row > 0) error["row"] = e.row;
    body["errors"].push_back(std::move(error));
  }
  if (extra.is_object()) {
    for (auto it = extra.begin(); it != extra.end(); ++it) {
      if (!body.contains(it.key())) body[it.key()] = it.value();
    }
  }
  Response r = json(status, body);
  r.content_type = "application/problem+json";
  return r;
}

}  // namespace detail

}  // namespace onex::http
