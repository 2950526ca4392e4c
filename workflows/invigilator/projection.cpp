// An invigilator's read model and views. The read model is its machine's (engine/records.h):
// "invigilator_records" r/<id> → the machine; i/<institution>/<seq> and o/<org>/<seq> list them.
#include "engine/records.h"
#include "engine/schema.h"
#include "invigilator/decide.h"
#include "onex/rebuild.h"
#include "util/identifiers.h"

namespace onex {
namespace invigilator {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() == Phase::none) return {};
  const std::string at = "/" + std::string(seq);
  return {"i/" + m.data().institution_id + at, "o/" + m.data().org_id + at};
}

InvigilatorView Workflow::view(const Machine& m, std::uint64_t version) {
  InvigilatorView v;
  engine::assign(v, m.data());
  v.stream = engine::stream_of<Workflow>(m.data().id);
  v.version = version;
  v.id_number = util::mask_resident_id(m.data().id_number);
  v.status = std::string(m.state_name());
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace invigilator

Result<InvigilatorInput> invigilator_input_of(const nlohmann::json& body) {
  InvigilatorInput in;
  if (auto s = engine::read_strict<InvigilatorInput>(body, in); !s) return s;
  return in;
}

Result<InvigilatorReview> invigilator_review_of(const nlohmann::json& body) {
  InvigilatorReview r;
  std::vector<std::string> absent;
  if (auto s = engine::read_strict<InvigilatorReview>(body, r, {}, &absent); !s) return s;
  if (std::find(absent.begin(), absent.end(), "approve") != absent.end())
    return Status::unprocessable("validation.failed", "say whether you certify", {{"approve", "required", "true or false"}});
  return r;
}

nlohmann::json json_of(const InvigilatorView& v) { return v; }

nlohmann::json invigilator_schemas() {
  auto view = engine::schema_of<InvigilatorView>();
  view["title"] = "Invigilator";
  view["properties"]["status"] = engine::phases_of<invigilator::Phase>();
  auto input = engine::schema_of<InvigilatorInput>();
  input["title"] = "InvigilatorInput";
  auto review = engine::schema_of<InvigilatorReview>();
  review["title"] = "InvigilatorReview";
  review["required"] = {"approve"};
  return {{"Invigilator", view}, {"InvigilatorInput", input}, {"InvigilatorReview", review}};
}

}  // namespace onex
