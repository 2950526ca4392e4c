#include "declaration_plan/service.h"

#include "common/access.h"
#include "declaration_plan/projection.h"

namespace onex::declaration_plan {
namespace {

const engine::Command<Workflow, Plans, PlanInput> kPublish{.decide = decide_publish};

}  // namespace

Result<PlanView> publish(Plans& plans, const Caller& caller, const PlanInput& input) {
  auto ran = engine::run_command(plans.engine, plans, kPublish, caller, input);
  if (!ran) return ran.status();
  const auto& plan = ran->record.machine.data();
  return view_of(plan, ran->record.version, std::string(plan.status(plans.clock.now())));
}

Result<PlanView> read(Plans& plans, const Actor& actor, const std::string& plan_id) {
  if (!util::plain_id(plan_id)) return engine::not_found<Workflow>();
  auto loaded = plans.engine.load(engine::stream_of<Workflow>(plan_id));
  if (!loaded) return loaded.status();
  const auto& p = loaded->machine.data();
  if (!loaded->machine.phase() || !sees(actor, p.province_code))
    return engine::not_found<Workflow>();
  return view_of(p, loaded->version, std::string(p.status(plans.clock.now())));
}

Result<std::vector<PlanView>> list(Plans& plans, const Actor& actor) {
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

}  // namespace onex::declaration_plan
