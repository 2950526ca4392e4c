// Institutions: self-registration, the institution's page, basic info and the principal seal
// (API.md "Institutions and declarations").
#include <set>

#include "http/schema.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

json profile_json(const InstitutionProfile& p) {
  json j = json::object();
  j["type"] = p.type;
  j["credit_code"] = p.credit_code;
  j["website"] = p.website;
  j["district"] = p.district;
  j["address"] = p.address;
  j["contact_name"] = p.contact_name;
  j["contact_phone"] = p.contact_phone;
  j["contact_email"] = p.contact_email;
  return j;
}

json seal_json(const SealView& s) {
  return {{"file_id", s.file_id},
          {"sha256", s.sha256},
          {"principal_name", s.principal_name},
          {"principal_title", s.principal_title},
          {"agreement_accepted_at", format_china(s.agreement_accepted_at)},
          {"version", s.version}};
}

// Members a body may not carry: the registry's facts, and anything unknown. All of them, as
// field errors (with whatever else `more` found wrong).
Status members_problem(const Request& r, const std::set<std::string>& allowed,
                       std::vector<FieldError> more = {}) {
  static const std::set<std::string> registry = {"name", "code", "province_code", "city_code",
                                                 "institution_name", "institution_code", "id"};
  std::vector<FieldError> errors;
  const json j = json::parse(r.body, nullptr, false);
  if (j.is_object())
    for (const auto& [key, value] : j.items()) {
      if (allowed.count(key)) continue;
      if (registry.count(key))
        errors.push_back({key, "immutable", "comes from the institution registry"});
      else
        errors.push_back({key, "unknown_field", "not a member of this request"});
    }
  for (auto& e : more) errors.push_back(std::move(e));
  if (errors.empty()) return {};
  return Status::unprocessable("validation.failed", "the request has invalid fields",
                               std::move(errors));
}

}  // namespace

json to_json(const InstitutionView& v) {
  json j = json::object();
  j["id"] = v.id;
  j["stream"] = v.stream;
  j["version"] = v.version;
  j["code"] = v.code;
  j["name"] = v.name;
  j["province_code"] = v.province_code;
  j["city_code"] = v.city_code;
  j["type"] = v.type;
  j["profile"] = v.profile ? profile_json(*v.profile) : json(nullptr);
  j["profile_complete"] = v.profile_complete;
  json years = json::array();
  for (const auto& y : v.pilot_years) years.push_back({{"year", y.year}, {"certificates", y.certificates}});
  j["pilot_years"] = std::move(years);
  if (!v.leader_account_id.empty()) j["leader_account_id"] = v.leader_account_id;
  return j;
}

std::vector<http::Route> institution_routes(InstitutionService& institutions) {
  const std::vector<std::string> anyone = {"*"};
  std::vector<http::Route> routes;

  // ---- self-registration (public) ----
  routes.push_back({.method = "POST", .pattern = "/api/v1/institution-registrations/sms-codes",
                    .is_public = true,
                    .summary = "Send a registration code to a phone, after the image captcha",
                    .handler = [&institutions](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"phone", "captcha_id", "captcha_answer"}));
                      ONEX_TRY(phone, body->text("phone", 32));
                      ONEX_TRY(captcha_id, body->optional_text("captcha_id", 128));
                      ONEX_TRY(answer, body->optional_text("captcha_answer", 32));
                      auto sent = institutions.send_registration_code(
                          *phone, captcha_id->value_or(""), answer->value_or(""), r.client_address);
                      if (!sent) return http::problem(sent.status());
                      return http::json(202, {{"phone_tail", sent->phone_tail},
                                              {"expires_at", format_china(sent->expires_at)}});
                    },
                    .success_status = 202});
  routes.push_back({.method = "POST", .pattern = "/api/v1/institution-registrations",
                    .is_public = true,
                    .summary = "Register an institution of the registry and its leader account",
                    .handler = [&institutions](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"province_code", "institution_code",
                                                     "institution_name", "phone", "sms_code"}));
                      RegistrationInput in;
                      ONEX_TRY(province, body->text("province_code", 8));
                      ONEX_TRY(code, body->text("institution_code", 32));
                      ONEX_TRY(name, body->text("institution_name", 200));
                      ONEX_TRY(phone, body->text("phone", 32));
                      ONEX_TRY(sms_code, body->text("sms_code", 16));
                      in = {*province, *code, *name, *phone, *sms_code};
                      auto done = institutions.register_institution(in);
                      if (!done) return http::problem(done.status());
                      Response resp = http::json(201, {{"institution_id", done->institution_id},
                                                       {"account_id", done->account_id},
                                                       {"account", done->account},
                                                       {"initial_password", done->initial_password}});
                      resp.headers.emplace_back("Location", "/api/v1/institutions/" + done->institution_id);
                      resp.headers.emplace_back("Cache-Control", "no-store");
                      return resp;
                    },
                    .success_status = 201});

  // ---- the institution ----
  routes.push_back({.method = "GET", .pattern = "/api/v1/institutions/{id}", .roles = anyone,
                    .content_types = {},
                    .summary = "An institution with its basic info and pilot years",
                    .handler = [&institutions](Request& r) {
                      auto v = institutions.get(session_of(r).actor, id_param(r));
                      if (!v) return http::problem(v.status());
                      // Its pilot years come from quotas, not its events: the ETag follows them.
                      return represented(200, to_json(*v), v->version);
                    }});
  routes.push_back({.method = "PUT", .pattern = "/api/v1/institutions/{id}/profile",
                    .roles = {"leader"},
                    .summary = "Set the institution's basic info (its leader only)",
                    .handler = [&institutions](Request& r) {
                      ONEX_TRY(body, Body::parse_object(r));
                      ONEX_TRY(match, if_match(r));
                      InstitutionProfile p;
                      std::vector<std::pair<const char*, std::string*>> fields = {
                          {"type", &p.type},
                          {"credit_code", &p.credit_code},
                          {"website", &p.website},
                          {"district", &p.district},
                          {"address", &p.address},
                          {"contact_name", &p.contact_name},
                          {"contact_phone", &p.contact_phone},
                          {"contact_email", &p.contact_email}};
                      std::set<std::string> allowed;
                      for (auto& [name, target] : fields) {
                        ONEX_TRY(value, body->optional_text(name, 1000));
                        *target = value->value_or("");
                        allowed.insert(name);
                      }
                      if (auto s = members_problem(r, allowed, check_profile(p)); !s)
                        return http::problem(s);
                      auto v = institutions.update_profile(session_of(r).actor, id_param(r), p, *match);
                      if (!v) return http::problem(v.status());
                      return represented(200, to_json(*v), v->version);
                    }});
  routes.push_back({.method = "PUT", .pattern = "/api/v1/institutions/{id}/seal",
                    .roles = {"leader"},
                    .summary = "Set the principal seal, with the authorisation agreement (its leader only)",
                    .handler = [&institutions](Request& r) {
                      ONEX_TRY(body, Body::parse_object(r));
                      ONEX_TRY(match, if_match(r));
                      ONEX_TRY(file_id, body->optional_text("file_id", 128));
                      ONEX_TRY(name, body->optional_text("principal_name", 200));
                      ONEX_TRY(title, body->optional_text("principal_title", 200));
                      ONEX_TRY(accepted, body->flag("agreement_accepted", false));
                      if (auto s = members_problem(r, {"file_id", "principal_name", "principal_title",
                                                       "agreement_accepted"});
                          !s)
                        return http::problem(s);
                      SealInput in{file_id->value_or(""), name->value_or(""), title->value_or(""),
                                   *accepted};
                      auto seal = institutions.set_seal(session_of(r).actor, id_param(r), in, *match);
                      if (!seal) return http::problem(seal.status());
                      return versioned(200, seal_json(*seal), seal->version);
                    }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/institutions/{id}/seal", .roles = anyone,
                    .content_types = {},
                    .summary = "The principal seal's metadata and image file id (its leader only)",
                    .handler = [&institutions](Request& r) {
                      auto seal = institutions.seal(session_of(r).actor, id_param(r));
                      if (!seal) return http::problem(seal.status());
                      return versioned(200, seal_json(*seal), seal->version);
                    }});

  // ---- the contract (OpenAPI) ----
  namespace s = http::schema;
  const char* profile_members[] = {"type", "credit_code", "website", "district", "address",
                                   "contact_name", "contact_phone", "contact_email"};
  auto profile = s::object("InstitutionProfile", {});
  auto profile_input = s::object("InstitutionProfileInput", {});
  for (const char* m : profile_members) {
    profile["properties"][m] = s::text();
    profile["required"].push_back(m);
    profile_input["properties"][m] = s::text();
  }
  const auto institution = s::object(
      "Institution",
      {{"id", s::text()}, {"stream", s::text()}, {"version", s::integer()}, {"code", s::text()}, {"name", s::text()},
       {"province_code", s::text()}, {"city_code", s::text()}, {"type", s::text()},
       {"profile", s::nullable(profile)}, {"profile_complete", s::boolean()},
       {"pilot_years", s::array(s::object("PilotYear", {{"year", s::integer()}, {"certificates", s::array(s::text())}}))},
       s::optional("leader_account_id", s::text())});
  const auto seal = s::object("Seal", {{"file_id", s::text()}, {"sha256", s::text()}, {"principal_name", s::text()},
                                       {"principal_title", s::text()}, {"agreement_accepted_at", s::time()},
                                       {"version", s::integer()}});
  const std::vector<std::string> one = {"institution.not_found"};
  s::document(routes, {
      {"POST /api/v1/institution-registrations/sms-codes",
       {.request = s::object("RegistrationCodeRequest", {{"phone", s::text()}, s::optional("captcha_id", s::text()),
                                                         s::optional("captcha_answer", s::text())}),
        .response = s::object("CodeSent", {{"phone_tail", s::text("the phone's last four digits")}, {"expires_at", s::time()}}),
        .errors = {"auth.captcha_required", "sms.rate_limited", "sms.delivery_failed"}}},
      {"POST /api/v1/institution-registrations",
       {.request = s::object("Registration", {{"province_code", s::text()}, {"institution_code", s::text()},
                                              {"institution_name", s::text()}, {"phone", s::text()},
                                              {"sms_code", s::text()}}),
        .response = s::object("Registered", {{"institution_id", s::text()}, {"account_id", s::text()},
                                             {"account", s::text("the leader's account name")},
                                             {"initial_password", s::text()}}),
        .errors = {"sms.code_invalid", "institution.not_in_registry", "institution.name_mismatch",
                   "institution.already_registered", "account.name_taken"}}},
      {"GET /api/v1/institutions/{id}", {.response = institution, .errors = one}},
      {"PUT /api/v1/institutions/{id}/profile",
       {.request = profile_input, .response = institution,
        .errors = s::codes({"institution.not_found", "institution.illegal_transition"}, s::kIfMatch)}},
      {"PUT /api/v1/institutions/{id}/seal",
       {.request = s::object("SealInput", {{"file_id", s::text()}, {"principal_name", s::text()},
                                           {"principal_title", s::text()},
                                           {"agreement_accepted", s::boolean("must be true")}}),
        .response = seal,
        .errors = s::codes({"institution.not_found", "institution.illegal_transition", "file.not_usable"}, s::kIfMatch)}},
      {"GET /api/v1/institutions/{id}/seal", {.response = seal, .errors = {"institution.not_found", "institution.seal_not_found"}}},
  });
  return routes;
}

}  // namespace onex::routes
