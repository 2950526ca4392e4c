// The exam room machine: created, edited while active, deleted once.
#include "engine/msm.h"
#include "exam_room/state.h"

namespace onex::exam_room {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Active : front::state<> { static constexpr auto phase = Phase::active; };
  struct DeletedState : front::state<> { static constexpr auto phase = Phase::deleted; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start   Event     Target        Action   Guard
    Row< None,   Created,  Active,       Fold,    none    >,
    Row< Active, Edited,   Active,       Fold,    none    >,
    Row< Active, Deleted,  DeletedState, Fold,    none    >,
  // ------------------------------------------------------ machine only
    Row< None,   Restored, Active,       Restore, SavedIn >,
    Row< None,   Restored, DeletedState, Restore, SavedIn >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Created& e) {
  engine::assign(*this, e);  // the fields, plan, site, institution, org
  id = e.room_id;
}

struct Traits::Back : boost::msm::back::state_machine<machine::Front> {};

std::optional<Phase> phase_after(Phase from, const Event& event) { return Machine::phase_after<Restored>(from, event); }

}  // namespace onex::exam_room

template class onex::engine::Machine<onex::exam_room::Traits>;
template bool onex::engine::Machine<onex::exam_room::Traits>::restore<onex::exam_room::Restored>(
    const onex::exam_room::Restored&);
