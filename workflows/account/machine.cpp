#include "account/machine.h"

namespace onex::account {

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
