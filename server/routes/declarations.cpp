// Declaration plans, declarations and quotas (API.md "Institutions and declarations", SPEC.md §5):
// one line of the table per route, each mapping HTTP onto one DeclarationService call.
#include <algorithm>
#include <climits>

#include "http/schema.h"
#include "onex/declaration.h"
#include "onex/page.h"
#include "onex/schemas.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

const Actor& actor_of(const Request& r) { return session_of(r).actor; }

Status field_error(const char* field, const char* code, const std::string& message) {
  return Status::unprocessable("validation.failed", std::string(field) + ": " + message,
                               {{field, code, message}});
}

// An optional integer. Its range is decide's rule (422 naming the field): a number past what an
// int holds is passed on as the int's limit, which decide refuses as out of its range.
Result<std::optional<int>> integer(const Body& body, const char* field) {
  auto v = body.optional_integer(field);
  if (!v) return v.status();
  if (!*v) return std::optional<int>{};
  return std::optional<int>{static_cast<int>(std::clamp<long long>(**v, INT_MIN, INT_MAX))};
}

Result<Timestamp> time_field(const Body& body, const char* field) {
  auto text = body.text(field, 64);
  if (!text) return text.status();
  auto t = parse_time(*text);
  if (!t) return field_error(field, "invalid_time", "an RFC 3339 time with its offset");
  return *t;
}

constexpr std::size_t kUnlimited = std::size_t(-1);  // the body limit bounds it; decide checks

json plan_json(const PlanView& p) { return json_of(p); }

json declaration_json(const DeclarationView& v) {
  json j = json_of(v);
  if (!v.history.empty()) {
    json history = json::array();
    for (const auto& h : v.history) {
      json& e = history.emplace_back(json::object());
      e["version"] = h.version;
      e["type"] = h.type;
      e["at"] = format_china(h.at);
      e["actor_role"] = h.actor_role;
    }
    j["history"] = std::move(history);
  }
  return j;
}

json quota_json(const QuotaView& q) {
  json j = json::object();
  j["institution_id"] = q.institution_id;
  j["certificate_id"] = q.certificate_id;
  j["year"] = q.year;
  j["approved_trainees"] = q.approved_trainees;
  j["used"] = q.used;
  j["stream"] = q.stream;
  j["version"] = q.version;
  return j;
}

// The `year` filter: 0 when absent.
Result<int> query_year(const Request& r) {
  auto year = query_number(r, "year", 0, 2000, 2100);
  if (!year) return year.status();
  return static_cast<int>(*year);
}

Response declaration_answer(const Result<DeclarationView>& v, int status = 200) {
  if (!v) return http::problem(v.status());
  return versioned(status, declaration_json(*v), v->version);
}

}  // namespace

std::vector<http::Route> declaration_routes(DeclarationService& service, Idempotency& idempotency) {
  const std::vector<std::string> institution = {"leader", "staff"};
  const std::vector<std::string> readers = {"leader", "staff", "city", "province"};
  std::vector<http::Route> routes;

  // ---- plans ----
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/declaration-plans",
      .roles = {"province"}, .summary = "Publish a declaration plan of the province",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        ONEX_TRY(body, Body::parse(r, {"year", "batch_name", "starts_at", "ends_at",
                                        "majors_required", "city_review_required"}));
        if (auto s = body->require({"year", "batch_name", "starts_at", "ends_at"}); !s)
          return http::problem(s);
        ONEX_TRY(year, integer(*body, "year"));
        ONEX_TRY(batch, body->text("batch_name", kUnlimited));
        ONEX_TRY(starts, time_field(*body, "starts_at"));
        ONEX_TRY(ends, time_field(*body, "ends_at"));
        ONEX_TRY(majors, body->flag("majors_required", false));
        ONEX_TRY(city, body->flag("city_review_required", false));
        auto p = service.publish_plan(*req, PlanInput{year->value_or(0), *batch, *starts, *ends, *majors, *city});
        if (!p) return http::problem(p.status());
        auto resp = versioned(201, plan_json(*p), p->version);
        resp.headers.emplace_back("Location", "/api/v1/declaration-plans/" + p->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/declaration-plans",
      .roles = {"province", "leader", "staff"}, .content_types = {},
      .summary = "Declaration plans of the caller's province, with their status by the clock",
      .handler = [&service](Request& r) {
        ONEX_TRY(page, paging(r));
        ONEX_TRY(plans, service.plans(actor_of(r)));
        auto one = page_of(std::vector<PlanView>(plans->rbegin(), plans->rend()),  // newest first
                           {page->first, page->second});
        return http::json(200, page_json(one, *page, [](const auto& p) { return plan_json(p); }));
      }});

  // The plan a publication's Location names.
  routes.push_back({.method = "GET", .pattern = "/api/v1/declaration-plans/{id}",
      .roles = {"province", "leader", "staff"}, .content_types = {},
      .summary = "One declaration plan of the caller's province, with its status by the clock",
      .handler = [&service](Request& r) {
        ONEX_TRY(p, service.plan(actor_of(r), id_param(r)));
        return represented(200, plan_json(*p), p->version);  // its status follows the clock
      }});

  // ---- declarations ----
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/declarations",
      .roles = institution, .summary = "Draft a declaration (and submit it with submit:true)",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, declaration_input_of(body->value(), true));
        ONEX_TRY(submit, body->flag("submit", false));
        auto v = service.create(*req, *in, *submit);
        if (!v) return http::problem(v.status());
        auto resp = versioned(201, declaration_json(*v), v->version);
        resp.headers.emplace_back("Location", "/api/v1/declarations/" + v->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/declarations", .roles = readers,
      .content_types = {},
      .summary = "Declarations the caller sees, filtered, with counts by status",
      .handler = [&service](Request& r) {
        ONEX_TRY(page, paging(r));
        ONEX_TRY(year, query_year(r));
        DeclarationQuery q;
        q.status = r.query_value("status").value_or("");
        q.plan_id = r.query_value("plan_id").value_or("");
        q.institution_id = r.query_value("institution_id").value_or("");
        q.certificate_id = r.query_value("certificate_id").value_or("");
        q.year = *year;
        q.page = page->first;
        q.page_size = page->second;
        ONEX_TRY(list, service.list(actor_of(r), q));
        json one = page_json(*list, *page, declaration_json);
        one["counts"] = json_of(list->counts);
        return http::json(200, one);
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/declarations/{id}", .roles = readers,
      .content_types = {}, .summary = "A declaration with its status and history",
      .handler = [&service](Request& r) {
        return declaration_answer(service.get(actor_of(r), id_param(r)));
      }});
  routes.push_back({.method = "PUT", .pattern = "/api/v1/declarations/{id}", .roles = institution,
      .summary = "Replace the fields of a draft or of a rejected declaration",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, declaration_input_of(body->value(), false));
        return declaration_answer(service.edit(*req, id_param(r), *in));
      }});
  routes.push_back({.method = "DELETE", .pattern = "/api/v1/declarations/{id}", .roles = institution,
      .content_types = {}, .summary = "Delete a draft",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        auto s = service.remove(*req, id_param(r));
        return s ? http::no_content() : http::problem(s);
      }, .success_status = 204});
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/declarations/{id}/submit",
      .roles = institution, .summary = "Submit a complete draft while its plan is open",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        ONEX_TRY(body, Body::parse_or_empty(r, {}));
        return declaration_answer(service.submit(*req, id_param(r)));
      }}));
  routes.push_back(idempotency.wrap({.method = "POST",
      .pattern = "/api/v1/declarations/{id}/city-review", .roles = {"city"},
      .summary = "The city's review: approve, or reject with a reason",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        ONEX_TRY(body, Body::parse(r, {"approve", "reason"}));
        if (auto s = body->require({"approve"}); !s) return http::problem(s);
        ONEX_TRY(approve, body->optional_flag("approve"));
        ONEX_TRY(reason, body->optional_text("reason", kUnlimited));
        return declaration_answer(service.city_review(*req, id_param(r), **approve, reason->value_or("")));
      }}));
  routes.push_back(idempotency.wrap({.method = "POST",
      .pattern = "/api/v1/declarations/{id}/province-review", .roles = {"province"},
      .summary = "The province's review: approve (approved_trainees at most the planned), or reject",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        ONEX_TRY(body, Body::parse(r, {"approve", "approved_trainees", "reason"}));
        if (auto s = body->require({"approve"}); !s) return http::problem(s);
        ONEX_TRY(approve, body->optional_flag("approve"));
        ONEX_TRY(trainees, integer(*body, "approved_trainees"));
        ONEX_TRY(reason, body->optional_text("reason", kUnlimited));
        return declaration_answer(service.province_review(*req, id_param(r), **approve, *trainees,
                                                          reason->value_or("")));
      }}));

  // ---- quotas ----
  routes.push_back({.method = "GET", .pattern = "/api/v1/quotas",
      .roles = {"leader", "staff", "province"}, .content_types = {},
      .summary = "Training quotas: an institution's own, a province's institutions'",
      .handler = [&service](Request& r) {
        ONEX_TRY(page, paging(r));
        ONEX_TRY(year, query_year(r));
        QuotaQuery q{*year, r.query_value("institution_id").value_or(""), page->first, page->second};
        ONEX_TRY(list, service.quotas(actor_of(r), q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return quota_json(v); }));
      }});
  routes.push_back({.method = "PUT",
      .pattern = "/api/v1/quotas/{institution_id}/{certificate_id}/{year}", .roles = {"province"},
      .summary = "Set an institution's quota, with a reason; never below what is used",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, caller_of(r));
        ONEX_TRY(body, Body::parse(r, {"approved_trainees", "reason"}));
        if (auto s = body->require({"approved_trainees", "reason"}); !s) return http::problem(s);
        ONEX_TRY(trainees, integer(*body, "approved_trainees"));
        ONEX_TRY(reason, body->optional_text("reason", kUnlimited));
        const std::string& year_text = r.params.at("year");
        int year = 0;
        for (char c : year_text) {
          if (c < '0' || c > '9' || year > 10'000) {
            year = -1;
            break;
          }
          year = year * 10 + (c - '0');
        }
        auto q = service.adjust_quota(*req, r.params.at("institution_id"),
                                      r.params.at("certificate_id"), year, **trainees, reason->value_or(""));
        if (!q) return http::problem(q.status());
        return versioned(200, quota_json(*q), q->version);
      }});

  // ---- the contract (OpenAPI); a declaration's schemas are its description's ----
  namespace s = http::schema;
  const auto described = described_schemas();
  const auto declaration = described["Declaration"];
  const auto single = s::extend(
      declaration, "DeclarationWithHistory",
      {s::optional("history", s::array(s::object("HistoryEntry", {{"version", s::integer()}, {"type", s::text()},
                                                                 {"at", s::time()}, {"actor_role", s::text()}})))});
  const auto plan = s::object(
      "DeclarationPlan",
      {{"id", s::text()}, {"stream", s::text()}, {"version", s::integer()}, {"province_code", s::text()},
       {"year", s::integer()}, {"batch_name", s::text()}, {"starts_at", s::time()},
       {"ends_at", s::time("its last included instant")}, {"majors_required", s::boolean()},
       {"city_review_required", s::boolean()},
       {"status", s::one_of({"not_started", "open", "ended"}, "by the clock")}});
  const auto quota = s::object("Quota", {{"institution_id", s::text()}, {"certificate_id", s::text()},
                                         {"year", s::integer()}, {"approved_trainees", s::integer()},
                                         {"used", s::integer()}, {"stream", s::text()}, {"version", s::integer()}});
  const auto counts = described["DeclarationCounts"];
  const auto review = s::object("Review", {{"approve", s::boolean()}, s::optional("reason", s::text())});
  const auto year = http::Route::Query{"year", {{"type", "integer"}, {"minimum", 2000}, {"maximum", 2100}}};
  const std::vector<std::string> one = {"declaration.not_found", "declaration.illegal_transition"};
  s::document(routes, {
      {"POST /api/v1/declaration-plans",
       {.request = s::object("NewDeclarationPlan", {{"year", s::integer()}, {"batch_name", s::text()},
                                                    {"starts_at", s::time()}, {"ends_at", s::time()},
                                                    s::optional("majors_required", s::boolean()),
                                                    s::optional("city_review_required", s::boolean())}),
        .response = plan}},
      {"GET /api/v1/declaration-plans", {.response = s::page_of(plan, "DeclarationPlanPage"), .query = s::paged()}},
      {"GET /api/v1/declaration-plans/{id}", {.response = plan, .errors = {"declaration_plan.not_found"}}},
      {"POST /api/v1/declarations",
       {.request = s::extend(described["DeclarationInput"], "NewDeclaration",
                             {s::optional("submit", s::boolean("submit it at once (all or nothing)"))}),
        .response = single,
        .errors = {"declaration.duplicate", "declaration.window_closed", "declaration.incomplete",
                   "declaration_plan.not_found", "institution.profile_incomplete", "file.not_usable"}}},
      {"GET /api/v1/declarations",
       {.response = s::extend(s::page_of(declaration, ""), "DeclarationPage", {{"counts", counts}}),
        .query = s::paged({{"status", described["DeclarationTab"]},
                           {"plan_id", s::text()}, {"institution_id", s::text()}, {"certificate_id", s::text()},
                           year})}},
      {"GET /api/v1/declarations/{id}", {.response = single, .errors = {"declaration.not_found"}}},
      {"PUT /api/v1/declarations/{id}",
       {.request = described["DeclarationEdit"], .response = single,
        .errors = s::codes(one, s::codes({"file.not_usable"}, s::kIfMatch))}},
      {"DELETE /api/v1/declarations/{id}", {.errors = s::codes(one, s::kIfMatch)}},
      {"POST /api/v1/declarations/{id}/submit",
       {.request = s::object("", {}), .response = single,
        .errors = s::codes(one, s::codes({"declaration.window_closed", "declaration.incomplete",
                                          "institution.profile_incomplete"}, s::kIfMatch))}},
      {"POST /api/v1/declarations/{id}/city-review",
       {.request = review, .response = single, .errors = s::codes(one, s::codes({"declaration.already_decided"}, s::kIfMatch))}},
      {"POST /api/v1/declarations/{id}/province-review",
       {.request = s::object("ProvinceReview", {{"approve", s::boolean()}, s::optional("approved_trainees", s::integer()),
                                                s::optional("reason", s::text())}),
        .response = single,
        .errors = s::codes(one, s::codes({"declaration.already_decided", "declaration.approved_exceeds_planned"},
                                         s::kIfMatch))}},
      {"GET /api/v1/quotas",
       {.response = s::page_of(quota, "QuotaPage"),
        .query = s::paged({year, {"institution_id", s::text()}})}},
      {"PUT /api/v1/quotas/{institution_id}/{certificate_id}/{year}",
       {.request = s::object("QuotaAdjustment", {{"approved_trainees", s::integer()}, {"reason", s::text()}}),
        .response = quota, .errors = s::codes({"quota.not_found", "quota.below_used", "quota.illegal_transition"}, s::kIfMatch)}},
  });
  return routes;
}

}  // namespace onex::routes
