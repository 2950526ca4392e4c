// Asio and Beast are compiled once, in server/http/beast_impl.cpp: this target links onex_beast,
// which brings BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION (they must
// be the same in every translation unit of a program). Do not define them here.
#include "sms/webhook_gateway.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <optional>
#include <type_traits>

namespace onex {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct Url {
  bool tls = true;     // https://; http:// only to this machine
  std::string host;    // without brackets, for the resolver
  std::string port;    // digits
  std::string authority;  // as written, for the Host header
  std::string target;  // path and query, at least "/"
};

Status invalid(std::string_view why) {
  return Status::bad_request("sms.webhook_invalid_url",
                             "the SMS webhook URL is not usable: " + std::string(why));
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// Printable ASCII without spaces: nothing that could break the request line or a header.
bool clean(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

Result<Url> parse_url(std::string_view url) {
  const bool tls = starts_with_ci(url, "https://");
  if (!tls && !starts_with_ci(url, "http://")) return invalid("it must start with https://");
  std::string_view rest = url.substr(tls ? 8 : 7);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (!clean(rest)) return invalid("it contains spaces or control characters");
  const auto slash = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, slash);
  std::string target(slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash));
  if (target.front() == '?') target.insert(0, "/");
  if (authority.empty()) return invalid("no host");
  if (authority.find('@') != std::string_view::npos) return invalid("user info is not supported");

  Url u;
  u.tls = tls;
  u.authority = std::string(authority);
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return invalid("bad IPv6 address");
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("bad port");
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (u.host.empty()) return invalid("no host");
  }
  // Messages carry codes and initial passwords: in clear text only to this machine (a local
  // proxy), never over a network.
  if (!tls && u.host != "127.0.0.1" && u.host != "::1" && u.host != "localhost")
    return Status::bad_request("sms.webhook_insecure",
                               "an SMS webhook is https://; http:// only to this machine (" +
                                   u.host + " is not)");
  if (port.empty()) {
    u.port = tls ? "443" : "80";
  } else {
    if (port.size() > 5) return invalid("bad port");
    unsigned n = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return invalid("bad port");
      n = n * 10 + static_cast<unsigned>(c - '0');
    }
    if (n == 0 || n > 65535) return invalid("bad port");
    u.port = std::string(port);
  }
  u.target = std::move(target);
  return u;
}

Status delivery_failed(const Url& u, const std::string& what) {
  return Status::make(StatusKind::io_error, "sms.delivery_failed",
                      "SMS webhook at " + u.authority + ": " + what);
}

class WebhookGateway final : public SmsGateway {
 public:
  WebhookGateway(Result<Url> url, std::chrono::seconds timeout, const std::string& ca_file)
      : url_(std::move(url)), timeout_(timeout), tls_(net::ssl::context::tls_client) {
    // The provider's certificate is verified: against `ca_file`, or the system's trust store.
    tls_.set_verify_mode(net::ssl::verify_peer);
    tls_.set_options(net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    if (ca_file.empty())
      tls_.set_default_verify_paths(ec);
    else
      tls_.load_verify_file(ca_file, ec);
    if (ec && url_) url_ = Status::bad_request("sms.webhook_no_trust", "cannot read the CA file: " + ec.message());
  }

  Status send(const SmsMessage& m) override {
    if (!url_) return url_.status();
    const Url& u = *url_;
    nlohmann::ordered_json j;
    j["at"] = format_utc(m.at);
    j["phone"] = m.phone;
    j["purpose"] = m.purpose;
    j["code"] = m.code;
    j["text"] = m.text;

    http::request<http::string_body> req{http::verb::post, u.target, 11};
    req.set(http::field::host, u.authority);
    req.set(http::field::user_agent, "onex-sms-webhook");
    req.set(http::field::content_type, "application/json");
    req.set(http::field::connection, "close");
    req.body() = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    req.prepare_payload();

    // One io_context per message: the exchange runs on this thread, under one deadline.
    net::io_context ioc;
    if (!u.tls) {
      beast::tcp_stream stream(ioc);
      return exchange(ioc, stream, stream, req);
    }
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls_);
    // SNI, and the certificate must name the host.
    if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))
      return delivery_failed(u, "cannot set the TLS server name");
    stream.set_verify_callback(net::ssl::host_name_verification(u.host));
    return exchange(ioc, stream, beast::get_lowest_layer(stream), req);
  }

 private:
  // Resolve, connect, (TLS handshake,) send, receive: all under one deadline.
  template <class Stream>
  Status exchange(net::io_context& ioc, Stream& stream, beast::tcp_stream& tcp,
                  http::request<http::string_body>& req) {
    const Url& u = *url_;
    tcp::resolver resolver(ioc);
    net::steady_timer deadline(ioc);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    std::optional<Status> outcome;
    bool timed_out = false;

    auto finish = [&](Status s) {
      if (outcome) return;
      outcome = std::move(s);
      deadline.cancel();
      beast::error_code ignored;
      tcp.socket().shutdown(tcp::socket::shutdown_both, ignored);
      tcp.close();
    };
    auto fail = [&](const char* step, const beast::error_code& ec) {
      finish(delivery_failed(u, timed_out ? std::string("no answer in time")
                                          : std::string(step) + ": " + ec.message()));
    };
    auto exchange_http = [&] {
      http::async_write(stream, req, [&](const beast::error_code& ec, std::size_t) {
        if (ec) return fail("send", ec);
        http::async_read(stream, buffer, parser, [&](const beast::error_code& ec, std::size_t) {
          if (ec) return fail("receive", ec);
          const unsigned code = parser.get().result_int();
          if (code >= 200 && code < 300) return finish(Status{});
          finish(delivery_failed(u, "answered HTTP " + std::to_string(code)));
        });
      });
    };

    deadline.expires_after(timeout_);
    deadline.async_wait([&](const beast::error_code& ec) {
      if (ec || outcome) return;
      timed_out = true;
      resolver.cancel();
      tcp.close();  // every pending operation ends with operation_aborted
    });
    resolver.async_resolve(u.host, u.port, [&](const beast::error_code& ec,
                                               tcp::resolver::results_type results) {
      if (ec) return fail("resolve", ec);
      tcp.async_connect(results, [&](const beast::error_code& ec, const tcp::endpoint&) {
        if (ec) return fail("connect", ec);
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
          exchange_http();
        } else {
          stream.async_handshake(net::ssl::stream_base::client, [&](const beast::error_code& ec) {
            if (ec) return fail("TLS handshake", ec);
            exchange_http();
          });
        }
      });
    });
    ioc.run();
    return outcome ? *outcome : delivery_failed(u, "no answer in time");
  }

  Result<Url> url_;
  const std::chrono::seconds timeout_;
  net::ssl::context tls_;
};

}  // namespace

Status check_webhook_url(std::string_view url) { return parse_url(url).status(); }

std::unique_ptr<SmsGateway> make_webhook_gateway(std::string url, std::chrono::seconds timeout,
                                                 std::string ca_file) {
  return std::make_unique<WebhookGateway>(parse_url(url), timeout, ca_file);
}

}  // namespace onex
