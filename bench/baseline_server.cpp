// A minimal Beast server answering canned bytes: see baseline_server.h.
#include "baseline_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>

namespace onex::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

struct BaselineServer::Impl {
  Impl(int n, std::map<std::string, CannedResponse> a)
      : threads(std::max(1, n)), answers(std::move(a)), ioc(threads), acceptor(asio::make_strand(ioc)) {
    not_found.status = 404;
    not_found.headers = {{"Content-Type", "application/problem+json"}};
    not_found.body = R"({"code":"http.not_found","status":404,"title":"Not Found"})";
  }

  asio::awaitable<void> listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
      if (ec) break;
      asio::co_spawn(socket.get_executor(), session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      stream.expires_after(std::chrono::seconds(30));
      bhttp::request<bhttp::string_body> request;
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, request, kTuple);
      if (ec) break;
      std::string_view target = request.target();
      std::string key(request.method_string());
      key += ' ';
      key += target.substr(0, target.find('?'));
      auto it = answers.find(key);
      const CannedResponse& canned = it == answers.end() ? not_found : it->second;
      bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(canned.status),
                                                    request.version()};
      for (const auto& [name, value] : canned.headers) response.insert(name, value);
      response.keep_alive(request.keep_alive());
      response.body() = canned.body;
      response.prepare_payload();
      auto [write_ec, written] = co_await bhttp::async_write(stream, response, kTuple);
      if (write_ec || !response.keep_alive()) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  const int threads;
  const std::map<std::string, CannedResponse> answers;
  CannedResponse not_found;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> pool;
};

BaselineServer::BaselineServer(int threads, std::map<std::string, CannedResponse> answers)
    : impl_(std::make_unique<Impl>(threads, std::move(answers))) {}

BaselineServer::~BaselineServer() { stop(); }

unsigned short BaselineServer::start() {
  auto& I = *impl_;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  I.acceptor.open(endpoint.protocol());
  I.acceptor.set_option(asio::socket_base::reuse_address(true));
  I.acceptor.bind(endpoint);
  I.acceptor.listen(asio::socket_base::max_listen_connections);
  const unsigned short port = I.acceptor.local_endpoint().port();
  asio::co_spawn(I.acceptor.get_executor(), I.listen(), asio::detached);
  for (int i = 0; i < I.threads; ++i) I.pool.emplace_back([&I] { I.ioc.run(); });
  return port;
}

void BaselineServer::stop() {
  auto& I = *impl_;
  if (I.pool.empty()) return;
  I.ioc.stop();
  for (auto& t : I.pool) t.join();
  I.pool.clear();
}

}  // namespace onex::bench
