// Who sees invigilators (decide.h's rule) on the invigilator's stream, their personal data, and
// how the audit shows one.
#include "common/access.h"
#include "engine/records.h"
#include "invigilator/decide.h"

namespace onex::invigilator {
namespace {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  auto r = engine::row<Workflow>(store, id);
  return r && sees(a, r->machine.data());
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "invigilator", .visible = visible, .personal_data = visible,
           .state = access::state_of<Workflow>}};
}

}  // namespace onex::invigilator
