// An exam subject's read model and views. The read model is its machine's (engine/records.h):
// "exam_subject_records" r/<id> → the machine; c/<certificate>/<seq> and o/<org>/<seq> list them.
#include "engine/records.h"
#include "engine/schema.h"
#include "exam_subject/decide.h"
#include "onex/rebuild.h"
#include "onex/schemas.h"

namespace onex {

// The members of a subject's form and view, listed once: their JSON, their strict reading and
// their OpenAPI schemas.
BOOST_DESCRIBE_STRUCT(ExamSubjectInput, (), (certificate_id, level, code, name, exam_type, duration_minutes,
                                             full_score, pass_score, audience))
BOOST_DESCRIBE_STRUCT(ExamSubjectView, (ExamSubjectInput), (id, stream, version, org_id, status))

namespace exam_subject {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() == Phase::none) return {};
  const auto& s = m.data();
  const std::string at = "/" + std::string(seq);
  return {"c/" + s.certificate_id + at, "o/" + s.org_id + at};
}

ExamSubjectView Workflow::view(const Machine& m, std::uint64_t version) {
  ExamSubjectView v;
  engine::assign(static_cast<ExamSubjectInput&>(v), m.data());
  engine::assign(v, m.data());  // id, org
  v.stream = engine::stream_of<Workflow>(m.data().id);
  v.version = version;
  v.status = std::string(m.state_name());
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace exam_subject

Result<ExamSubjectInput> exam_subject_input_of(const nlohmann::json& body) {
  ExamSubjectInput in;
  if (auto s = engine::read_strict<ExamSubjectInput>(body, in); !s) return s;
  return in;
}

nlohmann::json json_of(const ExamSubjectView& v) { return v; }

nlohmann::json exam_schemas() {
  auto view = engine::schema_of<ExamSubjectView>();
  view["title"] = "ExamSubject";
  auto input = engine::schema_of<ExamSubjectInput>();
  input["title"] = "ExamSubjectInput";
  return {{"ExamSubject", view}, {"ExamSubjectInput", input}};
}

}  // namespace onex
