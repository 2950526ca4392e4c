// What a plan knows after replaying its events, and the machine that replays them
// (machine.cpp). A plan is published once; later changes to plans will be rows there.
#pragma once

#include "common/lookups.h"
#include "declaration_plan/events.h"
#include "engine/machine.h"

namespace onex::declaration_plan {

// A plan's state is what other workflows read of it (lookup::PlanRef, with its window rule).
struct State : lookup::PlanRef {
  void apply(const Published& e);
};

struct Traits {
  using Event = declaration_plan::Event;
  using Data = State;
  using Phase = bool;  // published
  static std::string_view name(bool published) { return published ? "published" : "none"; }
  struct Back;
};
using Machine = engine::Machine<Traits>;

}  // namespace onex::declaration_plan
