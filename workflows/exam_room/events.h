// Events of exam rooms (考场, SPEC.md §6): the rooms an institution sets up on an approved site
// (its own, or one lent to it) for an exam plan.
//
// STORAGE FORMAT. These structs are how rooms are kept for as long as the log lives. Add fields
// with defaults, add event types, or raise schema_version with an upcast; never change what a
// stored field means.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"
#include "onex/event.h"

namespace onex::exam_room {

// What a room holds that its institution may change.
struct Fields {
  std::string name, room_type;  // "computer", "practical", "written": the exam types it takes
  int seats = 0;
  std::string province_code, city, district, address;
  std::vector<std::string> certificate_ids;
};
BOOST_DESCRIBE_STRUCT(Fields, (), (name, room_type, seats, province_code, city, district, address, certificate_ids))

// stream "exam_room-<id>"
struct Created : Fields {
  static constexpr std::string_view type = "exam_room.created";
  std::string room_id, exam_plan_id, site_id, institution_id, org_id;  // the plan's org
};
BOOST_DESCRIBE_STRUCT(Created, (Fields), (room_id, exam_plan_id, site_id, institution_id, org_id))

struct Edited : Fields {
  static constexpr std::string_view type = "exam_room.edited";
};
BOOST_DESCRIBE_STRUCT(Edited, (Fields), ())

struct Deleted {
  static constexpr std::string_view type = "exam_room.deleted";
  std::string note;
};
BOOST_DESCRIBE_STRUCT(Deleted, (), (note))

using Event = std::variant<Created, Edited, Deleted>;

}  // namespace onex::exam_room
