// Who sees exam subjects (decide.h's rule) on the subject's stream, and how the audit shows one.
#include "common/access.h"
#include "engine/records.h"
#include "exam_subject/decide.h"

namespace onex::exam_subject {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  auto r = engine::row<Workflow>(store, id);
  if (!r) return false;
  const auto& s = r->machine.data();
  const bool pilots = access::institution_side(a) &&
                      lookup::pilots(store, a.institution_id, s.certificate_id);
  return sees(a, s, pilots);
}

std::vector<RecordKind> record_kinds() {
  return {{.kind = "exam_subject", .visible = visible, .state = access::state_of<Workflow>}};
}

}  // namespace onex::exam_subject
