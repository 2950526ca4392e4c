// What an invigilator knows after replaying its events, and its machine (machine.cpp).
#pragma once

#include "engine/described.h"
#include "engine/machine.h"
#include "invigilator/events.h"

namespace onex::invigilator {

enum class Phase { none, submitted, certified, rejected };
BOOST_DESCRIBE_ENUM(Phase, none, submitted, certified, rejected)

struct State {
  std::string id, institution_id, org_id;
  std::vector<std::string> certificate_ids;
  std::string name, id_number, phone;  // personal data: empty once erased
  std::string person_key;
  std::string reason;                  // of a rejection
  void apply(const Submitted& e);
  void apply(const Certified&) {}
  void apply(const Rejected& e) { reason = e.reason; }
};
BOOST_DESCRIBE_STRUCT(State, (), (id, institution_id, org_id, certificate_ids, name, id_number, phone, person_key,
                                  reason))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

struct Traits {
  using Event = invigilator::Event;
  using Data = State;
  using Phase = invigilator::Phase;
  static std::string_view name(Phase p) { return engine::enum_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

// The phase `event` leads to from `from`, by the machine's table; nullopt when it has no row.
std::optional<Phase> phase_after(Phase from, const Event& event);

}  // namespace onex::invigilator
