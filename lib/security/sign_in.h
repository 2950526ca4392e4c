// Signing in (SPEC.md §2; API.md "Sessions and own account"): the password gate with its lockout
// and captchas, SMS challenges and trusted devices, sessions, password resets by SMS, and the
// one-time codes that sensitive actions and self-registration ask for.
//
// The protocol is here; the rules are the record's. What locks, disables or asks for a captcha
// is decided by the decide of the record kind that signs in (accounts), through commands of its
// table, exactly as any other command runs (engine/command.h). Generic over that kind; names no
// workflow. Unknown names answer as a real account would: the same rules, on machines kept in
// memory (engine::Scratch) and durably in the store's secrets.
//
// What a record kind that signs in gives (`R`; the account's is account::SignInRules):
// - `Workflow` and `Env` (what its commands run with); its State has `id`, `role`, `phone`,
//   `password_hash`, `session_epoch` and `setup_required`;
// - its commands `unlock` ({.id}), `failure` ({.id, .checked}), `login` ({.id, .second_factor}),
//   `reset` ({.id, .password_hash, .by}), `setup` ({.id, .name, .phone, .password_hash}),
//   `password_change` ({.id, .password_hash}) and `phone_change` ({.id, .phone});
// - its rules: `valid_name(name)`; on a machine: `check(m)` (whether it may try a password),
//   `locked(m)` (a lock, perhaps run out, that `unlock` ends first), `captcha_due(m)`,
//   `gone(m)` (answered as an unknown name), `in_session(m)` (may hold a session), `actor(m)`,
//   and `unknown` (the phase an unknown name starts in);
// - `id_of_name(env, name)`.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "engine/command.h"
#include "engine/scratch.h"
#include "engine/snapshot.h"
#include "onex/accounts.h"
#include "security/captcha.h"
#include "security/codes.h"
#include "security/rate_limit.h"
#include "security/secrets.h"
#include "security/sessions.h"
#include "util/identifiers.h"

namespace onex::security {

inline Status rate_limited(std::string message, std::chrono::seconds wait) {
  return Status::make(StatusKind::rate_limited, "auth.rate_limited", std::move(message)).retry_in(wait);
}

template <class R>
class SignInOf final : public SignIn {
 public:
  using W = typename R::Workflow;
  using Env = typename R::Env;
  using Machine = typename W::Machine;

  SignInOf(Env& env, engine::Engine<W>& records, EventStore& store, const Clock& clock, SmsGateway& sms,
           const AccountOptions& options)
      : env_(env), records_(records), store_(store), clock_(clock), options_(options),
        captcha_(clock), limiter_(clock), codes_(store, clock, sms, limiter_, options.secret_key),
        sessions_(store, clock, {options.session_idle, options.session_absolute, options.device_trust}) {}

  // A captcha for a client: 30 a minute per address.
  Result<Captcha> issue_captcha(const std::string& client_address) override {
    const std::string message = "too many captchas asked for; wait a little";
    if (!client_address.empty())
      if (auto d = limiter_.hit("captcha-client:" + client_address, {{30, std::chrono::minutes(1)}});
          !d.allowed)
        return rate_limited(message, d.retry_after);
    auto issued = captcha_.issue(client_address);
    if (!issued) return rate_limited(message, std::chrono::seconds(10));
    return Captcha{issued->captcha_id, issued->png};
  }

  Result<LoginResult> login(const LoginInput& in) override {
    if (!in.client_address.empty())
      if (auto d = limiter_.hit("login-client:" + in.client_address, {{300, std::chrono::minutes(1)}});
          !d.allowed)
        return rate_limited("too many sign-in attempts from this address; wait a minute", d.retry_after);
    auto id = R::id_of_name(env_, in.account);
    if (!id) return id.status();
    if (!*id) return login_unknown(in);
    auto loaded = engine::existing(records_, **id);
    if (!loaded) return loaded.status();
    if (R::gone((*loaded)->machine)) return login_unknown(in);
    const Caller self = self_of(**id, (*loaded)->machine);
    auto appended = [&](const auto& command, auto input) -> Result<Machine> {
      input.id = **id;
      auto ran = engine::run_command(records_, env_, command, self, input);
      if (!ran) return ran.status();
      return ran->record.machine;
    };
    auto passed = gate(in, (*loaded)->machine, appended, (*loaded)->machine.data().password_hash);
    if (!passed) return passed.status();
    const auto& s = passed->data();
    if (s.phone.empty() || sessions_.trusted(in.device_token, s.id, s.session_epoch)) {
      auto granted = grant(self, s.phone.empty() ? "none" : "trusted_device", false);
      if (!granted) return granted.status();
      return LoginResult{std::move(*granted), std::nullopt};
    }
    const std::string challenge_id = util::random_id();
    auto sent = codes_.send("challenge/" + challenge_id, s.phone, "login", in.client_address, s.id,
                            {{"account_id", s.id}});
    if (!sent) return sent.status();
    return LoginResult{std::nullopt, SmsChallenge{challenge_id, sent->phone_tail}};
  }

  Result<SessionGranted> answer_challenge(const std::string& challenge_id, const std::string& code,
                                          bool trust_device) override {
    if (challenge_id.size() != 32) return code_invalid();
    auto challenge = codes_.check("challenge/" + challenge_id, code, "", true);
    if (!challenge) return challenge.status();
    auto loaded = engine::existing(records_, challenge->value("account_id", ""));
    if (!loaded) return loaded.status();
    const Machine& m = (*loaded)->machine;
    if (R::locked(m) || R::gone(m)) return invalid_credentials();
    if (auto s = R::check(m); !s) return s;  // disabled since the challenge was sent
    return grant(self_of(m.data().id, m), "sms", trust_device);
  }

  // Unknown, expired or ended sessions: auth.unauthenticated.
  Result<Session> authenticate(std::string_view token) override {
    if (token.empty() || token.size() > 100) return unauthenticated();
    return resume(digest(token));
  }

  Result<Session> resume(const std::string& session_id) override {
    auto found = sessions_.find_id(session_id);
    if (!found) return found.status();
    if (!*found) return unauthenticated();
    const auto& [sid, record] = **found;
    auto loaded = engine::existing(records_, record.account_id);
    if (!loaded) return unauthenticated();
    const Machine& m = (*loaded)->machine;
    if (record.epoch != m.data().session_epoch || !R::in_session(m)) {
      (void)sessions_.end(sid);
      return unauthenticated();
    }
    sessions_.touch(sid, record);
    return Session{sid, R::actor(m), record.setup};
  }

  Status logout(const Session& session) override { return sessions_.end(session.id); }

  Result<CodeSent> send_sms_code(const Session& session, const std::string& phone,
                                 const std::string& purpose, const std::string& client_address) override {
    if (purpose != "bind_phone" && purpose != "change_phone")
      return Status::unprocessable("validation.failed", "unknown purpose",
                                   {{"purpose", "invalid", "bind_phone or change_phone"}});
    if (purpose == "bind_phone" && !session.setup_required)
      return Status::conflict("account.setup_done", "the phone is bound; use change_phone");
    if (purpose == "change_phone" && session.setup_required)
      return Status::forbidden("account.setup_required", "complete the first-login setup first");
    if (auto s = check_mobile("phone", phone); !s) return s;
    const std::string p(util::plain_mobile(phone));
    return codes_.send(code_key(purpose, session.actor.account_id), p, purpose, client_address,
                       session.actor.account_id);
  }
  // Checks and consumes the `purpose` code sent to `phone` for the account.
  Status check_code(std::string_view purpose, const std::string& account_id, const std::string& code,
                    const std::string& phone) {
    return codes_.check(code_key(purpose, account_id), code, phone, true).status();
  }

  // A step-up code serves the session that asked for it for its 5 minutes.
  Result<CodeSent> send_step_up_code(const Session& session) override {
    auto loaded = engine::existing(records_, session.actor.account_id);
    if (!loaded) return loaded.status();
    const auto& phone = (*loaded)->machine.data().phone;
    if (phone.empty()) return Status::forbidden("account.setup_required", "no phone is bound yet");
    return codes_.send(code_key("step_up", session.id), phone, "step_up", "", session.actor.account_id);
  }
  Status check_step_up(const Session& session, const std::string& code) {
    if (code.empty()) return step_up_required();
    const Status s = codes_.check(code_key("step_up", session.id), code, "", false).status();
    return s.code() == "sms.code_invalid" ? step_up_required() : s;
  }

  Result<AccountView> complete_setup(const Session& session, const std::string& name, const std::string& phone,
                                     const std::string& sms_code, const std::string& new_password) override {
    if (!session.setup_required) return Status::conflict("account.setup_done", "the account is already set up");
    std::vector<FieldError> errors;
    if (!R::valid_name(name)) errors.push_back({"name", "required", "your real name"});
    if (!util::valid_mobile(phone)) errors.push_back({"phone", "invalid", "a mainland mobile number"});
    if (auto s = check_password_rules(new_password); !s) errors.push_back(s.errors().front());
    if (!errors.empty()) return Status::unprocessable("validation.failed", "the setup has invalid fields", errors);
    const std::string id = session.actor.account_id, p(util::plain_mobile(phone));
    if (auto s = check_code("bind_phone", id, sms_code, p); !s) return s;
    auto v = engine::run(records_, env_, R::setup, {.actor = session.actor},
                         {.id = id, .name = name, .phone = p, .password_hash = hash_password(new_password)});
    if (!v) return v.status();
    (void)store_.erase_secret(initial_key(id));
    (void)logout(session);  // completing setup ends the setup session
    return v;
  }

  Status change_password(const Session& session, const std::string& old_password, const std::string& new_password,
                         const std::string& verification_code, IfMatch if_match) override {
    if (auto s = check_step_up(session, verification_code); !s) return s;
    if (auto s = check_password_rules(new_password); !s) return s;
    auto loaded = engine::existing(records_, session.actor.account_id);
    if (!loaded) return loaded.status();
    if (!verify_password((*loaded)->machine.data().password_hash, old_password))
      return Status::unprocessable("validation.failed", "the current password is wrong",
                                   {{"old_password", "wrong", "the current password is wrong"}});
    return engine::run_command(records_, env_, R::password_change, {.actor = session.actor, .if_match = if_match},
                               {.id = session.actor.account_id, .password_hash = hash_password(new_password)})
        .status();
  }

  Result<AccountView> change_phone(const Session& session, const std::string& new_phone, const std::string& sms_code,
                                   const std::string& verification_code, IfMatch if_match) override {
    if (auto s = check_step_up(session, verification_code); !s) return s;
    if (auto s = check_mobile("new_phone", new_phone); !s) return s;
    const std::string phone(util::plain_mobile(new_phone));
    if (auto s = check_code("change_phone", session.actor.account_id, sms_code, phone); !s) return s;
    return engine::run(records_, env_, R::phone_change, {.actor = session.actor, .if_match = if_match},
                       {.id = session.actor.account_id, .phone = phone});
  }

  // An initial password, kept sealed (by the store's secret key) until its account's setup, for
  // its issuer to read again: empty when there is none.
  Status keep_initial_password(const std::string& id, const std::string& password) {
    return store_.put_secret(initial_key(id), seal(options_.secret_key, password));
  }
  Result<std::optional<std::string>> initial_password(const std::string& id) {
    auto sealed = store_.get_secret(initial_key(id));
    if (!sealed) return sealed.status();
    if (!*sealed) return std::optional<std::string>{};
    auto opened = open(options_.secret_key, **sealed);
    if (!opened) return opened.status();
    return std::optional<std::string>{std::move(*opened)};
  }

  Status request_password_reset(const std::string& account, const std::string& phone,
                                const std::string& client_address) override {
    const std::string p(util::plain_mobile(phone));
    // Limited per phone whether or not anything matches, so the limit reveals nothing.
    auto d = limiter_.hit("reset:" + p, {{1, std::chrono::minutes(1)}, {10, std::chrono::hours(24)}});
    if (d.allowed && !client_address.empty())
      d = limiter_.hit("reset-client:" + client_address, {{60, std::chrono::hours(1)}});
    if (!d.allowed) return sms_rate_limited(d.retry_after);
    auto id = R::id_of_name(env_, account);
    if (!id || !*id || !util::valid_mobile(phone)) return {};
    auto loaded = engine::existing(records_, **id);
    if (!loaded || R::gone((*loaded)->machine) || (*loaded)->machine.data().phone != p) return {};
    auto sent = codes_.send(code_key("reset", **id), p, "password_reset", client_address, **id);
    return sent.status().code() == "sms.rate_limited" ? Status{} : sent.status();
  }

  Status confirm_password_reset(const std::string& account, const std::string& phone,
                                const std::string& code, const std::string& new_password) override {
    if (auto s = check_password_rules(new_password); !s) return s;
    auto id = R::id_of_name(env_, account);
    if (!id) return id.status();
    if (!*id) return code_invalid();
    if (auto s = check_code("reset", **id, code, std::string(util::plain_mobile(phone))); !s) return s;
    auto loaded = engine::existing(records_, **id);
    if (!loaded) return code_invalid();
    return engine::run_command(records_, env_, R::reset, self_of(**id, (*loaded)->machine),
                               {.id = **id, .password_hash = hash_password(new_password), .by = "sms"})
        .status();
  }

  Result<CodeSent> send_registration_code(const std::string& phone, const std::string& captcha_id,
                                          const std::string& captcha_answer,
                                          const std::string& client_address) override {
    if (auto s = check_mobile("phone", phone); !s) return s;
    if (options_.captcha &&
        (captcha_id.empty() || captcha_id.size() > 128 || !captcha_.check(captcha_id, captcha_answer)))
      return captcha_required();
    if (!client_address.empty())
      if (auto d = limiter_.hit("registration-client:" + client_address, {{30, std::chrono::hours(1)}});
          !d.allowed)
        return sms_rate_limited(d.retry_after);
    const std::string p(util::plain_mobile(phone));
    return codes_.send(code_key("registration", p), p, "registration", client_address, "");
  }
  Status check_registration_code(const std::string& phone, const std::string& code) override {
    if (!util::valid_mobile(phone) || code.empty()) return code_invalid();
    const std::string p(util::plain_mobile(phone));
    return check_code("registration", p, code, p);
  }

  std::uint64_t unknown_name_attempts() const override { return unknown_attempts_.load(); }
  std::string captcha_answer_for_testing(const std::string& id) const override {
    return captcha_.answer_for_testing(id);
  }

 private:
  template <class Command>
  using input_of = typename std::remove_cvref_t<Command>::Input;
  static std::string initial_key(const std::string& id) { return "initial/" + id; }
  static std::string code_key(std::string_view purpose, const std::string& owner) {
    return "code/" + std::string(purpose) + "/" + owner;
  }
  static Caller self_of(const std::string& id, const Machine& m) {
    return {.actor = {.account_id = id, .role = m.data().role}};
  }

  // The gate, one for records and unknown names alike: a lock that has run out ends (its own
  // event, decided before the sign-in it allows), a refusal of `check` stands, a captcha is due
  // after failures, then the password; a wrong one is a failure (counted toward disabling only
  // past a captcha, so a stranger who cannot solve one cannot disable anybody). `step(command,
  // input)` carries a command out (appended; in memory for an unknown name) and answers the
  // machine after it. `hash` is "" for an unknown name (a dummy check, then wrong).
  template <class Step>
  Result<Machine> gate(const LoginInput& in, Machine m, Step&& step, const std::string& hash) {
    if (R::locked(m)) {
      auto unlocked = step(R::unlock, input_of<decltype(R::unlock)>{});
      if (!unlocked) return unlocked.status();
      m = std::move(*unlocked);
    }
    if (auto s = R::check(m); !s) return s;
    const bool due = options_.captcha && R::captcha_due(m);
    if (due && (in.captcha_id.empty() || !captcha_.check(in.captcha_id, in.captcha_answer)))
      return captcha_required();
    if (hash.empty() ? (dummy_password_check(in.password), true) : !verify_password(hash, in.password)) {
      if (auto failed = step(R::failure, input_of<decltype(R::failure)>{.checked = due || !options_.captcha}); !failed)
        return failed.status();
      return invalid_credentials();
    }
    return m;
  }

  // Unknown names get the answers a record would: machines in memory, which the record's own
  // rules lock and disable. Each is kept an hour after its last attempt (a lock lasts 15
  // minutes); past 20,000 kept, a new unknown name is refused (429) rather than another's state
  // forgotten. Keyed by a keyed digest: no typed name stays in memory. What a failure costs is
  // kept in the store's secrets too, so it outlives a restart.
  Result<LoginResult> login_unknown(const LoginInput& in) {
    ++unknown_attempts_;
    if (options_.log)
      options_.log("sign-in attempt on an unknown account name from " +
                   (in.client_address.empty() ? std::string("an embedding caller") : in.client_address));
    const Actor nobody{.role = "public"};
    const engine::Context ctx{nobody, clock_.now()};
    const std::string key = keyed_digest(options_.secret_key, in.account);
    const Status full = rate_limited("too many sign-in attempts; wait a minute", std::chrono::seconds(60));
    const std::string kept = "phantom/" + key;
    auto in_memory = [&](const auto& command, const auto& input) -> Result<Machine> {
      bool changed = false;
      auto after = phantoms_.with(key, [&](Machine& m) {
        auto d = command.decide(m, input, ctx);
        changed = d && !d->events.empty();
        phantoms_.take(m, d);
        return m;
      });
      if (!after) return full;
      if (changed)  // written outside the table's lock, as appends are outside any
        if (auto s = store_.put_secret(kept, engine::snapshot<W>(*after).dump()); !s) return s;
      return *after;
    };
    auto load = [&]() -> Machine {  // as a record is loaded: from the store, the first time
      auto raw = store_.get_secret(kept);
      if (raw && *raw)
        if (auto m = engine::restore<W>(nlohmann::json::parse(**raw, nullptr, false))) return std::move(*m);
      return engine::in_phase<W>(R::unknown);
    };
    auto phantom = phantoms_.with(key, [](Machine& m) { return m; }, load);
    if (!phantom) return full;
    auto passed = gate(in, std::move(*phantom), in_memory, "");
    return passed ? invalid_credentials() : passed.status();  // never passes
  }

  // The sign-in recorded, and a session (and a trusted device when asked) for the record after it.
  Result<SessionGranted> grant(const Caller& self, const std::string& second_factor, bool trust_device) {
    auto ok = engine::run_command(records_, env_, R::login, self,
                                  {.id = self.actor.account_id, .second_factor = second_factor});
    if (!ok) return ok.status();
    const auto& after = ok->record;
    const auto& s = after.machine.data();
    auto opened = sessions_.open(s.id, s.session_epoch, s.setup_required, trust_device);
    if (!opened) return opened.status();
    return SessionGranted{opened->token, opened->expires_at, s.setup_required,
                          W::view(after.machine, after.version), opened->device_token};
  }

  Env& env_;
  engine::Engine<W>& records_;
  EventStore& store_;
  const Clock& clock_;
  const AccountOptions& options_;
  CaptchaService captcha_;
  RateLimiter limiter_;
  Codes codes_;
  Sessions sessions_;
  engine::Scratch<W> phantoms_{20'000, std::chrono::hours(1), clock_, engine::in_phase<W>(R::unknown)};
  std::atomic<std::uint64_t> unknown_attempts_{0};
};

}  // namespace onex::security
