// Who sees sites (decide.h's rule) on the site's stream, their contact person, and how the
// audit shows one.
#include "common/access.h"
#include "engine/records.h"
#include "site/decide.h"

namespace onex::site {

std::vector<RecordKind> record_kinds() {
  return {{.kind = "site", .visible = access::by_rule<Workflow, sees>, .personal_data = access::by_rule<Workflow, sees>,
           .state = access::state_of<Workflow>}};
}

}  // namespace onex::site
