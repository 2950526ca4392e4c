// AccountService's state and its command table: the private header of the service's .cpp files
// (service.cpp: one's own account and signing in; users.cpp: managed accounts, registration and
// notices). Signing in, its codes, sessions and credentials are lib/security's (security::SignInOf); what they
// allow is decided by the account's decide, through SignInRules below.
#pragma once

#include <memory>

#include "account/decide.h"
#include "common/lookups.h"
#include "common/reactions.h"
#include "security/sign_in.h"

namespace onex {
namespace account {

// What the commands read and write besides their account.
struct Env {
  EventStore& store;
  const Clock& clock;
  SmsGateway& sms;
  AccountOptions options;
  bool ready = (security::init(), true);  // libsodium, before anything draws random bytes
  engine::Engine<Workflow> accounts{store, clock};
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

// What signing in (security::SignInOf) runs on an account: the commands above and the rules of
// decide.h. An unknown name is an active account of its own; a deleted account answers as one.
// Only an active or locked account holds a session.
struct SignInRules {
  using Workflow = account::Workflow;
  using Env = account::Env;
  static inline const auto& unlock = kUnlock;
  static inline const auto& failure = kFailure;
  static inline const auto& login = kLogin;
  static inline const auto& reset = kResetPassword;
  static inline const auto& setup = kSetup;
  static inline const auto& password_change = kPasswordChange;
  static inline const auto& phone_change = kPhone;
  static bool valid_name(std::string_view name) { return account::valid_name(name); }
  static Status check(const Machine& m) { return check_sign_in(m); }
  static bool locked(const Machine& m) { return m.phase() == Phase::locked; }
  static bool captcha_due(const Machine& m) { return account::captcha_due(m); }
  static bool gone(const Machine& m) { return m.phase() == Phase::deleted; }
  static bool in_session(const Machine& m) { return m.phase() == Phase::active || locked(m); }
  static Actor actor(const Machine& m) { return actor_of(m.data()); }
  static constexpr Phase unknown = Phase::active;
  static Result<std::optional<std::string>> id_of_name(Env& env, const std::string& name) {
    if (!valid_account_name(name)) return std::optional<std::string>{};
    auto owner = env.store.claim_owner(lookup::account_name_key(name));
    if (!owner) return owner.status();
    if (!*owner) return std::optional<std::string>{};
    return std::optional<std::string>{(*owner)->substr(std::string_view("account-").size())};
  }
};

}  // namespace account

struct AccountService::Impl : account::Env {
  security::SignInOf<account::SignInRules> sign_in{*this, accounts, store, clock, sms, options};
};

}  // namespace onex
