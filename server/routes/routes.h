// The REST routes: one table per workflow, each line mapping HTTP onto one library call.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/server.h"
#include "onex/accounts.h"
#include "onex/event_store.h"

namespace onex::routes {

// The session behind a request's Principal (set by SessionAuthenticator).
const Session& session_of(const http::Request& request);

// Bearer tokens → sessions, through AccountService::authenticate.
class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(AccountService& accounts) : accounts_(accounts) {}
  std::optional<http::Principal> authenticate(std::string_view token,
                                              const http::Request& request) override;

 private:
  AccountService& accounts_;
};

// `Idempotency-Key` on authenticated POSTs (API.md "Conventions"): a retry by the same account
// with the same key, method, full path and body answers the first result and changes nothing;
// the same key with another path or body is 422 idempotency.key_reused. Outcomes are kept in
// the store's secrets for 24 hours and hold no secrets: `rehydrate` puts them back on a replay
// (an initial password, read again while it is still viewable).
class Idempotency {
 public:
  explicit Idempotency(EventStore& store, const Clock& clock) : store_(store), clock_(clock) {}
  using Rehydrate = std::function<void(const http::Request&, nlohmann::json& body)>;
  using Redact = std::function<void(nlohmann::json& body)>;
  http::Route wrap(http::Route route, Redact redact = {}, Rehydrate rehydrate = {});

 private:
  EventStore& store_;
  const Clock& clock_;
  std::array<std::mutex, 64> locks_;
};

std::vector<http::Route> account_routes(AccountService& accounts, Idempotency& idempotency);
// History and audit: GET /api/v1/streams/{stream_id}/events and GET /api/v1/audit/chain.
std::vector<http::Route> audit_routes(EventStore& store);

nlohmann::json to_json(const AccountView& v);

}  // namespace onex::routes
