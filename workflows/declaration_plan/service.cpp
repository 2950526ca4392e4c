// PlanService: the command table of plans (run by engine::run), and their queries.
#include "common/access.h"
#include "declaration_plan/decide.h"
#include "declaration_plan/projection.h"

namespace onex {

using namespace declaration_plan;

struct PlanService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<declaration_plan::Workflow> engine{store, clock};
};

PlanService::PlanService(EventStore& store, const Clock& clock) : impl_(new Impl{store, clock}) {}
PlanService::~PlanService() = default;

Result<PlanView> PlanService::publish(const Caller& caller, const PlanInput& input) {
  static const engine::Command<declaration_plan::Workflow, Impl, PlanInput> kPublish{
      .decide = decide_publish};
  auto& plans = *impl_;
  auto ran = engine::run_command(plans.engine, plans, kPublish, caller, input);
  if (!ran) return ran.status();
  const auto& plan = ran->record.machine.data();
  return view_of(plan, ran->record.version, std::string(plan.status(plans.clock.now())));
}

Result<PlanView> PlanService::get(const Actor& actor, const std::string& plan_id) {
  using declaration_plan::Workflow;
  auto& plans = *impl_;
  if (!util::plain_id(plan_id)) return engine::not_found<Workflow>();
  auto loaded = plans.engine.load(engine::stream_of<Workflow>(plan_id));
  if (!loaded) return loaded.status();
  const auto& p = loaded->machine.data();
  if (!loaded->machine.phase() || !sees(actor, p.province_code))
    return engine::not_found<Workflow>();
  return view_of(p, loaded->version, std::string(p.status(plans.clock.now())));
}

Result<std::vector<PlanView>> PlanService::list(const Actor& actor) {
  auto& plans = *impl_;
  const bool institution = access::institution_side(actor);
  if (actor.role != "province" && !institution)
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
  std::string province = actor.province_code;
  if (institution)
    if (auto inst = lookup::institution(plans.store, actor.institution_id))
      province = inst->province_code;
  if (province.empty()) return std::vector<PlanView>{};
  auto rows = plans.store.read_model_scan(kPlans, "p/" + province + "/");
  if (!rows) return rows.status();
  std::vector<PlanView> out;
  for (const auto& [key, value] : *rows) {
    auto p = from_json(nlohmann::json::parse(value, nullptr, false));
    p.status = lookup::PlanRef{.starts_at = p.starts_at, .ends_at = p.ends_at}.status(plans.clock.now());
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace onex
