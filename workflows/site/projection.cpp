// A site's read model and views. The read model is its machine's (engine/records.h), listed as
// decide.h's Workflow says.
#include "engine/records.h"
#include "engine/schema.h"
#include "onex/rebuild.h"
#include "site/decide.h"

namespace onex {
namespace site {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() == Phase::none) return {};
  const auto& s = m.data();
  const std::string at = "/" + std::string(seq);
  std::vector<std::string> keys{"i/" + s.institution_id + at};
  if (m.phase() != Phase::draft)
    for (const auto& p : s.parts) {
      const auto key = "o/" + p.org_id + at;
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
      if (p.status == "approved") keys.push_back("a/" + s.institution_id + "/" + p.certificate_id + at);
    }
  for (const auto& l : s.loans)
    if (auto key = "b/" + l.institution_id + at; std::find(keys.begin(), keys.end(), key) == keys.end())
      keys.push_back(key);
  return keys;
}

SiteView Workflow::view(const Machine& m, std::uint64_t version) {
  SiteView v;
  engine::assign(static_cast<SiteInput&>(v), m.data());
  engine::assign(v, m.data());  // id, institution, parts, loans
  for (const auto& p : m.data().parts) v.certificate_ids.push_back(p.certificate_id);
  v.stream = engine::stream_of<Workflow>(m.data().id);
  v.version = version;
  v.status = std::string(m.state_name());
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace site

Result<SiteInput> site_input_of(const nlohmann::json& body) {
  SiteInput in;
  if (auto s = engine::read_strict<SiteInput>(body, in); !s) return s;
  return in;
}

Result<SiteReview> site_review_of(const nlohmann::json& body) {
  SiteReview r;
  std::vector<std::string> absent;
  if (auto s = engine::read_strict<SiteReview>(body, r, {}, &absent); !s) return s;
  if (std::find(absent.begin(), absent.end(), "approve") != absent.end())
    return Status::unprocessable("validation.failed", "say whether you approve", {{"approve", "required", "true or false"}});
  return r;
}

Result<SiteAssignment> site_assignment_of(const nlohmann::json& body) {
  SiteAssignment a;
  if (auto s = engine::read_strict<SiteAssignment>(body, a); !s) return s;
  return a;
}

nlohmann::json json_of(const SiteView& v) { return v; }

nlohmann::json site_schemas() {
  auto view = engine::schema_of<SiteView>();
  view["title"] = "Site";
  view["properties"]["status"] = engine::phases_of<site::Phase>();
  auto input = engine::schema_of<SiteInput>();
  input["title"] = "SiteInput";
  auto& required = input["required"];
  required.erase(std::find(required.begin(), required.end(), "file_ids"));  // optional
  auto review = engine::schema_of<SiteReview>();
  review["title"] = "SiteReview";
  review["required"] = {"certificate_id", "approve"};
  auto assignment = engine::schema_of<SiteAssignment>();
  assignment["title"] = "SiteAssignment";
  return {{"Site", view}, {"SiteInput", input}, {"SiteReview", review}, {"SiteAssignment", assignment}};
}

}  // namespace onex
