// One-time codes sent by SMS (sign-in challenges, binding or changing a phone, password resets,
// institution registration, step-up confirmation), kept hashed in the store's secrets under a
// key the caller chooses ("code/reset/<account>"), never in the log. A code lives 5 minutes and
// 5 wrong tries. Sending is limited as SPEC.md §2 says: 1 a minute and 10 a day per phone and
// purpose, 20 a day per account, 200 an hour per client address.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "onex/accounts.h"
#include "onex/clock.h"
#include "onex/event_store.h"
#include "onex/sms_gateway.h"
#include "security/rate_limit.h"

namespace onex::security {

inline Status code_invalid() {
  return Status::unprocessable("sms.code_invalid", "the code is wrong or has expired",
                               {{"code", "invalid", "request a new code"}});
}
inline Status sms_rate_limited(std::chrono::seconds wait = std::chrono::minutes(1)) {
  return Status::make(StatusKind::rate_limited, "sms.rate_limited",
                      "too many codes: wait a minute (at most 10 a day)")
      .retry_in(wait);
}

// 422 validation.failed naming `field` unless `phone` is a mainland mobile number (a code's
// destination).
Status check_mobile(std::string_view field, std::string_view phone);

// The refusals of signing in and of sensitive actions, whatever the account.
inline Status unauthenticated() {
  return Status::make(StatusKind::unauthenticated, "auth.unauthenticated",
                      "sign in: the session is unknown or has ended");
}
inline Status invalid_credentials() {
  return Status::make(StatusKind::unauthenticated, "auth.invalid_credentials",
                      "the account name or password is wrong");
}
inline Status captcha_required() {
  return Status::make(StatusKind::unauthenticated, "auth.captcha_required",
                      "answer the image captcha to sign in");
}
inline Status step_up_required() {
  return Status::forbidden("auth.step_up_required",
                           "confirm with a verification code sent to your phone");
}

class Codes {
 public:
  // `key` (32 bytes, the store's secret) keys the digests of the codes kept.
  Codes(EventStore& store, const Clock& clock, SmsGateway& sms, RateLimiter& limiter,
        std::string key)
      : store_(store), clock_(clock), sms_(sms), limiter_(limiter), key_(std::move(key)) {}

  // Sends a fresh code for `purpose` to `phone` and keeps it under `key`, with `extra` members
  // (what the code will allow: a challenge's account). sms.rate_limited past the limits.
  Result<CodeSent> send(const std::string& key, const std::string& phone,
                        const std::string& purpose, const std::string& client_address,
                        const std::string& account_id, nlohmann::json extra = nlohmann::json::object());
  // Checks a code kept under `key` (and, unless empty, sent to `phone`): sms.code_invalid when
  // it is wrong, used up or expired. A wrong one counts; a right one ends when `consume`.
  // On success, what was kept with it (`extra` of send: a challenge's account).
  Result<nlohmann::json> check(const std::string& key, const std::string& code,
                               const std::string& phone, bool consume);

 private:
  EventStore& store_;
  const Clock& clock_;
  SmsGateway& sms_;
  RateLimiter& limiter_;
  const std::string key_;
};

}  // namespace onex::security
