// AccountService's shared state and helpers: the private header of the service's .cpp files
// (service.cpp: sign-in, sessions and one's own account; users.cpp: managed accounts,
// registration codes and notices; credentials.cpp: codes, sessions, device trust, unknown names).
#pragma once

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

inline std::int64_t ms(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_ms(std::int64_t v) { return Timestamp{std::chrono::milliseconds{v}}; }

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
inline Status locked(Timestamp until) {
  return Status::forbidden("account.locked", "the account is locked until " + format_china(until));
}
inline Status disabled() { return Status::forbidden("account.disabled", "the account is disabled"); }
inline Status code_invalid() {
  return Status::unprocessable("sms.code_invalid", "the code is wrong or has expired",
                               {{"code", "invalid", "request a new code"}});
}
inline Status step_up_required() {
  return Status::forbidden("auth.step_up_required",
                           "confirm with a verification code sent to your phone");
}
inline Status rate_limited() {
  return Status::make(StatusKind::rate_limited, "sms.rate_limited",
                      "too many codes: wait a minute (at most 10 a day)");
}
inline Status not_found() { return Status::not_found("account.not_found", "no such account"); }

inline std::string phone_tail(std::string_view phone) {
  return std::string(phone.size() >= 4 ? phone.substr(phone.size() - 4) : phone);
}

}  // namespace

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
    Actor a{.account_id = s.id, .role = s.role, .province_code = s.province_code,
            .city_code = s.city_code, .institution_id = s.institution_id, .org_id = s.org_id};
    if (s.role == "staff")
      for (const auto& entry : s.scope) {
        a.levels.push_back({entry.certificate_id, entry.level});
        if (std::find(a.certificates.begin(), a.certificates.end(), entry.certificate_id) ==
            a.certificates.end())
          a.certificates.push_back(entry.certificate_id);
      }
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
    auto meta = engine::CommandMeta::of(
        {.actor = actor, .command_id = std::move(command_id), .if_match = if_match}, std::move(outcome));
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
                             const std::string& account_id);

  // Checks a code kept under `key`; a wrong one counts, five wrong ones end it.
  Status check_code(const std::string& key, const std::string& code, const std::string& phone,
                    bool consume);

  // A step-up code serves the session that asked for it for its 5 minutes.
  Status check_step_up(const Session& session, const std::string& code);

  // ---- sessions ----
  Result<SessionGranted> grant(const Machine& m, std::uint64_t version, bool trust_device);

  bool trusted(const std::string& device_token, const std::string& account_id);

  // ---- unknown names ----
  Phantom& phantom(const std::string& name);

  std::atomic<std::uint64_t> unknown_attempts{0};

  Result<LoginResult> login_unknown(const LoginInput& in);
};

}  // namespace onex
