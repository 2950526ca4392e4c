// Who sees an account (SPEC.md §2): decide.h's rule (the account itself and its manager),
// personal data included.
#include "account/decide.h"
#include "common/access.h"
#include "onex/accounts.h"

namespace onex::account {
namespace {

// As `onex audit as-of` has always shown an account: its view, with the failures counted and
// without stream, status and lock.
Result<nlohmann::json> account_state(const std::string& stream, const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  auto record = engine::api_json(Workflow::view(*m, 0));
  for (const char* key : {"stream", "version", "status", "locked_until"}) record.erase(key);
  record["consecutive_failures"] = m->data().consecutive_failures;
  return access::shown_record(stream, events, shown_status(*m), std::move(record));
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  constexpr auto rule = access::by_rule<Workflow, sees>;
  return {{.kind = "account", .visible = rule, .personal_data = rule, .state = account_state}};
}

}  // namespace onex::account
