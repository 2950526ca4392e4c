// A workflow's state machine behind a plain, light interface: the Boost.MSM back end stays in
// the workflow's machine.cpp (one machine per translation unit).
//
// Traits names the workflow's pieces and forward-declares the back end:
//   struct Traits { using Event = ...; using Data = ...; using Phase = ...;
//                   static std::string_view name(Phase); struct Back; };
// machine.cpp defines `struct Traits::Back : boost::msm::back::state_machine<Front> {};`,
// includes engine/msm.h and instantiates `template class engine::Machine<Traits>;`.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace onex::engine {

// Not an event of the log: what puts a new machine in a saved phase with its data (snapshots,
// read models, phase_after), through the table's machine-only rows (msm::Restore, msm::SavedIn).
template <class Phase, class Data>
struct Restored {
  Phase phase{};
  Data data;
};

template <class Traits>
class Machine {
 public:
  using Event = typename Traits::Event;
  using Data = typename Traits::Data;
  using Phase = typename Traits::Phase;

  Machine();  // started, in the initial state
  ~Machine();
  Machine(const Machine&);
  Machine& operator=(const Machine&);
  Machine(Machine&&) noexcept;
  Machine& operator=(Machine&&) noexcept;

  // True when the event is a transition from the current state; then the machine has taken it.
  bool apply(const Event& event);
  Phase phase() const;
  std::string_view state_name() const { return Traits::name(phase()); }
  const Data& data() const;

  // For workflows with snapshots: `saved` is a machine-only event whose rows lead from the
  // initial state to each saved phase (msm::Restore, msm::SavedIn). True when the machine took
  // the saved state. Instantiated in the workflow's machine.cpp.
  template <class Saved>
  bool restore(const Saved& saved);

  // The phase a machine in `from` reaches by `event`, read off the transition table (a fresh
  // machine restored in `from` through `Saved`, then given the event); nullopt when the event
  // is no transition from there. Projections take their state names from here, so that no
  // status word is derived from events anywhere but the table. Instantiated in machine.cpp.
  template <class Saved>
  static std::optional<Phase> phase_after(Phase from, const Event& event);

 private:
  std::unique_ptr<typename Traits::Back> back_;
};

}  // namespace onex::engine
