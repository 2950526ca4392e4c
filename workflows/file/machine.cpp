#include "engine/codec.h"
#include "engine/msm.h"
#include "file/state.h"

namespace onex::file {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Stored : front::state<> { static constexpr auto phase = Phase::stored; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event     Target  Action  Guard
    Row< None,  Uploaded, Stored, Fold,   none >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace machine

struct Traits::Back : machine::Back {};

Result<Event> Workflow::decode(const RecordedEvent& e) { return engine::decode_event<Event>(e); }
NewEvent Workflow::encode(const Event& e) { return engine::encode_event(e); }

}  // namespace onex::file

template class onex::engine::Machine<onex::file::Traits>;
