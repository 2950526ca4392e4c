// An account's read model and view. The read model is its machine's (engine/records.h):
// "account_records" r/<id> → the machine; by/<manager scope>/<seq> → <id> lists each account
// under the scope of whoever manages it: "operator" (province, city, org and auditor accounts),
// "province:<code>" (its leaders and city accounts), "institution:<id>" (its staff).
#include "account/decide.h"
#include "engine/records.h"
#include "onex/rebuild.h"

namespace onex {
// The members of an account's view, listed once.
BOOST_DESCRIBE_STRUCT(AccountView, (), (id, stream, version, account, role, status, name, phone_masked,
                                        email, scope, province_code, city_code, institution_id,
                                        org_id, setup_required, locked_until))
}  // namespace onex

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
