// A machine as a snapshot, and back: the phase by its name (Phase described with
// BOOST_DESCRIBE_ENUM) and the described State, restored through the machine-only
// engine::Restored event (the table's rows msm::Restore / msm::SavedIn). The engine keeps snapshots of workflows
// with `snapshot_every` (engine.h); read models kept by machines hold them (records.h).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/described.h"
#include "engine/machine.h"
#include "onex/status.h"

namespace onex::engine {

// A machine as a snapshot: {"phase": its phase's name, "state": its described State}.
template <class W>
nlohmann::json snapshot(const typename W::Machine& m) {
  return {{"phase", enum_name(m.phase())}, {"state", m.data()}};
}

// The machine a snapshot holds; store.corruption for one that is unreadable or names a phase
// the table cannot restore.
template <class W>
Result<typename W::Machine> restore(const nlohmann::json& saved) {
  using Phase = typename W::Machine::Phase;
  try {
    Restored<Phase, typename W::Machine::Data> r;
    r.phase = enum_named<Phase>(saved.at("phase").template get<std::string>()).value_or(Phase{});
    r.data = saved.at("state").template get<typename W::Machine::Data>();
    typename W::Machine m;
    if (r.phase == Phase{} || !m.restore(r)) return Status::corruption("a snapshot with an unknown phase");
    return m;
  } catch (const nlohmann::json::exception& e) {
    return Status::corruption(std::string("unreadable snapshot: ") + e.what());
  }
}

// A machine in `phase` with a default State: what a record that does not exist is taken to be
// (engine::Scratch's machines).
template <class W>
typename W::Machine in_phase(typename W::Machine::Phase phase) {
  typename W::Machine m;
  (void)m.restore(Restored<typename W::Machine::Phase, typename W::Machine::Data>{phase, {}});
  return m;
}

}  // namespace onex::engine
