// The institution machine (SPEC.md §4). One leader per institution: a leader is assigned only
// while there is none (the province resets the leader account instead of replacing it).
#include "engine/msm.h"
#include "institution/state.h"

namespace onex::institution {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  // ---- states ----
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Active : front::state<> { static constexpr auto phase = Phase::registered; };
  using initial_state = None;

  // ---- guards: read only the event and the machine's data ----
  struct NoLeader {
    template <class E, class M, class S, class T>
    bool operator()(const E&, M& m, S&, T&) const { return m.data.leader_account_id.empty(); }
  };
  struct IsLeader {
    template <class E, class M, class S, class T>
    bool operator()(const E& e, M& m, S&, T&) const {
      return !e.account_id.empty() && e.account_id == m.data.leader_account_id;
    }
  };

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start   Event           Target  Action  Guard
  // ------------------------------------------------------
    Row< None,   Registered,     Active, Fold,   none     >,
  // ------------------------------------------------------
    Row< Active, LeaderAssigned, Active, Fold,   NoLeader >,
    Row< Active, ProfileUpdated, Active, Fold,   none     >,
    Row< Active, SealSet,        Active, Fold,   none     >,
    Row< Active, LeaderReset,    Active, Fold,   IsLeader >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace machine

std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::none: return "none";
    case Phase::registered: return "registered";
  }
  return "none";
}

void State::apply(const Registered& e) {
  id = e.institution_id;
  code = e.code;
  name = e.name;
  province_code = e.province_code;
  city_code = e.city_code;
  institution_type = e.institution_type;
  registered_by = e.by;
}

void State::apply(const ProfileUpdated& e) {
  profile = Profile{e.kind, e.credit_code, e.website, e.district, e.address, e.pii};
}

struct Traits::Back : machine::Back {};

}  // namespace onex::institution

template class onex::engine::Machine<onex::institution::Traits>;
