// Who sees declarations (SPEC.md §5): the rule of decide.h, on the read model's machines.
#include "common/access.h"
#include "declaration/decide.h"
#include "files/sniff.h"

namespace onex::declaration {

std::vector<RecordKind> record_kinds() {
  return {{.kind = "declaration", .visible = access::by_rule<Workflow, sees>,
           .state = access::state_of<Workflow>}};
}

std::vector<files::Purpose> file_purposes() {
  return {{"declaration_attachment", 10 * files::kMiB, {files::Kind::pdf, files::Kind::doc, files::Kind::docx}}};
}

}  // namespace onex::declaration
