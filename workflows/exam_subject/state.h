// What an exam subject knows after replaying its events, and its machine (machine.cpp).
#pragma once

#include "engine/described.h"
#include "engine/machine.h"
#include "exam_subject/events.h"

namespace onex::exam_subject {

enum class Phase { none, active };
BOOST_DESCRIBE_ENUM(Phase, none, active)

struct State {
  std::string id, org_id, certificate_id, level, code, name, exam_type;
  int duration_minutes = 0, full_score = 0, pass_score = 0;
  std::vector<std::string> audience;
  void apply(const Created& e);
};
BOOST_DESCRIBE_STRUCT(State, (), (id, org_id, certificate_id, level, code, name, exam_type,
                                  duration_minutes, full_score, pass_score, audience))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

struct Traits {
  using Event = exam_subject::Event;
  using Data = State;
  using Phase = exam_subject::Phase;
  static std::string_view name(Phase p) { return engine::enum_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

}  // namespace onex::exam_subject
