// AccountService: sign-in, sessions and one's own account (managed accounts: users.cpp). Every
// change is a command of the table in service_impl.h, run by engine::run_command; codes,
// sessions and device trust live in the store's secrets (security::Codes, security::Sessions).
#include "account/service_impl.h"

namespace onex {

using namespace account;

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.empty() ? "" : "****");
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

AccountService::AccountService(EventStore& store, const Clock& clock, SmsGateway& sms,
                               AccountOptions options)
    : impl_(nullptr) {
  // A library caller without a key gets one for this process (initial passwords and codes kept
  // before a restart cannot be read after it).
  if (options.secret_key.size() != 32) options.secret_key = security::random_key();
  impl_.reset(new Impl{{store, clock, sms, std::move(options)}});
}
AccountService::~AccountService() = default;

Result<CreatedAccount> AccountService::create_operator(const std::string& name) {
  if (!valid_account_name(name))
    return Status::unprocessable("validation.failed", "not an account name",
                                 {{"operator", "invalid", "3 to 32 letters, digits and _ . @ -"}});
  const std::string password = security::random_password();
  const Create in{{name, "platform operator", "operator", "", "", "", "", {}},
                  security::hash_password(password)};
  auto v = engine::run(impl_->accounts, *impl_, kCreate, {.actor = {.role = "system"}}, in);
  if (!v) return v.status();
  return CreatedAccount{*v, password};
}

Result<Captcha> AccountService::issue_captcha(const std::string& client_address) {
  auto& I = *impl_;
  auto limited = [](std::chrono::seconds wait) {
    return Status::make(StatusKind::rate_limited, "auth.rate_limited",
                        "too many captchas asked for; wait a little")
        .retry_in(wait);
  };
  if (!client_address.empty())
    if (auto d = I.limiter.hit("captcha-client:" + client_address, {{30, minutes(1)}}); !d.allowed)
      return limited(d.retry_after);
  auto issued = I.captcha.issue(client_address);
  if (!issued) return limited(std::chrono::seconds(10));
  return Captcha{issued->captcha_id, issued->png};
}

std::uint64_t AccountService::unknown_name_attempts() const { return impl_->unknown_attempts.load(); }

std::string AccountService::captcha_answer_for_testing(const std::string& id) const {
  return impl_->captcha.answer_for_testing(id);
}

// The sign-in gate, one for accounts and unknown names alike: an expired lock ends (its own
// event, decided before the login it allows), a disabled or locked account refuses, a captcha
// is due after two failures, then the password; a wrong one is a failure (3 lock; 5 past a
// captcha disable, so a stranger who cannot solve one cannot disable anybody).
// `hash` is "" for an unknown name (a dummy check, then wrong).
template <class Step>
Result<Machine> Env::gate(const LoginInput& in, Machine m, Step&& step, const std::string& hash) {
  if (m.phase() == Phase::locked) {
    auto unlocked = step(kUnlock, Target{});
    if (!unlocked) return unlocked.status();
    m = std::move(*unlocked);
  }
  if (auto s = check_sign_in(m); !s) return s;
  const bool due = options.captcha && captcha_due(m);
  if (due && (in.captcha_id.empty() || !captcha.check(in.captcha_id, in.captcha_answer)))
    return captcha_required();
  if (hash.empty() ? (security::dummy_password_check(in.password), true)
                   : !security::verify_password(hash, in.password)) {
    if (auto failed = step(kFailure, Failure{.checked = due || !options.captcha}); !failed)
      return failed.status();
    return invalid_credentials();
  }
  return m;
}

Result<LoginResult> Env::login_unknown(const LoginInput& in) {
  ++unknown_attempts;
  if (options.log)
    options.log("sign-in attempt on an unknown account name from " +
                (in.client_address.empty() ? std::string("an embedding caller") : in.client_address));
  const Actor nobody{.role = "public"};
  const Context ctx{nobody, clock.now()};
  const std::string key = security::keyed_digest(options.secret_key, in.account);
  const Status full = Status::make(StatusKind::rate_limited, "auth.rate_limited",
                                   "too many sign-in attempts; wait a minute")
                          .retry_in(std::chrono::seconds(60));
  // The account's own rules, on a machine kept in memory and, as a real account's events are,
  // durably in the store's secrets (what a real failure costs, an unknown name's costs too; and
  // it outlives a restart).
  const std::string kept = "phantom/" + key;
  auto in_memory = [&](const auto& command, const auto& input) -> Result<Machine> {
    bool changed = false;
    auto after = phantoms.with(key, [&](Machine& m) {
      auto d = command.decide(m, input, ctx);
      changed = d && !d->events.empty();
      phantoms.take(m, d);
      return m;
    });
    if (!after) return full;
    if (changed)  // written outside the table's lock, as appends are outside any
      if (auto s = store.put_secret(kept, engine::snapshot<Workflow>(*after).dump()); !s) return s;
    return *after;
  };
  // As a real account is loaded: from the store, the first time.
  auto load = [&]() -> Machine {
    auto raw = store.get_secret(kept);
    if (raw && *raw)
      if (auto m = engine::restore<Workflow>(nlohmann::json::parse(**raw, nullptr, false)))
        return std::move(*m);
    Machine m;
    (void)m.restore(Restored{Phase::active, State{}});
    return m;
  };
  auto phantom = phantoms.with(key, [](Machine& m) { return m; }, load);
  if (!phantom) return full;
  auto passed = gate(in, std::move(*phantom), in_memory, "");
  return passed ? invalid_credentials() : passed.status();  // never passes
}

Result<LoginResult> AccountService::login(const LoginInput& in) {
  auto& I = *impl_;
  if (!in.client_address.empty())
    if (auto d = I.limiter.hit("login-client:" + in.client_address, {{300, minutes(1)}}); !d.allowed)
      return Status::make(StatusKind::rate_limited, "auth.rate_limited",
                          "too many sign-in attempts from this address; wait a minute")
          .retry_in(d.retry_after);
  auto id = I.id_of_name(in.account);
  if (!id) return id.status();
  if (!*id) return I.login_unknown(in);
  auto loaded = I.current(**id);
  if (!loaded) return loaded.status();
  if ((*loaded)->machine.phase() == Phase::deleted) return I.login_unknown(in);
  const Caller self{.actor = {.account_id = **id, .role = (*loaded)->machine.data().role}};
  auto appended = [&](const auto& command, auto input) -> Result<Machine> {
    input.id = **id;
    auto ran = engine::run_command(I.accounts, I, command, self, input);
    if (!ran) return ran.status();
    return ran->record.machine;
  };
  auto passed = I.gate(in, (*loaded)->machine, appended, (*loaded)->machine.data().password_hash);
  if (!passed) return passed.status();
  const auto& s = passed->data();
  if (s.phone.empty() || I.sessions.trusted(in.device_token, s.id, s.session_epoch)) {
    auto granted = I.grant(self, s.phone.empty() ? "none" : "trusted_device", false);
    if (!granted) return granted.status();
    return LoginResult{std::move(*granted), std::nullopt};
  }
  const std::string challenge_id = util::random_id();
  auto sent = I.codes.send("challenge/" + challenge_id, s.phone, "login", in.client_address, s.id,
                           {{"account_id", s.id}});
  if (!sent) return sent.status();
  return LoginResult{std::nullopt, SmsChallenge{challenge_id, sent->phone_tail}};
}

Result<SessionGranted> AccountService::answer_challenge(const std::string& challenge_id,
                                                        const std::string& code,
                                                        bool trust_device) {
  auto& I = *impl_;
  if (challenge_id.size() != 32) return code_invalid();
  const std::string key = "challenge/" + challenge_id;
  auto challenge = I.codes.check(key, code, "", true);
  if (!challenge) return challenge.status();
  const std::string account_id = challenge->value("account_id", "");
  auto loaded = I.current(account_id);
  if (!loaded) return loaded.status();
  if ((*loaded)->machine.phase() == Phase::disabled) return check_sign_in((*loaded)->machine);
  if ((*loaded)->machine.phase() != Phase::active) return invalid_credentials();
  return I.grant({.actor = {.account_id = account_id, .role = (*loaded)->machine.data().role}}, "sms", trust_device);
}

// The login recorded, and a session (and a trusted device when asked) for the account after it.
Result<SessionGranted> Env::grant(const Caller& self, const std::string& second_factor, bool trust_device) {
  auto ok = engine::run_command(accounts, *this, kLogin, self, {self.actor.account_id, second_factor});
  if (!ok) return ok.status();
  const auto& after = ok->record;
  const auto& s = after.machine.data();
  auto opened = sessions.open(s.id, s.session_epoch, s.setup_required, trust_device);
  if (!opened) return opened.status();
  return SessionGranted{opened->token, opened->expires_at, s.setup_required,
                        Workflow::view(after.machine, after.version), opened->device_token};
}

Result<Session> AccountService::authenticate(std::string_view token) {
  if (token.empty() || token.size() > 100) return unauthenticated();
  return resume(security::digest(token));
}

Result<Session> AccountService::resume(const std::string& session_id) {
  auto& I = *impl_;
  auto found = I.sessions.find_id(session_id);
  if (!found) return found.status();
  if (!*found) return unauthenticated();
  const auto& [sid, record] = **found;
  auto loaded = I.current(record.account_id);
  if (!loaded) return unauthenticated();
  const auto& s = (*loaded)->machine.data();
  const auto phase = (*loaded)->machine.phase();
  if (record.epoch != s.session_epoch || phase == Phase::disabled || phase == Phase::deleted) {
    (void)I.sessions.end(sid);
    return unauthenticated();
  }
  I.sessions.touch(sid, record);
  return Session{sid, Env::actor_of(s), record.setup};
}

Status AccountService::logout(const Session& session) { return impl_->sessions.end(session.id); }

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
  if (auto s = check_mobile("phone", phone); !s) return s;
  return impl_->codes.send("code/" + purpose + "/" + session.actor.account_id, normal_phone(phone),
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
  if (!valid_mobile(phone)) errors.push_back({"phone", "invalid", "a mainland mobile number"});
  if (auto s = security::check_password_rules(new_password); !s)
    errors.push_back(s.errors().front());
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the setup has invalid fields", errors);
  const std::string id = session.actor.account_id;
  if (auto s = I.codes.check("code/bind_phone/" + id, sms_code, normal_phone(phone), true); !s)
    return s.status();
  const Setup in{id, name, normal_phone(phone), security::hash_password(new_password)};
  auto v = engine::run(I.accounts, I, kSetup, {.actor = session.actor}, in);
  if (!v) return v.status();
  (void)I.store.erase_secret("initial/" + id);
  (void)logout(session);  // completing setup ends the setup session
  return v;
}

Result<CodeSent> AccountService::send_step_up_code(const Session& session) {
  auto loaded = impl_->current(session.actor.account_id);
  if (!loaded) return loaded.status();
  const auto& phone = (*loaded)->machine.data().phone;
  if (phone.empty()) return Status::forbidden("account.setup_required", "no phone is bound yet");
  return impl_->codes.send("code/step_up/" + session.id, phone, "step_up", "",
                           session.actor.account_id);
}

Result<AccountView> AccountService::me(const Session& session) {
  return impl_->view(session.actor.account_id);
}

Result<AccountView> AccountService::update_profile(const Session& session,
                                                   const std::optional<std::string>& name,
                                                   const std::optional<std::string>& email,
                                                   const std::string& verification_code,
                                                   IfMatch if_match) {
  if (auto s = impl_->check_step_up(session, verification_code); !s) return s;
  return engine::run(impl_->accounts, *impl_, kProfile, {.actor = session.actor, .if_match = if_match},
                     {session.actor.account_id, name, email});
}

Status AccountService::change_password(const Session& session, const std::string& old_password,
                                       const std::string& new_password,
                                       const std::string& verification_code, IfMatch if_match) {
  auto& I = *impl_;
  if (auto s = I.check_step_up(session, verification_code); !s) return s;
  if (auto s = security::check_password_rules(new_password); !s) return s;
  auto loaded = I.current(session.actor.account_id);
  if (!loaded) return loaded.status();
  if (!security::verify_password((*loaded)->machine.data().password_hash, old_password))
    return Status::unprocessable("validation.failed", "the current password is wrong",
                                 {{"old_password", "wrong", "the current password is wrong"}});
  return engine::run_command(I.accounts, I, kPasswordChange, {.actor = session.actor, .if_match = if_match},
                             {session.actor.account_id, security::hash_password(new_password)})
      .status();
}

Result<AccountView> AccountService::change_phone(const Session& session,
                                                 const std::string& new_phone,
                                                 const std::string& sms_code,
                                                 const std::string& verification_code,
                                                 IfMatch if_match) {
  auto& I = *impl_;
  if (auto s = I.check_step_up(session, verification_code); !s) return s;
  if (auto s = check_mobile("new_phone", new_phone); !s) return s;
  const std::string phone = normal_phone(new_phone);
  if (auto s = I.codes.check("code/change_phone/" + session.actor.account_id, sms_code, phone, true);
      !s)
    return s.status();
  return engine::run(I.accounts, I, kPhone, {.actor = session.actor, .if_match = if_match},
                     {session.actor.account_id, phone});
}

Status AccountService::request_password_reset(const std::string& account, const std::string& phone,
                                              const std::string& client_address) {
  auto& I = *impl_;
  const std::string p = normal_phone(phone);
  // Limited per phone whether or not anything matches, so the limit reveals nothing.
  auto d = I.limiter.hit("reset:" + p, {{1, minutes(1)}, {10, std::chrono::hours(24)}});
  if (d.allowed && !client_address.empty())
    d = I.limiter.hit("reset-client:" + client_address, {{60, std::chrono::hours(1)}});
  if (!d.allowed) return security::sms_rate_limited(d.retry_after);
  auto id = I.id_of_name(account);
  if (!id || !*id || !valid_mobile(phone)) return {};
  auto loaded = I.current(**id);
  if (!loaded || (*loaded)->machine.phase() == Phase::deleted ||
      (*loaded)->machine.data().phone != p)
    return {};
  auto sent = I.codes.send("code/reset/" + **id, p, "password_reset", client_address, **id);
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
  if (auto s = I.codes.check("code/reset/" + **id, code, normal_phone(phone), true); !s)
    return s.status();
  auto loaded = I.current(**id);
  if (!loaded) return code_invalid();
  const Caller self{.actor = {.account_id = **id, .role = (*loaded)->machine.data().role}};
  return engine::run_command(I.accounts, I, kResetPassword, self,
                             {**id, security::hash_password(new_password), "sms"})
      .status();
}

}  // namespace onex
