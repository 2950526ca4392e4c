#include "engine/codec.h"
#include "engine/msm.h"
#include "quota/state.h"

namespace onex::quota {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Open : front::state<> { static constexpr auto phase = Phase::open; };
  using initial_state = None;

  // A quota is opened by a grant. `None → Adjusted` is here only so that histories recorded
  // before 0.2 (a province could set a quota from nothing) still replay: decide_adjust refuses
  // a quota no approval granted (quota.not_found), so no command reaches this row any more.
  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event     Target  Action  Guard
    Row< None,  Granted,  Open,   Fold,   none >,
    Row< None,  Adjusted, Open,   Fold,   none >,  // recorded histories only (see above)
  // -----------------------------------------------
    Row< Open,  Granted,  Open,   Fold,   none >,
    Row< Open,  Adjusted, Open,   Fold,   none >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace machine

void State::apply(const Granted& e) {
  institution_id = e.institution_id;
  province_code = e.province_code;
  certificate_id = e.certificate_id;
  year = e.year;
  approved_trainees += e.trainees;
}

void State::apply(const Adjusted& e) {
  institution_id = e.institution_id;
  province_code = e.province_code;
  certificate_id = e.certificate_id;
  year = e.year;
  approved_trainees = e.approved_trainees;
}

struct Traits::Back : machine::Back {};

Result<Event> Workflow::decode(const RecordedEvent& e) { return engine::decode_event<Event>(e); }
NewEvent Workflow::encode(const Event& e) { return engine::encode_event(e); }

}  // namespace onex::quota

template class onex::engine::Machine<onex::quota::Traits>;
