// The declaration machine: SPEC.md §5's table, one row per line, and how the creation folds into
// the state. The machine-only rows at the end put a new machine in a saved phase.
#include "declaration/state.h"
#include "engine/msm.h"

namespace onex::declaration {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  // ---- states ----
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Draft : front::state<> { static constexpr auto phase = Phase::draft; };
  struct CityReview : front::state<> { static constexpr auto phase = Phase::city_review; };
  struct ProvinceReview : front::state<> { static constexpr auto phase = Phase::province_review; };
  struct ApprovedState : front::state<> { static constexpr auto phase = Phase::approved; };
  struct RejectedState : front::state<> { static constexpr auto phase = Phase::rejected; };
  struct DeletedState : front::state<> { static constexpr auto phase = Phase::deleted; };
  using initial_state = None;

  // ---- guards: read only the event ----
  using ToCity = If<&Submitted::city_review>;
  using ToProvince = Unless<&Submitted::city_review>;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start           Event         Target          Action  Guard
  // ---------------------------------------------------------------------
    Row< None,           Drafted,      Draft,          Fold,   none       >,
  // ---------------------------------------------------------------------
    Row< Draft,          Edited,       Draft,          Fold,   none       >,
    Row< Draft,          Deleted,      DeletedState,   Fold,   none       >,
    Row< Draft,          Submitted,    CityReview,     Fold,   ToCity     >,
    Row< Draft,          Submitted,    ProvinceReview, Fold,   ToProvince >,
  // ---------------------------------------------------------------------
    Row< CityReview,     CityApproved, ProvinceReview, Fold,   none       >,
    Row< CityReview,     CityRejected, RejectedState,  Fold,   none       >,
  // ---------------------------------------------------------------------
    Row< ProvinceReview, Approved,     ApprovedState,  Fold,   none       >,
    Row< ProvinceReview, Rejected,     RejectedState,  Fold,   none       >,
  // ---------------------------------------------------------------------
    Row< RejectedState,  Edited,       Draft,          Fold,   none       >,
  // --------------------------------------------------------------------- machine only
    Row< None,           Restored,     Draft,          Restore, SavedIn   >,
    Row< None,           Restored,     CityReview,     Restore, SavedIn   >,
    Row< None,           Restored,     ProvinceReview, Restore, SavedIn   >,
    Row< None,           Restored,     ApprovedState,  Restore, SavedIn   >,
    Row< None,           Restored,     RejectedState,  Restore, SavedIn   >,
    Row< None,           Restored,     DeletedState,   Restore, SavedIn   >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Drafted& e) {
  engine::assign(*this, e);  // plan, institution, places, certificate, year, fields
  id = e.declaration_id;
}

struct DeclarationTraits::Back : boost::msm::back::state_machine<machine::Front> {};

std::optional<Phase> phase_after(Phase from, const Event& event) {
  return Machine::phase_after<Restored>(from, event);
}

}  // namespace onex::declaration

template class onex::engine::Machine<onex::declaration::DeclarationTraits>;
template bool onex::engine::Machine<onex::declaration::DeclarationTraits>::restore<
    onex::declaration::Restored>(const onex::declaration::Restored&);
