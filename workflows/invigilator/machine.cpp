// The invigilator machine: submitted once, then certified or rejected by the org, once.
#include "engine/msm.h"
#include "invigilator/state.h"

namespace onex::invigilator {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct SubmittedState : front::state<> { static constexpr auto phase = Phase::submitted; };
  struct CertifiedState : front::state<> { static constexpr auto phase = Phase::certified; };
  struct RejectedState : front::state<> { static constexpr auto phase = Phase::rejected; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start           Event      Target          Action   Guard
    Row< None,           Submitted, SubmittedState, Fold,    none    >,
    Row< SubmittedState, Certified, CertifiedState, Fold,    none    >,
    Row< SubmittedState, Rejected,  RejectedState,  Fold,    none    >,
  // ---------------------------------------------------------------- machine only
    Row< None,           Restored,  SubmittedState, Restore, SavedIn >,
    Row< None,           Restored,  CertifiedState, Restore, SavedIn >,
    Row< None,           Restored,  RejectedState,  Restore, SavedIn >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Submitted& e) {
  engine::assign(*this, e);  // institution, org, certificates, person key
  id = e.invigilator_id;
  name = e.pii.name, id_number = e.pii.id_number, phone = e.pii.phone;
}

struct Traits::Back : boost::msm::back::state_machine<machine::Front> {};

std::optional<Phase> phase_after(Phase from, const Event& event) { return Machine::phase_after<Restored>(from, event); }

}  // namespace onex::invigilator

template class onex::engine::Machine<onex::invigilator::Traits>;
template bool onex::engine::Machine<onex::invigilator::Traits>::restore<onex::invigilator::Restored>(
    const onex::invigilator::Restored&);
