// The standard machine (SPEC.md §3, §1.7): published enabled or disabled by its org, then
// revised by it; a revision's status decides the state it leaves the standard in.
#include "engine/msm.h"
#include "reference/state.h"

namespace onex::reference {
namespace standard_machine {

using namespace engine::msm;

struct Front : MachineDef<Front, StandardState> {
  // ---- states ----
  struct None : front::state<> { static constexpr auto phase = StandardPhase::none; };
  struct Enabled : front::state<> { static constexpr auto phase = StandardPhase::enabled; };
  struct Disabled : front::state<> { static constexpr auto phase = StandardPhase::disabled; };
  using initial_state = None;

  // ---- guards: read only the event ----
  struct ToEnabled {
    template <class E, class M, class S, class T>
    bool operator()(const E& e, M&, S&, T&) const { return e.fields.status == "enabled"; }
  };
  struct ToDisabled {
    template <class E, class M, class S, class T>
    bool operator()(const E& e, M&, S&, T&) const { return e.fields.status == "disabled"; }
  };

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start     Event              Target    Action  Guard
  // -----------------------------------------------------------------
    Row< None,     StandardPublished, Enabled,  Fold,   ToEnabled  >,
    Row< None,     StandardPublished, Disabled, Fold,   ToDisabled >,
  // -----------------------------------------------------------------
    Row< Enabled,  StandardRevised,   Enabled,  Fold,   ToEnabled  >,
    Row< Enabled,  StandardRevised,   Disabled, Fold,   ToDisabled >,
  // -----------------------------------------------------------------
    Row< Disabled, StandardRevised,   Enabled,  Fold,   ToEnabled  >,
    Row< Disabled, StandardRevised,   Disabled, Fold,   ToDisabled >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace standard_machine

struct StandardTraits::Back : standard_machine::Back {};

}  // namespace onex::reference

template class onex::engine::Machine<onex::reference::StandardTraits>;
