// Who sees exam plans (decide.h's rule) on the plan's stream, and how the audit shows one.
#include "common/access.h"
#include "engine/records.h"
#include "exam_plan/decide.h"

namespace onex::exam_plan {

bool pilots_for(const EventStore& store, const Actor& a, const Machine& m) {
  return access::institution_side(a) && m.phase() != Phase::none &&
         lookup::pilots(store, a.institution_id, m.data().certificate_id, year_of(m.data()));
}

namespace {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  auto r = engine::row<Workflow>(store, id);
  return r && sees(a, r->machine, pilots_for(store, a, r->machine));
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "exam_plan", .visible = visible, .state = access::state_of<Workflow>}};
}

}  // namespace onex::exam_plan
