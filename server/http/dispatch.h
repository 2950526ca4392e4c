// Internal: request → response, with no Beast in sight. The session reads bytes into a Request,
// asks `prepare` which route it is for (to know the body limit), reads the body, and asks
// `respond` for the answer. Everything HTTP-semantic (routing, auth, media types, limits as
// answers, CORS, built-in routes, metrics) lives here.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"

namespace onex::http::detail {

constexpr std::size_t kDefaultBodyLimit = std::size_t{1} << 20;
// After a body passes its route's limit the rest is still read (and dropped) up to this many
// bytes, so the client gets to read the 413; beyond it the connection is cut.
constexpr std::size_t kDrainLimit = std::size_t{64} << 20;

// The most bytes of body read for a request whose route takes `body_limit`: the drain limit, or
// for routes that take more, their limit and the drain limit beyond it.
constexpr std::size_t read_cap(std::size_t body_limit) {
  return body_limit < kDrainLimit ? kDrainLimit : body_limit + kDrainLimit;
}

struct Prepared {
  bool bad_target = false;  // the target does not parse or decode: 400
  Match match;
  std::size_t body_limit = kDefaultBodyLimit;
};

using SteadyTime = std::chrono::steady_clock::time_point;

// The Chinese texts of the server's own codes (http.*, internal.error), and every such code.
std::optional<ErrorText> server_chinese_text(std::string_view code);
std::vector<std::string> server_error_codes();
// Whether an Accept-Language header ranks Chinese above English.
bool prefers_chinese(std::string_view accept_language);
// A problem+json answer's title, detail and field messages in Chinese, where texts exist.
void translate_problem(Response& response, const ServerOptions& options);

class Dispatcher {
 public:
  Dispatcher(const ServerOptions& options, std::vector<Route> routes, Authenticator* auth);

  // Ok unless the route table is bad (`http.bad_route`).
  const Status& table_status() const { return table_status_; }

  // Splits and decodes request.target into path, query and params, and finds the route.
  Prepared prepare(Request& request) const;

  // The whole answer to a request whose body has been read (or dropped: body_too_large), with
  // the common headers; records it in the metrics. Never throws.
  Response respond(Request& request, const Prepared& prepared, bool body_too_large,
                   SteadyTime started);

  // An answer for a request that could not be read (431, 400, 413 past the drain limit).
  Response refuse(const Request& request, int status, std::string code, std::string detail,
                  SteadyTime started);

  const std::string& openapi_json() const { return openapi_json_; }
  void log(std::string_view line) const;

 private:
  Response route_and_call(Request& request, const Prepared& prepared, bool body_too_large);
  Response call(const CompiledRoute& route, Request& request);
  Response options_answer(const Request& request, const Prepared& prepared) const;
  void decorate(const Request& request, Response& response) const;
  Response metrics_answer(const Request& request) const;

  const ServerOptions& options_;
  Authenticator* auth_;
  Router router_;
  Status table_status_;
  Metrics metrics_;
  std::string openapi_json_;
};

// The OpenAPI 3.1 document for a compiled table.
// The OpenAPI document of `routes`; the codes routes name that neither the server nor
// options.chinese knows (no status to list them under) go to `unknown`.
nlohmann::json openapi_document(const std::vector<CompiledRoute>& routes, const ServerOptions& options,
                                std::vector<std::string>* unknown = nullptr);

}  // namespace onex::http::detail
