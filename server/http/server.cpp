// The Beast side of the server: a listener coroutine, one session coroutine per connection, and
// the thread pool that runs them. What to answer is decided in dispatch.cpp; this file only
// reads requests, enforces the byte-level limits and timeouts, and writes answers.
#include "http/server.h"

#include <fmt/format.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <unistd.h>

#include <charconv>
#include <cerrno>
#include <cstdlib>
#include <utility>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "http/dispatch.h"
#include "http/problem.h"

namespace onex::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

// A request body that keeps at most `limit` bytes and drops the rest, noting that it did: the
// parser still reads a too-large body to its end, so the client can read the 413 that follows.
// Past `spool_above` bytes (when set) the body goes to a temp file in `spool_dir` instead of
// memory; the file is removed with the body.
struct CappedBody {
  struct value_type {
    std::string data;
    std::size_t limit = detail::kDefaultBodyLimit;
    bool overflow = false;
    std::size_t spool_above = 0;
    std::string spool_dir;
    int fd = -1;
    std::string path;          // the temp file, while there is one
    std::uint64_t spooled = 0;  // bytes in it
    bool spool_failed = false;

    value_type() = default;
    value_type(const value_type&) = delete;
    value_type& operator=(const value_type&) = delete;
    value_type(value_type&& o) noexcept { take(o); }
    value_type& operator=(value_type&& o) noexcept {
      if (this != &o) {
        discard();
        take(o);
      }
      return *this;
    }
    ~value_type() { discard(); }

    std::uint64_t size() const { return data.size() + spooled; }
    // Closes and removes the temp file, if any.
    void discard() {
      if (fd >= 0) ::close(fd);
      fd = -1;
      if (!path.empty()) ::unlink(path.c_str());
      path.clear();
      spooled = 0;
    }
    // Moves what is in memory to a new temp file; false when that fails.
    bool start_spool() {
      std::string name = (spool_dir.empty() ? std::string("/tmp") : spool_dir) + "/body-XXXXXX";
      fd = ::mkstemp(name.data());
      if (fd < 0) return false;
      path = name;
      if (!write_out(data.data(), data.size())) return false;
      std::string().swap(data);
      return true;
    }
    bool write_out(const char* bytes, std::size_t n) {
      while (n > 0) {
        const ssize_t w = ::write(fd, bytes, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        bytes += w;
        n -= static_cast<std::size_t>(w);
        spooled += static_cast<std::uint64_t>(w);
      }
      return true;
    }

   private:
    void take(value_type& o) {
      data = std::move(o.data);
      limit = o.limit;
      overflow = o.overflow;
      spool_above = o.spool_above;
      spool_dir = std::move(o.spool_dir);
      fd = std::exchange(o.fd, -1);
      path = std::exchange(o.path, std::string());
      spooled = std::exchange(o.spooled, 0);
      spool_failed = o.spool_failed;
    }
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(bhttp::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& content_length, beast::error_code& ec) {
      ec = {};
      if (content_length && *content_length <= body_.limit &&
          (body_.spool_above == 0 || *content_length <= body_.spool_above))
        body_.data.reserve(*content_length);
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      ec = {};
      std::size_t total = 0;
      for (auto buffer : beast::buffers_range_ref(buffers)) {
        total += buffer.size();
        if (body_.overflow || body_.spool_failed) continue;
        if (body_.size() + buffer.size() > body_.limit) {
          body_.overflow = true;
          body_.discard();
          std::string().swap(body_.data);
          continue;
        }
        if (body_.fd < 0 && body_.spool_above != 0 &&
            body_.data.size() + buffer.size() > body_.spool_above && !body_.start_spool()) {
          body_.spool_failed = true;
          body_.discard();
          std::string().swap(body_.data);
          continue;
        }
        if (body_.fd >= 0) {
          if (!body_.write_out(static_cast<const char*>(buffer.data()), buffer.size())) {
            body_.spool_failed = true;
            body_.discard();
          }
        } else {
          body_.data.append(static_cast<const char*>(buffer.data()), buffer.size());
        }
      }
      return total;
    }

    void finish(beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

// What stop() may touch of a session, on the session's strand only.
struct SessionState {
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;  // null once the session has ended
  bool idle = false;                    // waiting for a next request (or lingering): may be cut
};

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_disconnect(const beast::error_code& ec) {
  return ec == beast::error::timeout || ec == asio::error::eof ||
         ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::bad_descriptor;
}

Result<tcp::endpoint> parse_listen(const std::string& listen, asio::io_context& ioc) {
  auto bad = [&] {
    return Status::bad_request("http.bad_listen",
                               "listen address must be host:port or [v6]:port: " + listen);
  };
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad();
  std::string host = listen.substr(0, colon);
  std::string_view port_text = std::string_view(listen).substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    return bad();
  }
  beast::error_code address_ec;
  auto address = asio::ip::make_address(host, address_ec);
  if (!address_ec) return tcp::endpoint(address, static_cast<unsigned short>(port));
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::string(port_text), address_ec);
  if (address_ec || results.empty()) return bad();
  return results.begin()->endpoint();
}

std::string client_address(const tcp::socket& socket) {
  beast::error_code ec;
  auto address = socket.remote_endpoint(ec).address();
  if (ec) return {};
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions opts, std::vector<Route> routes, Authenticator* auth)
      : options(std::move(opts)),
        dispatcher(options, std::move(routes), auth),
        ioc(std::max(1, options.threads)),
        acceptor(asio::make_strand(ioc)) {}
  ~Impl() { stop(); }

  Status start();
  void stop();
  void wait();

  awaitable<void> listen();
  awaitable<void> session(tcp::socket socket, std::shared_ptr<SessionState> state);
  awaitable<bool> write(beast::tcp_stream& stream, Response response, bool head, bool keep_alive,
                        unsigned version);
  awaitable<void> linger_close(beast::tcp_stream& stream, SessionState& state);
  void run_thread();
  void report(std::exception_ptr e, std::string_view what);

  // Declaration order is destruction order in reverse: sessions abandoned at stop are destroyed
  // with the io_context and still reach the members above it.
  const ServerOptions options;
  detail::Dispatcher dispatcher;
  std::mutex stop_mutex;  // one start or stop at a time
  std::mutex mutex;       // the members below, up to the io_context
  std::condition_variable changed;
  std::set<std::shared_ptr<SessionState>> sessions;
  bool listening = false;
  enum class Phase { idle, running, stopped } phase = Phase::idle;
  std::atomic<bool> stopping{false};
  unsigned short bound_port = 0;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
};

Status Server::Impl::start() {
  std::lock_guard serial(stop_mutex);
  if (phase != Phase::idle) {
    return Status::conflict("http.already_started", "a server starts only once");
  }
  if (!dispatcher.table_status()) return dispatcher.table_status();
  auto endpoint = parse_listen(options.listen, ioc);
  if (!endpoint) return endpoint.status();
  beast::error_code ec;
  acceptor.open(endpoint->protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(*endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) bound_port = acceptor.local_endpoint(ec).port();
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return Status::make(StatusKind::io_error, "http.listen_failed",
                        fmt::format("cannot listen on {}: {}", options.listen, ec.message()));
  }
  work.emplace(ioc.get_executor());
  {
    std::lock_guard lock(mutex);
    listening = true;
    phase = Phase::running;
  }
  asio::co_spawn(acceptor.get_executor(), listen(),
                 [this](std::exception_ptr e) { report(e, "listener"); });
  for (int i = 0; i < std::max(1, options.threads); ++i)
    threads.emplace_back([this] { run_thread(); });
  return Status::ok();
}

void Server::Impl::run_thread() {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (...) {
      report(std::current_exception(), "io thread");
    }
  }
}

void Server::Impl::report(std::exception_ptr e, std::string_view what) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    dispatcher.log(fmt::format("{} failed: {}", what, x.what()));
  } catch (...) {
    dispatcher.log(fmt::format("{} failed", what));
  }
}

void Server::Impl::stop() {
  std::lock_guard serial(stop_mutex);
  {
    std::lock_guard lock(mutex);
    if (phase != Phase::running) return;
  }
  stopping = true;
  asio::post(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
  });
  std::unique_lock lock(mutex);
  for (const auto& state : sessions) {
    asio::post(state->executor, [state] {
      if (state->stream && state->idle) state->stream->cancel();
    });
  }
  work.reset();
  bool drained =
      changed.wait_for(lock, options.drain_timeout, [&] { return sessions.empty() && !listening; });
  std::size_t abandoned = sessions.size();
  lock.unlock();
  if (!drained) {
    dispatcher.log(fmt::format("drain timed out; abandoning {} connections", abandoned));
    ioc.stop();
  }
  for (std::thread& t : threads) t.join();
  threads.clear();
  lock.lock();
  phase = Phase::stopped;
  changed.notify_all();
}

void Server::Impl::wait() {
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return phase != Phase::running; });
}

awaitable<void> Server::Impl::listen() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      // Out of descriptors and the like: let closing sessions free some, then go on.
      dispatcher.log(fmt::format("accept failed: {}", ec.message()));
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    auto state = std::make_shared<SessionState>();
    state->executor = socket.get_executor();
    {
      std::lock_guard lock(mutex);
      sessions.insert(state);
    }
    asio::co_spawn(state->executor, session(tcp::socket(std::move(socket)), state),
                   [this](std::exception_ptr e) { report(e, "session"); });
  }
  std::lock_guard lock(mutex);
  listening = false;
  changed.notify_all();
}

awaitable<void> Server::Impl::session(tcp::socket socket, std::shared_ptr<SessionState> state) {
  beast::tcp_stream stream(std::move(socket));
  state->stream = &stream;
  struct Unregister {
    Impl* impl;
    std::shared_ptr<SessionState> state;
    ~Unregister() {
      state->stream = nullptr;
      std::lock_guard lock(impl->mutex);
      impl->sessions.erase(state);
      impl->changed.notify_all();
    }
  } unregister{this, state};

  const std::string client = client_address(stream.socket());
  beast::flat_buffer buffer;
  for (;;) {
    if (buffer.size() == 0) {
      // Between requests: wait up to the idle timeout for the next one to begin.
      if (stopping) break;
      state->idle = true;
      stream.expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
      state->idle = false;
      if (ec) break;
      buffer.commit(n);
    }

    // From its first byte, the whole request must arrive within the read timeout.
    stream.expires_after(options.read_timeout);
    bhttp::request_parser<CappedBody> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    // No limit while the header is read: the route it names decides (below).
    parser.body_limit(boost::none);
    Request request;
    request.client_address = client;
    // Beast 1.81 applies header_limit to what is unparsed after each read only (it consumes
    // whole fields as they come), so the total is counted here.
    beast::error_code header_ec;
    std::size_t header_bytes = 0;
    while (!header_ec && !parser.is_header_done()) {
      auto [ec, n] = co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
      header_ec = ec;
      header_bytes += n;
      std::size_t pending = parser.is_header_done() ? 0 : buffer.size();
      if (!header_ec && header_bytes + pending > options.header_limit) {
        header_ec = bhttp::error::header_limit;
      }
    }
    auto started = std::chrono::steady_clock::now();
    if (header_ec) {
      if (is_disconnect(header_ec)) break;
      Response refusal =
          header_ec == bhttp::error::header_limit
              ? dispatcher.refuse(
                    request, 431, "http.header_too_large",
                    fmt::format("request headers are limited to {} bytes", options.header_limit),
                    started)
          : header_ec == bhttp::error::body_limit
              ? dispatcher.refuse(request, 413, "http.body_too_large",
                                  "the body is larger than any route takes", started)
              : dispatcher.refuse(request, 400, "http.bad_request",
                                  "the request is not well-formed HTTP/1.1", started);
      co_await write(stream, std::move(refusal), false, false, 11);
      co_await linger_close(stream, *state);
      break;
    }

    auto& message = parser.get();
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    detail::Prepared prepared = dispatcher.prepare(request);
    message.body().limit = prepared.body_limit;
    if (prepared.match.route) {
      message.body().spool_above = prepared.match.route->route.spool_above;
      message.body().spool_dir = prepared.match.route->route.spool_dir;
    }
    const std::size_t read_cap = detail::read_cap(prepared.body_limit);
    parser.body_limit(std::uint64_t{read_cap});
    if (auto length = parser.content_length(); length && *length > read_cap) {
      // Too large even to read and drop: answer at once and close.
      message.body().overflow = true;
      Response response = dispatcher.respond(request, prepared, true, started);
      co_await write(stream, std::move(response), false, false, message.version());
      co_await linger_close(stream, *state);
      break;
    }

    if (iequals(message[bhttp::field::expect], "100-continue")) {
      auto length = parser.content_length();
      if (length && *length > prepared.body_limit) {
        // The client waits for our word before sending the body: refuse it unsent.
        message.body().overflow = true;
        Response response = dispatcher.respond(request, prepared, true, started);
        co_await write(stream, std::move(response), false, false, message.version());
        co_await linger_close(stream, *state);
        break;
      }
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, message.version()};
      auto [continue_ec, n] = co_await bhttp::async_write(stream, go_on, kTuple);
      if (continue_ec) break;
    }

    if (!parser.is_done()) {
      auto [body_ec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      if (body_ec == bhttp::error::body_limit) {
        // Past the drain limit: answer, but the rest of the body is not worth reading.
        message.body().overflow = true;
        Response response = dispatcher.respond(request, prepared, true, started);
        co_await write(stream, std::move(response), false, false, message.version());
        co_await linger_close(stream, *state);
        break;
      }
      if (body_ec) {
        if (is_disconnect(body_ec)) break;
        Response refusal = dispatcher.refuse(request, 400, "http.bad_request",
                                             "the request body is not well-formed", started);
        co_await write(stream, std::move(refusal), false, false, message.version());
        co_await linger_close(stream, *state);
        break;
      }
    }

    bool too_large = message.body().overflow;
    if (message.body().spool_failed) {
      dispatcher.log(fmt::format("{} {}: cannot spool the body to {}", request.method,
                                 request.path, message.body().spool_dir));
      Response refusal = dispatcher.refuse(request, 500, "internal.error",
                                           "the server failed to answer this request", started);
      co_await write(stream, std::move(refusal), false, false, message.version());
      co_await linger_close(stream, *state);
      break;
    }
    request.body = std::move(message.body().data);
    if (message.body().fd >= 0) {
      request.body_file = message.body().path;
      request.body_file_size = message.body().spooled;
    }
    // Runs the handler here, on this pool thread; it may block.
    Response response = dispatcher.respond(request, prepared, too_large, started);
    message.body().discard();  // a spooled body's file is gone before the client hears back
    bool keep_alive = message.keep_alive() && !too_large && !stopping;
    bool written = co_await write(stream, std::move(response), request.method == "HEAD", keep_alive,
                                  message.version());
    if (!written) break;
    if (!keep_alive) {
      co_await linger_close(stream, *state);
      break;
    }
  }
}

awaitable<bool> Server::Impl::write(beast::tcp_stream& stream, Response response, bool head,
                                    bool keep_alive, unsigned version) {
  bool bodiless = response.status == 204 || response.status == 304;
  std::optional<std::uint64_t> file_size;
  if (!response.body_file.empty() && !bodiless) {
    bhttp::file_body::value_type file;
    beast::error_code open_ec;
    file.open(response.body_file.c_str(), beast::file_mode::scan, open_ec);
    if (open_ec) {
      dispatcher.log(fmt::format("cannot open {}: {}", response.body_file, open_ec.message()));
      response = detail::problem_response(500, "internal.error",
                                          "the server failed to answer this request");
      response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    } else if (head) {
      file_size = file.size();
    } else {
      bhttp::response<bhttp::file_body> res{static_cast<bhttp::status>(response.status), version};
      if (!response.content_type.empty()) res.set(bhttp::field::content_type, response.content_type);
      for (auto& [name, value] : response.headers) res.insert(name, value);
      res.keep_alive(keep_alive);
      const std::uint64_t size = file.size();
      res.body() = std::move(file);
      res.prepare_payload();
      // At least a mebibyte a second, on top of the usual time.
      stream.expires_after(options.read_timeout + std::chrono::seconds(size >> 20));
      auto [ec, n] = co_await bhttp::async_write(stream, res, kTuple);
      co_return !ec;
    }
  }
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), version};
  if (!response.content_type.empty() && !bodiless) {
    res.set(bhttp::field::content_type, response.content_type);
  }
  for (auto& [name, value] : response.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  std::size_t size = response.body.size();
  if (!head && !bodiless) res.body() = std::move(response.body);
  res.prepare_payload();
  if (head && !bodiless) res.content_length(file_size ? *file_size : size);
  stream.expires_after(options.read_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, res, kTuple);
  co_return !ec;
}

awaitable<void> Server::Impl::linger_close(beast::tcp_stream& stream, SessionState& state) {
  // Half-close, then read what the client still sends until it closes too (briefly, and at most
  // a little), so that unread bytes do not turn our close into a reset that eats the answer.
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  state.idle = true;
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 8192> scratch;
  std::size_t drained = 0;
  while (drained < (std::size_t{1} << 20)) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
    if (ec) break;
    drained += n;
  }
  stream.socket().close(ignored);
}

Server::Server(ServerOptions options, std::vector<Route> routes, Authenticator* authenticator)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(routes), authenticator)) {}

Server::~Server() = default;

Status Server::start() { return impl_->start(); }

unsigned short Server::port() const { return impl_->bound_port; }

void Server::stop() { impl_->stop(); }

void Server::wait() { impl_->wait(); }

std::string Server::openapi_json() const { return impl_->dispatcher.openapi_json(); }

int run_until_signal(Server& server) {
  asio::io_context signal_context;
  asio::signal_set signals(signal_context, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code& ec, int) {
    if (!ec) server.stop();
  });
  // Stopped some other way: stop listening for signals.
  std::thread watcher([&] {
    server.wait();
    asio::post(signal_context, [&] { signals.cancel(); });
  });
  signal_context.run();
  watcher.join();
  return 0;
}

}  // namespace onex::http
