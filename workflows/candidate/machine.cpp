// The candidate machine: its phase is the real-name verification. A candidate starts
// unverified; the verifier's answer on a photo makes it verified or failed (or leaves it, when
// the verifier is unavailable); the institution confirms by hand an unverified or failed one; a
// new name, ID number or photo resets it to unverified. Edits keep the phase.
#include "candidate/state.h"
#include "engine/msm.h"

namespace onex::candidate {
namespace machine {

using namespace engine::msm;

template <const char* Result>
struct Answered {
  template <class Event, class FSM, class Source, class Target>
  bool operator()(const Event& e, FSM&, Source&, Target&) const {
    return e.result == Result;
  }
};
inline constexpr char kVerified[] = "verified", kFailed[] = "failed", kUnavailable[] = "unavailable";

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr auto phase = Phase::none; };
  struct Unverified : front::state<> { static constexpr auto phase = Phase::unverified; };
  struct Verified : front::state<> { static constexpr auto phase = Phase::verified; };
  struct Failed : front::state<> { static constexpr auto phase = Phase::failed; };
  struct Confirmed : front::state<> { static constexpr auto phase = Phase::confirmed; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start       Event              Target      Action   Guard
    Row< None,       Imported,          Unverified, Fold,    none                    >,
    Row< Unverified, Edited,            Unverified, Fold,    none                    >,
    Row< Verified,   Edited,            Verified,   Fold,    none                    >,
    Row< Failed,     Edited,            Failed,     Fold,    none                    >,
    Row< Confirmed,  Edited,            Confirmed,  Fold,    none                    >,
    Row< Unverified, IdentityReset,     Unverified, Fold,    none                    >,
    Row< Verified,   IdentityReset,     Unverified, Fold,    none                    >,
    Row< Failed,     IdentityReset,     Unverified, Fold,    none                    >,
    Row< Confirmed,  IdentityReset,     Unverified, Fold,    none                    >,
    Row< Unverified, PhotoSet,          Unverified, Fold,    none                    >,
    Row< Unverified, IdentityChecked,   Verified,   Fold,    Answered<kVerified>     >,
    Row< Unverified, IdentityChecked,   Failed,     Fold,    Answered<kFailed>       >,
    Row< Unverified, IdentityChecked,   Unverified, Fold,    Answered<kUnavailable>  >,
    Row< Unverified, IdentityConfirmed, Confirmed,  Fold,    none                    >,
    Row< Failed,     IdentityConfirmed, Confirmed,  Fold,    none                    >,
  // ------------------------------------------------------------------------ machine only
    Row< None,       Restored,          Unverified, Restore, SavedIn                 >,
    Row< None,       Restored,          Verified,   Restore, SavedIn                 >,
    Row< None,       Restored,          Failed,     Restore, SavedIn                 >,
    Row< None,       Restored,          Confirmed,  Restore, SavedIn                 >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Imported& e) {
  engine::assign(static_cast<Details&>(*this), e);  // kind, pinyin, major, level, year
  id = e.candidate_id;
  institution_id = e.institution_id;
  person_key = e.person_key;
  name = e.pii.name, id_number = e.pii.id_number, phone = e.pii.phone;
}

void State::apply(const Edited& e) {
  engine::assign(static_cast<Details&>(*this), e);
  person_key = e.person_key;
  name = e.pii.name, id_number = e.pii.id_number, phone = e.pii.phone;
}

struct Traits::Back : boost::msm::back::state_machine<machine::Front> {};

std::optional<Phase> phase_after(Phase from, const Event& event) { return Machine::phase_after<Restored>(from, event); }

}  // namespace onex::candidate

template class onex::engine::Machine<onex::candidate::Traits>;
template bool onex::engine::Machine<onex::candidate::Traits>::restore<onex::candidate::Restored>(
    const onex::candidate::Restored&);
