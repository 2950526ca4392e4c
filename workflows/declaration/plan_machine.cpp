// The declaration plan machine. A plan is published once; later changes to plans will be rows
// here.
#include "declaration/state.h"
#include "engine/msm.h"

namespace onex::declaration {
namespace plan_machine {

using namespace engine::msm;

struct Front : MachineDef<Front, PlanState> {
  struct None : front::state<> { static constexpr bool phase = false; };
  struct Published : front::state<> { static constexpr bool phase = true; };
  using initial_state = None;

  // clang-format off
  struct transition_table : boost::mpl::vector<
  //     Start  Event          Target     Action  Guard
    Row< None,  PlanPublished, Published, Fold,   none >
  > {};
  // clang-format on
};

using Back = boost::msm::back::state_machine<Front>;

}  // namespace plan_machine

void PlanState::apply(const PlanPublished& e) {
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

struct PlanTraits::Back : plan_machine::Back {};

}  // namespace onex::declaration

template class onex::engine::Machine<onex::declaration::PlanTraits>;
