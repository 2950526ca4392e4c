#include <nlohmann/json.hpp>

#include "routes/routes.h"
#include "security/secrets.h"

namespace onex::routes {

using nlohmann::json;

namespace {
constexpr auto kKeep = std::chrono::hours(24);
}

http::Route Idempotency::wrap(http::Route route, Redact redact, Rehydrate rehydrate) {
  auto inner = std::move(route.handler);
  route.handler = [this, inner = std::move(inner), redact = std::move(redact),
                   rehydrate = std::move(rehydrate)](http::Request& r) -> http::Response {
    const std::string key = r.header("Idempotency-Key");
    if (key.empty() || !r.principal) return inner(r);
    if (key.size() > 200)
      return http::problem(Status::bad_request("idempotency.bad_key",
                                               "an Idempotency-Key is at most 200 characters"));
    // Scoped to the account; the fingerprint covers method, full path and body.
    const std::string id = security::digest(r.principal->account_id + "\n" + key);
    // A body spooled to a file counts by its hash, which the route's wrapper has put in.
    const std::string fingerprint = security::digest(
        r.method + " " + r.target + "\n" +
        (r.body_file.empty() ? r.body : "\n\nbody sha256 " + r.body_sha256));
    const std::string secret_key = "idempotency/" + id;
    std::lock_guard lock(locks_[std::hash<std::string>{}(id) % locks_.size()]);
    auto stored = store_.get_secret(secret_key);
    if (!stored) return http::problem(stored.status());
    const auto now = clock_.now().time_since_epoch().count();
    if (*stored) {
      auto first = json::parse(**stored, nullptr, false);
      const bool fresh = first.is_object() &&
                         now - first.value("at", std::int64_t{0}) <
                             std::chrono::duration_cast<std::chrono::milliseconds>(kKeep).count();
      if (fresh) {
        if (first.value("fingerprint", "") != fingerprint)
          return http::problem(Status::unprocessable(
              "idempotency.key_reused", "this Idempotency-Key was used for another request",
              {{"Idempotency-Key", "reused", "use a new key for a new request"}}));
        http::Response replay;
        replay.status = first.value("status", 200);
        replay.content_type = first.value("content_type", "application/json");
        json body = first.value("body", json());
        if (rehydrate && body.is_object()) rehydrate(r, body);
        replay.body = body.is_null() ? "" : body.dump();
        // A named copy: items() over the temporary that value() returns would dangle.
        const json headers = first.value("headers", json::object());
        for (const auto& [name, value] : headers.items())
          if (value.is_string()) replay.headers.emplace_back(name, value.get<std::string>());
        replay.headers.emplace_back("Idempotent-Replayed", "true");
        return replay;
      }
    }
    http::Response response = inner(r);
    // A refusal to wait (429) or a failure of the server (5xx) is not the request's outcome:
    // the same key may try again.
    if (response.status < 500 && response.status != 429) {
      json body = response.body.empty() ? json() : json::parse(response.body, nullptr, false);
      if (body.is_discarded()) body = json();
      if (redact && body.is_object()) redact(body);
      json headers = json::object();
      for (const auto& [name, value] : response.headers) headers[name] = value;
      (void)store_.put_secret(secret_key, json{{"fingerprint", fingerprint},
                                               {"at", now},
                                               {"status", response.status},
                                               {"content_type", response.content_type},
                                               {"headers", headers},
                                               {"body", body}}
                                              .dump());
    }
    return response;
  };
  return route;
}

}  // namespace onex::routes
