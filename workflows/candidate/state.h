// What a candidate knows after replaying its events, and its machine (machine.cpp): the phase
// is the real-name verification (API.md `verification`).
#pragma once

#include "candidate/events.h"
#include "engine/described.h"
#include "engine/machine.h"

namespace onex::candidate {

enum class Phase { none, unverified, verified, failed, confirmed };
BOOST_DESCRIBE_ENUM(Phase, none, unverified, verified, failed, confirmed)

struct State : Details {
  std::string id, institution_id, person_key;
  std::string name, id_number, phone;  // personal data: empty once erased
  std::string photo_file_id, photo_sha256;
  // The verifier's answer on the current name, ID number and photo: "" while not asked since
  // they changed, "verified", "failed", "unavailable".
  std::string last_check;
  void apply(const Imported& e);
  void apply(const Edited& e);
  void apply(const IdentityReset&) { last_check.clear(); }
  void apply(const PhotoSet& e) { photo_file_id = e.file_id, photo_sha256 = e.sha256, last_check.clear(); }
  void apply(const IdentityChecked& e) { last_check = e.result; }
  void apply(const IdentityConfirmed&) {}
};
BOOST_DESCRIBE_STRUCT(State, (Details), (id, institution_id, person_key, name, id_number, phone, photo_file_id,
                                         photo_sha256, last_check))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

struct Traits {
  using Event = candidate::Event;
  using Data = State;
  using Phase = candidate::Phase;
  static std::string_view name(Phase p) { return engine::enum_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

// The phase `event` leads to from `from`, by the machine's table; nullopt when it has no row.
std::optional<Phase> phase_after(Phase from, const Event& event);

}  // namespace onex::candidate
