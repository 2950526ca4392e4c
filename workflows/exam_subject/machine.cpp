// The exam subject machine: created once, active from then on (later changes will be rows here).
#include "engine/msm.h"
#include "exam_subject/state.h"

namespace onex::exam_subject {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Active : front::state<> { static constexpr auto phase = Phase::active; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event     Target  Action   Guard
    Row< None,  Created,  Active, Fold,    none    >,
  // ------------------------------------------------ machine only
    Row< None,  Restored, Active, Restore, SavedIn >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Created& e) {
  engine::assign(*this, e);  // org, certificate, level, code, name, type, duration, scores, audience
  id = e.subject_id;
}

struct Traits::Back : boost::msm::back::state_machine<machine::Front> {};

}  // namespace onex::exam_subject

template class onex::engine::Machine<onex::exam_subject::Traits>;
template bool onex::engine::Machine<onex::exam_subject::Traits>::restore<onex::exam_subject::Restored>(
    const onex::exam_subject::Restored&);
