#include "declaration/machine.h"

namespace onex::declaration {

void State::apply(const Drafted& e) {
  engine::assign(*this, e);  // plan, institution, places, certificate, year, fields
  id = e.declaration_id;
}

struct DeclarationTraits::Back : machine::Back {};

std::optional<Phase> phase_after(Phase from, const Event& event) {
  return Machine::phase_after<Restored>(from, event);
}

}  // namespace onex::declaration

template class onex::engine::Machine<onex::declaration::DeclarationTraits>;
template bool onex::engine::Machine<onex::declaration::DeclarationTraits>::restore<
    onex::declaration::Restored>(const onex::declaration::Restored&);
