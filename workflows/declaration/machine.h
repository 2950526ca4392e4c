// The declaration machine: SPEC.md §5's table, one row per line. Included only by machine.cpp.
// The machine-only rows at the end put a new machine in a saved phase (read model, phase_after).
#pragma once

#include "declaration/state.h"
#include "engine/msm.h"

namespace onex::declaration::machine {

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
  struct ToCity {
    template <class E, class M, class S, class T>
    bool operator()(const E& e, M&, S&, T&) const { return e.city_review; }
  };
  struct ToProvince {
    template <class E, class M, class S, class T>
    bool operator()(const E& e, M&, S&, T&) const { return !e.city_review; }
  };

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

using Back = boost::msm::back::state_machine<Front>;

}  // namespace onex::declaration::machine
