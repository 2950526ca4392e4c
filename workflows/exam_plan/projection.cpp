// An exam plan's read model and views. The read model is its machine's (engine/records.h):
// "exam_plan_records" r/<id> → the machine; c/<certificate>/<seq> and o/<org>/<seq> list them.
// The API's JSON of a plan is its described view's (engine::api_json: times as China time text).
#include "engine/records.h"
#include "engine/schema.h"
#include "exam_plan/decide.h"
#include "onex/rebuild.h"

namespace onex {
namespace exam_plan {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() == Phase::none) return {};
  const auto& p = m.data();
  const std::string at = "/" + std::string(seq);
  return {"c/" + p.certificate_id + at, "o/" + p.org_id + at};
}

ExamPlanView Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& p = m.data();
  ExamPlanView v;
  engine::assign(v, p);  // id, org, name, certificate, level, subjects, windows and sittings (as instants)
  v.pass_rule = {p.pass_rule, p.pass_rule == "total" ? std::optional(p.total_pass) : std::nullopt};
  v.fee = {p.fee_on_platform, p.fee_per, p.fee_amount_cents};
  v.stream = engine::stream_of<Workflow>(p.id);
  v.version = version;
  v.year = m.phase() == Phase::none ? 0 : year_of(p);
  v.status = std::string(m.state_name());
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace exam_plan

nlohmann::json json_of(const ExamPlanView& v) { return engine::api_json(v); }

Result<ExamPlanInput> exam_plan_input_of(const nlohmann::json& body) {
  ExamPlanInput in;
  if (auto s = engine::read_whole(body, in); !s) return s;
  return in;
}

nlohmann::json exam_plan_schemas() {
  auto input = engine::schema_of<ExamPlanInput>();
  input["title"] = "ExamPlanInput";
  auto view = engine::schema_of<ExamPlanView>();
  view["title"] = "ExamPlan";
  for (auto* schema : {&input, &view}) {  // the values each text member takes, and the units
    auto& members = (*schema)["properties"];
    members["pass_rule"]["properties"]["kind"] = engine::one_of(exam_plan::kPassRules);
    members["pass_rule"]["properties"]["total_pass"]["description"] = "hundredths, for total";
    members["fee"]["properties"]["per"] = engine::one_of(exam_plan::kFeePer);
    members["sittings"]["items"]["properties"]["ends_at"]["description"] = "its last included instant";
  }
  auto& members = view["properties"];
  members["year"]["description"] = "of its registration opening, China time";
  members["status"] = engine::phases_of<exam_plan::Phase>();
  members["phase"] = engine::phases_of<exam_plan::Period>("by the clock");
  return {{"ExamPlan", view}, {"ExamPlanInput", input}};
}

}  // namespace onex
