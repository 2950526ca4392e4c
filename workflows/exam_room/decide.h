// The rules of exam rooms (SPEC.md §6): who sets up a room, on which site and for which plan,
// what it must hold, and who sees it. Pure functions; no I/O, no clock but the context's `now`.
#pragma once

#include <optional>

#include "common/lookups.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "exam_room/state.h"
#include "onex/exam_rooms.h"

namespace onex {

BOOST_DESCRIBE_STRUCT(ExamRoomFields, (), (name, room_type, seats, province_code, city, district, address,
                                           certificate_ids))
BOOST_DESCRIBE_STRUCT(ExamRoomInput, (ExamRoomFields), (exam_plan_id, site_id))
BOOST_DESCRIBE_STRUCT(ExamRoomView, (ExamRoomInput), (id, stream, version, institution_id, org_id, status))
BOOST_DESCRIBE_STRUCT(ExamRoomCopy, (), (from_exam_plan_id, to_exam_plan_id, site_id))

}  // namespace onex

namespace onex::exam_room {

struct Workflow : engine::Codec<exam_room::Event> {
  static constexpr std::string_view kind = "exam_room";
  using Event = exam_room::Event;
  using Machine = exam_room::Machine;
  using View = ExamRoomView;
  // The read model (engine/records.h): p/<plan>/<seq> lists a plan's active rooms.
  static constexpr std::string_view read_model = "exam_room_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  static ExamRoomView view(const Machine& m, std::uint64_t version);  // projection.cpp
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// THE rule of who sees a room, for get, list, history and lookups: while active, its
// institution's accounts (a scoped staff when one of its certificates is in scope) and the org of its plan.
bool sees(const Actor& actor, const Machine& room);

// What creating a room reads besides the command: the plan and the site.
struct Facts {
  std::optional<lookup::ExamPlanRef> plan;
  std::optional<lookup::SiteRef> site;
  bool name_taken = false;  // another room of the plan and site holds the name
};
// The claim that makes a room's name unique in its plan and site.
std::string name_claim(std::string_view plan_id, std::string_view site_id, std::string_view name);
Result<Decision> decide_create(const Machine& room, const ExamRoomInput& input, const Context& ctx, const Facts& facts);
struct Edit {
  std::string id;
  ExamRoomFields fields;
};
Result<Decision> decide_edit(const Machine& room, const Edit& input, const Context& ctx, const Facts& facts);
struct Delete {
  std::string id;
};
Result<Decision> decide_delete(const Machine& room, const Delete& input, const Context& ctx);

}  // namespace onex::exam_room
