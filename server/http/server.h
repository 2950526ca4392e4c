// The HTTP shell: a route table, a server that answers it over HTTP/1.1, and the helpers that
// turn values and `Status` into answers. No business rule lives here, and no Beast or Asio type
// appears in this header; the app supplies the routes and an Authenticator.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onex/messages.h"
#include "onex/status.h"

namespace onex::http {

// Who is calling, as the app's Authenticator established it from a bearer token.
struct Principal {
  std::string account_id;
  std::string role;  // matched against Route::roles
  std::string session_id;
  // The account must finish setting itself up (e.g. change its initial password); only routes
  // with `allow_setup_session` accept it.
  bool setup_required = false;
  // Whatever else the app wants its handlers to see; the server never looks inside.
  std::shared_ptr<const void> app_data;
};

// One request, as a handler sees it. Handlers may modify it freely.
struct Request {
  std::string method;                             // "GET", "POST", ...
  std::string target;                             // as sent: "/api/v1/users/a%2Fb?page=2"
  std::string path;                               // the target before '?', not decoded
  std::multimap<std::string, std::string> query;  // percent-decoded names and values
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, in order
  std::string body;
  // Instead of `body`, when the route spools large bodies (Route::spool_above) and this one was
  // larger: the path of a temp file holding it, and its size. The server removes the file once
  // it has answered; a handler that keeps the bytes links or copies the file.
  std::string body_file;
  std::uint64_t body_file_size = 0;
  // The body's SHA-256 (lowercase hex) when a handler or wrapper computed it for a body_file.
  std::string body_sha256;
  std::string client_address;  // peer IP address, "127.0.0.1"
  // Path parameters by name, percent-decoded. A decoded value may contain '/', NUL or ".."; it
  // is passed as it is and never changes which route matched, so handlers must refuse values
  // they cannot use.
  std::map<std::string, std::string> params;
  // Set on authenticated routes; on public routes, set when a valid token came along.
  std::optional<Principal> principal;

  // The first value of a header, by case-insensitive name; "" when absent.
  std::string header(std::string_view name) const;
  // The first value of a query parameter, if present.
  std::optional<std::string> query_value(std::string_view name) const;
};

// One answer. The server adds framing, `X-Content-Type-Options: nosniff`, `Cache-Control:
// no-store` under /api and CORS headers itself.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers: ETag, Location...
  // Instead of `body`: a file whose bytes are the body, streamed from disk as it is written (a
  // large download). It must stay as it is until the answer is written; one that cannot be
  // opened answers 500.
  std::string body_file;
  // What the server logs about this answer and never sends (a failure's own message, which may
  // name files and keys: a 500 says only its code to the client).
  std::string log_note;
};

// `status` with `value` as a JSON body. Invalid UTF-8 in strings is replaced, never thrown.
Response json(int status, const nlohmann::json& value);
// 204 without a body.
Response no_content();
// An application/problem+json answer (RFC 9457) for a failed Status:
// {"type","title","status","code","detail","errors":[{"field","code","message"}]}.
// The HTTP status follows the kind: bad_request 400, unauthenticated 401, forbidden 403,
// not_found 404, conflict 409, unprocessable 422, rate_limited 429, io_error and corruption 500
// (the code is kept; the message goes to the server's log only, never to the client). A
// rate_limited one carries Retry-After. An ok Status is a programming error and answers 500
// `internal.error`.
Response problem(const Status& status);
// The same with extra members merged in, e.g. {"until": "..."} for `account.locked`. Extra
// members never replace the standard ones.
Response problem(const Status& status, const nlohmann::json& extra);
// The HTTP status a StatusKind answers with.
int http_status(StatusKind kind);

// One line of the route table.
struct Route {
  std::string method{};   // "GET", "POST", "PUT", "PATCH", "DELETE"; a GET route also answers HEAD
  std::string pattern{};  // "/api/v1/users/{id}": literal segments and whole-segment {params}
  // Who may call. Deny by default: a route that is not public and names no role answers 403 to
  // everyone. `is_public` lets anyone in; otherwise the caller must be authenticated and hold one
  // of `roles` ("*" stands for any authenticated account).
  std::vector<std::string> roles{};
  bool is_public = false;
  bool allow_setup_session = false;               // accepts a Principal with setup_required
  std::size_t body_limit = std::size_t{1} << 20;  // larger bodies are answered with 413
  // When set, replaces body_limit per request: called with the method, target, query and headers
  // (no principal, no params' checks, no body yet) before the body is read, on a server thread.
  // A body over the limit is answered 413 as for body_limit; the rest of it is still read and
  // dropped (up to 64 MiB past the limit) so that the client reads the answer.
  std::function<std::size_t(const Request&)> body_limit_for{};
  // Bodies larger than this many bytes are written to a temp file in `spool_dir` as they arrive
  // (Request::body_file) instead of being kept in memory; 0: never. The directory must exist.
  std::size_t spool_above = 0;
  std::string spool_dir{};
  // Media types accepted for a body on POST, PUT and PATCH (parameters such as charset are
  // ignored); "*/*" accepts any, or none. Empty: the route takes no body.
  std::vector<std::string> content_types = {"application/json"};
  std::string summary{};
  // Runs on a server thread and may block. An exception answers 500 `internal.error`.
  std::function<Response(Request&)> handler{};
  // For the OpenAPI document (http/schema.h writes them): the body's and the success answer's
  // JSON Schemas (null: any object).
  nlohmann::json request_schema{};
  nlohmann::json response_schema{};
  int success_status = 200;  // 201 for a create, 204 for no content
  // Its query parameters.
  struct Query {
    std::string name;
    nlohmann::json schema;
    std::string description{};
  };
  std::vector<Query> query{};
  // The error codes it answers besides those every route of its kind does (401 and 403 when it
  // is not public; 400, 413, 415 and 422 when it takes a body; …): the document lists each
  // under its HTTP status.
  std::vector<std::string> errors{};
  std::string response_media = "application/json";  // of the success answer
  // Other success answers: status → schema (a sign-in answers 202 with an SMS challenge).
  std::map<int, nlohmann::json> other_answers{};
};

// Turns a bearer token into a Principal. Supplied by the app; must be thread-safe, as it is
// called from every server thread. nullopt (unknown or expired token) answers 401
// `auth.unauthenticated`.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual std::optional<Principal> authenticate(std::string_view bearer_token,
                                                const Request& request) = 0;
};

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // "host:port" or "[v6]:port"; port 0 picks a free one
  int threads = 2;                        // the fixed pool that runs I/O and handlers
  // A request must arrive whole (headers and body) within read_timeout of its first byte; a
  // kept-alive connection may wait idle_timeout for its next request. Slower clients are cut off.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds drain_timeout{30};  // stop() waits at most this long for in-flight work
  std::size_t header_limit = 8192;         // larger request headers answer 431
  std::optional<std::string> cors_origin;  // the one browser origin allowed, if any
  // /metrics answers clients on a loopback address only; false turns /metrics off entirely
  // (behind a local reverse proxy every client looks like loopback).
  bool trust_loopback_metrics = true;
  // Extra Prometheus text appended to /metrics (store batch sizes and the like). Called on a
  // server thread; must be thread-safe.
  std::function<std::string()> extra_metrics;
  // Where the server reports what it cannot answer for (handler exceptions, accept failures).
  // Null: standard error. Must be thread-safe.
  std::function<void(std::string_view line)> log;
  // The Chinese title and detail of an error code, for a request that prefers Chinese
  // (`Accept-Language: zh-CN` or `zh`, API.md); the server's own codes (http.*, internal.error)
  // have theirs built in. Null: only those. `chinese_field`: the message of a field error's
  // code. Must be thread-safe.
  std::function<std::optional<ErrorText>(std::string_view code)> chinese;
  std::function<std::optional<std::string>(std::string_view code)> chinese_field;
};

// An HTTP/1.1 server over a route table, with built-in `GET /healthz`, `GET /metrics` and
// `GET /api/v1/openapi.json`. Thread-safe: start, stop and wait may be called from any thread
// except a handler's.
class Server {
 public:
  // `authenticator` may be null (then only public routes can be called); it must outlive the
  // server.
  Server(ServerOptions options, std::vector<Route> routes, Authenticator* authenticator);
  ~Server();  // stops the server if it runs
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Checks the route table, binds, listens and starts the threads; returns once connections are
  // being accepted. Fails with `http.bad_route` (a pattern that does not parse, a route without
  // a handler, or two routes for the same method and path shape), `http.bad_listen`,
  // `http.listen_failed` (the address is taken) or `http.already_started`; nothing then runs.
  Status start();
  // The port listened on, once started.
  unsigned short port() const;
  // Graceful: stops accepting, closes idle connections, lets requests being read or handled
  // finish and answers them with `Connection: close`, then joins the threads. Work still
  // running after drain_timeout is abandoned. Idempotent; returns when the server has stopped.
  void stop();
  // Blocks until the server has stopped (returns at once if it never started).
  void wait();
  // The OpenAPI 3.1 description of the route table, built-in routes included.
  std::string openapi_json() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs until SIGINT or SIGTERM (or until the server is stopped otherwise), then stops the
// server gracefully. Returns 0, the process exit code.
int run_until_signal(Server& server);

}  // namespace onex::http
