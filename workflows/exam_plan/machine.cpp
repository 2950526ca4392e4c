// The exam plan machine: drafted, then published once (its later phases come from the clock).
#include "engine/msm.h"
#include "exam_plan/state.h"

namespace onex::exam_plan {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Draft : front::state<> { static constexpr auto phase = Phase::draft; };
  struct PublishedState : front::state<> { static constexpr auto phase = Phase::published; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event      Target          Action   Guard
    Row< None,  Created,   Draft,          Fold,    none    >,
    Row< Draft, Published, PublishedState, Fold,    none    >,
  // ------------------------------------------------------- machine only
    Row< None,  Restored,  Draft,          Restore, SavedIn >,
    Row< None,  Restored,  PublishedState, Restore, SavedIn >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Created& e) {
  static_cast<Created&>(*this) = e;
  id = e.plan_id;
}

struct Traits::Back : boost::msm::back::state_machine<machine::Front> {};

}  // namespace onex::exam_plan

template class onex::engine::Machine<onex::exam_plan::Traits>;
template bool onex::engine::Machine<onex::exam_plan::Traits>::restore<onex::exam_plan::Restored>(
    const onex::exam_plan::Restored&);
