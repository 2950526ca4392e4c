// The weekly-report settings machine: a province configures, and may configure again.
#include "engine/msm.h"
#include "weekly_report/state.h"

namespace onex::weekly_report {
namespace settings_machine {

using namespace engine::msm;

struct Front : MachineDef<Front, SettingsState> {
  struct None : front::state<> { static constexpr auto phase = SettingsPhase::none; };
  struct Configured : front::state<> { static constexpr auto phase = SettingsPhase::configured; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start       Event        Target      Action  Guard
    Row< None,       SettingsSet, Configured, Fold,   none >,
    Row< Configured, SettingsSet, Configured, Fold,   none >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace settings_machine

struct SettingsTraits::Back : settings_machine::Back {};

}  // namespace onex::weekly_report

template class onex::engine::Machine<onex::weekly_report::SettingsTraits>;
