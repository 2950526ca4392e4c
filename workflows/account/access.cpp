// Who sees an account (SPEC.md §2): the account itself and its manager, personal data included.
#include "account/decide.h"
#include "common/access.h"

namespace onex::account {
namespace {

bool mine_or_managed(const EventStore& store, const Actor& a, std::string_view id) {
  if (id == a.account_id) return true;
  const auto created = access::first_data(store, "account-" + std::string(id));
  return !created.is_null() &&
         manages(a, access::text_of(created, "role"), access::text_of(created, "province_code"),
                 access::text_of(created, "institution_id"));
}

}  // namespace

std::vector<access::Rule> access_rules() {
  return {{.kind = "account", .visible = mine_or_managed, .personal_data = mine_or_managed}};
}

}  // namespace onex::account
