// Sessions and trusted devices in the store's secrets (SPEC.md §2): a bearer token is never
// stored, only its digest, which is the session's id. A session ends after 30 idle minutes or
// 12 hours in all; a trusted device skips the SMS step of signing in for 7 days. Names no
// workflow: a session is of an account id, with the account's session epoch (a later epoch
// ends every earlier session) and whether its setup is pending.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "onex/clock.h"
#include "onex/event_store.h"

namespace onex::security {

struct SessionRecord {
  std::string account_id;
  int epoch = -1;
  bool setup = false;
  Timestamp created_at{}, last_seen{};
};

struct SessionLimits {
  std::chrono::minutes idle{30};
  std::chrono::hours absolute{12};
  std::chrono::hours device_trust{24 * 7};
};

class Sessions {
 public:
  Sessions(EventStore& store, const Clock& clock, SessionLimits limits)
      : store_(store), clock_(clock), limits_(limits) {}

  struct Opened {
    std::string token;
    Timestamp expires_at{};
    std::string device_token;  // when the device was trusted just now
  };
  Result<Opened> open(const std::string& account_id, int epoch, bool setup, bool trust_device);

  // The live session a bearer token names: its id and record. nullopt for an unknown, malformed
  // or expired one (an expired one is ended).
  Result<std::optional<std::pair<std::string, SessionRecord>>> find(std::string_view token);
  // The same by the session's id (the token's digest).
  Result<std::optional<std::pair<std::string, SessionRecord>>> find_id(const std::string& id);
  // Notes a request of the session: kept in memory, written to the store at most once a minute.
  void touch(const std::string& id, const SessionRecord& record);
  Status end(const std::string& id);

  // Whether a device token trusts the device for the account, now and in its session epoch
  // `epoch` (trust given before a reset of the password or the binding has ended).
  bool trusted(std::string_view device_token, const std::string& account_id, int epoch);

 private:
  std::optional<SessionRecord> record(const std::string& id, const std::string& raw);

  EventStore& store_;
  const Clock& clock_;
  SessionLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Timestamp> last_seen_;  // session id → last request
  // Records as last parsed, with the stored text they came from: each request still reads its
  // session's record (an ended session ends at once) but parses it only when it changed.
  static constexpr std::size_t kParsed = 10'000;
  std::unordered_map<std::string, std::pair<std::string, SessionRecord>> parsed_;
};

}  // namespace onex::security
