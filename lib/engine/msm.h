// Running a Boost.MSM machine as a workflow machine. Include only from a workflow's
// machine.cpp (one machine per translation unit: MSM is heavy to compile).
#pragma once

#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/metafunctions.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include <array>
#include <variant>

#include "engine/machine.h"

namespace onex::engine::msm {

namespace front = boost::msm::front;
using front::none;
using front::Row;

template <class T>
struct TypeTag {};  // no nested ::type, so mpl::for_each passes the tag itself

// Every state of a workflow machine names its phase: `static constexpr auto phase = ...;`.
// The phase, not MSM's state id (which follows the table's order), is what code and storage see.
template <class Back, class Phase>
Phase phase_of(const Back& machine) {
  using States = typename boost::msm::back::generate_state_set<typename Back::stt>::type;
  static const auto table = [] {
    std::array<Phase, boost::mpl::size<States>::value> t{};
    boost::mpl::for_each<States, TypeTag<boost::mpl::placeholders::_1>>([&]<class S>(TypeTag<S>) {
      t[boost::msm::back::get_state_id<typename Back::stt, S>::value] = S::phase;
    });
    return t;
  }();
  return table[machine.current_state()[0]];
}

// Feeds one event of the variant to the machine; true only when a transition fired (a refused
// guard or a missing row is false: the engine reports it as an illegal transition).
template <class Back, class Variant>
bool process(Back& machine, const Variant& event) {
  return std::visit(
      [&](const auto& e) { return machine.process_event(e) == boost::msm::back::HANDLED_TRUE; },
      event);
}

// Base for a workflow's front end: keeps its data, and makes a missing row a plain "false".
template <class Derived, class Data>
struct MachineDef : front::state_machine_def<Derived> {
  Data data;
  template <class FSM, class Event>
  void no_transition(const Event&, FSM&, int) {}
  template <class FSM, class Event>
  void exception_caught(const Event&, FSM&, std::exception&) {}
};

// The action of the rows that restore a snapshot: the saved data replaces the machine's.
struct Restore {
  template <class Event, class FSM, class Source, class Target>
  void operator()(const Event& e, FSM& fsm, Source&, Target&) const {
    fsm.data = e.data;
  }
};

// The guard of those rows: the saved phase is the row's target.
struct SavedIn {
  template <class Event, class FSM, class Source, class Target>
  bool operator()(const Event& e, FSM&, Source&, Target&) const {
    return e.phase == Target::phase;
  }
};

// Guards on a bool member of the event, as rows that part on it read: If<&Submitted::city_review>
// and Unless<&Submitted::city_review>.
template <auto Member>
struct If {
  template <class Event, class FSM, class Source, class Target>
  bool operator()(const Event& e, FSM&, Source&, Target&) const { return e.*Member; }
};
template <auto Member>
struct Unless {
  template <class Event, class FSM, class Source, class Target>
  bool operator()(const Event& e, FSM&, Source&, Target&) const { return !(e.*Member); }
};

// The action of nearly every row: fold the event into the machine's data.
struct Fold {
  template <class Event, class FSM, class Source, class Target>
  void operator()(const Event& e, FSM& fsm, Source&, Target&) const {
    fsm.data.apply(e);
  }
};

}  // namespace onex::engine::msm

namespace onex::engine {

template <class T>
Machine<T>::Machine() : back_(std::make_unique<typename T::Back>()) { back_->start(); }
template <class T>
Machine<T>::~Machine() = default;
template <class T>
Machine<T>::Machine(const Machine& o) : back_(std::make_unique<typename T::Back>(*o.back_)) {}
template <class T>
Machine<T>& Machine<T>::operator=(const Machine& o) {
  if (this != &o) back_ = std::make_unique<typename T::Back>(*o.back_);
  return *this;
}
template <class T>
Machine<T>::Machine(Machine&&) noexcept = default;
template <class T>
Machine<T>& Machine<T>::operator=(Machine&&) noexcept = default;
template <class T>
bool Machine<T>::apply(const Event& event) { return msm::process(*back_, event); }
template <class T>
typename T::Phase Machine<T>::phase() const {
  return msm::phase_of<typename T::Back, typename T::Phase>(*back_);
}
template <class T>
const typename T::Data& Machine<T>::data() const { return back_->data; }
template <class T>
template <class Saved>
bool Machine<T>::restore(const Saved& saved) {
  return back_->process_event(saved) == boost::msm::back::HANDLED_TRUE;
}
template <class T>
template <class Saved>
std::optional<typename T::Phase> Machine<T>::phase_after(Phase from, const Event& event) {
  Machine m;
  if (from != Phase{} && !m.restore(Saved{from, {}})) return std::nullopt;
  if (!m.apply(event)) return std::nullopt;
  return m.phase();
}

}  // namespace onex::engine
