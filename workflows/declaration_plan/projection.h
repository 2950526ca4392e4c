// The read model of plans.
//
// "declaration_plans": p/<province>/<seq> → the plan (PlanView as JSON, without status);
// <seq> is the position of the plan's event, 20 digits, so a province's plans sort by age.
#pragma once

#include <nlohmann/json.hpp>

#include "declaration_plan/state.h"
#include "onex/declaration.h"
#include "onex/rebuild.h"

namespace onex::declaration_plan {

inline constexpr std::string_view kPlans = "declaration_plans";

Projections projections();

// A plan's view from its state; `status` by the clock (PlanRef::status), "" where none applies.
PlanView view_of(const State& p, std::uint64_t version, std::string status);
PlanView from_json(const nlohmann::json& j);

}  // namespace onex::declaration_plan
