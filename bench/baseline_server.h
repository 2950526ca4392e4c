// The baseline of `onex-bench server`: a minimal Beast HTTP/1.1 server (a listener coroutine and
// one session coroutine per connection, on a fixed pool of threads, as onex's server runs) that
// answers each request with bytes captured from onex beforehand, looked up by method and path.
// No routing table, no authentication, no store: what is left is the cost of HTTP over Beast.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace onex::bench {

// One answer as onex gave it: status, header fields in order (without Content-Length, which is
// set from the body), body.
struct CannedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class BaselineServer {
 public:
  // `answers` by "METHOD /path" (the target before '?'); anything else answers 404.
  BaselineServer(int threads, std::map<std::string, CannedResponse> answers);
  ~BaselineServer();  // stops the server
  BaselineServer(const BaselineServer&) = delete;
  BaselineServer& operator=(const BaselineServer&) = delete;

  // Listens on 127.0.0.1 on a free port and starts the threads; returns the port. Throws on
  // failure.
  unsigned short start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex::bench
