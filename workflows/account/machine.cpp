// The account machine: SPEC.md §2's states, one row per line, and how each event folds into the
// state. Whether first-login setup is pending is data (State::setup_required), not a state.
#include "account/state.h"
#include "engine/msm.h"

namespace onex::account {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Active : front::state<> { static constexpr auto phase = Phase::active; };
  struct LockedState : front::state<> { static constexpr auto phase = Phase::locked; };
  struct DisabledState : front::state<> { static constexpr auto phase = Phase::disabled; };
  struct DeletedState : front::state<> { static constexpr auto phase = Phase::deleted; };
  using initial_state = None;

  // A password reset re-enables only an account that failures disabled (decided, in the event).
  using Reenables = If<&PasswordReset::reenable>;
  using KeepsDisabled = Unless<&PasswordReset::reenable>;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start          Event            Target         Action  Guard
  // -----------------------------------------------------------------------
    Row< None,          Created,         Active,        Fold,   none          >,
  // -----------------------------------------------------------------------
    Row< Active,        SetupCompleted,  Active,        Fold,   none          >,
    Row< Active,        LoginSucceeded,  Active,        Fold,   none          >,
    Row< Active,        LoginFailed,     Active,        Fold,   none          >,
    Row< Active,        Locked,          LockedState,   Fold,   none          >,
    Row< Active,        Disabled,        DisabledState, Fold,   none          >,
    Row< Active,        PasswordReset,   Active,        Fold,   none          >,
    Row< Active,        BindingReset,    Active,        Fold,   none          >,
    Row< Active,        PasswordChanged, Active,        Fold,   none          >,
    Row< Active,        ProfileChanged,  Active,        Fold,   none          >,
    Row< Active,        PhoneChanged,    Active,        Fold,   none          >,
  // -----------------------------------------------------------------------
    Row< LockedState,   Unlocked,        Active,        Fold,   none          >,
    Row< LockedState,   Disabled,        DisabledState, Fold,   none          >,
    Row< LockedState,   PasswordReset,   Active,        Fold,   none          >,
    Row< LockedState,   BindingReset,    LockedState,   Fold,   none          >,
  // -----------------------------------------------------------------------
    Row< DisabledState, Enabled,         Active,        Fold,   none          >,
    Row< DisabledState, Edited,          DisabledState, Fold,   none          >,
    Row< DisabledState, Deleted,         DeletedState,  Fold,   none          >,
    Row< DisabledState, PasswordReset,   Active,        Fold,   Reenables     >,
    Row< DisabledState, PasswordReset,   DisabledState, Fold,   KeepsDisabled >,
    Row< DisabledState, BindingReset,    DisabledState, Fold,   none          >,
  // ----------------------------------------------------------------------- snapshots
    Row< None,          Restored,        Active,        Restore, SavedIn      >,
    Row< None,          Restored,        LockedState,   Restore, SavedIn      >,
    Row< None,          Restored,        DisabledState, Restore, SavedIn      >,
    Row< None,          Restored,        DeletedState,  Restore, SavedIn      >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace machine

void State::apply(const Created& e) {
  engine::assign(*this, e);  // name, role, places, scope, password, issuer
  id = e.account_id;
  name = e.pii.name;
  setup_required = true;
}

void State::apply(const SetupCompleted& e) {
  password_hash = e.password_hash;
  name = e.pii.name;
  phone = e.pii.phone;
  setup_required = false;
  ++session_epoch;
}

void State::apply(const Locked& e) {
  if (auto t = parse_time(e.until)) locked_until = *t;
}

void State::apply(const Edited& e) {
  if (scope != e.scope) ++session_epoch;
  scope = e.scope;
  if (!e.pii.name.empty()) name = e.pii.name;
}

void State::apply(const PasswordReset& e) {
  password_hash = e.password_hash;
  consecutive_failures = checked_failures = 0;
  locked_until = {};
  if (e.reenable) disabled_by.clear();
  if (e.by == "manager") {
    setup_required = true;
    issued_by = e.issued_by;
  }
  ++session_epoch;
}

void State::apply(const BindingReset&) {
  name.clear();
  phone.clear();
  setup_required = true;
  ++session_epoch;
}

void State::apply(const ProfileChanged& e) {
  if (!e.pii.name.empty()) name = e.pii.name;
  email = e.email;
}

struct Traits::Back : machine::Back {};

std::optional<Phase> phase_after(Phase from, const Event& event) {
  return Machine::phase_after<Restored>(from, event);
}

}  // namespace onex::account

template class onex::engine::Machine<onex::account::Traits>;
template bool onex::engine::Machine<onex::account::Traits>::restore<onex::account::Restored>(
    const onex::account::Restored&);
