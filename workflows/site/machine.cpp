// The site machine: drafted, submitted, its certificates' parts reviewed one by one until none
// is pending; an approved part may be lent for exam plans while others still wait.
#include "engine/msm.h"
#include "site/state.h"

namespace onex::site {
namespace machine {

using namespace engine::msm;

struct Pending {
  template <class Event, class FSM, class Source, class Target>
  bool operator()(const Event& e, FSM&, Source&, Target&) const { return e.pending > 0; }
};
struct Last {
  template <class Event, class FSM, class Source, class Target>
  bool operator()(const Event& e, FSM&, Source&, Target&) const { return e.pending == 0; }
};

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Draft : front::state<> { static constexpr auto phase = Phase::draft; };
  struct UnderReview : front::state<> { static constexpr auto phase = Phase::under_review; };
  struct Decided : front::state<> { static constexpr auto phase = Phase::decided; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start        Event      Target       Action   Guard
    Row< None,        Applied,   Draft,       Fold,    none    >,
    Row< Draft,       Submitted, UnderReview, Fold,    none    >,
    Row< UnderReview, Reviewed,  UnderReview, Fold,    Pending >,
    Row< UnderReview, Reviewed,  Decided,     Fold,    Last    >,
    Row< UnderReview, Assigned,  UnderReview, Fold,    none    >,
    Row< Decided,     Assigned,  Decided,     Fold,    none    >,
  // ------------------------------------------------------------ machine only
    Row< None,        Restored,  Draft,       Restore, SavedIn >,
    Row< None,        Restored,  UnderReview, Restore, SavedIn >,
    Row< None,        Restored,  Decided,     Restore, SavedIn >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Applied& e) {
  engine::assign(*this, e);  // institution, name, region, address, introduction, files
  id = e.site_id;
  contact_name = e.pii.contact_name, contact_phone = e.pii.contact_phone;
  parts.clear();
  for (std::size_t i = 0; i < e.certificate_ids.size(); ++i)
    parts.push_back({e.certificate_ids[i], i < e.org_ids.size() ? e.org_ids[i] : std::string()});
}

void State::apply(const Reviewed& e) {
  for (auto& p : parts)
    if (p.certificate_id == e.certificate_id) p.status = e.approved ? "approved" : "rejected", p.reason = e.reason;
}

const Part* State::part(std::string_view certificate_id) const {
  for (const auto& p : parts)
    if (p.certificate_id == certificate_id) return &p;
  return nullptr;
}

struct Traits::Back : boost::msm::back::state_machine<machine::Front> {};

std::optional<Phase> phase_after(Phase from, const Event& event) { return Machine::phase_after<Restored>(from, event); }

}  // namespace onex::site

template class onex::engine::Machine<onex::site::Traits>;
template bool onex::engine::Machine<onex::site::Traits>::restore<onex::site::Restored>(const onex::site::Restored&);
