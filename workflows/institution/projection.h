// Read model of institutions, "institutions" (its shape is the contract of common/lookups.h):
//   <institution_id> → {"id","stream","version","code","name","province_code","city_code","type",
//                       "registered_by","profile":{...} or null,"profile_complete",
//                       "leader_account_id"}
//   pilot/<institution_id> → [{"year","certificates":[...]}]: years with an approved declaration
//   decl/<declaration_id> → {"institution_id","year","certificate_id"}, from declaration.drafted,
//                       so that declaration.approved can be credited to its institution and year
#pragma once

#include <nlohmann/json.hpp>

#include "onex/institutions.h"
#include "onex/rebuild.h"

namespace onex::institution {

inline constexpr std::string_view kInstitutions = "institutions";

Projections projections();

std::vector<PilotYear> pilot_years_from_json(const nlohmann::json& j);

}  // namespace onex::institution
