// The declaration plan machine.
#include "declaration_plan/state.h"
#include "engine/msm.h"

namespace onex::declaration_plan {
namespace machine {

using namespace engine::msm;

struct Front : MachineDef<Front, State> {
  struct None : front::state<> { static constexpr bool phase = false; };
  struct PublishedState : front::state<> { static constexpr bool phase = true; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event      Target          Action  Guard
    Row< None,  Published, PublishedState, Fold,   none >
  > {};
  // clang-format on
};

}  // namespace machine

void State::apply(const Published& e) {
  id = e.plan_id;
  province_code = e.province_code;
  batch_name = e.batch_name;
  year = e.year;
  // Stored by format_utc, so they parse; a failure leaves the epoch, which no window contains.
  if (auto t = parse_time(e.starts_at)) starts_at = *t;
  if (auto t = parse_time(e.ends_at)) ends_at = *t;
  majors_required = e.majors_required;
  city_review_required = e.city_review_required;
}

struct Traits::Back : boost::msm::back::state_machine<machine::Front> {};

}  // namespace onex::declaration_plan

template class onex::engine::Machine<onex::declaration_plan::Traits>;
