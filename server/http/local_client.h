// Requests answered through a route table in-process, without sockets: the same routing,
// authentication, limits and answers as the server gives. `onex demo` fills a store through it,
// so that the demo data is made by the REST contract clients use.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/server.h"

namespace onex::http {

class LocalClient {
 public:
  // `authenticator` may be null (only public routes then); it must outlive the client.
  LocalClient(std::vector<Route> routes, Authenticator* authenticator);
  ~LocalClient();
  LocalClient(const LocalClient&) = delete;
  LocalClient& operator=(const LocalClient&) = delete;

  // One request. `bearer` empty: none. `content_type` applies when there is a body.
  Response call(const std::string& method, const std::string& target, const std::string& body = {},
                const std::string& bearer = {}, const std::string& content_type = "application/json",
                std::vector<std::pair<std::string, std::string>> headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex::http
