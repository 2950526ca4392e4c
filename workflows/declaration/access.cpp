// Who sees plans and declarations (SPEC.md §5): the rules of decide.h on the read models.
#include <nlohmann/json.hpp>

#include "common/access.h"
#include "declaration/decide.h"
#include "declaration/projection.h"

namespace onex::declaration {
namespace {

bool declaration_visible(const EventStore& store, const Actor& a, std::string_view id) {
  auto row = store.read_model_get(kDeclarations, "d/" + std::string(id));
  if (!row || !*row) return false;
  const auto v = nlohmann::json::parse(**row, nullptr, false);
  return sees(a, {access::text_of(v, "status"), access::text_of(v, "institution_id"),
                  access::text_of(v, "certificate_id"), access::text_of(v, "province_code"),
                  access::text_of(v, "city_code")});
}

bool plan_visible(const EventStore& store, const Actor& a, std::string_view id) {
  const auto published = access::first_data(store, "declaration_plan-" + std::string(id));
  return !published.is_null() && sees_plan(a, access::text_of(published, "province_code"));
}

}  // namespace

std::vector<access::Rule> access_rules() {
  return {{.kind = "declaration", .visible = declaration_visible},
          {.kind = "declaration_plan", .visible = plan_visible}};
}

}  // namespace onex::declaration
