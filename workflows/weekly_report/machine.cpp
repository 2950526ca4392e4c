// The weekly report machine: a report is submitted once and never changes.
#include "engine/msm.h"
#include "weekly_report/state.h"

namespace onex::weekly_report {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct SubmittedState : front::state<> { static constexpr auto phase = Phase::submitted; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event      Target          Action  Guard
    Row< None,  Submitted, SubmittedState, Fold,   none >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace machine

struct Traits::Back : machine::Back {};

}  // namespace onex::weekly_report

template class onex::engine::Machine<onex::weekly_report::Traits>;
