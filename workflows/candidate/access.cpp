// Who sees candidates (decide.h's rule) on the candidate's stream, their personal data and
// their photos, and how the audit shows one.
#include "candidate/decide.h"
#include "common/access.h"
#include "engine/records.h"
#include "files/sniff.h"

namespace onex::candidate {
namespace {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  auto r = engine::row<Workflow>(store, id);
  return r && sees(a, r->machine.data());
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "candidate", .visible = visible, .personal_data = visible,
           .state = access::state_of<Workflow>}};
}

// The ID photos (295×413, red background, checked before they are stored: files/photos.h),
// the ZIPs they come in and the tables of an import or batch update (their body limits).
std::vector<files::Purpose> file_purposes() {
  using files::Kind;
  return {{"candidate_photo", 5 * files::kMiB, {Kind::jpeg, Kind::png}},
          {"photo_archive", 512 * files::kMiB, {Kind::zip}},
          {"import_sheet", 20 * files::kMiB, {Kind::xlsx, Kind::csv}}};
}

}  // namespace onex::candidate
