// AccountService::Impl: SMS and step-up codes, sessions and device trust in the store's
// secrets, and the answers unknown account names get.
#include "account/service_impl.h"

namespace onex {

// ---- codes ----
Result<CodeSent> AccountService::Impl::send_code(const std::string& key, const std::string& phone,
                           const std::string& purpose, const std::string& client_address,
                           const std::string& account_id) {
  const auto now = clock.now();
  if (!limiter.allow("sms:" + purpose + ":" + phone, {{1, minutes(1)}, {10, std::chrono::hours(24)}}) ||
      (!account_id.empty() && !limiter.allow("sms-account:" + account_id, {{20, std::chrono::hours(24)}})) ||
      (!client_address.empty() &&
       !limiter.allow("sms-client:" + client_address, {{200, std::chrono::hours(1)}})))
    return rate_limited();
  const std::string code = security::random_digits(6);
  const auto expires = now + kCodeLife;
  if (auto s = put(key, {{"code_hash", security::digest(code)},
                         {"phone", phone},
                         {"tries", 0},
                         {"expires_at", ms(expires)}});
      !s)
    return s;
  if (auto s = sms.send(SmsMessage{now, phone, purpose, code,
                                   "【onex】验证码 " + code + "，5 分钟内有效。请勿告诉他人。"});
      !s)
    return s;
  return CodeSent{phone_tail(phone), expires};
}

// Checks a code kept under `key`; a wrong one counts, five wrong ones end it.
Status AccountService::Impl::check_code(const std::string& key, const std::string& code, const std::string& phone,
                  bool consume) {
  auto stored = secret(key);
  if (!stored) return stored.status();
  if (!*stored) return code_invalid();
  json& c = **stored;
  const bool expired = clock.now() >= from_ms(c.value("expires_at", std::int64_t{0}));
  if (expired || c.value("tries", 0) >= kCodeTries) {
    (void)store.erase_secret(key);
    return code_invalid();
  }
  if (!security::equal(c.value("code_hash", ""), security::digest(code)) ||
      (!phone.empty() && c.value("phone", "") != phone)) {
    c["tries"] = c.value("tries", 0) + 1;
    (void)put(key, c);
    return code_invalid();
  }
  if (consume) return store.erase_secret(key);
  return {};
}

// A step-up code serves the session that asked for it for its 5 minutes.
Status AccountService::Impl::check_step_up(const Session& session, const std::string& code) {
  if (code.empty()) return step_up_required();
  auto s = check_code("code/step_up/" + session.id, code, "", false);
  if (s.code() == "sms.code_invalid") return step_up_required();
  return s;
}

// ---- sessions ----
Result<SessionGranted> AccountService::Impl::grant(const Machine& m, std::uint64_t version, bool trust_device) {
  const auto now = clock.now();
  const std::string token = security::random_token();
  const std::string sid = security::digest(token);
  const auto& s = m.data();
  if (auto st = put("session/" + sid, {{"account_id", s.id},
                                        {"epoch", s.session_epoch},
                                        {"setup", s.setup_required},
                                        {"created_at", ms(now)},
                                        {"last_seen", ms(now)}});
      !st)
    return st;
  SessionGranted g{token, now + options.session_absolute, s.setup_required, view(m, version), {}};
  if (trust_device) {
    g.device_token = security::random_token();
    if (auto st = put("device/" + security::digest(g.device_token),
                      {{"account_id", s.id}, {"until", ms(now + options.device_trust)}});
        !st)
      return st;
  }
  return g;
}

bool AccountService::Impl::trusted(const std::string& device_token, const std::string& account_id) {
  if (device_token.empty() || device_token.size() > 100) return false;
  auto d = secret("device/" + security::digest(device_token));
  return d && *d && (**d).value("account_id", "") == account_id &&
         clock.now() < from_ms((**d).value("until", std::int64_t{0}));
}

// ---- unknown names ----
AccountService::Impl::Phantom& AccountService::Impl::phantom(const std::string& name) {
  auto it = phantoms.find(name);
  if (it != phantoms.end()) return it->second;
  if (phantoms.size() >= kPhantoms) {
    phantoms.erase(phantom_order.front());
    phantom_order.pop_front();
  }
  phantom_order.push_back(name);
  return phantoms[name];
}

Result<LoginResult> AccountService::Impl::login_unknown(const LoginInput& in) {
  ++unknown_attempts;
  if (options.log)
    options.log("sign-in attempt on an unknown account name from " +
                (in.client_address.empty() ? std::string("an embedding caller") : in.client_address));
  const auto now = clock.now();
  std::unique_lock lock(mutex);
  Phantom& p = phantom(in.account);
  if (p.disabled) return disabled();
  if (p.locked_until > now) return locked(p.locked_until);
  if (options.captcha && p.failures >= kCaptchaAfter) {
    lock.unlock();
    if (in.captcha_id.empty() || !captcha.check(in.captcha_id, in.captcha_answer))
      return captcha_required();
    lock.lock();
  }
  lock.unlock();
  security::dummy_password_check(in.password);
  lock.lock();
  Phantom& q = phantom(in.account);
  ++q.failures;
  if (q.failures >= kDisableAfter)
    q.disabled = true;
  else if (q.failures == kLockAfter)
    q.locked_until = now + kLockFor;
  return invalid_credentials();
}

}  // namespace onex
