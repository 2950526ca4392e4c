// What an account knows after replaying its events, and its machine (table: machine.cpp).
#pragma once

#include <optional>
#include <string_view>

#include "account/events.h"
#include "engine/machine.h"
#include "onex/clock.h"

namespace onex::account {

enum class Phase { none, active, locked, disabled, deleted };
BOOST_DESCRIBE_ENUM(Phase, none, active, locked, disabled, deleted)


struct State {
  std::string id, account, role, province_code, city_code, institution_id, org_id, issued_by;
  std::vector<CertificateLevel> scope;
  std::string name, phone, email;
  std::string password_hash;
  bool setup_required = true;     // until the user binds name and phone and sets a password
  int consecutive_failures = 0;   // wrong passwords since the last successful login
  int checked_failures = 0;       // of those, the ones past a captcha: they disable
  Timestamp locked_until{};
  std::string disabled_by;        // "manager" or "failures" while disabled
  // Raised by everything that ends the account's sessions (disable, delete, password or
  // binding reset, setup, password change, scope change): a session remembers the epoch it
  // began in and is valid only while it is current.
  int session_epoch = 0;

  void apply(const Created& e);
  void apply(const SetupCompleted& e);
  void apply(const LoginSucceeded&) { consecutive_failures = checked_failures = 0; }
  void apply(const LoginFailed& e) {
    consecutive_failures = e.consecutive_failures;
    checked_failures = e.checked_failures < 0 ? e.consecutive_failures : e.checked_failures;
  }
  void apply(const Locked& e);
  void apply(const Unlocked&) { locked_until = {}; }
  void apply(const Disabled& e) { disabled_by = e.by; ++session_epoch; }
  void apply(const Enabled&) { disabled_by.clear(); consecutive_failures = checked_failures = 0; }
  void apply(const Edited& e);
  void apply(const Deleted&) { ++session_epoch; }
  void apply(const PasswordReset& e);
  void apply(const BindingReset&);
  void apply(const PasswordChanged& e) { password_hash = e.password_hash; ++session_epoch; }
  void apply(const ProfileChanged& e);
  void apply(const PhoneChanged& e) { phone = e.pii.phone; }
};

// The members a snapshot and the read model keep (engine/snapshot.h).
BOOST_DESCRIBE_STRUCT(State, (), (id, account, role, province_code, city_code, institution_id,
                                  org_id, issued_by, scope, name, phone, email, password_hash,
                                  setup_required, consecutive_failures, checked_failures,
                                  locked_until, disabled_by,
                                  session_epoch))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

// The phase an account in `from` reaches by `event`, by the machine's table (nullopt: no
// transition).
std::optional<Phase> phase_after(Phase from, const Event& event);

struct Traits {
  using Event = account::Event;
  using Data = State;
  using Phase = account::Phase;
  static std::string_view name(Phase p) { return engine::enum_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

}  // namespace onex::account
