// AccountService: accounts through the engine; sessions, codes, device trust and initial
// passwords in the store's secrets (hashed or sealed, never in the log).
#include <algorithm>
#include <atomic>
#include <deque>
#include <memory>
#include <set>
#include <mutex>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "account/decide.h"
#include "account/projection.h"
#include "common/lookups.h"
#include "institution/decide.h"
#include "security/captcha.h"
#include "security/rate_limit.h"
#include "security/secrets.h"
#include "util/hash.h"
#include "util/identifiers.h"

namespace onex {

using namespace account;
using nlohmann::json;
using std::chrono::minutes;

namespace {

constexpr auto kCodeLife = minutes(5);
constexpr int kCodeTries = 5;
constexpr std::size_t kPhantoms = 10'000;

std::int64_t ms(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp from_ms(std::int64_t v) { return Timestamp{std::chrono::milliseconds{v}}; }

Status unauthenticated() {
  return Status::make(StatusKind::unauthenticated, "auth.unauthenticated",
                      "sign in: the session is unknown or has ended");
}
Status invalid_credentials() {
  return Status::make(StatusKind::unauthenticated, "auth.invalid_credentials",
                      "the account name or password is wrong");
}
Status captcha_required() {
  return Status::make(StatusKind::unauthenticated, "auth.captcha_required",
                      "answer the image captcha to sign in");
}
Status locked(Timestamp until) {
  return Status::forbidden("account.locked", "the account is locked until " + format_china(until));
}
Status disabled() { return Status::forbidden("account.disabled", "the account is disabled"); }
Status code_invalid() {
  return Status::unprocessable("sms.code_invalid", "the code is wrong or has expired",
                               {{"code", "invalid", "request a new code"}});
}
Status step_up_required() {
  return Status::forbidden("auth.step_up_required",
                           "confirm with a verification code sent to your phone");
}
Status rate_limited() {
  return Status::make(StatusKind::rate_limited, "sms.rate_limited",
                      "too many codes: wait a minute (at most 10 a day)");
}
Status not_found() { return Status::not_found("account.not_found", "no such account"); }

std::string phone_tail(std::string_view phone) {
  return std::string(phone.size() >= 4 ? phone.substr(phone.size() - 4) : phone);
}

}  // namespace

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.empty() ? "" : "****");
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

struct AccountService::Impl {
  EventStore& store;
  const Clock& clock;
  SmsGateway& sms;
  AccountOptions options;
  engine::Engine<Workflow> accounts;
  engine::Engine<institution::Workflow> institutions;  // a leader's institution record
  security::CaptchaService captcha;
  security::RateLimiter limiter;

  // Unknown account names get the answers a real account would: a bounded in-memory table.
  struct Phantom {
    int failures = 0;
    Timestamp locked_until{};
    bool disabled = false;
  };
  std::mutex mutex;
  std::unordered_map<std::string, Phantom> phantoms;
  std::deque<std::string> phantom_order;
  std::unordered_map<std::string, Timestamp> last_seen;  // session id → last request

  // Accounts as last read, so that reads skip the engine's scan of the stream (every
  // authenticated request reads the caller's account, GET /api/v1/account twice). An entry
  // serves while the log has not moved since it was read (head_position, in memory), or while
  // its stream's head still has its version (one point lookup).
  using Loaded = engine::Engine<Workflow>::Loaded;
  struct Recent {
    std::shared_ptr<const Loaded> loaded;
    std::uint64_t log_position = 0;  // the head of the log, read before the account
  };
  static constexpr std::size_t kRecent = 10'000;
  std::mutex recent_mutex;
  std::unordered_map<std::string, Recent> recent;

  // Session records as last parsed, with the stored text they came from: each request still
  // reads its session's record (an ended session ends at once) but parses it only when it
  // changed.
  struct SessionRecord {
    std::string account_id;
    int epoch = -1;
    bool setup = false;
    Timestamp created_at{}, last_seen{};
  };
  static constexpr std::size_t kParsedSessions = 10'000;
  std::unordered_map<std::string, std::pair<std::string, SessionRecord>> parsed_sessions;  // by id

  Impl(EventStore& s, const Clock& c, SmsGateway& g, AccountOptions o)
      : store(s), clock(c), sms(g), options(std::move(o)), accounts(s, c), institutions(s, c), captcha(c), limiter(c) {
    security::init();
    if (options.secret_key.size() != 32) options.secret_key = security::random_key();
  }

  // ---- secrets as JSON ----
  Result<std::optional<json>> secret(const std::string& key) {
    auto v = store.get_secret(key);
    if (!v) return v.status();
    if (!*v) return std::optional<json>{};
    auto j = json::parse(**v, nullptr, false);
    if (j.is_discarded()) return std::optional<json>{};
    return std::optional<json>{std::move(j)};
  }
  Status put(const std::string& key, const json& value) { return store.put_secret(key, value.dump()); }

  // The session record stored under session/<sid>, if any (unreadable text counts as none).
  Result<std::optional<SessionRecord>> session_record(const std::string& sid) {
    auto raw = store.get_secret("session/" + sid);
    if (!raw) return raw.status();
    if (!*raw) return std::optional<SessionRecord>{};
    {
      std::lock_guard lock(mutex);
      if (auto it = parsed_sessions.find(sid); it != parsed_sessions.end() && it->second.first == **raw)
        return std::optional<SessionRecord>{it->second.second};
    }
    const auto j = json::parse(**raw, nullptr, false);
    if (j.is_discarded()) return std::optional<SessionRecord>{};
    SessionRecord r{j.value("account_id", ""), j.value("epoch", -1), j.value("setup", false),
                    from_ms(j.value("created_at", std::int64_t{0})),
                    from_ms(j.value("last_seen", std::int64_t{0}))};
    std::lock_guard lock(mutex);
    if (parsed_sessions.size() >= kParsedSessions) parsed_sessions.clear();
    parsed_sessions[sid] = {std::move(**raw), r};
    return std::optional<SessionRecord>{std::move(r)};
  }

  // ---- loading ----
  // The account as it is now; not_found when there is none. Shared, not to be modified.
  Result<std::shared_ptr<const Loaded>> shared_load(const std::string& id) {
    if (id.empty() || id.size() > 64 ||
        !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c); }))
      return not_found();
    // Appends publish the log's head after they are written: an account read when the head
    // was P has every event up to P.
    const std::uint64_t position = store.head_position();
    {
      std::lock_guard lock(recent_mutex);
      if (auto it = recent.find(id); it != recent.end() && it->second.log_position == position)
        return it->second.loaded;
    }
    const std::string stream = engine::stream_of<Workflow>(id);
    auto head = store.stream_head(stream);
    if (!head) return head.status();
    {
      std::lock_guard lock(recent_mutex);
      if (auto it = recent.find(id); it != recent.end() && it->second.loaded->version == head->version) {
        it->second.log_position = position;
        return it->second.loaded;
      }
    }
    auto loaded = accounts.load(stream);
    if (!loaded) return loaded.status();
    if (loaded->machine.phase() == Phase::none) return not_found();
    auto shared = std::make_shared<const Loaded>(std::move(*loaded));
    std::lock_guard lock(recent_mutex);
    if (recent.size() >= kRecent) recent.clear();
    auto& r = recent[id];
    if (!r.loaded || r.loaded->version <= shared->version) r = {shared, position};
    return shared;
  }

  Result<Loaded> load(const std::string& id) {
    auto shared = shared_load(id);
    if (!shared) return shared.status();
    return Loaded(**shared);
  }

  Result<std::optional<std::string>> id_of_name(const std::string& name) {
    if (!valid_account_name(name)) return std::optional<std::string>{};
    auto owner = store.claim_owner(name_key(name));
    if (!owner) return owner.status();
    if (!*owner) return std::optional<std::string>{};
    return std::optional<std::string>{(*owner)->substr(std::string_view("account-").size())};
  }

  static AccountView view(const Machine& m, std::uint64_t version) {
    const auto& s = m.data();
    AccountView v;
    v.id = s.id;
    v.stream = engine::stream_of<Workflow>(s.id);
    v.version = version;
    v.account = s.account;
    v.role = s.role;
    v.status = std::string(shown_status(m));
    v.name = s.name;
    v.phone_masked = mask_phone(s.phone);
    v.email = s.email;
    for (const auto& i : s.scope) v.scope.push_back({i.certificate_id, i.level});
    v.province_code = s.province_code;
    v.city_code = s.city_code;
    v.institution_id = s.institution_id;
    v.org_id = s.org_id;
    v.setup_required = s.setup_required;
    if (m.phase() == Phase::locked) v.locked_until = s.locked_until;
    return v;
  }

  static Actor actor_of(const State& s) {
    Actor a{s.id, s.role, s.province_code, s.city_code, s.institution_id, s.org_id, {}};
    if (s.role == "staff")
      for (const auto& entry : s.scope)
        if (std::find(a.certificates.begin(), a.certificates.end(), entry.certificate_id) ==
            a.certificates.end())
          a.certificates.push_back(entry.certificate_id);
    return a;
  }

  template <class Decide>
  Result<engine::Outcome> run(const std::string& id, const Actor& actor, Decide&& decide,
                              std::string command_id = {}, std::optional<std::uint64_t> if_match = {},
                              std::string outcome = {}) {
    return run_with(id, actor, std::forward<Decide>(decide),
                    [](const Decision&, Timestamp) -> Result<std::vector<StreamAppend>> {
                      return std::vector<StreamAppend>{};
                    },
                    std::move(command_id), if_match, std::move(outcome));
  }

  // As run, with appends to other streams that commit with the account's (its institution's).
  template <class Decide, class Extend>
  Result<engine::Outcome> run_with(const std::string& id, const Actor& actor, Decide&& decide,
                                   Extend&& extend, std::string command_id = {},
                                   std::optional<std::uint64_t> if_match = {},
                                   std::string outcome = {}) {
    engine::CommandMeta meta{actor, std::move(command_id), {}, {}, if_match, std::move(outcome)};
    return accounts.execute(engine::stream_of<Workflow>(id), meta,
                            [&](const Machine& m, std::uint64_t, Timestamp now) {
                              return decide(m, now);
                            },
                            std::forward<Extend>(extend));
  }

  // The institution's history keeps the province's reset of its leader (binding or password).
  Result<std::vector<StreamAppend>> leader_reset(const State& account, const std::string& what) {
    std::vector<StreamAppend> out;
    if (account.role != "leader" || !util::valid_institution_code(account.institution_id))
      return out;
    const std::string stream = engine::stream_of<institution::Workflow>(account.institution_id);
    auto loaded = institutions.load(stream);
    if (!loaded) return loaded.status();
    auto events = institution::decide_leader_reset(loaded->machine, account.id, what);
    if (events.empty()) return out;
    auto staged = institutions.stage(stream, events);
    if (!staged) return staged.status();
    out.push_back(std::move(*staged));
    return out;
  }

  // Field errors of a staff scope: each certificate must exist and have the level.
  std::vector<FieldError> scope_errors(const std::vector<ScopeEntry>& scope) {
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < scope.size(); ++i) {
      const std::string at = "scope[" + std::to_string(i) + "]";
      auto c = lookup::certificate(store, scope[i].certificate_id);
      if (!c) {
        errors.push_back({at + ".certificate_id", "certificate.not_found", "no such certificate"});
        continue;
      }
      if (std::find(c->levels.begin(), c->levels.end(), scope[i].level) == c->levels.end())
        errors.push_back({at + ".level", "invalid_level",
                          "the certificate " + c->name + " has no level " + scope[i].level});
    }
    return errors;
  }

  Result<AccountView> current(const std::string& id) {
    auto loaded = shared_load(id);
    if (!loaded) return loaded.status();
    return view((*loaded)->machine, (*loaded)->version);
  }

  // ---- codes ----
  Result<CodeSent> send_code(const std::string& key, const std::string& phone,
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
  Status check_code(const std::string& key, const std::string& code, const std::string& phone,
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
  Status check_step_up(const Session& session, const std::string& code) {
    if (code.empty()) return step_up_required();
    auto s = check_code("code/step_up/" + session.id, code, "", false);
    if (s.code() == "sms.code_invalid") return step_up_required();
    return s;
  }

  // ---- sessions ----
  Result<SessionGranted> grant(const Machine& m, std::uint64_t version, bool trust_device) {
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

  bool trusted(const std::string& device_token, const std::string& account_id) {
    if (device_token.empty() || device_token.size() > 100) return false;
    auto d = secret("device/" + security::digest(device_token));
    return d && *d && (**d).value("account_id", "") == account_id &&
           clock.now() < from_ms((**d).value("until", std::int64_t{0}));
  }

  // ---- unknown names ----
  Phantom& phantom(const std::string& name) {
    auto it = phantoms.find(name);
    if (it != phantoms.end()) return it->second;
    if (phantoms.size() >= kPhantoms) {
      phantoms.erase(phantom_order.front());
      phantom_order.pop_front();
    }
    phantom_order.push_back(name);
    return phantoms[name];
  }

  std::atomic<std::uint64_t> unknown_attempts{0};

  Result<LoginResult> login_unknown(const LoginInput& in) {
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
};

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

// ---- users ----

Result<AccountPage> AccountService::list_users(const Session& session, const std::string& status,
                                               std::size_t page, std::size_t page_size) {
  const auto& a = session.actor;
  std::string scope;
  if (a.role == "operator") scope = "operator";
  else if (a.role == "province") scope = "province:" + a.province_code;
  else if (a.role == "leader") scope = "institution:" + a.institution_id;
  else return Status::forbidden("auth.forbidden", "the role " + a.role + " manages no accounts");
  static const std::set<std::string> statuses{"", "provisioned", "active", "locked", "disabled",
                                              "deleted"};
  if (!statuses.count(status))
    return Status::unprocessable("validation.failed", "unknown status",
                                 {{"status", "invalid", "provisioned, active, locked, disabled or deleted"}});
  auto index = impl_->store.read_model_scan(kAccounts, "by/" + scope + "/");
  if (!index) return index.status();
  AccountPage out;
  const std::size_t first = (std::max<std::size_t>(page, 1) - 1) * page_size;
  for (const auto& [key, id] : *index) {
    auto row = impl_->store.read_model_get(kAccounts, "a/" + id);
    if (!row) return row.status();
    if (!*row) continue;
    auto v = view_from_json(json::parse(**row, nullptr, false));
    if (!status.empty() && v.status != status) continue;
    if (status.empty() && v.status == "deleted") continue;
    if (out.total >= first && out.items.size() < page_size) out.items.push_back(std::move(v));
    ++out.total;
  }
  return out;
}

Result<CreatedAccount> AccountService::create_user(const Session& session, const NewAccount& input,
                                                   const std::string& verification_code,
                                                   const std::string& command_id) {
  auto& I = *impl_;
  const auto& a = session.actor;
  NewAccount in = input;
  // What the manager's own scope fixes, the request cannot choose.
  if (a.role == "leader") {
    in.institution_id = a.institution_id;
    in.province_code = a.province_code;
    in.city_code = a.city_code;
  }
  if (a.role == "province") in.province_code = a.province_code;
  if (in.role != "city") in.city_code = in.role == "staff" ? in.city_code : "";
  if (in.role == "province" || in.role == "org" || in.role == "auditor") in.institution_id.clear();
  if (auto s = check_new_account(in, a); !s) return s;
  // What other workflows know: the registry institution a leader leads (its province and city
  // come from the registry), the certificates of a staff scope, an org account's org.
  std::optional<lookup::RegistryEntry> entry;
  if (in.role == "leader") {
    if (util::valid_institution_code(in.institution_id))
      entry = lookup::registry_entry(I.store, in.institution_id);
    if (!entry || entry->province_code != a.province_code)
      return Status::unprocessable(
          "institution.not_in_registry", "no institution with this code in your province's registry",
          {{"institution_id", "institution.not_in_registry",
            "the 10-digit registry code of an institution of your province"}});
    in.institution_id = entry->code;
    in.province_code = entry->province_code;
    in.city_code = entry->city_code;
  }
  if (in.role == "staff" && !in.scope.empty()) {
    auto errors = I.scope_errors(in.scope);
    if (!errors.empty())
      return Status::unprocessable("validation.failed", "the scope names unknown certificates or levels",
                                   std::move(errors));
  }
  if (in.role == "org" && !lookup::org(I.store, in.org_id))
    return Status::unprocessable("validation.failed", "no such org",
                                 {{"org_id", "org.not_found", "no org with this id"}});
  if (auto s = I.check_step_up(session, verification_code); !s) return s;

  const std::string id = util::random_id();
  const std::string password = security::random_password();
  const std::string hash = security::hash_password(password);
  auto outcome = I.run_with(
      id, a,
      [&](const Machine& m, Timestamp) { return decide_create(m, id, in, hash, a.account_id); },
      [&](const Decision&, Timestamp) -> Result<std::vector<StreamAppend>> {
        std::vector<StreamAppend> out;
        if (!entry) return out;
        // The institution record (created now when it does not exist) names its leader.
        const std::string stream = engine::stream_of<institution::Workflow>(entry->code);
        auto loaded = I.institutions.load(stream);
        if (!loaded) return loaded.status();
        auto events = institution::decide_leader(loaded->machine, *entry, id, in.account, "province");
        if (!events) return events.status();
        auto staged = I.institutions.stage(stream, *events);
        if (!staged) return staged.status();
        out.push_back(std::move(*staged));
        return out;
      },
      command_id, std::nullopt, id);
  if (!outcome) return outcome.status();
  const std::string created = outcome->replayed ? outcome->outcome : id;
  if (!outcome->replayed)
    if (auto s = I.store.put_secret("initial/" + id, security::seal(I.options.secret_key, password)); !s)
      return s;
  auto shown = initial_password(session, created);
  auto v = I.current(created);
  if (!v) return v.status();
  return CreatedAccount{*v, shown ? *shown : std::string()};
}

Result<AccountView> AccountService::get_user(const Session& session, const std::string& id) {
  auto loaded = impl_->load(id);
  if (!loaded) return loaded.status();
  if (auto s = check_manager(loaded->machine.data(), session.actor); !s) return s;
  // A deleted account is gone for its manager: an unknown id (it stays in the log and in lists
  // filtered by status=deleted).
  if (loaded->machine.phase() == Phase::deleted) return not_found();
  return Impl::view(loaded->machine, loaded->version);
}

Result<std::string> AccountService::initial_password(const Session& session, const std::string& id) {
  auto& I = *impl_;
  auto loaded = I.load(id);
  if (!loaded) return loaded.status();
  const auto& s = loaded->machine.data();
  if (auto st = check_manager(s, session.actor); !st) return st;
  // Only its issuer reads an initial password again (API.md): another manager of the account
  // is told nothing more than that there is none for it.
  if (loaded->machine.phase() == Phase::deleted || s.issued_by.empty() ||
      s.issued_by != session.actor.account_id)
    return not_found();
  auto sealed = I.store.get_secret("initial/" + id);
  if (!sealed) return sealed.status();
  if (!s.setup_required || !*sealed)
    return Status::conflict("account.password_already_changed",
                            "the user has replaced the initial password");
  return security::open(I.options.secret_key, **sealed);
}

Result<AccountView> AccountService::edit_user(const Session& session, const std::string& id,
                                              const std::optional<std::string>& name,
                                              const std::optional<std::vector<ScopeEntry>>& scope,
                                              const std::string& verification_code,
                                              std::optional<std::uint64_t> if_match) {
  auto& I = *impl_;
  auto target = get_user(session, id);
  if (!target) return target.status();
  if (auto s = I.check_step_up(session, verification_code); !s) return s;
  std::optional<std::vector<ScopeItem>> items;
  if (scope) {
    // Other roles have no scope at all: decide_edit refuses it naming "scope".
    auto errors = target->role == "staff" ? I.scope_errors(*scope) : std::vector<FieldError>{};
    if (!errors.empty())
      return Status::unprocessable("validation.failed", "the scope names unknown certificates or levels",
                                   std::move(errors));
    items.emplace();
    for (const auto& e : *scope) items->push_back({e.certificate_id, e.level});
  }
  auto outcome = I.run(id, session.actor,
                       [&](const Machine& m, Timestamp) {
                         return decide_edit(m, session.actor, name, items);
                       },
                       {}, if_match);
  if (!outcome) return outcome.status();
  return I.current(id);
}

Result<AccountView> AccountService::disable_user(const Session& session, const std::string& id) {
  if (auto s = get_user(session, id); !s) return s.status();
  auto outcome = impl_->run(id, session.actor, [&](const Machine& m, Timestamp) {
    return decide_disable(m, session.actor);
  });
  if (!outcome) return outcome.status();
  return impl_->current(id);
}

Result<AccountView> AccountService::enable_user(const Session& session, const std::string& id) {
  if (auto s = get_user(session, id); !s) return s.status();
  auto outcome = impl_->run(id, session.actor, [&](const Machine& m, Timestamp) {
    return decide_enable(m, session.actor);
  });
  if (!outcome) return outcome.status();
  return impl_->current(id);
}

Status AccountService::delete_user(const Session& session, const std::string& id) {
  if (auto s = get_user(session, id); !s) return s.status();
  return impl_
      ->run(id, session.actor,
            [&](const Machine& m, Timestamp) { return decide_delete(m, session.actor); })
      .status();
}

Result<std::string> AccountService::reset_password(const Session& session, const std::string& id,
                                                   const std::string& verification_code) {
  auto& I = *impl_;
  if (auto s = get_user(session, id); !s) return s.status();
  if (auto s = I.check_step_up(session, verification_code); !s) return s;
  const std::string password = security::random_password();
  const std::string hash = security::hash_password(password);
  State target;
  auto outcome = I.run_with(
      id, session.actor,
      [&](const Machine& m, Timestamp) {
        target = m.data();
        return decide_reset_password(m, hash, "manager", session.actor.account_id);
      },
      [&](const Decision&, Timestamp) { return I.leader_reset(target, "password"); });
  if (!outcome) return outcome.status();
  if (auto s = I.store.put_secret("initial/" + id, security::seal(I.options.secret_key, password)); !s)
    return s;
  return password;
}

Result<AccountView> AccountService::reset_binding(const Session& session, const std::string& id,
                                                  const std::string& verification_code) {
  auto& I = *impl_;
  if (auto s = get_user(session, id); !s) return s.status();
  if (auto s = I.check_step_up(session, verification_code); !s) return s;
  State target;
  auto outcome = I.run_with(
      id, session.actor,
      [&](const Machine& m, Timestamp) {
        target = m.data();
        return decide_reset_binding(m, session.actor);
      },
      [&](const Decision&, Timestamp) { return I.leader_reset(target, "binding"); });
  if (!outcome) return outcome.status();
  return I.current(id);
}

// ---- institution self-registration and notices ----

Result<CodeSent> AccountService::send_registration_code(const std::string& phone,
                                                        const std::string& captcha_id,
                                                        const std::string& captcha_answer,
                                                        const std::string& client_address) {
  auto& I = *impl_;
  if (!valid_phone(phone))
    return Status::unprocessable("validation.failed", "not a mobile phone number",
                                 {{"phone", "invalid", "a mainland mobile number, 1[3-9] and 9 digits"}});
  if (I.options.captcha &&
      (captcha_id.empty() || captcha_id.size() > 128 || !I.captcha.check(captcha_id, captcha_answer)))
    return captcha_required();
  if (!client_address.empty() &&
      !I.limiter.allow("registration-client:" + client_address, {{30, std::chrono::hours(1)}}))
    return rate_limited();
  const std::string p = normal_phone(phone);
  return I.send_code("code/registration/" + p, p, "registration", client_address, "");
}

Status AccountService::check_registration_code(const std::string& phone, const std::string& code) {
  if (!valid_phone(phone) || code.empty()) return code_invalid();
  const std::string p = normal_phone(phone);
  return impl_->check_code("code/registration/" + p, code, p, true);
}

Status AccountService::notify(const std::string& account_id, const std::string& text) {
  auto& I = *impl_;
  auto loaded = I.shared_load(account_id);
  if (!loaded) return loaded.status();
  const auto& phone = (*loaded)->machine.data().phone;
  if (phone.empty() || (*loaded)->machine.phase() == Phase::deleted) return {};
  return I.sms.send(SmsMessage{I.clock.now(), phone, "notice", "", text});
}

}  // namespace onex
