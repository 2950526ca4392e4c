// Exam rooms (API.md "Exam organisation"): one line of the table per route, each mapping HTTP
// onto one ExamRoomService call.
#include "http/schema.h"
#include "onex/exam_rooms.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

std::vector<http::Route> exam_room_routes(ExamRoomService& rooms, Idempotency& idempotency) {
  const std::vector<std::string> institution = {"leader", "staff"}, readers = {"org", "leader", "staff"};
  std::vector<http::Route> routes;
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/exam-rooms", .roles = institution,
      .summary = "Set up a room for an exam plan on a site that serves the institution",
      .handler = [&rooms](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, exam_room_input_of(body->value()));
        ONEX_TRY(v, rooms.create(*caller, *in));
        auto resp = versioned(201, json_of(*v), v->version);
        resp.headers.emplace_back("Location", "/api/v1/exam-rooms/" + v->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/exam-rooms/copy", .roles = institution,
      .summary = "Copy the institution's rooms at a site from an earlier plan, all or none",
      .handler = [&rooms](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, exam_room_copy_of(body->value()));
        ONEX_TRY(made, rooms.copy(*caller, *in));
        json items = json::array();
        for (const auto& v : *made) items.push_back(json_of(v));
        return http::json(201, {{"items", std::move(items)}});
      }, .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/exam-rooms", .roles = readers, .content_types = {},
      .summary = "A plan's rooms the caller sees", .handler = [&rooms](Request& r) {
        ONEX_TRY(page, paging(r));
        ExamRoomQuery q{r.query_value("exam_plan_id").value_or(""), r.query_value("site_id").value_or(""), page->first,
                        page->second};
        ONEX_TRY(list, rooms.list(session_of(r).actor, q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return json_of(v); }));
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/exam-rooms/{id}", .roles = readers, .content_types = {},
      .summary = "One exam room", .handler = [&rooms](Request& r) {
        ONEX_TRY(v, rooms.get(session_of(r).actor, r.params.at("id")));
        return versioned(200, json_of(*v), v->version);
      }});
  routes.push_back({.method = "PUT", .pattern = "/api/v1/exam-rooms/{id}", .roles = institution,
      .summary = "Replace a room's fields (every member)", .handler = [&rooms](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(fields, exam_room_fields_of(body->value()));
        ONEX_TRY(v, rooms.edit(*caller, r.params.at("id"), *fields));
        return versioned(200, json_of(*v), v->version);
      }});
  routes.push_back({.method = "DELETE", .pattern = "/api/v1/exam-rooms/{id}", .roles = institution, .content_types = {},
      .summary = "Delete a room", .handler = [&rooms](Request& r) -> Response {
        ONEX_TRY(caller, caller_of(r));
        if (auto s = rooms.remove(*caller, r.params.at("id")); !s) return http::problem(s);
        Response out;
        out.status = 204;
        return out;
      }, .success_status = 204});

  namespace s = http::schema;
  const auto described = exam_room_schemas();
  const auto room = described["ExamRoom"];
  const std::vector<std::string> one = {"exam_room.not_found"};
  s::document(routes, {
      {"POST /api/v1/exam-rooms",
       {.request = described["ExamRoomInput"], .response = room, .errors = {"exam_room.duplicate"}}},
      {"POST /api/v1/exam-rooms/copy",
       {.request = described["ExamRoomCopy"], .response = s::object("ExamRoomCopied", {{"items", s::array(room)}}),
        .errors = {"exam_room.invalid_copy"}}},
      {"GET /api/v1/exam-rooms",
       {.response = s::page_of(room, "ExamRoomPage"),
        .query = s::paged({{"exam_plan_id", s::text("required")}, {"site_id", s::text()}})}},
      {"GET /api/v1/exam-rooms/{id}", {.response = room, .errors = one}},
      {"PUT /api/v1/exam-rooms/{id}",
       {.request = described["ExamRoomFields"], .response = room,
        .errors = s::codes({"exam_room.not_found", "exam_room.duplicate"}, s::kIfMatch)}},
      {"DELETE /api/v1/exam-rooms/{id}", {.errors = s::codes({"exam_room.not_found"}, s::kIfMatch)}},
  });
  return routes;
}

}  // namespace onex::routes
