// Exam rooms (考场, SPEC.md §6, API.md "Exam organisation"): the rooms an institution sets up for
// an exam plan on a site approved for the plan's certificate (its own, or one lent to it), and
// copies from an earlier plan. The library API; the REST server maps onto it one call per route.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/caller.h"
#include "onex/clock.h"
#include "onex/event_store.h"
#include "onex/page.h"
#include "onex/status.h"

namespace onex {

// What a PUT replaces, every member required.
struct ExamRoomFields {
  std::string name;
  std::string room_type;  // "computer", "practical", "written": a subject is only scheduled into its type
  int seats = 0;
  std::string province_code, city, district, address;
  std::vector<std::string> certificate_ids;  // each approved at the site, the plan's among them
};
struct ExamRoomInput : ExamRoomFields {
  std::string exam_plan_id, site_id;
};
struct ExamRoomView : ExamRoomInput {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string institution_id, org_id;
  std::string status;  // "active"
};
struct ExamRoomCopy {
  std::string from_exam_plan_id, to_exam_plan_id, site_id;
};

Result<ExamRoomInput> exam_room_input_of(const nlohmann::json& body);
Result<ExamRoomFields> exam_room_fields_of(const nlohmann::json& body);  // a PUT: every member
Result<ExamRoomCopy> exam_room_copy_of(const nlohmann::json& body);
nlohmann::json json_of(const ExamRoomView& room);
nlohmann::json exam_room_schemas();

struct ExamRoomQuery {
  std::string exam_plan_id, site_id;  // empty: any
  std::size_t page = 1, page_size = 10;
};

// Thread-safe. The store must have been opened with all_projections().
//
// An institution's accounts set up rooms for an exam plan on a site that serves the institution
// for the plan's certificate (validation.failed: exam_plan_id, site_id, a name unique in the
// plan and site (exam_room.duplicate), a type, 1 to 500 seats, a region and address, the
// certificates). Who sees a room: its institution's accounts and the plan's org; anyone else
// gets exam_room.not_found. A deleted room is gone (404).
class ExamRoomService {
 public:
  ExamRoomService(EventStore& store, const Clock& clock);
  ~ExamRoomService();
  Result<ExamRoomView> create(const Caller& caller, const ExamRoomInput& input);
  Result<ExamRoomView> edit(const Caller& caller, const std::string& id, const ExamRoomFields& fields);
  Status remove(const Caller& caller, const std::string& id);
  // Every active room of the institution's in `from` at the site, made again for `to`, all or
  // none (422 exam_room.invalid_copy naming each room that cannot be: its name taken, …).
  Result<std::vector<ExamRoomView>> copy(const Caller& caller, const ExamRoomCopy& copy);
  Result<ExamRoomView> get(const Actor& actor, const std::string& id);
  Result<Page<ExamRoomView>> list(const Actor& actor, const ExamRoomQuery& query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex
