// Reference data (API.md "Reference data"; SPEC.md §3): provinces, the institution registry,
// training orgs, certificates and standards. One line per route; ReferenceService decides.
#include "onex/reference.h"

#include "http/schema.h"
#include "onex/regions.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::size_t kRegistryBodyLimit = std::size_t{20} << 20;

// A standard's edition: `edition`, or `version` as API.md's table first named it (kept one
// release); both at once is ambiguous.
Result<std::optional<std::string>> edition_of(const Body& body) {
  auto edition = body.optional_text("edition", 128);
  if (!edition) return edition.status();
  auto legacy = body.optional_text("version", 128);
  if (!legacy) return legacy.status();
  if (*edition && *legacy)
    return Status::unprocessable("validation.failed", "give the edition once",
                                 {{"version", "ambiguous", "send the edition as `edition` only"}});
  return *edition ? *edition : *legacy;
}

// A list of strings (400 when it is anything else); nullopt when absent.
Result<std::optional<std::vector<std::string>>> string_list(const Body& body, const char* field,
                                                            std::size_t max_items = 100) {
  const json& v = body.raw(field);
  if (v.is_null()) return std::optional<std::vector<std::string>>{};
  if (!v.is_array()) return Body::wrong_type(field, "a list of strings");
  if (v.size() > max_items)
    return Status::unprocessable("validation.failed", std::string(field) + " is too long",
                                 {{field, "too_long", "at most " + std::to_string(max_items)}});
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string()) return Body::wrong_type(field, "a list of strings");
    out.push_back(item.get<std::string>());
  }
  return std::optional<std::vector<std::string>>{std::move(out)};
}

// A query parameter of at most `max` bytes ("" when absent).
Result<std::string> query_text(const Request& r, const char* name, std::size_t max = 100) {
  auto v = r.query_value(name).value_or("");
  if (v.size() > max)
    return Status::unprocessable("validation.failed", std::string(name) + " is too long",
                                 {{name, "too_long", "at most " + std::to_string(max) + " bytes"}});
  return v;
}

json registry_json(const RegistryEntryView& e) {
  return {{"code", e.code},
          {"name", e.name},
          {"province_code", e.province_code},
          {"city_code", e.city_code},
          {"type", e.type}};
}

}  // namespace

json to_json(const OrgView& o) {
  return {{"id", o.id},
          {"stream", o.stream},
          {"version", o.version},
          {"code", o.code},
          {"name", o.name},
          {"credit_code", o.credit_code},
          {"contact_name", o.contact_name},
          {"contact_phone", o.contact_phone}};
}

json to_json(const CertificateView& c) {
  return {{"id", c.id},       {"stream", c.stream}, {"version", c.version}, {"code", c.code},
          {"name", c.name},   {"levels", c.levels}, {"org_id", c.org_id}};
}

// A standard's edition ("2020版") is `edition`; `version` is its stream version, as every
// resource's (and the ETag). `stream_version` says the same, kept for one release for clients
// of 0.2, where `version` was the edition.
json to_json(const StandardView& s) {
  json j = {{"id", s.id},
            {"stream", s.stream},
            {"edition", s.edition},
            {"version", s.version},
            {"stream_version", s.version},
            {"org_id", s.org_id},
            {"code", s.code},
            {"name", s.name},
            {"kind", s.kind},
            {"certificate_ids", s.certificate_ids},
            {"status", s.status}};
  if (!s.file_id.empty()) j["file_id"] = s.file_id;
  return j;
}

std::vector<http::Route> reference_routes(ReferenceService& reference, Idempotency& idempotency) {
  const std::vector<std::string> anyone = {"*"};
  const std::vector<std::string> operator_only = {"operator"};
  const std::vector<std::string> org_only = {"org"};
  std::vector<http::Route> routes;

  // ---- provinces and the institution registry (public reads) ----
  routes.push_back({.method = "GET", .pattern = "/api/v1/provinces", .is_public = true,
                    .content_types = {}, .summary = "The 34 provincial-level divisions",
                    .handler = [](Request& r) {
                      ONEX_TRY(at, paging(r));
                      Page<ProvinceView> page;
                      auto all = ReferenceService::provinces();
                      page.total = all.size();
                      for (std::size_t i = (at->first - 1) * at->second;
                           i < all.size() && i < at->first * at->second; ++i)
                        page.items.push_back(all[i]);
                      return http::json(200, page_json(page, *at, [](const ProvinceView& p) {
                        return json{{"code", p.code}, {"name", p.name}};
                      }));
                    }});
  routes.push_back(idempotency.wrap(
      {.method = "POST", .pattern = "/api/v1/institution-registry/import", .roles = operator_only,
       .body_limit = kRegistryBodyLimit, .content_types = {"text/csv"},
       .summary = "Import the institution registry from CSV: every line valid, or nothing",
       .handler = [&reference](Request& r) {
         ONEX_TRY(caller, caller_of(r));
         ONEX_TRY(result, reference.import_registry(*caller, r.body));
         if (result->errors.empty()) return http::json(200, {{"imported", result->imported}});
         std::vector<FieldError> errors;
         for (const auto& e : result->errors) errors.push_back({e.field, e.code, e.message});
         auto answer = http::problem(
             Status::unprocessable("registry.invalid_rows",
                                   std::to_string(result->error_count) +
                                       " errors; nothing was imported",
                                   std::move(errors)),
             {{"error_count", result->error_count}});
         json body = json::parse(answer.body);
         for (std::size_t i = 0; i < result->errors.size(); ++i)
           body["errors"][i]["line"] = result->errors[i].line;
         answer.body = body.dump();
         return answer;
       }}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/institution-registry", .is_public = true,
                    .content_types = {}, .summary = "Registry entries by province, city and text",
                    .handler = [&reference](Request& r) {
                      ONEX_TRY(at, paging(r));
                      ONEX_TRY(province, query_text(r, "province", 2));
                      ONEX_TRY(city, query_text(r, "city", 4));
                      ONEX_TRY(q, query_text(r, "q"));
                      if (!province->empty() && !is_province_code(*province))
                        return http::problem(Status::unprocessable(
                            "validation.failed", "province is not a province code",
                            {{"province", "invalid", "one of the 34 province codes"}}));
                      if (!city->empty() && !is_city_code_of(*city, city->substr(0, 2)))
                        return http::problem(Status::unprocessable(
                            "validation.failed", "city is not a city code",
                            {{"city", "invalid", "a four-digit city code"}}));
                      ONEX_TRY(page, reference.registry({*province, *city, *q}, {at->first, at->second}));
                      return http::json(200, page_json(*page, *at, registry_json));
                    }});

  // ---- orgs ----
  routes.push_back(idempotency.wrap(
      {.method = "POST", .pattern = "/api/v1/orgs", .roles = operator_only,
       .summary = "Create a training org (培训评价组织)",
       .handler = [&reference](Request& r) {
         ONEX_TRY(body, Body::parse(r, {"code", "name", "credit_code", "contact_name",
                                        "contact_phone"}));
         ONEX_TRY(code, body->optional_text("code", 64));
         ONEX_TRY(name, body->optional_text("name", 400));
         ONEX_TRY(credit, body->optional_text("credit_code", 64));
         ONEX_TRY(contact, body->optional_text("contact_name", 200));
         ONEX_TRY(phone, body->optional_text("contact_phone", 32));
         ONEX_TRY(caller, caller_of(r));
         ONEX_TRY(org, reference.create_org(*caller,
                                            {code->value_or(""), name->value_or(""),
                                             credit->value_or(""), contact->value_or(""),
                                             phone->value_or("")}));
         return versioned(201, to_json(*org), org->version);
       },
       .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/orgs", .roles = anyone,
                    .content_types = {}, .summary = "The training orgs the caller may see",
                    .handler = [&reference](Request& r) {
                      ONEX_TRY(at, paging(r));
                      ONEX_TRY(page, reference.orgs(session_of(r).actor, {at->first, at->second}));
                      return http::json(200, page_json(*page, *at, [](const OrgView& o) { return to_json(o); }));
                    }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/orgs/{id}", .roles = anyone,
                    .content_types = {}, .summary = "One training org",
                    .handler = [&reference](Request& r) {
                      ONEX_TRY(org, reference.org(session_of(r).actor, r.params.at("id")));
                      return versioned(200, to_json(*org), org->version);
                    }});

  // ---- certificates ----
  routes.push_back(idempotency.wrap(
      {.method = "POST", .pattern = "/api/v1/certificates", .roles = operator_only,
       .summary = "Create a certificate of an org",
       .handler = [&reference](Request& r) {
         ONEX_TRY(body, Body::parse(r, {"code", "name", "levels", "org_id"}));
         ONEX_TRY(code, body->optional_text("code", 64));
         ONEX_TRY(name, body->optional_text("name", 400));
         ONEX_TRY(levels, string_list(*body, "levels", 10));
         ONEX_TRY(org_id, body->optional_text("org_id", 128));
         ONEX_TRY(caller, caller_of(r));
         ONEX_TRY(c, reference.create_certificate(
                         *caller, {code->value_or(""), name->value_or(""),
                                      levels->value_or(std::vector<std::string>{}),
                                      org_id->value_or("")}));
         return versioned(201, to_json(*c), c->version);
       },
       .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/certificates", .roles = anyone,
                    .content_types = {}, .summary = "Certificates, by name or code",
                    .handler = [&reference](Request& r) {
                      ONEX_TRY(at, paging(r));
                      ONEX_TRY(q, query_text(r, "q"));
                      ONEX_TRY(page, reference.certificates(session_of(r).actor, *q,
                                                            {at->first, at->second}));
                      return http::json(200, page_json(*page, *at,
                                       [](const CertificateView& c) { return to_json(c); }));
                    }});

  // ---- standards ----
  routes.push_back(idempotency.wrap(
      {.method = "POST", .pattern = "/api/v1/standards", .roles = org_only,
       .summary = "Publish a standard of the org's certificates",
       .handler = [&reference](Request& r) {
         ONEX_TRY(body, Body::parse(r, {"code", "name", "edition", "version", "kind",
                                        "certificate_ids", "file_id", "status"}));
         ONEX_TRY(code, body->optional_text("code", 64));
         ONEX_TRY(name, body->optional_text("name", 400));
         ONEX_TRY(edition, edition_of(*body));
         ONEX_TRY(kind, body->optional_text("kind", 32));
         ONEX_TRY(ids, string_list(*body, "certificate_ids"));
         ONEX_TRY(file, body->optional_text("file_id", 128));
         ONEX_TRY(status, body->optional_text("status", 32));
         ONEX_TRY(caller, caller_of(r));
         ONEX_TRY(s, reference.publish_standard(
                         *caller, {code->value_or(""), name->value_or(""),
                                      edition->value_or(""), kind->value_or(""),
                                      ids->value_or(std::vector<std::string>{}),
                                      file->value_or(""), status->value_or("")}));
         return versioned(201, to_json(*s), s->version);
       },
       .success_status = 201}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/standards", .roles = anyone,
                    .content_types = {}, .summary = "The standards the caller may see",
                    .handler = [&reference](Request& r) {
                      ONEX_TRY(at, paging(r));
                      ONEX_TRY(kind, query_text(r, "kind", 32));
                      if (!kind->empty() && *kind != "skill_level" && *kind != "site_construction")
                        return http::problem(Status::unprocessable(
                            "validation.failed", "kind is skill_level or site_construction",
                            {{"kind", "invalid", "skill_level or site_construction"}}));
                      ONEX_TRY(page, reference.standards(session_of(r).actor, *kind,
                                                         {at->first, at->second}));
                      return http::json(200, page_json(*page, *at,
                                       [](const StandardView& s) { return to_json(s); }));
                    }});
  routes.push_back({.method = "PATCH", .pattern = "/api/v1/standards/{id}", .roles = org_only,
                    .summary = "Revise a standard of the caller's org (If-Match)",
                    .handler = [&reference](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"name", "edition", "version", "status",
                                                     "file_id", "certificate_ids"}));
                      StandardPatch patch;
                      ONEX_TRY(name, body->optional_text("name", 400));
                      ONEX_TRY(edition, edition_of(*body));
                      ONEX_TRY(status, body->optional_text("status", 32));
                      ONEX_TRY(file, body->optional_text("file_id", 128));
                      ONEX_TRY(ids, string_list(*body, "certificate_ids"));
                      patch.name = *name;
                      patch.edition = *edition;
                      patch.status = *status;
                      patch.file_id = *file;
                      patch.certificate_ids = *ids;
                      ONEX_TRY(caller, caller_of(r));
                      ONEX_TRY(s, reference.revise_standard(*caller, r.params.at("id"), patch));
                      return versioned(200, to_json(*s), s->version);
                    }});

  // ---- the contract (OpenAPI) ----
  namespace s = http::schema;
  const auto org = s::object("Org", {{"id", s::text()}, {"stream", s::text()}, {"version", s::integer()},
                                     {"code", s::text()}, {"name", s::text()}, {"credit_code", s::text()},
                                     {"contact_name", s::text()}, {"contact_phone", s::text()}});
  const auto certificate = s::object("Certificate", {{"id", s::text()}, {"stream", s::text()},
                                                     {"version", s::integer()}, {"code", s::text()},
                                                     {"name", s::text()}, {"levels", s::array(s::text())},
                                                     {"org_id", s::text()}});
  const auto kinds = s::one_of({"skill_level", "site_construction"});
  const auto standard = s::object(
      "Standard",
      {{"id", s::text()}, {"stream", s::text()}, {"edition", s::text("2020版")},
       {"version", s::integer("its stream version")}, {"stream_version", s::integer("the same as version (0.2)")},
       {"org_id", s::text()}, {"code", s::text()}, {"name", s::text()}, {"kind", kinds},
       {"certificate_ids", s::array(s::text())}, {"status", s::text()}, s::optional("file_id", s::text())});
  s::document(routes, {
      {"GET /api/v1/provinces",
       {.response = s::page_of(s::object("Province", {{"code", s::text()}, {"name", s::text()}}), "ProvincePage"),
        .query = s::paged()}},
      {"POST /api/v1/institution-registry/import",
       {.request = {{"type", "string"}, {"contentMediaType", "text/csv"}, {"description", "RFC 4180, UTF-8"}},
        .response = s::object("RegistryImported", {{"imported", s::integer()}}),
        .errors = {"registry.invalid_rows"}}},
      {"GET /api/v1/institution-registry",
       {.response = s::page_of(s::object("RegistryEntry", {{"code", s::text()}, {"name", s::text()},
                                                           {"province_code", s::text()}, {"city_code", s::text()},
                                                           {"type", s::text()}}),
                               "RegistryPage"),
        .query = s::paged({{"province", s::text(), "a two-digit province code"},
                           {"city", s::text(), "a four-digit city code"},
                           {"q", s::text(), "part of the name or code"}})}},
      {"POST /api/v1/orgs",
       {.request = s::object("NewOrg", {{"code", s::text()}, {"name", s::text()}, {"credit_code", s::text()},
                                        {"contact_name", s::text()}, {"contact_phone", s::text()}}),
        .response = org, .errors = {"org.duplicate"}}},
      {"GET /api/v1/orgs", {.response = s::page_of(org, "OrgPage"), .query = s::paged()}},
      {"GET /api/v1/orgs/{id}", {.response = org, .errors = {"org.not_found"}}},
      {"POST /api/v1/certificates",
       {.request = s::object("NewCertificate", {{"code", s::text()}, {"name", s::text()},
                                                {"levels", s::array(s::text())}, {"org_id", s::text()}}),
        .response = certificate, .errors = {"certificate.duplicate", "org.not_found"}}},
      {"GET /api/v1/certificates",
       {.response = s::page_of(certificate, "CertificatePage"), .query = s::paged({{"q", s::text(), "part of the name or code"}})}},
      {"POST /api/v1/standards",
       {.request = s::object("NewStandard", {{"code", s::text()}, {"name", s::text()}, s::optional("edition", s::text()),
                                             s::optional("version", s::text("the edition, as 0.2 named it")),
                                             {"kind", kinds}, {"certificate_ids", s::array(s::text())},
                                             s::optional("file_id", s::text()), s::optional("status", s::text())}),
        .response = standard, .errors = {"file.not_usable"}}},
      {"GET /api/v1/standards", {.response = s::page_of(standard, "StandardPage"), .query = s::paged({{"kind", kinds}})}},
      {"PATCH /api/v1/standards/{id}",
       {.request = s::object("StandardRevision", {s::optional("name", s::text()), s::optional("edition", s::text()),
                                                  s::optional("version", s::text()), s::optional("status", s::text()),
                                                  s::optional("file_id", s::text()),
                                                  s::optional("certificate_ids", s::array(s::text()))}),
        .response = standard,
        .errors = s::codes({"standard.not_found", "standard.illegal_transition", "file.not_usable"}, s::kIfMatch)}},
  });
  return routes;
}

}  // namespace onex::routes
