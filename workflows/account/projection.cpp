// An account's read model and view. The read model is its machine's (engine/records.h):
// "account_records" r/<id> → the machine; by/<manager scope>/<seq> → <id> lists each account
// under the scope of whoever manages it: "operator" (province, city, org and auditor accounts),
// "province:<code>" (its leaders and city accounts), "institution:<id>" (its staff).
#include <span>

#include "account/decide.h"
#include "engine/records.h"
#include "engine/schema.h"
#include "onex/rebuild.h"
#include "onex/schemas.h"

namespace onex::account {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  const auto& s = m.data();
  std::vector<std::string> keys;
  for (const Actor& manager : {Actor{.role = "operator"}, Actor{.role = "province", .province_code = s.province_code},
                               Actor{.role = "leader", .institution_id = s.institution_id}})
    if (manages(manager, s.role, s.province_code, s.institution_id))
      keys.push_back("by/" + manager_scope(manager) + "/" + std::string(seq));
  return keys;
}

AccountView Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& s = m.data();
  AccountView v;
  engine::assign(v, s);  // id, name, role, person, scope, places, setup
  v.stream = engine::stream_of<Workflow>(s.id);
  v.version = version;
  v.status = std::string(shown_status(m));
  v.phone_masked = mask_phone(s.phone);
  if (m.phase() == Phase::locked) v.locked_until = s.locked_until;
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace onex::account

nlohmann::json onex::account_schemas() {
  auto status = engine::phases_of<account::Phase>();
  status["enum"].insert(status["enum"].begin(), "provisioned");
  const std::span managed(std::begin(account::kRoles) + 1, std::end(account::kRoles));  // not the operator
  return {{"AccountStatus", status}, {"Role", engine::one_of(account::kRoles)}, {"NewRole", engine::one_of(managed)}};
}
