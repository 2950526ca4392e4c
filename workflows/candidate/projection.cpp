// A candidate's read model and views. The read model is its machine's (engine/records.h):
// "candidate_records" r/<id> → the machine; i/<institution>/<seq> lists an institution's.
#include "candidate/decide.h"
#include "engine/records.h"
#include "engine/schema.h"
#include "onex/rebuild.h"
#include "util/identifiers.h"

namespace onex {
namespace candidate {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() == Phase::none) return {};
  return {"i/" + m.data().institution_id + "/" + std::string(seq)};
}

CandidateView Workflow::view(const Machine& m, std::uint64_t version) {
  CandidateView v;
  engine::assign(v, m.data());  // id, institution, details and person
  v.stream = engine::stream_of<Workflow>(m.data().id);
  v.version = version;
  v.id_number = util::mask_resident_id(m.data().id_number);
  v.verification = std::string(m.state_name());
  v.registrable = registrable(m);
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace candidate

Result<CandidateInput> candidate_input_of(const nlohmann::json& body) {
  CandidateInput in;
  if (auto s = engine::read_strict<CandidateInput>(body, in); !s) return s;
  return in;
}

Result<CandidatePatch> candidate_patch_of(const nlohmann::json& body) {
  CandidatePatch p;
  std::vector<std::string> absent;
  if (auto s = engine::read_strict<CandidateInput>(body, p.values, {}, &absent); !s) return s;
  boost::mp11::mp_for_each<engine::described_members<CandidateInput>>([&](auto m) {
    if (std::find(absent.begin(), absent.end(), m.name) == absent.end()) p.members.emplace_back(m.name);
  });
  return p;
}

nlohmann::json json_of(const CandidateView& v) { return v; }

nlohmann::json candidate_schemas() {
  auto view = engine::schema_of<CandidateView>();
  view["title"] = "Candidate";
  view["properties"]["verification"] = engine::phases_of<candidate::Phase>();
  auto input = engine::schema_of<CandidateInput>();
  input["title"] = "CandidateInput";
  input["required"] = {"kind", "name", "id_number"};  // the rest may wait for a batch update
  auto patch = engine::schema_of<CandidateInput>(false);
  patch["title"] = "CandidatePatch";
  return {{"Candidate", view}, {"CandidateInput", input}, {"CandidatePatch", patch}};
}

}  // namespace onex
