// AccountService: accounts through the engine; sessions, codes, device trust and initial
// passwords in the store's secrets (hashed or sealed, never in the log). Sign-in, sessions and
// one's own account here; managed accounts in users.cpp.
#include "account/service_impl.h"

namespace onex {

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.empty() ? "" : "****");
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

AccountService::AccountService(EventStore& store, const Clock& clock, SmsGateway& sms,
                               AccountOptions options)
    : impl_(std::make_unique<Impl>(store, clock, sms, std::move(options))) {}
AccountService::~AccountService() = default;

Result<CreatedAccount> AccountService::create_operator(const std::string& name) {
  if (!valid_account_name(name))
    return Status::unprocessable("validation.failed", "not an account name",
                                 {{"operator", "invalid", "3 to 32 letters, digits and _ . @ -"}});
  const std::string id = util::random_id();
  const std::string password = security::random_password();
  NewAccount in{name, "platform operator", "operator", "", "", "", "", {}};
  auto outcome = impl_->run(id, Actor{"", "system"}, [&](const Machine& m, Timestamp) {
    return decide_create(m, id, in, security::hash_password(password), "");
  });
  if (!outcome) return outcome.status();
  auto v = impl_->current(id);
  if (!v) return v.status();
  return CreatedAccount{*v, password};
}

Captcha AccountService::issue_captcha() {
  auto issued = impl_->captcha.issue();
  return Captcha{issued.captcha_id, issued.png};
}

std::uint64_t AccountService::unknown_name_attempts() const { return impl_->unknown_attempts.load(); }

std::string AccountService::captcha_answer_for_testing(const std::string& id) const {
  return impl_->captcha.answer_for_testing(id);
}

Result<LoginResult> AccountService::login(const LoginInput& in) {
  auto& I = *impl_;
  if (!in.client_address.empty() &&
      !I.limiter.allow("login-client:" + in.client_address, {{300, minutes(1)}}))
    return Status::make(StatusKind::rate_limited, "auth.rate_limited",
                        "too many sign-in attempts from this address; wait a minute");
  auto id = I.id_of_name(in.account);
  if (!id) return id.status();
  if (!*id) return I.login_unknown(in);
  auto loaded = I.load(**id);
  if (!loaded) return loaded.status();
  if (loaded->machine.phase() == Phase::deleted) return I.login_unknown(in);

  // An expired lock ends by its own event, decided before the login it allows.
  if (loaded->machine.phase() == Phase::locked) {
    const auto now = I.clock.now();
    if (now < loaded->machine.data().locked_until) return locked(loaded->machine.data().locked_until);
    auto unlocked = I.run(**id, Actor{**id, loaded->machine.data().role},
                          [](const Machine& m, Timestamp t) { return decide_unlock(m, t); });
    if (!unlocked) return unlocked.status();
    loaded = I.load(**id);
    if (!loaded) return loaded.status();
  }
  const auto& s = loaded->machine.data();
  const Actor self{s.id, s.role};
  if (loaded->machine.phase() == Phase::disabled) return disabled();
  if (loaded->machine.phase() == Phase::locked) return locked(s.locked_until);
  if (I.options.captcha && s.consecutive_failures >= kCaptchaAfter &&
      (in.captcha_id.empty() || !I.captcha.check(in.captcha_id, in.captcha_answer)))
    return captcha_required();

  if (!security::verify_password(s.password_hash, in.password)) {
    auto failed = I.run(s.id, self, [](const Machine& m, Timestamp t) { return decide_failure(m, t); });
    if (!failed) return failed.status();
    return invalid_credentials();
  }
  if (s.phone.empty() || I.trusted(in.device_token, s.id)) {
    const std::string factor = s.phone.empty() ? "none" : "trusted_device";
    auto ok = I.run(s.id, self, [&](const Machine& m, Timestamp) { return decide_login(m, factor); });
    if (!ok) return ok.status();
    auto after = I.load(s.id);
    if (!after) return after.status();
    auto granted = I.grant(after->machine, after->version, false);
    if (!granted) return granted.status();
    return LoginResult{std::move(*granted), std::nullopt};
  }
  const std::string challenge_id = util::random_id();
  auto sent = I.send_code("challenge/" + challenge_id, s.phone, "login", in.client_address, s.id);
  if (!sent) return sent.status();
  auto stored = I.secret("challenge/" + challenge_id);
  if (stored && *stored) {
    (**stored)["account_id"] = s.id;
    if (auto st = I.put("challenge/" + challenge_id, **stored); !st) return st;
  }
  return LoginResult{std::nullopt, SmsChallenge{challenge_id, sent->phone_tail}};
}

Result<SessionGranted> AccountService::answer_challenge(const std::string& challenge_id,
                                                        const std::string& code,
                                                        bool trust_device) {
  auto& I = *impl_;
  if (challenge_id.size() != 32) return code_invalid();
  const std::string key = "challenge/" + challenge_id;
  auto stored = I.secret(key);
  if (!stored) return stored.status();
  if (!*stored) return code_invalid();
  const std::string account_id = (**stored).value("account_id", "");
  if (auto s = I.check_code(key, code, "", true); !s) return s;
  auto loaded = I.load(account_id);
  if (!loaded) return loaded.status();
  if (loaded->machine.phase() == Phase::disabled) return disabled();
  if (loaded->machine.phase() != Phase::active) return invalid_credentials();
  const auto& s = loaded->machine.data();
  auto ok = I.run(s.id, Actor{s.id, s.role},
                  [](const Machine& m, Timestamp) { return decide_login(m, "sms"); });
  if (!ok) return ok.status();
  auto after = I.load(s.id);
  if (!after) return after.status();
  return I.grant(after->machine, after->version, trust_device);
}

Result<Session> AccountService::authenticate(std::string_view token) {
  auto& I = *impl_;
  if (token.empty() || token.size() > 100) return unauthenticated();
  const std::string sid = security::digest(token);
  auto stored = I.session_record(sid);
  if (!stored) return stored.status();
  if (!*stored) return unauthenticated();
  const Impl::SessionRecord& record = **stored;
  const auto now = I.clock.now();
  Timestamp seen = record.last_seen;
  {
    std::lock_guard lock(I.mutex);
    if (auto it = I.last_seen.find(sid); it != I.last_seen.end()) seen = std::max(seen, it->second);
  }
  if (now >= record.created_at + I.options.session_absolute || now >= seen + I.options.session_idle) {
    (void)I.store.erase_secret("session/" + sid);
    return unauthenticated();
  }
  auto loaded = I.shared_load(record.account_id);
  if (!loaded) return unauthenticated();
  const auto& s = (*loaded)->machine.data();
  const auto phase = (*loaded)->machine.phase();
  if (record.epoch != s.session_epoch || phase == Phase::disabled || phase == Phase::deleted) {
    (void)I.store.erase_secret("session/" + sid);
    return unauthenticated();
  }
  // The last-seen time reaches the store at most once a minute: queries write nothing else.
  bool flush = false;
  {
    std::lock_guard lock(I.mutex);
    auto& last = I.last_seen[sid];
    last = now;
    flush = now - record.last_seen >= minutes(1);
  }
  if (flush) {
    auto j = I.secret("session/" + sid);
    if (j && *j) {
      json updated = std::move(**j);
      updated["last_seen"] = ms(now);
      (void)I.put("session/" + sid, updated);
    }
  }
  return Session{sid, Impl::actor_of(s), record.setup};
}

Status AccountService::logout(const Session& session) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->last_seen.erase(session.id);
  }
  return impl_->store.erase_secret("session/" + session.id);
}

Result<CodeSent> AccountService::send_sms_code(const Session& session, const std::string& phone,
                                               const std::string& purpose,
                                               const std::string& client_address) {
  if (purpose != "bind_phone" && purpose != "change_phone")
    return Status::unprocessable("validation.failed", "unknown purpose",
                                 {{"purpose", "invalid", "bind_phone or change_phone"}});
  if (purpose == "bind_phone" && !session.setup_required)
    return Status::conflict("account.setup_done", "the phone is bound; use change_phone");
  if (purpose == "change_phone" && session.setup_required)
    return Status::forbidden("account.setup_required", "complete the first-login setup first");
  if (!valid_phone(phone))
    return Status::unprocessable("validation.failed", "not a mobile phone number",
                                 {{"phone", "invalid", "a mainland mobile number, 1[3-9] and 9 digits"}});
  return impl_->send_code("code/" + purpose + "/" + session.actor.account_id, normal_phone(phone),
                          purpose, client_address, session.actor.account_id);
}

Result<AccountView> AccountService::complete_setup(const Session& session, const std::string& name,
                                                   const std::string& phone,
                                                   const std::string& sms_code,
                                                   const std::string& new_password) {
  auto& I = *impl_;
  if (!session.setup_required)
    return Status::conflict("account.setup_done", "the account is already set up");
  std::vector<FieldError> errors;
  if (!valid_name(name)) errors.push_back({"name", "required", "your real name"});
  if (!valid_phone(phone)) errors.push_back({"phone", "invalid", "a mainland mobile number"});
  if (auto s = security::check_password_rules(new_password); !s)
    errors.push_back(s.errors().front());
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the setup has invalid fields", errors);
  const std::string account_id = session.actor.account_id;
  if (auto s = I.check_code("code/bind_phone/" + account_id, sms_code, normal_phone(phone), true); !s)
    return s;
  const std::string hash = security::hash_password(new_password);
  auto outcome = I.run(account_id, session.actor, [&](const Machine& m, Timestamp) {
    return decide_setup(m, name, normal_phone(phone), hash);
  });
  if (!outcome) return outcome.status();
  (void)I.store.erase_secret("initial/" + account_id);
  (void)logout(session);  // completing setup ends the setup session
  return I.current(account_id);
}

Result<CodeSent> AccountService::send_step_up_code(const Session& session) {
  auto loaded = impl_->load(session.actor.account_id);
  if (!loaded) return loaded.status();
  const auto& phone = loaded->machine.data().phone;
  if (phone.empty()) return Status::forbidden("account.setup_required", "no phone is bound yet");
  return impl_->send_code("code/step_up/" + session.id, phone, "step_up", "",
                          session.actor.account_id);
}

Result<AccountView> AccountService::me(const Session& session) {
  return impl_->current(session.actor.account_id);
}

Result<AccountView> AccountService::update_profile(const Session& session,
                                                   const std::optional<std::string>& name,
                                                   const std::optional<std::string>& email,
                                                   const std::string& verification_code) {
  if (auto s = impl_->check_step_up(session, verification_code); !s) return s;
  auto outcome = impl_->run(session.actor.account_id, session.actor,
                            [&](const Machine& m, Timestamp) { return decide_profile(m, name, email); });
  if (!outcome) return outcome.status();
  return impl_->current(session.actor.account_id);
}

Status AccountService::change_password(const Session& session, const std::string& old_password,
                                       const std::string& new_password,
                                       const std::string& verification_code) {
  auto& I = *impl_;
  if (auto s = I.check_step_up(session, verification_code); !s) return s;
  if (auto s = security::check_password_rules(new_password); !s) return s;
  auto loaded = I.load(session.actor.account_id);
  if (!loaded) return loaded.status();
  if (!security::verify_password(loaded->machine.data().password_hash, old_password))
    return Status::unprocessable("validation.failed", "the current password is wrong",
                                 {{"old_password", "wrong", "the current password is wrong"}});
  const std::string hash = security::hash_password(new_password);
  return I.run(session.actor.account_id, session.actor,
               [&](const Machine& m, Timestamp) { return decide_password_change(m, hash); })
      .status();
}

Result<AccountView> AccountService::change_phone(const Session& session,
                                                 const std::string& new_phone,
                                                 const std::string& sms_code,
                                                 const std::string& verification_code) {
  auto& I = *impl_;
  if (auto s = I.check_step_up(session, verification_code); !s) return s;
  if (!valid_phone(new_phone))
    return Status::unprocessable("validation.failed", "not a mobile phone number",
                                 {{"new_phone", "invalid", "a mainland mobile number"}});
  const std::string phone = normal_phone(new_phone);
  if (auto s = I.check_code("code/change_phone/" + session.actor.account_id, sms_code, phone, true); !s)
    return s;
  auto outcome = I.run(session.actor.account_id, session.actor,
                       [&](const Machine& m, Timestamp) { return decide_phone(m, phone); });
  if (!outcome) return outcome.status();
  return I.current(session.actor.account_id);
}

Status AccountService::request_password_reset(const std::string& account, const std::string& phone,
                                              const std::string& client_address) {
  auto& I = *impl_;
  const std::string p = normal_phone(phone);
  // Limited per phone whether or not anything matches, so the limit reveals nothing.
  if (!I.limiter.allow("reset:" + p, {{1, minutes(1)}, {10, std::chrono::hours(24)}}) ||
      (!client_address.empty() &&
       !I.limiter.allow("reset-client:" + client_address, {{60, std::chrono::hours(1)}})))
    return rate_limited();
  auto id = I.id_of_name(account);
  if (!id || !*id || !valid_phone(phone)) return {};
  auto loaded = I.load(**id);
  if (!loaded || loaded->machine.phase() == Phase::deleted || loaded->machine.data().phone != p)
    return {};
  auto sent = I.send_code("code/reset/" + **id, p, "password_reset", client_address, **id);
  return sent.status().code() == "sms.rate_limited" ? Status{} : sent.status();
}

Status AccountService::confirm_password_reset(const std::string& account, const std::string& phone,
                                              const std::string& code,
                                              const std::string& new_password) {
  auto& I = *impl_;
  if (auto s = security::check_password_rules(new_password); !s) return s;
  auto id = I.id_of_name(account);
  if (!id) return id.status();
  if (!*id) return code_invalid();
  if (auto s = I.check_code("code/reset/" + **id, code, normal_phone(phone), true); !s) return s;
  const std::string hash = security::hash_password(new_password);
  auto loaded = I.load(**id);
  if (!loaded) return code_invalid();
  return I.run(**id, Actor{**id, loaded->machine.data().role},
               [&](const Machine& m, Timestamp) { return decide_reset_password(m, hash, "sms"); })
      .status();
}

}  // namespace onex
