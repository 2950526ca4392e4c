// A tiny blocking HTTP/1.1 client on raw sockets, for tests that talk to a Server started
// in-process on loopback: it can send well-formed requests as well as malformed, huge or slow
// ones, and reads answers byte for byte.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace onex::testing {

struct Reply {
  bool ok = false;  // a whole response was read
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  // The problem+json `code`, "" when there is none.
  std::string code() const {
    auto j = json();
    return j.is_object() && j.contains("code") && j["code"].is_string() ? j["code"].get<std::string>()
                                                                          : "";
  }
  // The `field` of each entry of a problem's `errors`.
  std::vector<std::string> error_fields() const {
    std::vector<std::string> out;
    auto j = json();
    if (j.is_object() && j.contains("errors") && j["errors"].is_array())
      for (const auto& e : j["errors"])
        if (e.is_object() && e.contains("field")) out.push_back(e["field"].get<std::string>());
    return out;
  }
};

inline std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Connection {
 public:
  explicit Connection(unsigned short port,
                      std::chrono::milliseconds receive_timeout = std::chrono::milliseconds(10000)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{static_cast<time_t>(receive_timeout.count() / 1000),
               static_cast<suseconds_t>((receive_timeout.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response (skipping 1xx ones); `ok` is false when it did not arrive whole.
  Reply read_reply() {
    for (;;) {
      Reply reply;
      std::size_t end;
      while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!fill()) return reply;
      }
      std::string head = buffer_.substr(0, end);
      buffer_.erase(0, end + 4);
      std::size_t line_end = head.find("\r\n");
      std::string status_line = head.substr(0, line_end);
      if (status_line.size() < 12) return reply;
      reply.status = std::stoi(status_line.substr(9, 3));
      std::size_t pos = line_end;
      while (pos != std::string::npos && pos < head.size()) {
        std::size_t next = head.find("\r\n", pos + 2);
        std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos
                                                                          : next - pos - 2);
        std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.erase(0, 1);
          reply.headers[lower_ascii(line.substr(0, colon))] = value;
        }
        pos = next;
      }
      if (reply.status >= 100 && reply.status < 200) continue;
      std::size_t length =
          reply.headers.count("content-length") ? std::stoul(reply.headers["content-length"]) : 0;
      while (buffer_.size() < length) {
        if (!fill()) return reply;
      }
      reply.body = buffer_.substr(0, length);
      buffer_.erase(0, length);
      reply.ok = true;
      return reply;
    }
  }

  // True when the peer closes (or resets) the connection within `within`.
  bool closed_by_peer(std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      char c;
      ssize_t n = ::recv(fd_, &c, 1, 0);
      if (n == 0) return true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return true;
    }
    return false;
  }

 private:
  bool fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

// The bytes of one request; Content-Length is added for a body and for POST and PUT.
inline std::string request_text(const std::string& method, const std::string& target,
                                const std::string& body = "",
                                const std::vector<std::string>& headers = {}) {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n";
  for (const std::string& h : headers) text += h + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return text + "\r\n" + body;
}

// One request on a connection of its own.
inline Reply call(unsigned short port, const std::string& method, const std::string& target,
                  const std::string& body = "", const std::vector<std::string>& headers = {}) {
  Connection c(port);
  if (!c.connected() || !c.send(request_text(method, target, body, headers))) return {};
  return c.read_reply();
}

}  // namespace onex::testing
