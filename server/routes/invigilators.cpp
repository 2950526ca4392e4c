// Invigilators (API.md "Exam organisation"): one line of the table per route, each mapping HTTP
// onto one InvigilatorService call.
#include "http/schema.h"
#include "onex/invigilators.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

std::vector<http::Route> invigilator_routes(InvigilatorService& invigilators, Idempotency& idempotency) {
  const std::vector<std::string> readers = {"org", "leader", "staff"};
  std::vector<http::Route> routes;
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/invigilators", .roles = {"leader", "staff"},
      .summary = "Submit a teacher as an invigilator of certificates the institution pilots",
      .handler = [&invigilators](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, invigilator_input_of(body->value()));
        ONEX_TRY(v, invigilators.submit(*caller, *in));
        auto resp = versioned(201, json_of(*v), v->version);
        resp.headers.emplace_back("Location", "/api/v1/invigilators/" + v->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/invigilators/{id}/review",
      .roles = {"org"}, .summary = "Certify a submitted invigilator, or reject with a reason",
      .handler = [&invigilators](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(review, invigilator_review_of(body->value()));
        ONEX_TRY(v, invigilators.review(*caller, r.params.at("id"), *review));
        return versioned(200, json_of(*v), v->version);
      }}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/invigilators", .roles = readers, .content_types = {},
      .summary = "The invigilators the caller sees, ID numbers masked",
      .handler = [&invigilators](Request& r) {
        ONEX_TRY(page, paging(r));
        InvigilatorQuery q{r.query_value("status").value_or(""), r.query_value("certificate_id").value_or(""),
                           page->first, page->second};
        ONEX_TRY(list, invigilators.list(session_of(r).actor, q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return json_of(v); }));
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/invigilators/{id}", .roles = readers, .content_types = {},
      .summary = "One invigilator",
      .handler = [&invigilators](Request& r) {
        ONEX_TRY(v, invigilators.get(session_of(r).actor, r.params.at("id")));
        return versioned(200, json_of(*v), v->version);
      }});

  namespace s = http::schema;
  const auto described = invigilator_schemas();
  const auto invigilator = described["Invigilator"];
  const std::vector<std::string> one = {"invigilator.not_found"};
  s::document(routes, {
      {"POST /api/v1/invigilators",
       {.request = described["InvigilatorInput"], .response = invigilator, .errors = {"invigilator.already_submitted"}}},
      {"POST /api/v1/invigilators/{id}/review",
       {.request = described["InvigilatorReview"], .response = invigilator,
        .errors = {"invigilator.not_found", "invigilator.illegal_transition"}}},
      {"GET /api/v1/invigilators",
       {.response = s::page_of(invigilator, "InvigilatorPage"),
        .query = s::paged({{"status", invigilator["properties"]["status"]},
                           {"certificate_id", s::text()}})}},
      {"GET /api/v1/invigilators/{id}", {.response = invigilator, .errors = one}},
  });
  return routes;
}

}  // namespace onex::routes
