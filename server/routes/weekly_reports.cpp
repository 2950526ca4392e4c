// Weekly reports (API.md "Institutions and declarations", SPEC.md §5 "Weekly reports"): the
// province's cadence and outline, the leaders' reports, the province's reading of them.
#include "http/schema.h"
#include "routes/body.h"
#include "routes/routes.h"
#include "onex/weekly_reports.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

Status required(const char* field) {
  return Status::unprocessable("validation.failed", std::string(field) + " is required",
                               {{field, "required", std::string(field) + " is required"}});
}

// The `sections` object: each section a string (400 otherwise), bounded by the service.
Result<WeeklyReportSections> sections_of(const Body& body) {
  const json& v = body.raw("sections");
  if (v.is_null()) return required("sections");
  if (!v.is_object()) return Body::wrong_type("sections", "an object {progress, problems, next_steps}");
  for (const auto& [key, unused] : v.items())
    if (key != "progress" && key != "problems" && key != "next_steps")
      return Status::unprocessable("validation.failed", "sections." + key + " is not a section",
                                   {{"sections." + key, "unknown_field", "not a member of this request"}});
  WeeklyReportSections s;
  for (auto [name, target] : {std::pair{"progress", &s.progress}, std::pair{"problems", &s.problems},
                              std::pair{"next_steps", &s.next_steps}}) {
    auto it = v.find(name);
    if (it == v.end() || it->is_null()) continue;  // missing: the service names it
    if (!it->is_string())
      return Status::bad_request("request.wrong_type",
                                 std::string("sections.") + name + " must be a string");
    if (it->get_ref<const std::string&>().size() > WeeklyReportService::kMaxSection)
      return Status::unprocessable(
          "validation.failed", std::string("sections.") + name + " is too long",
          {{std::string("sections.") + name, "too_long", "at most 20000 bytes"}});
    *target = it->get<std::string>();
  }
  return s;
}

}  // namespace

std::vector<http::Route> weekly_report_routes(WeeklyReportService& service,
                                              Idempotency& idempotency) {
  std::vector<http::Route> routes;
  routes.push_back({.method = "PUT", .pattern = "/api/v1/weekly-report-settings",
      .roles = {"province"}, .summary = "Set the province's weekly report cadence and outline",
      .handler = [&service](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse(r, {"cadence", "outline_file_id"}));
        ONEX_TRY(cadence, body->text("cadence", 32));
        ONEX_TRY(outline, body->text("outline_file_id", 64));
        auto v = service.set_settings(*caller, *cadence, *outline);
        if (!v) return http::problem(v.status());
        return versioned(200, json_of(*v), v->version);
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/weekly-report-settings",
      .roles = {"province", "leader", "staff"}, .content_types = {},
      .summary = "The weekly report cadence and outline of the caller's province",
      .handler = [&service](Request& r) {
        auto v = service.settings(session_of(r).actor);
        if (!v) return http::problem(v.status());
        return versioned(200, json_of(*v), v->version);
      }});
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/weekly-reports",
      .roles = {"leader", "staff"},  // staff get the service's 403 (the rule is the service's)
      .summary = "Submit the institution's report for a period (leader only)",
      .handler = [&service](Request& r) {
        ONEX_TRY(body, Body::parse(r, {"period_start", "sections", "file_id"}));
        ONEX_TRY(period, body->text("period_start", 10));
        ONEX_TRY(sections, sections_of(*body));
        ONEX_TRY(file, body->optional_text("file_id", 64));
        ONEX_TRY(caller, caller_of(r));
        auto v = service.submit(*caller,
                                WeeklyReportInput{*period, *sections, file->value_or("")});
        if (!v) return http::problem(v.status());
        auto resp = versioned(201, json_of(*v), v->version);
        return resp;
      }, .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/weekly-reports",
      .roles = {"province", "leader"}, .content_types = {},
      .summary = "Weekly reports: the province's institutions', or the leader's own",
      .handler = [&service](Request& r) {
        ONEX_TRY(page, paging(r));
        WeeklyReportQuery q{r.query_value("period_start").value_or(""),
                            r.query_value("institution_id").value_or(""), page->first, page->second};
        ONEX_TRY(list, service.list(session_of(r).actor, q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return json_of(v); }));
      }});

  // ---- the contract (OpenAPI) ----
  namespace s = http::schema;
  const auto settings = s::object("WeeklyReportSettings", {{"province_code", s::text()}, {"cadence", s::text()},
                                                           {"outline_file_id", s::text()}, {"stream", s::text()},
                                                           {"version", s::integer()}, {"updated_at", s::time()}});
  const auto sections = s::object("WeeklyReportSections", {{"progress", s::text()}, {"problems", s::text()},
                                                           {"next_steps", s::text()}});
  const auto report = s::object(
      "WeeklyReport",
      {{"id", s::text()}, {"stream", s::text()}, {"version", s::integer()}, {"institution_id", s::text()},
       {"province_code", s::text()}, {"city_code", s::text()}, {"cadence", s::text()},
       {"period_start", s::text("YYYY-MM-DD")}, {"period_end", s::text("YYYY-MM-DD")}, {"sections", sections},
       {"file_id", s::text()}, {"submitted_by", s::text()}, {"submitted_at", s::time()}});
  s::document(routes, {
      {"PUT /api/v1/weekly-report-settings",
       {.request = s::object("WeeklyReportSettingsInput", {{"cadence", s::one_of({"weekly", "half_monthly"})},
                                                           {"outline_file_id", s::text()}}),
        .response = settings,
        .errors = s::codes({"file.not_usable", "weekly_report_settings.illegal_transition"}, s::kIfMatch)}},
      {"GET /api/v1/weekly-report-settings", {.response = settings, .errors = {"weekly_report_settings.not_found"}}},
      {"POST /api/v1/weekly-reports",
       {.request = s::object("WeeklyReportInput", {{"period_start", s::text("the period's first day, YYYY-MM-DD")},
                                                   {"sections", sections}, s::optional("file_id", s::text())}),
        .response = report,
        .errors = {"weekly_report.duplicate", "weekly_report.not_configured", "file.not_usable"}}},
      {"GET /api/v1/weekly-reports",
       {.response = s::page_of(report, "WeeklyReportPage"),
        .query = s::paged({{"period_start", s::text(), "YYYY-MM-DD"}, {"institution_id", s::text()}})}},
  });
  return routes;
}

}  // namespace onex::routes
