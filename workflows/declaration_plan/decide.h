// The rules of declaration plans (SPEC.md §5): who publishes one, what a plan must hold, who
// sees it. Pure functions; no I/O, no clock but the context's `now`.
#pragma once

#include "declaration_plan/state.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "onex/declaration.h"

namespace onex::declaration_plan {

struct Workflow : engine::Codec<declaration_plan::Event> {
  static constexpr std::string_view kind = "declaration_plan";
  using Event = declaration_plan::Event;
  using Machine = declaration_plan::Machine;
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// THE rule of who sees a plan, for get, list and history: its province, the province's cities
// and institutions (and the auditor, through the audit routes).
bool sees(const Actor& actor, std::string_view province_code);

// The province publishes a plan of its own province under the context's id.
Result<Decision> decide_publish(const Machine& plan, const PlanInput& input, const Context& ctx);

}  // namespace onex::declaration_plan
