#include "http/dispatch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <exception>

#include "http/problem.h"

namespace onex::http::detail {
namespace {

constexpr std::string_view kCorsAllowHeaders =
    "Authorization, Content-Type, Idempotency-Key, If-Match";
constexpr std::string_view kCorsExposeHeaders = "ETag, Location, Retry-After";

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

Response refusal(int status, std::string_view code, std::string_view detail) {
  return problem_response(status, code, detail);
}

std::string bearer_token(const Request& request) {
  const std::string header = request.header("Authorization");
  std::string_view value = trim(header);
  if (value.size() < 7 || !iequals(value.substr(0, 7), "Bearer ")) return {};
  return std::string(trim(value.substr(7)));
}

bool media_type_accepted(std::string_view content_type, const std::vector<std::string>& accepted) {
  std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  return std::any_of(accepted.begin(), accepted.end(),
                     [&](const std::string& a) { return a == "*/*" || iequals(type, a); });
}

bool is_loopback(std::string_view address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

bool clean_header(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace

Dispatcher::Dispatcher(const ServerOptions& options, std::vector<Route> routes, Authenticator* auth)
    : options_(options), auth_(auth) {
  std::vector<Route> table;
  table.push_back(
      {.method = "GET",
       .pattern = "/healthz",
       .is_public = true,
       .summary = "Liveness: answers while the server runs",
       .handler =
           [](Request&) {
             return json(200, {{"status", "ok"}});
           },
       .response_schema = {{"type", "object"},
                           {"required", {"status"}},
                           {"properties", {{"status", {{"const", "ok"}}}}}}});
  table.push_back({.method = "GET",
                   .pattern = "/metrics",
                   .is_public = true,
                   .summary = "Prometheus metrics, for loopback clients only",
                   .handler = [this](Request& r) { return metrics_answer(r); },
                   .response_schema = {{"type", "string"}},
                   .errors = {"http.not_found"},
                   .response_media = "text/plain"});
  table.push_back({.method = "GET",
                   .pattern = "/api/v1/openapi.json",
                   .is_public = true,
                   .summary = "This OpenAPI document",
                   .handler = [this](Request&) {
                     Response r;
                     r.body = openapi_json_;
                     return r;
                   },
                   .response_schema = {{"type", "object"}, {"description", "OpenAPI 3.1"}}});
  for (Route& r : routes) table.push_back(std::move(r));
  for (Route& r : table) {
    table_status_ = router_.add(std::move(r));
    if (!table_status_) return;
  }
  std::vector<std::string> unknown;
  openapi_json_ = openapi_document(router_.routes(), options_, &unknown).dump(2);
  // Without the application's catalogue only the server's own codes are known (LocalClient,
  // a bare server): nothing to report then.
  if (options_.chinese)
    for (const auto& u : unknown) log("the OpenAPI document lists no status for " + u);
}

void Dispatcher::log(std::string_view line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::fprintf(stderr, "onex http: %.*s\n", static_cast<int>(line.size()), line.data());
  }
}

Prepared Dispatcher::prepare(Request& request) const {
  Prepared out;
  std::string_view target = request.target;
  std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  auto query = parse_query(question == std::string_view::npos ? "" : target.substr(question + 1));
  auto segments = split_path(request.path);
  if (!query || !segments) {
    out.bad_target = true;
    return out;
  }
  request.query = std::move(*query);
  out.match = router_.match(request.method, *segments);
  if (out.match.route) {
    request.params = out.match.params;
    const Route& route = out.match.route->route;
    out.body_limit = route.body_limit;
    if (route.body_limit_for) {
      try {
        out.body_limit = route.body_limit_for(request);
      } catch (...) {
        log(fmt::format("{} {}: body_limit_for threw", request.method, request.path));
      }
    }
  }
  return out;
}

Response Dispatcher::respond(Request& request, const Prepared& prepared, bool body_too_large,
                             SteadyTime started) {
  Response response;
  try {
    response = route_and_call(request, prepared, body_too_large);
  } catch (const std::exception& e) {
    log(fmt::format("{} {}: {}", request.method, request.path, e.what()));
    response = refusal(500, "internal.error", "the server failed to answer this request");
  } catch (...) {
    log(fmt::format("{} {}: unknown exception", request.method, request.path));
    response = refusal(500, "internal.error", "the server failed to answer this request");
  }
  if (!response.log_note.empty())
    log(fmt::format("{} {}: {}", request.method, request.path, response.log_note));
  if (response.status < 200 || response.status > 599) {
    log(fmt::format("{} {}: a handler answered status {}", request.method, request.path,
                    response.status));
    response = refusal(500, "internal.error", "the server failed to answer this request");
  }
  decorate(request, response);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.record(prepared.match.route ? prepared.match.route->route.pattern : "unmatched",
                  request.method, response.status, seconds);
  return response;
}

Response Dispatcher::refuse(const Request& request, int status, std::string code,
                            std::string detail, SteadyTime started) {
  Response response = refusal(status, std::move(code), std::move(detail));
  decorate(request, response);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.record("unmatched", request.method, status, seconds);
  return response;
}

Response Dispatcher::route_and_call(Request& request, const Prepared& prepared,
                                    bool body_too_large) {
  if (prepared.bad_target) {
    return refusal(400, "http.bad_request", "the request target does not parse");
  }
  const Match& match = prepared.match;
  if (request.method == "OPTIONS") return options_answer(request, prepared);
  if (match.allowed.empty()) return refusal(404, "http.not_found", "no such path");
  if (!match.route) {
    Response r = refusal(405, "http.method_not_allowed",
                         request.method + " is not allowed here; allowed: " + join(match.allowed));
    r.headers.emplace_back("Allow", join(match.allowed));
    return r;
  }
  const CompiledRoute& route = *match.route;
  if (body_too_large) {
    return refusal(413, "http.body_too_large",
                   fmt::format("the body is larger than this route's limit of {} bytes",
                               prepared.body_limit));
  }

  std::string token = bearer_token(request);
  if (!token.empty() && auth_) request.principal = auth_->authenticate(token, request);
  if (!route.route.is_public) {
    if (!request.principal) {
      Response r = problem(Status::make(
          StatusKind::unauthenticated, "auth.unauthenticated",
          token.empty() ? "a bearer token is required" : "the token is unknown or expired"));
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    if (request.principal->setup_required && !route.route.allow_setup_session) {
      return problem(
          Status::forbidden("account.setup_required", "the account must finish its setup first"));
    }
    const auto& roles = route.route.roles;
    bool allowed = std::any_of(roles.begin(), roles.end(), [&](const std::string& role) {
      return role == "*" || role == request.principal->role;
    });
    if (!allowed) return problem(Status::forbidden("auth.forbidden", "this role may not do this"));
  }

  if (route.takes_body) {
    std::string content_type = request.header("Content-Type");
    if ((!content_type.empty() || !request.body.empty()) &&
        !media_type_accepted(content_type, route.route.content_types)) {
      return refusal(415, "http.unsupported_media_type",
                     "this route takes " + join(route.route.content_types));
    }
  }
  return call(route, request);
}

Response Dispatcher::call(const CompiledRoute& route, Request& request) {
  try {
    return route.route.handler(request);
  } catch (const std::exception& e) {
    log(fmt::format("handler {} {} threw: {}", route.route.method, route.route.pattern, e.what()));
  } catch (...) {
    log(fmt::format("handler {} {} threw", route.route.method, route.route.pattern));
  }
  return refusal(500, "internal.error", "the server failed to answer this request");
}

Response Dispatcher::options_answer(const Request& request, const Prepared& prepared) const {
  if (prepared.match.allowed.empty()) return refusal(404, "http.not_found", "no such path");
  Response r = no_content();
  r.headers.emplace_back("Allow", join(prepared.match.allowed));
  std::string origin = request.header("Origin");
  if (options_.cors_origin && origin == *options_.cors_origin) {
    r.headers.emplace_back("Access-Control-Allow-Methods", join(prepared.match.allowed));
    r.headers.emplace_back("Access-Control-Allow-Headers", std::string(kCorsAllowHeaders));
    r.headers.emplace_back("Access-Control-Max-Age", "600");
  }
  return r;
}

void Dispatcher::decorate(const Request& request, Response& response) const {
  auto& headers = response.headers;
  // A conditional GET whose representation the client has: 304, no body (RFC 9110 13.1.2).
  if ((request.method == "GET" || request.method == "HEAD") && response.status == 200) {
    const std::string wanted = request.header("If-None-Match");
    auto etag = std::find_if(headers.begin(), headers.end(),
                             [](const auto& h) { return iequals(h.first, "ETag"); });
    if (!wanted.empty() && etag != headers.end()) {
      auto bare = [](std::string_view t) {
        while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
        if (t.starts_with("W/")) t.remove_prefix(2);  // weak comparison
        return t;
      };
      bool match = false;
      for (std::string_view rest = wanted; !match;) {
        const auto comma = rest.find(',');
        const auto one = bare(rest.substr(0, comma));
        match = one == "*" || one == bare(etag->second);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      if (match) {
        response.status = 304;
        response.body.clear();
        response.body_file.clear();
        response.content_type.clear();
      }
    }
  }
  std::erase_if(headers, [&](const auto& h) {
    bool bad = h.first.empty() || !clean_header(h.first) || !clean_header(h.second);
    if (bad)
      log(fmt::format("{} {}: dropped a header with a line break", request.method, request.path));
    return bad;
  });
  if (!clean_header(response.content_type)) response.content_type = "application/octet-stream";
  if (response.content_type == "application/problem+json") {
    headers.emplace_back("Vary", "Accept-Language");
    if (prefers_chinese(request.header("Accept-Language"))) translate_problem(response, options_);
  }
  headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (request.path.rfind("/api/", 0) == 0 || request.path == "/api") {
    std::erase_if(headers, [](const auto& h) { return iequals(h.first, "Cache-Control"); });
    headers.emplace_back("Cache-Control", "no-store");
  }
  if (options_.cors_origin) {
    headers.emplace_back("Vary", "Origin");
    if (request.header("Origin") == *options_.cors_origin) {
      headers.emplace_back("Access-Control-Allow-Origin", *options_.cors_origin);
      headers.emplace_back("Access-Control-Expose-Headers", std::string(kCorsExposeHeaders));
    }
  }
}

Response Dispatcher::metrics_answer(const Request& request) const {
  if (!options_.trust_loopback_metrics || !is_loopback(request.client_address)) {
    return refusal(404, "http.not_found", "no such path");
  }
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_.render();
  if (options_.extra_metrics) r.body += options_.extra_metrics();
  return r;
}

}  // namespace onex::http::detail
