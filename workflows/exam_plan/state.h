// What an exam plan knows after replaying its events, and its machine (machine.cpp).
#pragma once

#include "engine/described.h"
#include "engine/machine.h"
#include "exam_plan/events.h"

namespace onex::exam_plan {

enum class Phase { none, draft, published };
BOOST_DESCRIBE_ENUM(Phase, none, draft, published)

// The plan's fields as its creation recorded them (times as UTC text).
struct State : Created {
  std::string id;
  void apply(const Created& e);
  void apply(const Published&) {}
};
BOOST_DESCRIBE_STRUCT(State, (Created), (id))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

struct Traits {
  using Event = exam_plan::Event;
  using Data = State;
  using Phase = exam_plan::Phase;
  static std::string_view name(Phase p) { return engine::enum_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

}  // namespace onex::exam_plan
