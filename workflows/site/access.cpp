// Who sees sites (decide.h's rule) on the site's stream, their contact person, and how the
// audit shows one.
#include "common/access.h"
#include "engine/records.h"
#include "files/sniff.h"
#include "site/decide.h"

namespace onex::site {

std::vector<RecordKind> record_kinds() {
  return {{.kind = "site", .visible = access::by_rule<Workflow, sees>, .personal_data = access::by_rule<Workflow, sees>,
           .state = access::state_of<Workflow>}};
}

// A site's documents (photos of its rooms, floor plans, equipment lists): seen by whoever sees
// the site.
std::vector<files::Purpose> file_purposes() {
  using files::Kind;
  return {{"site_document", 10 * files::kMiB, {Kind::pdf, Kind::doc, Kind::docx, Kind::jpeg, Kind::png}}};
}

}  // namespace onex::site
