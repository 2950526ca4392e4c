// Candidates (API.md "Exam organisation", "Templates and details"): one line of the table per
// route, each mapping HTTP onto one CandidateService call. Tables travel as XLSX or CSV bodies,
// photos as a ZIP; answers to the institution's accounts only.
#include "http/schema.h"
#include "onex/candidates.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::size_t kSpoolAbove = std::size_t{4} << 20;  // larger ZIPs go to disk as they arrive

Response workbook(std::string bytes, const char* file_name) {
  Response out;
  out.status = 200;
  out.content_type = kXlsx;
  out.body = std::move(bytes);
  out.headers.emplace_back("Content-Disposition", std::string("attachment; filename=\"") + file_name + "\"");
  return out;
}

}  // namespace

std::vector<http::Route> candidate_routes(CandidateService& candidates, Idempotency& idempotency) {
  const std::vector<std::string> institution = {"leader", "staff"};
  // The bodies' limits are their file purposes' (API.md "File purposes and limits").
  const std::size_t table_limit = FileService::limit_of("import_sheet").value_or(0);
  const std::size_t photos_limit = FileService::limit_of("photo_archive").value_or(0);
  const auto spool = candidates.spool_dir();
  std::vector<http::Route> routes;

  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/candidates", .roles = institution,
      .summary = "Add one candidate (a person is a candidate once, ever)",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(in, candidate_input_of(body->value()));
        ONEX_TRY(v, candidates.create(*caller, *in));
        auto resp = versioned(201, json_of(*v), v->version);
        resp.headers.emplace_back("Location", "/api/v1/candidates/" + v->id);
        return resp;
      }, .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/candidates", .roles = institution, .content_types = {},
      .summary = "The institution's candidates, ID numbers masked",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(page, paging(r));
        CandidateQuery q{r.query_value("kind").value_or(""), r.query_value("verification").value_or(""),
                         r.query_value("q").value_or(""), page->first, page->second};
        ONEX_TRY(list, candidates.list(session_of(r).actor, q));
        return http::json(200, page_json(*list, *page, [](const auto& v) { return json_of(v); }));
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/candidates/{id}", .roles = institution, .content_types = {},
      .summary = "One candidate, the whole ID number to its institution",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(v, candidates.get(session_of(r).actor, r.params.at("id")));
        return versioned(200, json_of(*v), v->version);
      }});
  routes.push_back({.method = "PATCH", .pattern = "/api/v1/candidates/{id}", .roles = institution,
      .summary = "Change the members sent; a new name or ID number needs the real-name check again",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_object(r));
        ONEX_TRY(patch, candidate_patch_of(body->value()));
        ONEX_TRY(v, candidates.edit(*caller, r.params.at("id"), *patch));
        return versioned(200, json_of(*v), v->version);
      }});
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/candidates/{id}/confirm-identity",
      .roles = institution, .summary = "Confirm the person by hand after a failed or impossible real-name check",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(body, Body::parse_or_empty(r, {}));
        ONEX_TRY(v, candidates.confirm_identity(*caller, r.params.at("id")));
        return versioned(200, json_of(*v), v->version);
      }}));

  // ---- tables and photos ----
  routes.push_back({.method = "GET", .pattern = "/api/v1/candidates/template.xlsx", .roles = institution,
      .content_types = {}, .summary = "The import template: its header row, first sheet",
      .handler = [&candidates](Request&) -> Response {
        ONEX_TRY(bytes, candidates.template_xlsx());
        return workbook(std::move(*bytes), "candidates-template.xlsx");
      }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/candidates/export.xlsx", .roles = institution,
      .content_types = {}, .summary = "The institution's candidates: the template's columns, 核验状态 and 照片",
      .handler = [&candidates](Request& r) -> Response {
        ONEX_TRY(bytes, candidates.export_xlsx(session_of(r).actor));
        return workbook(std::move(*bytes), "candidates.xlsx");
      }});
  const std::vector<std::string> tables = {kXlsx, "text/csv"};
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/candidates/import", .roles = institution,
      .body_limit = table_limit, .content_types = tables,
      .summary = "Import the template's rows as new candidates, all or none",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(done, candidates.import(*caller, r.body));
        return http::json(200, {{"imported", done->rows}, {"errors", json::array()}});
      }}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/candidates/batch-update",
      .roles = institution, .body_limit = table_limit, .content_types = tables,
      .summary = "Update candidates from an edited export, by ID number, all or none",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(done, candidates.batch_update(*caller, r.body));
        return http::json(200, {{"updated", done->rows}, {"errors", json::array()}});
      }}));
  // Not under Idempotency-Key: a body spooled to disk has no fingerprint here, and sending the
  // same photos again changes nothing (a photo the candidate has already is no event).
  routes.push_back({.method = "POST", .pattern = "/api/v1/candidates/photos", .roles = institution,
      .body_limit = photos_limit, .spool_above = spool ? kSpoolAbove : 0,
      .spool_dir = spool ? *spool : std::string(), .content_types = {"application/zip"},
      .summary = "Photos from a ZIP of <ID number>.jpg|png; each file answered on its own",
      .handler = [&candidates](Request& r) {
        ONEX_TRY(caller, caller_of(r));
        ONEX_TRY(done, r.body_file.empty() ? candidates.upload_photos(*caller, r.body)
                                           : candidates.upload_photos_file(*caller, r.body_file));
        json errors = json::array();
        for (const auto& e : done->errors) errors.push_back({{"file", e.file}, {"code", e.code}});
        return http::json(200, {{"matched", done->matched}, {"errors", std::move(errors)}});
      }});

  // ---- the contract (OpenAPI): the candidate's schemas are its description's ----
  namespace s = http::schema;
  const auto described = candidate_schemas();
  const auto candidate = described["Candidate"];
  const json binary = {{"type", "string"}, {"contentMediaType", "application/octet-stream"}};
  const json table = {{"type", "string"},
                      {"description", "XLSX (first sheet) or CSV (UTF-8): the template's header row, then the rows"}};
  const auto one = std::vector<std::string>{"candidate.not_found"};
  const auto rows = std::vector<std::string>{"candidate.invalid_rows", "sheet.unreadable", "sheet.too_many_rows",
                                             "sheet.too_large"};
  s::document(routes, {
      {"POST /api/v1/candidates",
       {.request = described["CandidateInput"], .response = candidate, .errors = {"candidate.already_exists"}}},
      {"GET /api/v1/candidates",
       {.response = s::page_of(candidate, "CandidatePage"),
        .query = s::paged({{"kind", s::one_of({"student", "social"})},
                           {"verification", candidate["properties"]["verification"]},
                           {"q", s::text("part of the name, the pinyin or the ID number")}})}},
      {"GET /api/v1/candidates/{id}", {.response = candidate, .errors = one}},
      {"PATCH /api/v1/candidates/{id}",
       {.request = described["CandidatePatch"], .response = candidate,
        .errors = s::codes({"candidate.not_found", "candidate.already_exists"}, s::kIfMatch)}},
      {"POST /api/v1/candidates/{id}/confirm-identity",
       {.request = s::object("", {}), .response = candidate,
        .errors = {"candidate.not_found", "candidate.photo_missing", "candidate.illegal_transition"}}},
      {"GET /api/v1/candidates/template.xlsx", {.response = binary, .response_media = kXlsx}},
      {"GET /api/v1/candidates/export.xlsx", {.response = binary, .response_media = kXlsx}},
      {"POST /api/v1/candidates/import",
       {.request = table, .response = s::object("CandidateImport", {{"imported", s::integer()},
                                                                   {"errors", s::array(s::object("", {}))}}),
        .errors = rows}},
      {"POST /api/v1/candidates/batch-update",
       {.request = table, .response = s::object("CandidateUpdate", {{"updated", s::integer()},
                                                                   {"errors", s::array(s::object("", {}))}}),
        .errors = rows}},
      {"POST /api/v1/candidates/photos",
       {.request = {{"type", "string"}, {"contentMediaType", "application/zip"}},
        .response = s::object("PhotoUpload", {{"matched", s::integer()},
                                              {"errors", s::array(s::object("PhotoError", {{"file", s::text()},
                                                                                          {"code", s::text()}}))}}),
        .errors = {"photo.unreadable_archive", "photo.too_many_files", "photo.too_large"}}},
  });
  return routes;
}

}  // namespace onex::routes
