// Who sees declarations (SPEC.md §5): the rule of decide.h, on the read model's machines.
#include "common/access.h"
#include "declaration/decide.h"
#include "files/sniff.h"

namespace onex::declaration {
namespace {

Result<nlohmann::json> declaration_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  auto record = json_of(Workflow::view(*m, 0));
  record.erase("version");
  return access::shown_record(stream, events, m->state_name(), std::move(record));
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "declaration", .visible = access::by_rule<Workflow, sees>, .state = declaration_state}};
}

std::vector<files::Purpose> file_purposes() {
  return {{"declaration_attachment", 10 * files::kMiB, {files::Kind::pdf, files::Kind::doc, files::Kind::docx}}};
}

}  // namespace onex::declaration
