// What an exam room knows after replaying its events, and its machine (machine.cpp).
#pragma once

#include "engine/described.h"
#include "engine/machine.h"
#include "exam_room/events.h"

namespace onex::exam_room {

enum class Phase { none, active, deleted };
BOOST_DESCRIBE_ENUM(Phase, none, active, deleted)

struct State : Fields {
  std::string id, exam_plan_id, site_id, institution_id, org_id;
  void apply(const Created& e);
  void apply(const Edited& e) { static_cast<Fields&>(*this) = e; }
  void apply(const Deleted&) {}
};
BOOST_DESCRIBE_STRUCT(State, (Fields), (id, exam_plan_id, site_id, institution_id, org_id))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

struct Traits {
  using Event = exam_room::Event;
  using Data = State;
  using Phase = exam_room::Phase;
  static std::string_view name(Phase p) { return engine::enum_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

std::optional<Phase> phase_after(Phase from, const Event& event);

}  // namespace onex::exam_room
