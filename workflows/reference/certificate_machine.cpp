// The certificate machine: a certificate is created once; later changes will be rows here.
#include "engine/msm.h"
#include "reference/state.h"

namespace onex::reference {
namespace certificate_machine {

using namespace engine::msm;

struct Front : MachineDef<Front, CertificateState> {
  struct None : front::state<> { static constexpr bool phase = false; };
  struct Active : front::state<> { static constexpr bool phase = true; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event               Target  Action  Guard
    Row< None,  CertificateCreated, Active, Fold,   none >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace certificate_machine

struct CertificateTraits::Back : certificate_machine::Back {};

}  // namespace onex::reference

template class onex::engine::Machine<onex::reference::CertificateTraits>;
