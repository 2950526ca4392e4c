// Who sees a quota (SPEC.md §5): its institution's accounts (a scoped staff only its
// certificates') and its province.
#include "common/access.h"
#include "quota/decide.h"

namespace onex::quota {
namespace {

bool visible(const EventStore& store, const Actor& a, std::string_view id) {
  const auto first = access::first_data(store, "quota-" + std::string(id));
  return !first.is_null() &&
         sees(a, access::text_of(first, "institution_id"), access::text_of(first, "province_code"),
              access::text_of(first, "certificate_id"));
}

}  // namespace

std::vector<access::Rule> access_rules() { return {{.kind = "quota", .visible = visible}}; }

}  // namespace onex::quota
