// Who sees exam rooms (decide.h's rule) on the room's stream, and how the audit shows one.
#include "common/access.h"
#include "engine/records.h"
#include "exam_room/decide.h"

namespace onex::exam_room {

std::vector<RecordKind> record_kinds() {
  return {{.kind = "exam_room", .visible = access::by_rule<Workflow, sees>, .state = access::state_of<Workflow>}};
}

}  // namespace onex::exam_room
