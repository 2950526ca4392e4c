// A declaration's read model and views. The read model is its machine's (engine/records.h):
// "declaration_records" r/<id> → the machine; the index keys below list live declarations
// (deleted ones are in no list): i/<institution>/<seq> for the institution's list, p/<province>/
// <seq> and c/<city>/<seq> for reviewers'.
#include "common/access.h"
#include "declaration/decide.h"
#include "engine/records.h"
#include "engine/schema.h"
#include "onex/rebuild.h"
#include "onex/schemas.h"

namespace onex {

// The members of a declaration's view, listed once: its JSON in the API (engine/described.h),
// and its OpenAPI schema. `history` is not among them: get() adds it.
BOOST_DESCRIBE_STRUCT(DeclarationView, (DeclarationFields),
                      (id, stream, version, status, plan_id, institution_id, province_code,
                       city_code, certificate_id, year, approved_trainees, rejection_reason,
                       rejected_by))
BOOST_DESCRIBE_STRUCT(DeclarationInput, (DeclarationFields), (plan_id, certificate_id))

namespace declaration {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() == Phase::none || m.phase() == Phase::deleted) return {};
  const auto& s = m.data();
  const std::string at = "/" + std::string(seq);
  return {"i/" + s.institution_id + at, "p/" + s.province_code + at, "c/" + s.city_code + at};
}

DeclarationView Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& s = m.data();
  DeclarationView v;
  static_cast<DeclarationFields&>(v) = s.fields;
  engine::assign(v, s);  // id, plan, institution, places, certificate, year, the decision
  v.stream = engine::stream_of<Workflow>(s.id);
  v.version = version;
  v.status = std::string(m.state_name());
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace declaration

nlohmann::json json_of(const DeclarationView& v) { return v; }
nlohmann::json json_of(const DeclarationCounts& c) { return c; }

nlohmann::json described_schemas() {
  auto view = engine::schema_of<DeclarationView>();
  view["title"] = "Declaration";
  view["properties"]["status"] = engine::phases_of<declaration::Phase>();
  auto counts = engine::schema_of<DeclarationCounts>();
  counts["title"] = "DeclarationCounts";
  const auto tabs = counts["required"].get<std::vector<std::string>>();  // every member, in order
  auto input = engine::schema_of<DeclarationInput>(false);
  input["title"] = "DeclarationInput";
  auto edit = engine::schema_of<DeclarationInput>(false);
  edit["title"] = "DeclarationEdit";
  edit["required"] = engine::schema_of<DeclarationFields>()["required"];  // a PUT replaces them all
  return {{"Declaration", view}, {"DeclarationInput", input}, {"DeclarationEdit", edit},
          {"DeclarationCounts", counts}, {"DeclarationTab", engine::one_of(tabs)}};
}

Result<DeclarationInput> declaration_input_of(const nlohmann::json& body, bool create) {
  DeclarationInput in;
  if (!create) {
    if (auto s = engine::read_strict<DeclarationInput>(body, in, {}, &in.omitted); !s) return s;
    std::erase_if(in.omitted, [](const std::string& f) { return f == "plan_id" || f == "certificate_id"; });
    return in;
  }
  if (auto s = engine::read_strict<DeclarationInput>(body, in, {"submit"}); !s) return s;
  std::vector<FieldError> missing;
  for (const auto* f : {"plan_id", "certificate_id"})
    if (body.value(f, nlohmann::json()).is_null()) missing.push_back({f, "required", std::string(f) + " is required"});
  if (!missing.empty()) {
    std::string message = missing.front().field + " is required";
    return Status::unprocessable("validation.failed", std::move(message), std::move(missing));
  }
  return in;
}

}  // namespace onex
