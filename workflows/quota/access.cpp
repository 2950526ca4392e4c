// Who sees a quota (SPEC.md §5): its institution's accounts (a scoped staff only its
// certificates') and its province.
#include "common/access.h"
#include "quota/state.h"
#include "quota/decide.h"

namespace onex::quota {
namespace {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  const auto first = access::first_data(store, "quota-" + std::string(id));
  return !first.is_null() &&
         sees(a, access::text_of(first, "institution_id"), access::text_of(first, "province_code"),
              access::text_of(first, "certificate_id"));
}

Result<nlohmann::json> quota_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  const auto& q = m->data();
  return access::shown_record(stream, events, m->state_name(),
               {{"institution_id", q.institution_id},
                {"province_code", q.province_code},
                {"certificate_id", q.certificate_id},
                {"year", q.year},
                {"approved_trainees", q.approved_trainees},
                {"used", q.used}});
}

}  // namespace

std::vector<RecordKind> record_kinds() { return {{.kind = "quota", .visible = visible, .state = quota_state}}; }

}  // namespace onex::quota
