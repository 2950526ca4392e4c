// Reference data (SPEC.md §3): the registry imports, orgs, certificates and standards are read
// by every signed-in account.
#include "common/access.h"

namespace onex::reference {
namespace {

template <const char* Kind>
bool exists(const EventStore& store, const Actor&, std::string_view id) {
  return !access::first_data(store, std::string(Kind) + "-" + std::string(id)).is_null();
}

constexpr char kRegistry[] = "registry", kOrg[] = "org", kCertificate[] = "certificate",
               kStandard[] = "standard";

}  // namespace

std::vector<access::Rule> access_rules() {
  return {{.kind = kRegistry, .visible = exists<kRegistry>},
          {.kind = kOrg, .visible = exists<kOrg>},
          {.kind = kCertificate, .visible = exists<kCertificate>},
          {.kind = kStandard, .visible = exists<kStandard>}};
}

}  // namespace onex::reference
