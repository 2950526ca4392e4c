#include "declaration/machine.h"

namespace onex::declaration {

std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::none: return "none";
    case Phase::draft: return "draft";
    case Phase::city_review: return "city_review";
    case Phase::province_review: return "province_review";
    case Phase::approved: return "approved";
    case Phase::rejected: return "rejected";
    case Phase::deleted: return "deleted";
  }
  return "none";
}

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

std::optional<Phase> phase_named(std::string_view name) {
  for (auto p : {Phase::none, Phase::draft, Phase::city_review, Phase::province_review,
                 Phase::approved, Phase::rejected, Phase::deleted})
    if (phase_name(p) == name) return p;
  return std::nullopt;
}

std::optional<Phase> phase_after(Phase from, const Event& event) {
  return Machine::phase_after<Restored>(from, event);
}

}  // namespace onex::declaration

template class onex::engine::Machine<onex::declaration::DeclarationTraits>;
