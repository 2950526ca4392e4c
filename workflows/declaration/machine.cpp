#include "declaration/machine.h"

namespace onex::declaration {

void State::apply(const Drafted& e) {
  id = e.declaration_id;
  plan_id = e.plan_id;
  institution_id = e.institution_id;
  province_code = e.province_code;
  city_code = e.city_code;
  certificate_id = e.certificate_id;
  year = e.year;
  fields = e.fields;
}

struct DeclarationTraits::Back : machine::Back {};

std::optional<Phase> phase_after(Phase from, const Event& event) {
  return Machine::phase_after<Restored>(from, event);
}

}  // namespace onex::declaration

template class onex::engine::Machine<onex::declaration::DeclarationTraits>;
template bool onex::engine::Machine<onex::declaration::DeclarationTraits>::restore<
    onex::declaration::Restored>(const onex::declaration::Restored&);
