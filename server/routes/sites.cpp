// Assessment sites (API.md "Exam organisation"): applications, their review per certificate, the
// sites list and the loans of sites (借考). One line of the table per route, each mapping HTTP
// onto one SiteService call.
#include "http/schema.h"
#include "onex/sites.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

std::vector<http::Route> site_routes(SiteService& sites, Idempotency& idempotency) {
  const std::vector<std::string> institution = {"leader", "staff"}, readers = {"org", "leader", "staff"};
  std::vector<http::Route> routes;
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/site-applications", .roles = institution,
      .summary = "Apply for an assessment site (a draft) serving certificates the institution pilots",
      .handler = [&sites](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, site_input_of(body->value()));
        ONEX_TRY(v, sites.apply(*caller, *in));
        auto resp = versioned(201, json_of(*v), v->version);
        resp.headers.emplace_back("Location", "/api/v1/sites/" + v->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/site-applications/{id}/submit",
      .roles = institution, .summary = "Submit the application to the orgs of its certificates",
      .handler = [&sites](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_or_empty(r, {}));
        ONEX_TRY(v, sites.submit(*caller, r.params.at("id")));
        return versioned(200, json_of(*v), v->version);
      }}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/site-applications/{id}/review",
      .roles = {"org"}, .summary = "Approve or reject (with a reason) the part of one of the org's certificates",
      .handler = [&sites](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(review, site_review_of(body->value()));
        ONEX_TRY(v, sites.review(*caller, r.params.at("id"), *review));
        return versioned(200, json_of(*v), v->version);
      }}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/site-assignments", .roles = {"org"},
      .summary = "Lend an approved site to an institution without one, for an exam plan (借考)",
      .handler = [&sites](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, site_assignment_of(body->value()));
        ONEX_TRY(v, sites.assign(*caller, *in));
        return versioned(200, json_of(*v), v->version);
      }}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/sites", .roles = readers, .content_types = {},
      .summary = "The sites the caller sees: an institution's own and those lent to it, an org's to review",
      .handler = [&sites](Request& r) {
        ONEX_TRY(page, paging(r));
        SiteQuery q{r.query_value("certificate_id").value_or(""), r.query_value("status").value_or(""), page->first,
                    page->second};
        ONEX_TRY(list, sites.list(session_of(r).actor, q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return json_of(v); }));
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/sites/{id}", .roles = readers, .content_types = {},
      .summary = "One site", .handler = [&sites](Request& r) {
        ONEX_TRY(v, sites.get(session_of(r).actor, r.params.at("id")));
        return versioned(200, json_of(*v), v->version);
      }});

  namespace s = http::schema;
  const auto described = site_schemas();
  const auto site = described["Site"];
  s::document(routes, {
      {"POST /api/v1/site-applications",
       {.request = described["SiteInput"], .response = site, .errors = {"file.not_usable"}}},
      {"POST /api/v1/site-applications/{id}/submit",
       {.request = s::object("", {}), .response = site, .errors = {"site.not_found", "site.illegal_transition"}}},
      {"POST /api/v1/site-applications/{id}/review",
       {.request = described["SiteReview"], .response = site,
        .errors = {"site.not_found", "site.part_decided", "site.illegal_transition"}}},
      {"POST /api/v1/site-assignments",
       {.request = described["SiteAssignment"], .response = site,
        .errors = {"site.not_found", "site.not_approved", "site.has_own_site", "site.already_assigned",
                   "site.illegal_transition"}}},
      {"GET /api/v1/sites",
       {.response = s::page_of(site, "SitePage"),
        .query = s::paged({{"certificate_id", s::text()},
                           {"status", site["properties"]["status"]}})}},
      {"GET /api/v1/sites/{id}", {.response = site, .errors = {"site.not_found"}}},
  });
  return routes;
}

}  // namespace onex::routes
