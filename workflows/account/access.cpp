// Who sees an account (SPEC.md §2): decide.h's rule (the account itself and its manager),
// personal data included.
#include "account/decide.h"
#include "common/access.h"
#include "onex/accounts.h"

namespace onex::account {
namespace {

Result<nlohmann::json> account_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  const auto& a = m->data();
  nlohmann::json scope = nlohmann::json::array();
  for (const auto& s : a.scope) scope.push_back({{"certificate_id", s.certificate_id}, {"level", s.level}});
  return access::shown_record(stream, events, shown_status(*m),
               {{"id", a.id},
                {"account", a.account},
                {"role", a.role},
                {"name", a.name},
                {"phone_masked", mask_phone(a.phone)},
                {"email", a.email},
                {"scope", scope},
                {"province_code", a.province_code},
                {"city_code", a.city_code},
                {"institution_id", a.institution_id},
                {"org_id", a.org_id},
                {"setup_required", a.setup_required},
                {"consecutive_failures", a.consecutive_failures}});
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  constexpr auto rule = access::by_rule<Workflow, sees>;
  return {{.kind = "account", .visible = rule, .personal_data = rule, .state = account_state}};
}

}  // namespace onex::account
