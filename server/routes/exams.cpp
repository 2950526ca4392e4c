// Exam organisation (API.md "Exam organisation", SPEC.md §6): exam subjects and exam plans so
// far. One line of the table per route, each mapping HTTP onto one ExamService call.
#include "http/schema.h"
#include "onex/exams.h"
#include "onex/schemas.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

std::vector<http::Route> exam_routes(ExamService& exams, Idempotency& idempotency) {
  const std::vector<std::string> readers = {"org", "leader", "staff"};
  std::vector<http::Route> routes;

  // ---- exam subjects ----
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/exam-subjects",
      .roles = {"org"}, .summary = "Create an exam subject of one of the org's certificates",
      .handler = [&exams](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, exam_subject_input_of(body->value()));
        ONEX_TRY(v, exams.create_subject(*caller, *in));
        auto resp = versioned(201, json_of(*v), v->version);
        resp.headers.emplace_back("Location", "/api/v1/exam-subjects/" + v->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/exam-subjects", .roles = readers,
      .content_types = {}, .summary = "The exam subjects the caller sees, by certificate and level",
      .handler = [&exams](Request& r) {
        ONEX_TRY(page, paging(r));
        ExamSubjectQuery q{r.query_value("certificate_id").value_or(""), r.query_value("level").value_or(""),
                           page->first, page->second};
        ONEX_TRY(list, exams.subjects(session_of(r).actor, q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return json_of(v); }));
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/exam-subjects/{id}", .roles = readers,
      .content_types = {}, .summary = "One exam subject",
      .handler = [&exams](Request& r) {
        ONEX_TRY(v, exams.subject(session_of(r).actor, r.params.at("id")));
        return versioned(200, json_of(*v), v->version);
      }});

  // ---- exam plans ----
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/exam-plans", .roles = {"org"},
      .summary = "Draft an exam plan of one of the org's certificate levels",
      .handler = [&exams](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, exam_plan_input_of(body->value()));
        ONEX_TRY(v, exams.create_plan(*caller, *in));
        auto resp = versioned(201, json_of(*v), v->version);
        resp.headers.emplace_back("Location", "/api/v1/exam-plans/" + v->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/exam-plans/{id}/publish",
      .roles = {"org"}, .summary = "Publish a draft plan while its registration has not closed",
      .handler = [&exams](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_or_empty(r, {}));
        ONEX_TRY(v, exams.publish_plan(*caller, r.params.at("id")));
        return represented(200, json_of(*v), v->version);  // its phase follows the clock
      }}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/exam-plans", .roles = readers,
      .content_types = {}, .summary = "The exam plans the caller sees, each with its phase by the clock",
      .handler = [&exams](Request& r) {
        ONEX_TRY(page, paging(r));
        ExamPlanQuery q{r.query_value("certificate_id").value_or(""), page->first, page->second};
        ONEX_TRY(list, exams.plans(session_of(r).actor, q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return json_of(v); }));
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/exam-plans/{id}", .roles = readers,
      .content_types = {}, .summary = "One exam plan with its phase by the clock",
      .handler = [&exams](Request& r) {
        ONEX_TRY(v, exams.plan(session_of(r).actor, r.params.at("id")));
        return represented(200, json_of(*v), v->version);
      }});

  // ---- the contract (OpenAPI): the subject's schemas are its description's ----
  namespace s = http::schema;
  const auto described = exam_schemas();
  const auto subject = described["ExamSubject"];

  // The plan's are its description's too, with the values each text member takes.
  const auto plans = exam_plan_schemas();
  const json input = plans["ExamPlanInput"], plan = plans["ExamPlan"];
  const std::vector<std::string> one = {"exam_plan.not_found"};
  s::document(routes, {
      {"POST /api/v1/exam-subjects",
       {.request = described["ExamSubjectInput"], .response = subject, .errors = {"exam_subject.duplicate"}}},
      {"GET /api/v1/exam-subjects",
       {.response = s::page_of(subject, "ExamSubjectPage"),
        .query = s::paged({{"certificate_id", s::text()}, {"level", s::text()}})}},
      {"GET /api/v1/exam-subjects/{id}", {.response = subject, .errors = {"exam_subject.not_found"}}},
      {"POST /api/v1/exam-plans", {.request = input, .response = plan}},
      {"POST /api/v1/exam-plans/{id}/publish",
       {.request = s::object("", {}), .response = plan,
        .errors = {"exam_plan.not_found", "exam_plan.illegal_transition", "exam_plan.registration_closed"}}},
      {"GET /api/v1/exam-plans",
       {.response = s::page_of(plan, "ExamPlanPage"), .query = s::paged({{"certificate_id", s::text()}})}},
      {"GET /api/v1/exam-plans/{id}", {.response = plan, .errors = one}},
  });
  return routes;
}

}  // namespace onex::routes
