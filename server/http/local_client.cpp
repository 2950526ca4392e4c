#include "http/local_client.h"

#include <fstream>
#include <iterator>

#include "http/dispatch.h"

namespace onex::http {

struct LocalClient::Impl {
  ServerOptions options;
  detail::Dispatcher dispatcher;
  Impl(std::vector<Route> routes, Authenticator* auth)
      : dispatcher(options, std::move(routes), auth) {}
};

LocalClient::LocalClient(std::vector<Route> routes, Authenticator* authenticator)
    : impl_(std::make_unique<Impl>(std::move(routes), authenticator)) {}

LocalClient::~LocalClient() = default;

Response LocalClient::call(const std::string& method, const std::string& target,
                           const std::string& body, const std::string& bearer,
                           const std::string& content_type,
                           std::vector<std::pair<std::string, std::string>> headers) {
  Request request;
  request.method = method;
  request.target = target;
  request.client_address = "127.0.0.1";
  request.headers = std::move(headers);
  request.headers.emplace_back("Host", "localhost");
  if (!bearer.empty()) request.headers.emplace_back("Authorization", "Bearer " + bearer);
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", content_type);
    request.headers.emplace_back("Content-Length", std::to_string(body.size()));
  }
  request.body = body;
  const auto started = std::chrono::steady_clock::now();
  if (!impl_->dispatcher.table_status())
    return problem(impl_->dispatcher.table_status());
  auto prepared = impl_->dispatcher.prepare(request);
  const bool too_large = request.body.size() > prepared.body_limit;
  if (too_large) request.body.clear();
  Response response = impl_->dispatcher.respond(request, prepared, too_large, started);
  if (!response.body_file.empty()) {
    // In process there is no socket to stream to: the caller gets the bytes.
    std::ifstream in(response.body_file, std::ios::binary);
    response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    response.body_file.clear();
  }
  return response;
}

}  // namespace onex::http
