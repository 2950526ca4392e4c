// An account's read model and view. The read model is its machine's (engine/records.h):
// "account_records" r/<id> → the machine; by/<manager scope>/<seq> → <id> lists each account
// under the scope of whoever manages it: "operator" (province, city, org and auditor accounts),
// "province:<code>" (its leaders and city accounts), "institution:<id>" (its staff).
#include "account/decide.h"
#include "engine/records.h"
#include "onex/rebuild.h"

namespace onex::account {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  const auto& s = m.data();
  std::vector<std::string> keys;
  auto by = [&](const std::string& scope) { keys.push_back("by/" + scope + "/" + std::string(seq)); };
  if (s.role == "province" || s.role == "city" || s.role == "org" || s.role == "auditor") by("operator");
  if (s.role == "leader" || s.role == "city") by("province:" + s.province_code);
  if (s.role == "staff") by("institution:" + s.institution_id);
  return keys;
}

AccountView Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& s = m.data();
  AccountView v;
  v.id = s.id;
  v.stream = engine::stream_of<Workflow>(s.id);
  v.version = version;
  v.account = s.account;
  v.role = s.role;
  v.status = std::string(shown_status(m));
  v.name = s.name;
  v.phone_masked = mask_phone(s.phone);
  v.email = s.email;
  for (const auto& i : s.scope) v.scope.push_back({i.certificate_id, i.level});
  v.province_code = s.province_code;
  v.city_code = s.city_code;
  v.institution_id = s.institution_id;
  v.org_id = s.org_id;
  v.setup_required = s.setup_required;
  if (m.phase() == Phase::locked) v.locked_until = s.locked_until;
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace onex::account
