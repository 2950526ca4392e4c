// Who sees declarations (SPEC.md §5): the rules of decide.h on the read models.
#include <nlohmann/json.hpp>

#include "common/access.h"
#include "files/sniff.h"
#include "declaration/decide.h"
#include "declaration/projection.h"

namespace onex::declaration {
namespace {

bool declaration_visible(const EventStore& store, const Actor& a, std::string_view id) {
  auto row = store.read_model_get(kDeclarations, "d/" + std::string(id));
  if (!row || !*row) return false;
  const auto v = nlohmann::json::parse(**row, nullptr, false);
  return sees(a, {access::text_of(v, "status"), access::text_of(v, "institution_id"),
                  access::text_of(v, "certificate_id"), access::text_of(v, "province_code"),
                  access::text_of(v, "city_code")});
}

Result<nlohmann::json> declaration_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  auto record = json_of(view_of(*m, 0));
  record.erase("version");
  return access::shown_record(stream, events, m->state_name(), std::move(record));
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "declaration", .visible = declaration_visible, .state = declaration_state}};
}

std::vector<files::Purpose> file_purposes() {
  return {{"declaration_attachment", 10 * files::kMiB, {files::Kind::pdf, files::Kind::doc, files::Kind::docx}}};
}

}  // namespace onex::declaration
