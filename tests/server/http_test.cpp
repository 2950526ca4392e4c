// The HTTP shell over real loopback TCP: a small blocking client on raw sockets talks to a
// Server started in-process on a free port, so malformed and slow requests can be sent too.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "server/support.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using onex::Status;
namespace http = onex::http;

// The raw-socket HTTP client the server tests share.
using onex::testing::call;
using onex::testing::Connection;
using onex::testing::Reply;
using onex::testing::request_text;

const std::string kGood = "Authorization: Bearer good";
const std::string kJson = "Content-Type: application/json";

// ---- the toy app ---------------------------------------------------------------------------

class ToyAuthenticator final : public http::Authenticator {
 public:
  std::optional<http::Principal> authenticate(std::string_view token,
                                              const http::Request&) override {
    if (token == "good") return http::Principal{"acc-1", "operator", "sess-1", false, nullptr};
    if (token == "setup") return http::Principal{"acc-2", "operator", "sess-2", true, nullptr};
    return std::nullopt;
  }
};

std::vector<http::Route> toy_routes() {
  return {
      {.method = "GET",
       .pattern = "/api/v1/hello",
       .is_public = true,
       .summary = "Says hello",
       .handler =
           [](http::Request&) {
             return http::json(200, {{"hello", "world"}});
           }},
      {.method = "POST",
       .pattern = "/api/v1/echo",
       .roles = {"operator"},
       .summary = "Echoes",
       .handler =
           [](http::Request& r) {
             json body = json::parse(r.body, nullptr, false);
             if (body.is_discarded()) {
               return http::problem(Status::bad_request("request.malformed_json", "not JSON"));
             }
             return http::json(200, {{"echo", body}, {"account", r.principal->account_id}});
           },
       .request_schema = {{"type", "object"}}},
      {.method = "GET",
       .pattern = "/api/v1/items/{id}",
       .is_public = true,
       .handler =
           [](http::Request& r) {
             return http::json(200, {{"id", r.params.at("id")}});
           }},
      {.method = "GET",
       .pattern = "/api/v1/items/special",
       .is_public = true,
       .handler =
           [](http::Request&) {
             return http::json(200, {{"special", true}});
           }},
      {.method = "DELETE",
       .pattern = "/api/v1/items/{id}",
       .roles = {"operator"},
       .handler = [](http::Request&) { return http::no_content(); },
       .success_status = 204},
      {.method = "GET",
       .pattern = "/api/v1/query",
       .is_public = true,
       .handler =
           [](http::Request& r) {
             json out = json::object();
             for (const auto& [k, v] : r.query) {
               if (!out.contains(k)) out[k] = v;  // the first of repeated names
             }
             return http::json(200, out);
           }},
      {.method = "GET",
       .pattern = "/api/v1/boom",
       .is_public = true,
       .handler = [](http::Request&) -> http::Response { throw std::runtime_error("boom"); }},
      {.method = "GET",
       .pattern = "/api/v1/slow",
       .is_public = true,
       .handler =
           [](http::Request&) {
             std::this_thread::sleep_for(300ms);
             return http::json(200, {{"slow", true}});
           }},
      {.method = "GET",
       .pattern = "/api/v1/admin",
       .roles = {"admin"},
       .handler =
           [](http::Request&) {
             return http::json(200, {{"admin", true}});
           }},
      {.method = "GET",
       .pattern = "/api/v1/setup",
       .roles = {"operator"},
       .allow_setup_session = true,
       .handler =
           [](http::Request& r) {
             return http::json(200, {{"setup", true}});
           }},
      {.method = "GET",
       .pattern = "/api/v1/locked",
       .is_public = true,
       .handler =
           [](http::Request&) {
             return http::problem(Status::forbidden("account.locked", "too many attempts"),
                                  {{"until", "2020-04-01T00:15:00+08:00"}, {"code", "ignored"}});
           }},
      {.method = "GET",
       .pattern = "/api/v1/nobody",
       .handler = [](http::Request&) { return http::json(200, {}); }},
      {.method = "GET",
       .pattern = "/api/v1/from-disk",
       .is_public = true,
       .handler =
           [](http::Request& r) {
             http::Response out;
             out.content_type = "text/plain";
             out.body = "ignored";
             out.body_file = r.query_value("path").value_or("");
             return out;
           }},
      {.method = "POST",
       .pattern = "/api/v1/spooled",
       .roles = {"operator"},
       .body_limit = 64 << 10,
       .spool_above = 1 << 10,
       .spool_dir = "/tmp",
       .content_types = {"*/*"},
       .handler =
           [](http::Request& r) {
             std::ifstream in(r.body_file, std::ios::binary);
             std::string spooled((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
             return http::json(200, {{"in_memory", r.body.size()},
                                     {"file", r.body_file},
                                     {"file_size", r.body_file_size},
                                     {"spooled", spooled}});
           }},
      {.method = "POST",
       .pattern = "/api/v1/blobs",
       .roles = {"operator"},
       // The limit comes from the query: ?kib=N takes N KiB; none or a bad number, 1 KiB.
       .body_limit_for =
           [](const http::Request& r) -> std::size_t {
             auto kib = r.query_value("kib");
             std::size_t n = 1;
             if (kib && !kib->empty() && kib->size() < 6 &&
                 kib->find_first_not_of("0123456789") == std::string::npos)
               n = std::stoul(*kib);
             return n << 10;
           },
       .content_types = {"*/*"},
       .handler =
           [](http::Request& r) {
             return http::json(200, {{"size", r.body.size()},
                                     {"content_type", r.header("Content-Type")}});
           }},
  };
}

struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;
  bool contains(std::string_view text) {
    std::lock_guard lock(mutex);
    for (const auto& l : lines) {
      if (l.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

struct ToyServer {
  ToyAuthenticator auth;
  std::shared_ptr<LogLines> logs = std::make_shared<LogLines>();
  std::unique_ptr<http::Server> server;
  unsigned short port = 0;

  explicit ToyServer(http::ServerOptions options = {}) {
    options.listen = "127.0.0.1:0";
    options.read_timeout = 1s;
    options.idle_timeout = 2s;
    options.extra_metrics = [] { return std::string("onex_test_extra 42\n"); };
    options.log = [logs = logs](std::string_view line) {
      std::lock_guard lock(logs->mutex);
      logs->lines.emplace_back(line);
    };
    server = std::make_unique<http::Server>(std::move(options), toy_routes(), &auth);
    Status started = server->start();
    REQUIRE_MESSAGE(started.is_ok(), started.to_string());
    port = server->port();
  }
};

}  // namespace

// ---- answers as values ---------------------------------------------------------------------

TEST_CASE("a Status maps to its HTTP status and a problem+json body") {
  CHECK(http::http_status(onex::StatusKind::bad_request) == 400);
  CHECK(http::http_status(onex::StatusKind::unauthenticated) == 401);
  CHECK(http::http_status(onex::StatusKind::forbidden) == 403);
  CHECK(http::http_status(onex::StatusKind::not_found) == 404);
  CHECK(http::http_status(onex::StatusKind::conflict) == 409);
  CHECK(http::http_status(onex::StatusKind::unprocessable) == 422);
  CHECK(http::http_status(onex::StatusKind::rate_limited) == 429);
  CHECK(http::http_status(onex::StatusKind::io_error) == 500);
  CHECK(http::http_status(onex::StatusKind::corruption) == 500);

  http::Response r = http::problem(Status::unprocessable("declaration.invalid", "fields are wrong",
                                                         {{"majors", "required", "name a major"}}));
  CHECK(r.status == 422);
  CHECK(r.content_type == "application/problem+json");
  json body = json::parse(r.body);
  CHECK(body["type"] == "about:blank");
  CHECK(body["title"] == "Unprocessable Content");
  CHECK(body["status"] == 422);
  CHECK(body["code"] == "declaration.invalid");
  CHECK(body["detail"] == "fields are wrong");
  CHECK(body["errors"] ==
        json::parse(R"([{"field":"majors","code":"required","message":"name a major"}])"));

  const http::Response failed = http::problem(Status::io_error("cannot write /srv/onex/data/000123.sst"));
  json io = json::parse(failed.body);
  CHECK(io["status"] == 500);
  CHECK(io["code"] == "store.io_error");
  // A 500 never shows its message (paths, keys) to the client; the server logs it.
  CHECK(failed.body.find("/srv/onex") == std::string::npos);
  CHECK(failed.log_note.find("/srv/onex/data/000123.sst") != std::string::npos);
  CHECK(http::no_content().status == 204);
}

// ---- the server ----------------------------------------------------------------------------

TEST_CASE("healthz answers ok, /api answers carry no-store and nosniff") {
  ToyServer s;
  Reply health = call(s.port, "GET", "/healthz");
  REQUIRE(health.ok);
  CHECK(health.status == 200);
  CHECK(health.json() == json{{"status", "ok"}});
  CHECK(health.header("x-content-type-options") == "nosniff");
  CHECK(health.header("cache-control").empty());

  Reply hello = call(s.port, "GET", "/api/v1/hello");
  CHECK(hello.status == 200);
  CHECK(hello.header("content-type") == "application/json");
  CHECK(hello.header("cache-control") == "no-store");
  CHECK(hello.header("x-content-type-options") == "nosniff");

  Reply head = call(s.port, "HEAD", "/api/v1/hello");
  CHECK(head.status == 200);
  CHECK(head.header("content-length") == std::to_string(hello.body.size()));
}

TEST_CASE("authentication: no token or a bad one is 401, a wrong role or a setup session 403") {
  ToyServer s;
  Reply none = call(s.port, "POST", "/api/v1/echo", "{}", {kJson});
  CHECK(none.status == 401);
  CHECK(none.code() == "auth.unauthenticated");
  CHECK(none.header("content-type") == "application/problem+json");
  CHECK(none.header("www-authenticate") == "Bearer");

  Reply bad = call(s.port, "POST", "/api/v1/echo", "{}", {kJson, "Authorization: Bearer nope"});
  CHECK(bad.status == 401);
  CHECK(bad.code() == "auth.unauthenticated");

  Reply basic =
      call(s.port, "POST", "/api/v1/echo", "{}", {kJson, "Authorization: Basic Z29vZA=="});
  CHECK(basic.status == 401);

  Reply echo = call(s.port, "POST", "/api/v1/echo", R"({"a":[1,2]})", {kJson, kGood});
  CHECK(echo.status == 200);
  CHECK(echo.json() == json::parse(R"({"echo":{"a":[1,2]},"account":"acc-1"})"));

  Reply malformed = call(s.port, "POST", "/api/v1/echo", "{nope", {kJson, kGood});
  CHECK(malformed.status == 400);
  CHECK(malformed.code() == "request.malformed_json");

  Reply wrong_role = call(s.port, "GET", "/api/v1/admin", "", {kGood});
  CHECK(wrong_role.status == 403);
  CHECK(wrong_role.code() == "auth.forbidden");

  Reply nobody = call(s.port, "GET", "/api/v1/nobody", "", {kGood});
  CHECK(nobody.status == 403);  // no roles and not public: denied to all

  Reply setup = call(s.port, "POST", "/api/v1/echo", "{}", {kJson, "Authorization: Bearer setup"});
  CHECK(setup.status == 403);
  CHECK(setup.code() == "account.setup_required");
  Reply setup_ok = call(s.port, "GET", "/api/v1/setup", "", {"Authorization: bearer setup"});
  CHECK(setup_ok.status == 200);

  Reply locked = call(s.port, "GET", "/api/v1/locked");
  CHECK(locked.status == 403);
  CHECK(locked.code() == "account.locked");
  CHECK(locked.json()["until"] == "2020-04-01T00:15:00+08:00");
}

TEST_CASE("unknown paths are 404, known paths with another method 405 with Allow") {
  ToyServer s;
  Reply unknown = call(s.port, "GET", "/api/v1/nothing-here");
  CHECK(unknown.status == 404);
  CHECK(unknown.code() == "http.not_found");
  CHECK(call(s.port, "GET", "/api/v1/hello/").status == 404);
  CHECK(call(s.port, "GET", "/api/v1/items/").status == 404);

  Reply wrong = call(s.port, "DELETE", "/api/v1/hello");
  CHECK(wrong.status == 405);
  CHECK(wrong.code() == "http.method_not_allowed");
  CHECK(wrong.header("allow") == "GET, HEAD, OPTIONS");
}

TEST_CASE("media type, body and header limits answer 415, 413 and 431") {
  ToyServer s;
  Reply wrong_type = call(s.port, "POST", "/api/v1/echo", "a=1",
                          {"Content-Type: application/x-www-form-urlencoded", kGood});
  CHECK(wrong_type.status == 415);
  CHECK(wrong_type.code() == "http.unsupported_media_type");
  CHECK(call(s.port, "POST", "/api/v1/echo", "{}",
             {"Content-Type: Application/JSON; charset=utf-8", kGood})
            .status == 200);

  SUBCASE("a 2 MiB body is read to its end and answered 413, then the connection closes") {
    Connection c(s.port);
    REQUIRE(
        c.send(request_text("POST", "/api/v1/echo", std::string(2 << 20, 'x'), {kJson, kGood})));
    Reply too_large = c.read_reply();
    REQUIRE(too_large.ok);
    CHECK(too_large.status == 413);
    CHECK(too_large.code() == "http.body_too_large");
    CHECK(too_large.header("connection") == "close");
    CHECK(c.closed_by_peer(3s));
  }
  SUBCASE("a client that expects 100-continue is refused before it sends the body") {
    Connection c(s.port);
    REQUIRE(
        c.send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Authorization: Bearer good\r\nExpect: 100-continue\r\n"
               "Content-Length: 2097152\r\n\r\n"));
    Reply too_large = c.read_reply();
    CHECK(too_large.status == 413);
  }
  SUBCASE("a chunked body over the limit is 413 too") {
    Connection c(s.port);
    std::string text =
        "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Authorization: Bearer good\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) text += "80000\r\n" + std::string(0x80000, 'y') + "\r\n";
    REQUIRE(c.send(text + "0\r\n\r\n"));
    CHECK(c.read_reply().status == 413);
  }
  SUBCASE("more than 8 KiB of headers is 431") {
    Connection c(s.port);
    std::vector<std::string> flood;
    for (int i = 0; i < 100; ++i)
      flood.push_back("X-Flood-" + std::to_string(i) + ": " + std::string(100, 'f'));
    REQUIRE(c.send(request_text("GET", "/healthz", "", flood)));
    Reply refused = c.read_reply();
    REQUIRE(refused.ok);
    CHECK(refused.status == 431);
    CHECK(refused.code() == "http.header_too_large");
  }
  SUBCASE("so is one header line longer than 8 KiB") {
    Connection c(s.port);
    REQUIRE(c.send(request_text("GET", "/healthz", "", {"X-Long: " + std::string(9000, 'l')})));
    CHECK(c.read_reply().status == 431);
  }
  SUBCASE("headers just under the limit are fine") {
    Connection c(s.port);
    REQUIRE(c.send(request_text("GET", "/healthz", "", {"X-Long: " + std::string(7000, 'l')})));
    CHECK(c.read_reply().status == 200);
  }
  CHECK(call(s.port, "GET", "/healthz").status == 200);
}

TEST_CASE("a route's body limit may depend on the request, and any media type may be taken") {
  ToyServer s;
  const std::string three_kib(3 << 10, 'b');
  // Given a route whose limit is ?kib=N KiB and that takes any media type,
  // when 3 KiB go to ?kib=4, then they are taken whatever their type;
  Reply taken = call(s.port, "POST", "/api/v1/blobs?kib=4", three_kib,
                     {"Content-Type: image/png", kGood});
  INFO(taken.body);
  CHECK(taken.status == 200);
  CHECK(taken.json()["size"] == three_kib.size());
  CHECK(taken.json()["content_type"] == "image/png");
  // when they go to ?kib=2, the answer is 413 naming that limit, read by the client whole.
  Connection c(s.port);
  REQUIRE(c.send(request_text("POST", "/api/v1/blobs?kib=2", three_kib,
                              {"Content-Type: application/octet-stream", kGood})));
  Reply refused = c.read_reply();
  REQUIRE(refused.ok);
  CHECK(refused.status == 413);
  CHECK(refused.code() == "http.body_too_large");
  CHECK(refused.json()["detail"].get<std::string>().find("2048") != std::string::npos);
  // A chunked body is refused as well once it passes the limit.
  Connection chunked(s.port);
  std::string text =
      "POST /api/v1/blobs?kib=2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
      "Authorization: Bearer good\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) text += "400\r\n" + std::string(0x400, 'y') + "\r\n";
  REQUIRE(chunked.send(text + "0\r\n\r\n"));
  CHECK(chunked.read_reply().status == 413);
  // A declared length past the limit and the 64 MiB drain is answered at once.
  Connection huge(s.port);
  REQUIRE(huge.send("POST /api/v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n"
                    "Content-Type: application/zip\r\nContent-Length: 1073741824\r\n\r\n"));
  Reply cut = huge.read_reply();
  REQUIRE(cut.ok);
  CHECK(cut.status == 413);
  CHECK(huge.closed_by_peer(3s));
  CHECK(call(s.port, "GET", "/healthz").status == 200);
}

TEST_CASE("a route may spool large bodies to a temp file, which is gone once it has answered") {
  ToyServer s;
  // A small body stays in memory;
  Reply small = call(s.port, "POST", "/api/v1/spooled", "tiny", {"Content-Type: text/plain", kGood});
  REQUIRE(small.status == 200);
  CHECK(small.json()["in_memory"] == 4);
  CHECK(small.json()["file"] == "");
  // one past the threshold goes to a file, whole, and the file is removed after the answer,
  const std::string big(5000, 'z');
  Reply spooled = call(s.port, "POST", "/api/v1/spooled", big, {"Content-Type: text/plain", kGood});
  REQUIRE(spooled.status == 200);
  CHECK(spooled.json()["in_memory"] == 0);
  CHECK(spooled.json()["file_size"] == big.size());
  CHECK(spooled.json()["spooled"] == big);
  const std::string file = spooled.json()["file"];
  CHECK(file.rfind("/tmp/body-", 0) == 0);
  CHECK_FALSE(std::ifstream(file).good());
  // a chunked one as well; one past the limit is 413 and leaves no file behind.
  Connection chunked(s.port);
  std::string text =
      "POST /api/v1/spooled HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "Authorization: Bearer good\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) text += "400\r\n" + std::string(0x400, 'c') + "\r\n";
  REQUIRE(chunked.send(text + "0\r\n\r\n"));
  Reply chunked_reply = chunked.read_reply();
  REQUIRE(chunked_reply.status == 200);
  CHECK(chunked_reply.json()["file_size"] == 3 * 0x400);
  Reply refused = call(s.port, "POST", "/api/v1/spooled", std::string(70 << 10, 'x'),
                       {"Content-Type: text/plain", kGood});
  CHECK(refused.status == 413);
}

TEST_CASE("an answer may stream its body from a file, a file that is gone answers 500") {
  ToyServer s;
  const std::string path = "/tmp/onex-http-test-" + std::to_string(::getpid());
  const std::string bytes(300000, 'f');
  std::ofstream(path, std::ios::binary) << bytes;
  Reply served = call(s.port, "GET", "/api/v1/from-disk?path=" + path);
  CHECK(served.status == 200);
  CHECK(served.body == bytes);
  CHECK(served.header("content-type") == "text/plain");
  CHECK(served.header("x-content-type-options") == "nosniff");
  std::remove(path.c_str());
  Reply gone = call(s.port, "GET", "/api/v1/from-disk?path=" + path);
  CHECK(gone.status == 500);
  CHECK(gone.code() == "internal.error");
  CHECK(s.logs->contains("cannot open"));
}

TEST_CASE("garbage is answered 400 or cut off, and the next client is served") {
  ToyServer s;
  {
    Connection c(s.port);
    REQUIRE(c.send(
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n")));
    Reply r = c.read_reply();
    CHECK((!r.ok || r.status == 400));
    CHECK(c.closed_by_peer(3s));
  }
  {
    Connection c(s.port);
    REQUIRE(c.send("GET /healthz HTTP/9.9 oops\r\n\r\n"));
    Reply r = c.read_reply();
    CHECK((!r.ok || r.status == 400));
  }
  CHECK(call(s.port, "GET", "/api/v1/items/%zz").status == 400);
  CHECK(call(s.port, "GET", "/api/v1/query?a=%4").status == 400);
  CHECK(call(s.port, "GET", "/healthz").status == 200);
}

TEST_CASE("a slow client is cut off after the read timeout while others are served") {
  ToyServer s;
  Connection slow(s.port);
  REQUIRE(slow.send("GET /healthz HTTP/1.1\r\nHost: loc"));
  auto began = std::chrono::steady_clock::now();
  CHECK(call(s.port, "GET", "/healthz").status == 200);
  CHECK(slow.closed_by_peer(4s));
  auto took = std::chrono::steady_clock::now() - began;
  CHECK(took >= 900ms);
  CHECK(took < 3s);
  CHECK(call(s.port, "GET", "/healthz").status == 200);
}

TEST_CASE("keep-alive serves several requests on one connection, and idle ones are closed") {
  ToyServer s;
  Connection c(s.port);
  REQUIRE(c.send(request_text("GET", "/healthz")));
  Reply first = c.read_reply();
  REQUIRE(c.send(request_text("POST", "/api/v1/echo", R"({"n":2})", {kJson, kGood})));
  Reply second = c.read_reply();
  CHECK(first.status == 200);
  CHECK(second.status == 200);
  CHECK(second.json()["echo"]["n"] == 2);
  // Two pipelined at once.
  REQUIRE(c.send(request_text("GET", "/api/v1/hello") + request_text("GET", "/healthz")));
  CHECK(c.read_reply().status == 200);
  CHECK(c.read_reply().json() == json{{"status", "ok"}});
  // Then idle for longer than the idle timeout (2 s here).
  CHECK(c.closed_by_peer(4s));
}

TEST_CASE("path params are percent-decoded and change nothing about routing") {
  ToyServer s;
  CHECK(call(s.port, "GET", "/api/v1/items/42").json() == json{{"id", "42"}});
  CHECK(call(s.port, "GET", "/api/v1/items/a%20b").json() == json{{"id", "a b"}});
  CHECK(call(s.port, "GET", "/api/v1/items/%2e%2e%2fadmin").json() ==
        json{{"id", "../admin"}});
  CHECK(call(s.port, "GET", "/api/v1/items/%2e%2e%2f%2e%2e%2fhealthz").json() ==
        json{{"id", "../../healthz"}});
  CHECK(call(s.port, "GET", "/api/v1/items/..").json() == json{{"id", ".."}});
  CHECK(call(s.port, "GET", "/api/v1/items/a%00b").json() ==
        json{{"id", std::string("a\0b", 3)}});
  CHECK(call(s.port, "GET", "/api/v1/items/special").json() == json{{"special", true}});
  CHECK(call(s.port, "GET", "/api/v1/items/%73pecial").json() == json{{"special", true}});
  CHECK(call(s.port, "GET", "/api/v1/items/a/b").status == 404);
  CHECK(call(s.port, "DELETE", "/api/v1/items/7", "", {kGood}).status == 204);
  CHECK(call(s.port, "GET", "/api/v1/query?a=1&b=x%20y+z&a=2&flag").json() ==
        json{{"a", "1"}, {"b", "x y z"}, {"flag", ""}});
}

TEST_CASE("a handler that throws answers 500 and the server goes on") {
  ToyServer s;
  Reply boom = call(s.port, "GET", "/api/v1/boom");
  CHECK(boom.status == 500);
  CHECK(boom.code() == "internal.error");
  CHECK(boom.body.find("boom") == std::string::npos);  // the message stays in the log
  CHECK(s.logs->contains("boom"));
  CHECK(call(s.port, "GET", "/healthz").status == 200);
}

TEST_CASE("metrics count requests per route pattern and append the app's lines") {
  ToyServer s;
  call(s.port, "GET", "/healthz");
  call(s.port, "GET", "/healthz");
  call(s.port, "GET", "/api/v1/items/1");
  call(s.port, "GET", "/api/v1/items/2");
  call(s.port, "GET", "/nope");
  Reply metrics = call(s.port, "GET", "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.header("content-type").rfind("text/plain", 0) == 0);
  const std::string& text = metrics.body;
  CHECK(text.find("onex_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2") !=
        std::string::npos);
  CHECK(text.find("onex_http_requests_total{route=\"/api/v1/items/{id}\",method=\"GET\","
                  "status=\"200\"} 2") != std::string::npos);
  CHECK(
      text.find("onex_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1") !=
      std::string::npos);
  CHECK(text.find("# TYPE onex_http_request_duration_seconds histogram") != std::string::npos);
  CHECK(text.find("onex_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\","
                  "le=\"+Inf\"} 2") != std::string::npos);
  CHECK(
      text.find("onex_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2") !=
      std::string::npos);
  CHECK(text.find("onex_test_extra 42\n") != std::string::npos);

  http::ServerOptions closed;
  closed.trust_loopback_metrics = false;
  ToyServer off(closed);
  CHECK(call(off.port, "GET", "/metrics").status == 404);
}

TEST_CASE("openapi.json describes every route from the table") {
  ToyServer s;
  Reply doc = call(s.port, "GET", "/api/v1/openapi.json");
  REQUIRE(doc.status == 200);
  json api = doc.json();
  REQUIRE(api.is_object());
  CHECK(api == json::parse(s.server->openapi_json()));
  CHECK(api["openapi"] == "3.1.0");
  for (const http::Route& r : toy_routes()) {
    INFO(r.method << " " << r.pattern);
    CHECK(api["paths"].contains(r.pattern));
  }
  for (const char* builtin : {"/healthz", "/metrics", "/api/v1/openapi.json"}) {
    CHECK(api["paths"].contains(builtin));
  }
  const json& item = api["paths"]["/api/v1/items/{id}"];
  CHECK(item["parameters"][0]["name"] == "id");
  CHECK(item["parameters"][0]["in"] == "path");
  CHECK(item["get"]["security"] == json::array());
  CHECK(item["delete"]["security"][0].contains("bearer"));
  CHECK(item["delete"]["responses"].contains("204"));
  const json& echo = api["paths"]["/api/v1/echo"]["post"];
  CHECK(echo["summary"] == "Echoes");
  CHECK(echo["requestBody"]["content"]["application/json"]["schema"] == json{{"type", "object"}});
  CHECK(echo["responses"]["415"]["content"].contains("application/problem+json"));
  CHECK(echo["responses"]["401"]["content"].contains("application/problem+json"));
  CHECK(api["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
}

TEST_CASE("CORS: preflights and answers for the configured origin only") {
  http::ServerOptions options;
  options.cors_origin = "https://app.example";
  ToyServer s(options);
  Reply preflight = call(s.port, "OPTIONS", "/api/v1/echo", "",
                         {"Origin: https://app.example", "Access-Control-Request-Method: POST",
                          "Access-Control-Request-Headers: authorization, content-type"});
  CHECK(preflight.status == 204);
  CHECK(preflight.header("access-control-allow-origin") == "https://app.example");
  CHECK(preflight.header("access-control-allow-methods").find("POST") != std::string::npos);
  std::string allowed = preflight.header("access-control-allow-headers");
  for (const char* h : {"Authorization", "Content-Type", "Idempotency-Key", "If-Match"}) {
    CHECK(allowed.find(h) != std::string::npos);
  }
  Reply other = call(s.port, "OPTIONS", "/api/v1/echo", "", {"Origin: https://evil.example"});
  CHECK(other.header("access-control-allow-origin").empty());
  CHECK(call(s.port, "GET", "/api/v1/hello", "", {"Origin: https://app.example"})
            .header("access-control-allow-origin") == "https://app.example");
  CHECK(call(s.port, "GET", "/api/v1/hello", "", {"Origin: https://evil.example"})
            .header("access-control-allow-origin")
            .empty());

  ToyServer plain;
  CHECK(call(plain.port, "GET", "/api/v1/hello", "", {"Origin: https://app.example"})
            .header("access-control-allow-origin")
            .empty());
}

TEST_CASE("a graceful stop answers the request in flight, then the port is closed") {
  ToyServer s;
  Connection idle(s.port);  // kept alive and idle: closed at once by the stop
  REQUIRE(idle.send(request_text("GET", "/healthz")));
  REQUIRE(idle.read_reply().status == 200);

  Reply in_flight;
  std::thread client([&] { in_flight = call(s.port, "GET", "/api/v1/slow"); });
  std::this_thread::sleep_for(100ms);
  auto began = std::chrono::steady_clock::now();
  s.server->stop();
  client.join();
  CHECK(std::chrono::steady_clock::now() - began < 1500ms);
  CHECK(in_flight.status == 200);
  CHECK(in_flight.json() == json{{"slow", true}});
  CHECK(in_flight.header("connection") == "close");
  CHECK(idle.closed_by_peer(1s));
  CHECK_FALSE(Connection(s.port).connected());
  s.server->wait();  // already stopped: returns
  s.server->stop();  // idempotent
}

TEST_CASE("run_until_signal drains on SIGTERM and returns 0") {
  ToyServer s;
  std::thread signaller([] {
    std::this_thread::sleep_for(200ms);
    ::kill(::getpid(), SIGTERM);
  });
  CHECK(http::run_until_signal(*s.server) == 0);
  signaller.join();
  CHECK_FALSE(Connection(s.port).connected());
}

TEST_CASE("50 concurrent clients making 20 requests each are all answered") {
  ToyServer s;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([&, i] {
      Connection c(s.port);
      if (!c.connected()) return;
      for (int j = 0; j < 20; ++j) {
        bool post = (i + j) % 2 == 0;
        std::string text =
            post ? request_text("POST", "/api/v1/echo", json{{"i", i}, {"j", j}}.dump(),
                                {kJson, kGood})
                 : request_text("GET", "/api/v1/items/" + std::to_string(i * 100 + j));
        if (!c.send(text)) return;
        Reply r = c.read_reply();
        bool right = post ? r.status == 200 && r.json()["echo"]["j"] == j
                          : r.status == 200 && r.json()["id"] == std::to_string(i * 100 + j);
        if (right) ++answered;
      }
    });
  }
  for (auto& t : clients) t.join();
  CHECK(answered == 1000);
}

TEST_CASE("start refuses a bad route table and a taken port") {
  ToyAuthenticator auth;
  std::vector<http::Route> duplicated = toy_routes();
  duplicated.push_back({.method = "GET",
                        .pattern = "/api/v1/items/{other}",
                        .is_public = true,
                        .handler = [](http::Request&) { return http::no_content(); }});
  http::ServerOptions options;
  options.listen = "127.0.0.1:0";
  http::Server dup(options, duplicated, &auth);
  Status s = dup.start();
  CHECK(s.code() == "http.bad_route");

  http::Server bad_pattern(options,
                           {{.method = "GET",
                             .pattern = "no-slash",
                             .handler = [](http::Request&) { return http::no_content(); }}},
                           &auth);
  CHECK(bad_pattern.start().code() == "http.bad_route");

  options.listen = "nonsense";
  CHECK(http::Server(options, {}, &auth).start().code() == "http.bad_listen");

  ToyServer first;
  options.listen = "127.0.0.1:" + std::to_string(first.port);
  CHECK(http::Server(options, {}, &auth).start().code() == "http.listen_failed");
  CHECK(first.server->start().code() == "http.already_started");
}
