// An exam room's read model and views. The read model is its machine's (engine/records.h):
// "exam_room_records" r/<id> → the machine; p/<plan>/<seq> lists a plan's active rooms.
#include "engine/records.h"
#include "engine/schema.h"
#include "exam_room/decide.h"
#include "onex/rebuild.h"

namespace onex {
namespace exam_room {

std::vector<std::string> Workflow::index(const Machine& m, std::string_view seq) {
  if (m.phase() != Phase::active) return {};
  return {"p/" + m.data().exam_plan_id + "/" + std::string(seq)};
}

ExamRoomView Workflow::view(const Machine& m, std::uint64_t version) {
  ExamRoomView v;
  engine::assign(v, m.data());
  v.stream = engine::stream_of<Workflow>(m.data().id);
  v.version = version;
  v.status = std::string(m.state_name());
  return v;
}

Projections projections() { return {std::make_shared<engine::RecordProjection<Workflow>>()}; }

}  // namespace exam_room

Result<ExamRoomInput> exam_room_input_of(const nlohmann::json& body) {
  ExamRoomInput in;
  if (auto s = engine::read_strict<ExamRoomInput>(body, in); !s) return s;
  return in;
}

Result<ExamRoomFields> exam_room_fields_of(const nlohmann::json& body) {
  ExamRoomFields f;
  std::vector<std::string> absent;
  if (auto s = engine::read_strict<ExamRoomFields>(body, f, {}, &absent); !s) return s;
  if (absent.empty()) return f;
  std::vector<FieldError> errors;
  for (const auto& name : absent) errors.push_back({name, "required", "a PUT replaces the room: send every member"});
  return Status::unprocessable("validation.failed", "a PUT needs every member", std::move(errors));
}

Result<ExamRoomCopy> exam_room_copy_of(const nlohmann::json& body) {
  ExamRoomCopy c;
  if (auto s = engine::read_strict<ExamRoomCopy>(body, c); !s) return s;
  return c;
}

nlohmann::json json_of(const ExamRoomView& v) { return v; }

nlohmann::json exam_room_schemas() {
  auto view = engine::schema_of<ExamRoomView>();
  view["title"] = "ExamRoom";
  auto input = engine::schema_of<ExamRoomInput>();
  input["title"] = "ExamRoomInput";
  auto fields = engine::schema_of<ExamRoomFields>();
  fields["title"] = "ExamRoomFields";
  auto copy = engine::schema_of<ExamRoomCopy>();
  copy["title"] = "ExamRoomCopy";
  return {{"ExamRoom", view}, {"ExamRoomInput", input}, {"ExamRoomFields", fields}, {"ExamRoomCopy", copy}};
}

}  // namespace onex
