// Plans' commands and queries, for DeclarationService (the public API keeps them there).
#pragma once

#include "declaration_plan/decide.h"

namespace onex::declaration_plan {

struct Plans {
  EventStore& store;
  const Clock& clock;
  engine::Engine<Workflow> engine{store, clock};
};

Result<PlanView> publish(Plans& plans, const Caller& caller, const PlanInput& input);
Result<PlanView> read(Plans& plans, const Actor& actor, const std::string& plan_id);
// The plans of the caller's province (an institution's: where the registry has it), oldest first.
Result<std::vector<PlanView>> list(Plans& plans, const Actor& actor);

}  // namespace onex::declaration_plan
