// AccountService's state and its command table: the private header of the service's .cpp files
// (service.cpp: sign-in, sessions and one's own account; users.cpp: managed accounts,
// registration codes and notices). Codes and sessions are lib/security's (security::Codes,
// security::Sessions); what they allow is decided by the account's decide.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>

#include "account/decide.h"
#include "common/lookups.h"
#include "common/reactions.h"
#include "engine/scratch.h"
#include "security/captcha.h"
#include "security/codes.h"
#include "security/rate_limit.h"
#include "security/secrets.h"
#include "security/sessions.h"
#include "util/hash.h"
#include "util/identifiers.h"

namespace onex {
namespace account {

using std::chrono::minutes;
using security::captcha_required;
using security::code_invalid;
using security::invalid_credentials;
using security::step_up_required;
using security::unauthenticated;

// What the commands read and write besides their account.
struct Env {
  EventStore& store;
  const Clock& clock;
  SmsGateway& sms;
  AccountOptions options;
  bool ready = (security::init(), true);  // libsodium, before anything draws random bytes
  engine::Engine<Workflow> accounts{store, clock};
  security::CaptchaService captcha{clock};
  security::RateLimiter limiter{clock};
  security::Codes codes{store, clock, sms, limiter, options.secret_key};
  security::Sessions sessions{store, clock, {options.session_idle, options.session_absolute,
                                             options.device_trust}};

  // Unknown account names get the answers a real account would: active account machines in
  // memory, which the account's own rules (decide_failure) lock and disable. Each is kept an
  // hour after its last attempt (a lock lasts 15 minutes); past 20,000 kept, a new unknown
  // name is refused (429) rather than another's state forgotten. Keyed by a keyed digest:
  // no typed name stays in memory.
  engine::Scratch<Workflow> phantoms{20'000, std::chrono::hours(1), clock, [] {
    Machine m;
    (void)m.restore(Restored{Phase::active, State{}});
    return m;
  }()};
  std::atomic<std::uint64_t> unknown_attempts{0};

  // The account as it is now (shared; not to be modified); not_found when there is none.
  Result<std::shared_ptr<const engine::Engine<Workflow>::Loaded>> current(const std::string& id) {
    if (!util::plain_id(id)) return not_found();
    auto loaded = accounts.current(engine::stream_of<Workflow>(id));
    if (!loaded) return loaded.status();
    if ((*loaded)->machine.phase() == Phase::none) return not_found();
    return *loaded;
  }

  Result<AccountView> view(const std::string& id) {
    auto loaded = current(id);
    if (!loaded) return loaded.status();
    return Workflow::view((*loaded)->machine, (*loaded)->version);
  }

  Result<std::optional<std::string>> id_of_name(const std::string& name) {
    if (!valid_account_name(name)) return std::optional<std::string>{};
    auto owner = store.claim_owner(lookup::account_name_key(name));
    if (!owner) return owner.status();
    if (!*owner) return std::optional<std::string>{};
    return std::optional<std::string>{(*owner)->substr(std::string_view("account-").size())};
  }

  // A step-up code serves the session that asked for it for its 5 minutes.
  Status check_step_up(const Session& session, const std::string& code) {
    if (code.empty()) return step_up_required();
    const Status s = codes.check("code/step_up/" + session.id, code, "", false).status();
    if (s.code() == "sms.code_invalid") return step_up_required();
    return s;
  }

  // Field errors of a staff scope: each certificate must exist and have the level.
  Status check_scope(const std::vector<ScopeEntry>& scope) const {
    auto errors = lookup::scope_errors(store, scope);
    if (errors.empty()) return {};
    return Status::unprocessable("validation.failed", "the scope names unknown certificates or levels",
                                 std::move(errors));
  }

  // The signed-in caller as its account is now.
  static Actor actor_of(const State& s) {
    Actor a{.account_id = s.id, .role = s.role, .province_code = s.province_code,
            .city_code = s.city_code, .institution_id = s.institution_id, .org_id = s.org_id};
    if (s.role != "staff") return a;
    a.levels = s.scope;
    for (const auto& entry : s.scope)
      if (std::find(a.certificates.begin(), a.certificates.end(), entry.certificate_id) ==
          a.certificates.end())
        a.certificates.push_back(entry.certificate_id);
    return a;
  }

  // `step(command, input)` carries a command out on the account (appended; in memory for an
  // unknown name) and answers the machine after it.
  template <class Step>
  Result<Machine> gate(const LoginInput& in, Machine m, Step&& step, const std::string& hash);
  Result<LoginResult> login_unknown(const LoginInput& in);
  Result<SessionGranted> grant(const Caller& self, const std::string& second_factor, bool trust_device);
};

template <class In>
using Command = engine::Command<Workflow, Env, In>;

// The command table.
// Other workflows react to creations and resets (a leader names its institution's leader).
inline constexpr auto kReactions = reactions::stage<Workflow, Env>;
inline const Command<Create> kCreate{.decide = decide_create, .stage = kReactions};
inline const Command<Failure> kFailure{.id = engine::input_id<Failure>, .decide = decide_failure};
inline const Command<Target> kUnlock{.id = engine::input_id<Target>, .decide = decide_unlock};
inline const Command<Login> kLogin{.id = engine::input_id<Login>, .decide = decide_login};
inline const Command<Setup> kSetup{.id = engine::input_id<Setup>, .decide = decide_setup};
inline const Command<Profile> kProfile{.id = engine::input_id<Profile>, .decide = decide_profile};
inline const Command<NewPassword> kPasswordChange{.id = engine::input_id<NewPassword>,
                                                  .decide = decide_password_change};
inline const Command<Phone> kPhone{.id = engine::input_id<Phone>, .decide = decide_phone};
inline const Command<Edit> kEdit{.id = engine::input_id<Edit>, .decide = decide_edit};
inline const Command<Target> kDisable{.id = engine::input_id<Target>, .decide = decide_disable};
inline const Command<Target> kEnable{.id = engine::input_id<Target>, .decide = decide_enable};
inline const Command<Target> kDelete{.id = engine::input_id<Target>, .decide = decide_delete};
inline const Command<ResetPassword> kResetPassword{.id = engine::input_id<ResetPassword>,
                                                   .decide = decide_reset_password,
                                                   .stage = kReactions};
inline const Command<Target> kResetBinding{.id = engine::input_id<Target>, .decide = decide_reset_binding,
                                           .stage = kReactions};

}  // namespace account

struct AccountService::Impl : account::Env {};

}  // namespace onex
