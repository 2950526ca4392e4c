// Declaration plans, declarations and quotas (API.md "Institutions and declarations", SPEC.md §5):
// one line of the table per route, each mapping HTTP onto one DeclarationService call.
#include <climits>

#include "declaration/projection.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxHtmlBytes = 64 * 1024;

Result<onex::Request> command(const Request& r) {
  auto match = if_match(r);
  if (!match) return match.status();
  return onex::Request{session_of(r).actor, "", r.header("X-Correlation-Id").substr(0, 128),
                       *match};
}

const Actor& actor_of(const Request& r) { return session_of(r).actor; }

Status field_error(const char* field, const char* code, const std::string& message) {
  return Status::unprocessable("validation.failed", std::string(field) + ": " + message,
                               {{field, code, message}});
}

// A list of strings, or 400 naming the field.
Result<std::vector<std::string>> strings(const Body& body, const char* field, std::size_t max_items,
                                         std::size_t max_bytes) {
  const json& v = body.raw(field);
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return Body::wrong_type(field, "a list of strings");
  if (v.size() > max_items)
    return field_error(field, "too_many", "at most " + std::to_string(max_items) + " items");
  for (const auto& item : v) {
    if (!item.is_string()) return Body::wrong_type(field, "a list of strings");
    if (item.get_ref<const std::string&>().size() > max_bytes)
      return field_error(field, "too_long", "each at most " + std::to_string(max_bytes) + " bytes");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// An optional integer that fits an int, within [lo, hi] (422 naming the field otherwise).
Result<std::optional<int>> bounded(const Body& body, const char* field, long long lo, long long hi) {
  auto v = body.optional_integer(field);
  if (!v) return v.status();
  if (!*v) return std::optional<int>{};
  if (**v < lo || **v > hi)
    return field_error(field, "out_of_range",
                       "between " + std::to_string(lo) + " and " + std::to_string(hi));
  return std::optional<int>{static_cast<int>(**v)};
}

Result<Timestamp> time_field(const Body& body, const char* field) {
  auto text = body.text(field, 64);
  if (!text) return text.status();
  auto t = parse_time(*text);
  if (!t) return field_error(field, "invalid_time", "an RFC 3339 time with its offset");
  return *t;
}

// The body of a create or a PUT: what an institution fills in.
Result<DeclarationInput> declaration_input(const Body& body, bool create) {
  DeclarationInput in;
  for (const char* field : {"plan_id", "certificate_id"}) {
    auto v = body.optional_text(field, 64);
    if (!v) return v.status();
    if (create && (!*v || (*v)->empty()))
      return field_error(field, "required", std::string(field) + " is required");
    (std::string_view(field) == "plan_id" ? in.plan_id : in.certificate_id) = v->value_or("");
  }
  auto majors = strings(body, "majors", 50, 200);
  if (!majors) return majors.status();
  in.majors = std::move(*majors);
  auto planned = bounded(body, "planned_trainees", INT_MIN, 1'000'000);
  if (!planned) return planned.status();
  in.planned_trainees = planned->value_or(0);
  auto teachers = body.optional_text("teachers_html", kMaxHtmlBytes);
  if (!teachers) return teachers.status();
  in.teachers_html = teachers->value_or("");
  auto venue = body.optional_text("venue_html", kMaxHtmlBytes);
  if (!venue) return venue.status();
  in.venue_html = venue->value_or("");
  auto files = strings(body, "file_ids", 20, 64);
  if (!files) return files.status();
  in.file_ids = std::move(*files);
  return in;
}

json plan_json(const PlanView& p) { return declaration::to_json(p); }

json declaration_json(const DeclarationView& v) {
  json j = declaration::to_json(v);
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

json counts_json(const DeclarationCounts& c) {
  return {{"all", c.all}, {"draft", c.draft}, {"pending", c.pending},
          {"approved", c.approved}, {"rejected", c.rejected}};
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

std::string id_param(const Request& r) { return r.params.at("id"); }

}  // namespace

std::vector<http::Route> declaration_routes(DeclarationService& service, Idempotency& idempotency) {
  const std::vector<std::string> institution = {"leader", "staff"};
  const std::vector<std::string> readers = {"leader", "staff", "city", "province"};
  std::vector<http::Route> routes;

  // ---- plans ----
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/declaration-plans",
      .roles = {"province"}, .summary = "Publish a declaration plan of the province",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        ONEX_TRY(body, Body::parse(r));
        ONEX_TRY(year, bounded(*body, "year", 2000, 2100));
        if (!*year) return http::problem(field_error("year", "required", "year is required"));
        ONEX_TRY(batch, body->text("batch_name", 200));
        ONEX_TRY(starts, time_field(*body, "starts_at"));
        ONEX_TRY(ends, time_field(*body, "ends_at"));
        ONEX_TRY(majors, body->flag("majors_required", false));
        ONEX_TRY(city, body->flag("city_review_required", false));
        auto p = service.publish_plan(*req, PlanInput{**year, *batch, *starts, *ends, *majors, *city});
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
        json items = json::array();
        const std::size_t from = (page->first - 1) * page->second;
        for (std::size_t i = plans->size(); i-- > 0;) {  // newest first
          const std::size_t rank = plans->size() - 1 - i;
          if (rank >= from && rank < from + page->second) items.push_back(plan_json((*plans)[i]));
        }
        return http::json(200, {{"items", items}, {"total", plans->size()},
                                {"page", page->first}, {"page_size", page->second}});
      }});

  // ---- declarations ----
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/declarations",
      .roles = institution, .summary = "Draft a declaration (and submit it with submit:true)",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        ONEX_TRY(body, Body::parse(r));
        ONEX_TRY(in, declaration_input(*body, true));
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
        json items = json::array();
        for (const auto& v : list->items) items.push_back(declaration_json(v));
        return http::json(200, {{"items", items}, {"total", list->total}, {"page", page->first},
                                {"page_size", page->second}, {"counts", counts_json(list->counts)}});
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/declarations/{id}", .roles = readers,
      .content_types = {}, .summary = "A declaration with its status and history",
      .handler = [&service](Request& r) {
        return declaration_answer(service.get(actor_of(r), id_param(r)));
      }});
  routes.push_back({.method = "PUT", .pattern = "/api/v1/declarations/{id}", .roles = institution,
      .summary = "Replace the fields of a draft or of a rejected declaration",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        ONEX_TRY(body, Body::parse(r));
        ONEX_TRY(in, declaration_input(*body, false));
        return declaration_answer(service.edit(*req, id_param(r), *in));
      }});
  routes.push_back({.method = "DELETE", .pattern = "/api/v1/declarations/{id}", .roles = institution,
      .content_types = {}, .summary = "Delete a draft",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        auto s = service.remove(*req, id_param(r));
        return s ? http::no_content() : http::problem(s);
      }, .success_status = 204});
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/declarations/{id}/submit",
      .roles = institution, .summary = "Submit a complete draft while its plan is open",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        if (!r.body.empty()) {
          ONEX_TRY(body, Body::parse(r));
        }
        return declaration_answer(service.submit(*req, id_param(r)));
      }}));
  routes.push_back(idempotency.wrap({.method = "POST",
      .pattern = "/api/v1/declarations/{id}/city-review", .roles = {"city"},
      .summary = "The city's review: approve, or reject with a reason",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        ONEX_TRY(body, Body::parse(r));
        ONEX_TRY(approve, body->optional_flag("approve"));
        if (!*approve) return http::problem(field_error("approve", "required", "true or false"));
        ONEX_TRY(reason, body->optional_text("reason", 1000));
        return declaration_answer(service.city_review(*req, id_param(r), **approve, reason->value_or("")));
      }}));
  routes.push_back(idempotency.wrap({.method = "POST",
      .pattern = "/api/v1/declarations/{id}/province-review", .roles = {"province"},
      .summary = "The province's review: approve (approved_trainees at most the planned), or reject",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        ONEX_TRY(body, Body::parse(r));
        ONEX_TRY(approve, body->optional_flag("approve"));
        if (!*approve) return http::problem(field_error("approve", "required", "true or false"));
        ONEX_TRY(trainees, bounded(*body, "approved_trainees", INT_MIN, 1'000'000));
        ONEX_TRY(reason, body->optional_text("reason", 1000));
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
        json items = json::array();
        for (const auto& v : list->items) items.push_back(quota_json(v));
        return http::json(200, {{"items", items}, {"total", list->total}, {"page", page->first},
                                {"page_size", page->second}});
      }});
  routes.push_back({.method = "PUT",
      .pattern = "/api/v1/quotas/{institution_id}/{certificate_id}/{year}", .roles = {"province"},
      .summary = "Set an institution's quota, with a reason; never below what is used",
      .handler = [&service](Request& r) {
        ONEX_TRY(req, command(r));
        ONEX_TRY(body, Body::parse(r));
        ONEX_TRY(trainees, bounded(*body, "approved_trainees", INT_MIN, 1'000'000));
        if (!*trainees)
          return http::problem(field_error("approved_trainees", "required", "approved_trainees is required"));
        ONEX_TRY(reason, body->text("reason", 1000));
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
                                      r.params.at("certificate_id"), year, **trainees, *reason);
        if (!q) return http::problem(q.status());
        return versioned(200, quota_json(*q), q->version);
      }});
  return routes;
}

}  // namespace onex::routes
