// Who sees plans (decide.h's rule) on the plan's stream, and how the audit shows one.
#include "common/access.h"
#include "declaration_plan/decide.h"
#include "declaration_plan/projection.h"

namespace onex::declaration_plan {
namespace {

bool plan_visible(const EventStore& store, const Actor& a, std::string_view id) {
  const auto plan = lookup::plan(store, id);
  return plan && sees(a, plan->province_code);
}

Result<nlohmann::json> plan_state(const std::string& stream,
                                  const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  // The plan as the API shows it, less what belongs to the stream or the clock.
  auto record = json_of(view_of(m->data(), 0, ""));
  for (const char* member : {"stream", "version", "status"}) record.erase(member);
  return access::shown_record(stream, events, m->state_name(), std::move(record));
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "declaration_plan", .visible = plan_visible, .state = plan_state}};
}

}  // namespace onex::declaration_plan
