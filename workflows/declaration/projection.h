// Read models of plans and declarations.
//
// "declarations":      d/<id> → the declaration as lists show it (DeclarationView as JSON)
//                      i/<institution>/<seq> → <id>, live declarations in creation order
//                      (an institution's counts by status are counted from its list, not kept)
// "declaration_plans": p/<province>/<seq> → the plan (PlanView as JSON, without status)
// "declaration_regions": p/<province>/<seq> → <id>, c/<city>/<seq> → <id>: live declarations
//                      by the institution's province and city, for reviewers' lists;
//                      x/<id> → {"province_code","city_code","seq"} to find them again
// <seq> is the position of the record's first event, 20 digits, so keys sort by age.
#pragma once

#include <nlohmann/json.hpp>

#include "declaration/state.h"
#include "onex/declaration.h"
#include "onex/rebuild.h"

namespace onex::declaration {

inline constexpr std::string_view kDeclarations = "declarations";
inline constexpr std::string_view kPlans = "declaration_plans";
inline constexpr std::string_view kRegions = "declaration_regions";

Projections projections();

// A declaration's view: from its machine (service answers, `onex audit as-of`), and as JSON
// (the read model's d/<id> and the API body), both by the one description in view.h.
DeclarationView view_of(const Machine& m, std::uint64_t version);
// A plan's view from its state; `status` by the clock (plan_status), "" where none applies.
PlanView plan_view_of(const PlanState& p, std::uint64_t version, std::string status);
DeclarationView view_from_json(const nlohmann::json& j);
nlohmann::json to_json(const DeclarationView& v);
PlanView plan_from_json(const nlohmann::json& j);
nlohmann::json to_json(const PlanView& v);

}  // namespace onex::declaration
