// The registry import machine: an import is one or more chunks of rows, appended together.
#include "engine/msm.h"
#include "reference/state.h"

namespace onex::reference {
namespace registry_machine {

using namespace engine::msm;

struct Front : MachineDef<Front, RegistryState> {
  struct None : front::state<> { static constexpr bool phase = false; };
  struct Imported : front::state<> { static constexpr bool phase = true; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start     Event         Target    Action  Guard
    Row< None,     RowsImported, Imported, Fold,   none >,
    Row< Imported, RowsImported, Imported, Fold,   none >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace registry_machine

struct RegistryTraits::Back : registry_machine::Back {};

}  // namespace onex::reference

template class onex::engine::Machine<onex::reference::RegistryTraits>;
