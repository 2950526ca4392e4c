// What a declaration knows after replaying its events, and the machine that replays them
// (its transition table: machine.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "declaration/events.h"
#include "engine/described.h"
#include "engine/machine.h"

namespace onex::declaration {

enum class Phase { none, draft, city_review, province_review, approved, rejected, deleted };
BOOST_DESCRIBE_ENUM(Phase, none, draft, city_review, province_review, approved, rejected, deleted)

// The JSON word for a phase: "draft", "city_review", ... ("none": no such declaration).
inline std::string_view phase_name(Phase p) { return engine::enum_name(p); }
inline std::optional<Phase> phase_named(std::string_view name) { return engine::enum_named<Phase>(name); }

struct State {
  std::string id, plan_id, institution_id, province_code, city_code, certificate_id;
  int year = 0;
  Fields fields;
  bool city_approved = false;  // passed its city's review
  int approved_trainees = 0;
  std::string rejection_reason;
  std::string rejected_by;  // "city" or "province"

  void apply(const Drafted& e);
  void apply(const Edited& e) { fields = e.fields; }
  void apply(const Deleted&) {}
  void apply(const Submitted&) { city_approved = false; rejection_reason.clear(); rejected_by.clear(); }
  void apply(const CityApproved&) { city_approved = true; }
  void apply(const CityRejected& e) { rejection_reason = e.reason; rejected_by = "city"; }
  void apply(const Approved& e) { approved_trainees = e.approved_trainees; }
  void apply(const Rejected& e) { rejection_reason = e.reason; rejected_by = "province"; }
};
BOOST_DESCRIBE_STRUCT(State, (), (id, plan_id, institution_id, province_code, city_code,
                                  certificate_id, year, fields, city_approved, approved_trainees,
                                  rejection_reason, rejected_by))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

// The phase a declaration in `from` reaches by `event`, by the machine's table (nullopt: no
// transition).
std::optional<Phase> phase_after(Phase from, const Event& event);

struct DeclarationTraits {
  using Event = declaration::Event;
  using Data = State;
  using Phase = declaration::Phase;
  static std::string_view name(Phase p) { return phase_name(p); }
  struct Back;
};
using Machine = engine::Machine<DeclarationTraits>;

}  // namespace onex::declaration
