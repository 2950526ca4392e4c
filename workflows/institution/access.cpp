// Who sees an institution (SPEC.md §4): its accounts, its province, its city and the operator;
// its principal seal (institution.seal_set: the image and the principal) only its leader.
#include "common/access.h"
#include "institution/decide.h"

namespace onex::institution {
namespace {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  const auto registered = access::first_data(store, "institution-" + std::string(id));
  return !registered.is_null() &&
         sees_institution(a, id, access::text_of(registered, "province_code"),
                          access::text_of(registered, "city_code"));
}

void redact(const EventStore&, const Actor& a, std::string_view id, const RecordedEvent& e,
            nlohmann::json& data, std::vector<std::string>& redacted) {
  if (e.type != SealSet::type || sees_seal(a, id)) return;
  data = nlohmann::json::object();
  redacted.push_back("seal");
}

}  // namespace

std::vector<access::Rule> access_rules() {
  return {{.kind = "institution", .visible = visible, .redact = redact}};
}

}  // namespace onex::institution
