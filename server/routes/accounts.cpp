// Sessions, the own account and managed users (API.md "Sessions and own account", "Users").
#include "http/schema.h"
#include "onex/schemas.h"
#include "routes/body.h"
#include "security/secrets.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

Response answer(const Status& s, int ok_status = 204) {
  if (!s) return http::problem(s);
  return ok_status == 204 ? http::no_content() : http::json(ok_status, json::object());
}

json granted_json(const SessionGranted& g) {
  json j = {{"token", g.token},
            {"expires_at", format_china(g.expires_at)},
            {"setup_required", g.setup_required},
            {"account", to_json(g.account)}};
  if (!g.device_token.empty()) j["device_token"] = g.device_token;
  return j;
}

json code_json(const CodeSent& c) {
  return {{"phone_tail", c.phone_tail}, {"expires_at", format_china(c.expires_at)}};
}

Result<std::optional<std::vector<ScopeEntry>>> scope_of(const Body& body) {
  const json& v = body.raw("scope");
  if (v.is_null()) return std::optional<std::vector<ScopeEntry>>{};
  if (!v.is_array() || v.size() > 100) return Body::wrong_type("scope", "a list of {certificate_id, level}");
  std::vector<ScopeEntry> out;
  for (const auto& item : v) {
    if (!item.is_object() || !item.contains("certificate_id") || !item.contains("level") ||
        !item["certificate_id"].is_string() || !item["level"].is_string())
      return Body::wrong_type("scope", "a list of {certificate_id, level}");
    out.push_back({item["certificate_id"].get<std::string>(), item["level"].get<std::string>()});
  }
  return std::optional<std::vector<ScopeEntry>>{std::move(out)};
}

// ---- the contract (OpenAPI) ----
namespace s = http::schema;

s::json scope_schema() {
  return s::array(s::object("ScopeEntry", {{"certificate_id", s::text()}, {"level", s::text()}}));
}
// The account's statuses and roles as its workflow names them, made once.
const s::json& described() {
  static const s::json schemas = account_schemas();
  return schemas;
}
s::json account_schema() {
  return s::object(
      "Account",
      {{"id", s::text()}, {"stream", s::text()}, {"version", s::integer()}, {"account", s::text("the name people type")},
       {"role", described()["Role"]}, {"status", described()["AccountStatus"]},
       {"name", s::text()}, {"phone_masked", s::text("138****1399; empty before setup")},
       {"email", s::text()}, {"scope", scope_schema()}, {"setup_required", s::boolean()},
       s::optional("province", s::text("the same as province_code")), s::optional("province_code", s::text()),
       s::optional("city_code", s::text()), s::optional("institution_id", s::text()),
       s::optional("org_id", s::text()), s::optional("locked_until", s::time())});
}
s::json session_schema() {
  return s::object("Session", {{"token", s::text("the bearer token")}, {"expires_at", s::time()},
                               {"setup_required", s::boolean()}, {"account", account_schema()},
                               s::optional("device_token", s::text("when the device was trusted just now"))});
}
s::json code_schema() {
  return s::object("CodeSent", {{"phone_tail", s::text("the phone's last four digits")}, {"expires_at", s::time()}});
}
s::json initial_password_schema() {
  return s::object("InitialPassword", {{"initial_password", s::text("12 letters and digits")}});
}
s::json step_up_schema() {
  return s::object("StepUp", {s::optional("verification_code", s::text("the step-up code sent to the caller's phone"))});
}

}  // namespace

json to_json(const AccountView& v) {
  // Member by member: a braced list builds every pair as a JSON array first and copies it
  // (GET /api/v1/account spent more time here than in reading the account).
  json scope = json::array();
  for (const auto& s : v.scope) {
    json& item = scope.emplace_back(json::object());
    item["certificate_id"] = s.certificate_id;
    item["level"] = s.level;
  }
  json j = json::object();
  j["id"] = v.id;
  j["stream"] = v.stream;
  j["version"] = v.version;
  j["account"] = v.account;
  j["role"] = v.role;
  j["status"] = v.status;
  j["name"] = v.name;
  j["phone_masked"] = v.phone_masked;
  j["email"] = v.email;
  j["scope"] = std::move(scope);
  j["setup_required"] = v.setup_required;
  if (!v.province_code.empty()) {
    j["province"] = v.province_code;
    j["province_code"] = v.province_code;
  }
  if (!v.city_code.empty()) j["city_code"] = v.city_code;
  if (!v.institution_id.empty()) j["institution_id"] = v.institution_id;
  if (!v.org_id.empty()) j["org_id"] = v.org_id;
  if (v.locked_until) j["locked_until"] = format_china(*v.locked_until);
  return j;
}

const Session& session_of(const Request& request) {
  return *static_cast<const Session*>(request.principal->app_data.get());
}

Result<Caller> caller_of(const Request& r) {
  auto match = if_match(r);
  if (!match) return match.status();
  return Caller{.actor = session_of(r).actor,
                .correlation_id = r.header("X-Correlation-Id").substr(0, 128),
                .if_match = *match};
}

std::optional<http::Principal> SessionAuthenticator::authenticate(std::string_view token,
                                                                  const Request&) {
  auto session = accounts_.sign_in().authenticate(token);
  if (!session) return std::nullopt;
  auto shared = std::make_shared<Session>(std::move(*session));
  http::Principal p{shared->actor.account_id, shared->actor.role, shared->id,
                    shared->setup_required, shared};
  return p;
}

std::vector<http::Route> account_routes(AccountService& accounts, Idempotency& idempotency) {
  const std::vector<std::string> anyone = {"*"};
  const std::vector<std::string> managers = {"leader", "province", "operator"};
  std::vector<http::Route> routes;

  // ---- sessions (public) ----
  routes.push_back({.method = "GET", .pattern = "/api/v1/captchas", .is_public = true,
                    .content_types = {}, .summary = "A new image captcha (PNG data URL)",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(c, accounts.sign_in().issue_captcha(r.client_address));
                      return http::json(200, {{"captcha_id", c->captcha_id},
                                              {"image", "data:image/png;base64," + security::to_base64(c->png)}});
                    }});
  routes.push_back({.method = "POST", .pattern = "/api/v1/sessions", .is_public = true,
                    .summary = "Sign in: a session, or an SMS challenge on an untrusted device",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"account", "password", "device_token",
                                                     "captcha_id", "captcha_answer"}));
                      ONEX_TRY(account, body->text("account", 64));
                      ONEX_TRY(password, body->text("password", 256));
                      ONEX_TRY(device, body->optional_text("device_token", 128));
                      ONEX_TRY(captcha_id, body->optional_text("captcha_id", 128));
                      ONEX_TRY(captcha_answer, body->optional_text("captcha_answer", 32));
                      auto result = accounts.sign_in().login({*account, *password, device->value_or(""),
                                                    captcha_id->value_or(""),
                                                    captcha_answer->value_or(""), r.client_address});
                      if (!result) return http::problem(result.status());
                      if (result->challenge)
                        return http::json(202, {{"challenge_id", result->challenge->challenge_id},
                                                {"phone_tail", result->challenge->phone_tail}});
                      return http::json(200, granted_json(*result->session));
                    }});
  routes.push_back({.method = "POST", .pattern = "/api/v1/sessions/challenges/{challenge_id}",
                    .is_public = true, .summary = "Answer the SMS challenge of a sign-in",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"code", "trust_device"}));
                      ONEX_TRY(code, body->text("code", 16));
                      ONEX_TRY(trust, body->flag("trust_device", false));
                      auto g = accounts.sign_in().answer_challenge(r.params.at("challenge_id"), *code, *trust);
                      if (!g) return http::problem(g.status());
                      return http::json(200, granted_json(*g));
                    }});
  routes.push_back({.method = "DELETE", .pattern = "/api/v1/sessions/current", .roles = anyone,
                    .allow_setup_session = true, .content_types = {}, .summary = "Sign out",
                    .handler = [&accounts](Request& r) {
                      return answer(accounts.sign_in().logout(session_of(r)));
                    }});
  routes.push_back({.method = "POST", .pattern = "/api/v1/password-resets", .is_public = true,
                    .summary = "Send a password reset code to the bound phone (always 202)",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"account", "phone"}));
                      ONEX_TRY(account, body->text("account", 64));
                      ONEX_TRY(phone, body->text("phone", 32));
                      auto s = accounts.sign_in().request_password_reset(*account, *phone, r.client_address);
                      if (!s) return http::problem(s);
                      return http::json(202, json::object());
                    }});
  routes.push_back({.method = "POST", .pattern = "/api/v1/password-resets/confirm",
                    .is_public = true, .summary = "Set a new password with the reset code",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"account", "phone", "code", "new_password"}));
                      ONEX_TRY(account, body->text("account", 64));
                      ONEX_TRY(phone, body->text("phone", 32));
                      ONEX_TRY(code, body->text("code", 16));
                      ONEX_TRY(password, body->text("new_password", 256));
                      return answer(accounts.sign_in().confirm_password_reset(*account, *phone, *code, *password));
                    }});

  // ---- own account ----
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/sms-codes", .roles = anyone,
                    .allow_setup_session = true,
                    .summary = "Send a code to a phone being bound or changed to",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"phone", "purpose"}));
                      ONEX_TRY(phone, body->text("phone", 32));
                      ONEX_TRY(purpose, body->text("purpose", 32));
                      auto c = accounts.sign_in().send_sms_code(session_of(r), *phone, *purpose, r.client_address);
                      if (!c) return http::problem(c.status());
                      return http::json(202, code_json(*c));
                    }}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/account/setup", .roles = anyone,
                    .allow_setup_session = true,
                    .summary = "First-login setup: bind name and phone, set a password",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"name", "phone", "sms_code", "new_password"}));
                      ONEX_TRY(name, body->text("name", 64));
                      ONEX_TRY(phone, body->text("phone", 32));
                      ONEX_TRY(code, body->text("sms_code", 16));
                      ONEX_TRY(password, body->text("new_password", 256));
                      auto v = accounts.sign_in().complete_setup(session_of(r), *name, *phone, *code, *password);
                      if (!v) return http::problem(v.status());
                      return versioned(200, to_json(*v), v->version);
                    }}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/verification-codes", .roles = anyone,
                    .summary = "Send a step-up code to the caller's bound phone",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"purpose"}));
                      ONEX_TRY(purpose, body->text("purpose", 32));
                      if (*purpose != "step_up")
                        return http::problem(Status::unprocessable(
                            "validation.failed", "unknown purpose",
                            {{"purpose", "invalid", "the only purpose is step_up"}}));
                      auto c = accounts.sign_in().send_step_up_code(session_of(r));
                      if (!c) return http::problem(c.status());
                      return http::json(202, code_json(*c));
                    }}));
  routes.push_back({.method = "GET", .pattern = "/api/v1/account", .roles = anyone,
                    .content_types = {}, .summary = "The caller's account",
                    .handler = [&accounts](Request& r) {
                      auto v = accounts.me(session_of(r));
                      if (!v) return http::problem(v.status());
                      return versioned(200, to_json(*v), v->version);
                    }});
  routes.push_back({.method = "PATCH", .pattern = "/api/v1/account", .roles = anyone,
                    .summary = "Change the caller's name or e-mail (step-up)",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"name", "email", "verification_code"}));
                      ONEX_TRY(name, body->optional_text("name", 64));
                      ONEX_TRY(email, body->optional_text("email", 254));
                      ONEX_TRY(code, body->optional_text("verification_code", 16));
                      ONEX_TRY(match, if_match(r));
                      auto v = accounts.update_profile(session_of(r), *name, *email, code->value_or(""), *match);
                      if (!v) return http::problem(v.status());
                      return versioned(200, to_json(*v), v->version);
                    }});
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/account/password", .roles = anyone,
                    .summary = "Change the caller's password (step-up)",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"old_password", "new_password",
                                                     "verification_code"}));
                      ONEX_TRY(old_password, body->text("old_password", 256));
                      ONEX_TRY(new_password, body->text("new_password", 256));
                      ONEX_TRY(code, body->optional_text("verification_code", 16));
                      ONEX_TRY(match, if_match(r));
                      return answer(accounts.sign_in().change_password(session_of(r), *old_password,
                                                             *new_password, code->value_or(""), *match));
                    }}));
  routes.push_back(idempotency.wrap({.method = "POST", .pattern = "/api/v1/account/phone", .roles = anyone,
                    .summary = "Change the caller's phone (code to the new phone, and step-up)",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"new_phone", "sms_code", "verification_code"}));
                      ONEX_TRY(phone, body->text("new_phone", 32));
                      ONEX_TRY(sms_code, body->text("sms_code", 16));
                      ONEX_TRY(code, body->optional_text("verification_code", 16));
                      ONEX_TRY(match, if_match(r));
                      auto v = accounts.sign_in().change_phone(session_of(r), *phone, *sms_code, code->value_or(""), *match);
                      if (!v) return http::problem(v.status());
                      return versioned(200, to_json(*v), v->version);
                    }}));

  // ---- users ----
  routes.push_back({.method = "GET", .pattern = "/api/v1/users", .roles = managers,
                    .content_types = {}, .summary = "The accounts the caller manages",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(page, paging(r));
                      auto list = accounts.list_users(session_of(r), r.query_value("status").value_or(""),
                                                      page->first, page->second);
                      if (!list) return http::problem(list.status());
                      return http::json(200, page_json(*list, *page, [](const auto& v) { return to_json(v); }));
                    }});
  routes.push_back(idempotency.wrap(
      {.method = "POST", .pattern = "/api/v1/users", .roles = managers,
       .summary = "Create an account the caller will manage (step-up); answers its initial password",
       .handler = [&accounts](Request& r) {
         ONEX_TRY(body, Body::parse(r, {"account", "name", "role", "institution_id",
                                        "province_code", "city_code", "org_id", "scope",
                                        "verification_code"}));
         NewAccount in;
         ONEX_TRY(account, body->text("account", 64));
         ONEX_TRY(name, body->text("name", 64));
         ONEX_TRY(role, body->text("role", 32));
         ONEX_TRY(institution, body->optional_text("institution_id", 64));
         ONEX_TRY(province, body->optional_text("province_code", 8));
         ONEX_TRY(city, body->optional_text("city_code", 8));
         ONEX_TRY(org, body->optional_text("org_id", 64));
         ONEX_TRY(scope, scope_of(*body));
         ONEX_TRY(code, body->optional_text("verification_code", 16));
         in.account = *account;
         in.name = *name;
         in.role = *role;
         in.institution_id = institution->value_or("");
         in.province_code = province->value_or("");
         in.city_code = city->value_or("");
         in.org_id = org->value_or("");
         in.scope = scope->value_or(std::vector<ScopeEntry>{});
         auto created = accounts.create_user(session_of(r), in, code->value_or(""));
         if (!created) return http::problem(created.status());
         json j = to_json(created->account);
         j["initial_password"] = created->initial_password;
         auto resp = versioned(201, j, created->account.version);
         resp.headers.emplace_back("Location", "/api/v1/users/" + created->account.id);
         return resp;
       },
       .success_status = 201},
      [](json& body) { body.erase("initial_password"); },
      [&accounts](const Request& r, json& body) {
        auto pw = accounts.initial_password(session_of(r), body.value("id", ""));
        if (pw) body["initial_password"] = *pw;
      }));
  routes.push_back({.method = "GET", .pattern = "/api/v1/users/{id}", .roles = managers,
                    .content_types = {}, .summary = "A managed account",
                    .handler = [&accounts](Request& r) {
                      auto v = accounts.get_user(session_of(r), id_param(r));
                      if (!v) return http::problem(v.status());
                      return versioned(200, to_json(*v), v->version);
                    }});
  routes.push_back({.method = "GET", .pattern = "/api/v1/users/{id}/initial-password",
                    .roles = managers, .content_types = {},
                    .summary = "The initial password, for its issuer, until the first login",
                    .handler = [&accounts](Request& r) {
                      auto pw = accounts.initial_password(session_of(r), id_param(r));
                      if (!pw) return http::problem(pw.status());
                      return http::json(200, {{"initial_password", *pw}});
                    }});
  routes.push_back({.method = "PATCH", .pattern = "/api/v1/users/{id}", .roles = managers,
                    .summary = "Edit a disabled account's name or scope (step-up)",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(body, Body::parse(r, {"name", "scope", "verification_code"}));
                      ONEX_TRY(name, body->optional_text("name", 64));
                      ONEX_TRY(scope, scope_of(*body));
                      ONEX_TRY(code, body->optional_text("verification_code", 16));
                      ONEX_TRY(match, if_match(r));
                      auto v = accounts.edit_user(session_of(r), id_param(r), *name, *scope,
                                                  code->value_or(""), *match);
                      if (!v) return http::problem(v.status());
                      return versioned(200, to_json(*v), v->version);
                    }});
  for (const char* action : {"disable", "enable"}) {
    const bool disable = std::string_view(action) == "disable";
    routes.push_back(idempotency.wrap(
        {.method = "POST", .pattern = std::string("/api/v1/users/{id}/") + action,
         .roles = managers, .content_types = {},
         .summary = disable ? "Disable a managed account" : "Enable a managed account",
         .handler = [&accounts, disable](Request& r) {
           ONEX_TRY(match, if_match(r));
           auto v = disable ? accounts.disable_user(session_of(r), id_param(r), *match)
                            : accounts.enable_user(session_of(r), id_param(r), *match);
           if (!v) return http::problem(v.status());
           return versioned(200, to_json(*v), v->version);
         }}));
  }
  routes.push_back({.method = "DELETE", .pattern = "/api/v1/users/{id}", .roles = managers,
                    .content_types = {}, .summary = "Delete a disabled account",
                    .handler = [&accounts](Request& r) {
                      ONEX_TRY(match, if_match(r));
                      return answer(accounts.delete_user(session_of(r), id_param(r), *match));
                    }});
  routes.push_back(idempotency.wrap(
      {.method = "POST", .pattern = "/api/v1/users/{id}/reset-password", .roles = managers,
       .summary = "A new initial password (step-up); setup is required again",
       .handler = [&accounts](Request& r) {
         ONEX_TRY(body, Body::parse(r, {"verification_code"}));
         ONEX_TRY(code, body->optional_text("verification_code", 16));
         ONEX_TRY(match, if_match(r));
         auto pw = accounts.reset_password(session_of(r), id_param(r), code->value_or(""), *match);
         if (!pw) return http::problem(pw.status());
         return http::json(200, {{"initial_password", *pw}});
       }},
      [](json& body) { body.erase("initial_password"); },
      [&accounts](const Request& r, json& body) {
        auto pw = accounts.initial_password(session_of(r), r.params.at("id"));
        if (pw) body["initial_password"] = *pw;
      }));
  routes.push_back(idempotency.wrap(
      {.method = "POST", .pattern = "/api/v1/users/{id}/reset-binding", .roles = managers,
       .summary = "Clear the bound name and phone (step-up); setup is required again",
       .handler = [&accounts](Request& r) {
         ONEX_TRY(body, Body::parse(r, {"verification_code"}));
         ONEX_TRY(code, body->optional_text("verification_code", 16));
         ONEX_TRY(match, if_match(r));
         auto v = accounts.reset_binding(session_of(r), id_param(r), code->value_or(""), *match);
         if (!v) return http::problem(v.status());
         return versioned(200, to_json(*v), v->version);
       }}));

  const std::vector<std::string> sms = {"sms.rate_limited", "sms.delivery_failed"};
  const std::vector<std::string> managed = {"account.not_found", "auth.step_up_required",
                                            "account.illegal_transition"};
  const auto user_edit = s::object("UserEdit", {s::optional("name", s::text()), s::optional("scope", scope_schema()),
                                                s::optional("verification_code", s::text())});
  s::document(routes, {
      {"GET /api/v1/captchas",
       {.response = s::object("Captcha", {{"captcha_id", s::text()}, {"image", s::text("a data:image/png;base64 URL")}}),
        .errors = {"auth.rate_limited"}}},
      {"POST /api/v1/sessions",
       {.request = s::object("SignIn", {{"account", s::text()}, {"password", s::text()},
                                        s::optional("device_token", s::text()), s::optional("captcha_id", s::text()),
                                        s::optional("captcha_answer", s::text())}),
        .response = session_schema(),
        .errors = s::codes({"auth.invalid_credentials", "auth.captcha_required", "auth.rate_limited",
                            "account.locked", "account.disabled"}, sms),
        .other_answers = {{202, s::object("SmsChallenge", {{"challenge_id", s::text()}, {"phone_tail", s::text()}})}}}},
      {"POST /api/v1/sessions/challenges/{challenge_id}",
       {.request = s::object("ChallengeAnswer", {{"code", s::text()}, s::optional("trust_device", s::boolean())}),
        .response = session_schema(),
        .errors = {"sms.code_invalid", "auth.invalid_credentials", "account.disabled", "account.locked"}}},
      {"DELETE /api/v1/sessions/current", {.success = 204}},
      {"POST /api/v1/password-resets",
       {.request = s::object("PasswordResetRequest", {{"account", s::text()}, {"phone", s::text()}}),
        .response = s::object("", {}), .errors = sms, .success = 202}},
      {"POST /api/v1/password-resets/confirm",
       {.request = s::object("PasswordReset", {{"account", s::text()}, {"phone", s::text()}, {"code", s::text()},
                                               {"new_password", s::text()}}),
        .errors = {"sms.code_invalid"}, .success = 204}},
      {"POST /api/v1/sms-codes",
       {.request = s::object("SmsCodeRequest", {{"phone", s::text()},
                                                {"purpose", s::one_of({"bind_phone", "change_phone"})}}),
        .response = code_schema(), .errors = s::codes({"account.setup_done", "account.setup_required"}, sms),
        .success = 202}},
      {"POST /api/v1/account/setup",
       {.request = s::object("Setup", {{"name", s::text()}, {"phone", s::text()}, {"sms_code", s::text()},
                                       {"new_password", s::text()}}),
        .response = account_schema(), .errors = {"account.setup_done", "sms.code_invalid"}}},
      {"POST /api/v1/verification-codes",
       {.request = s::object("VerificationCodeRequest", {{"purpose", s::one_of({"step_up"})}}),
        .response = code_schema(), .errors = s::codes({"account.not_found"}, sms), .success = 202}},
      {"GET /api/v1/account", {.response = account_schema(), .errors = {"account.not_found"}}},
      {"PATCH /api/v1/account",
       {.request = s::object("ProfileChange", {s::optional("name", s::text()), s::optional("email", s::text()),
                                               s::optional("verification_code", s::text())}),
        .response = account_schema(), .errors = s::codes({"auth.step_up_required", "account.illegal_transition"}, s::kIfMatch)}},
      {"POST /api/v1/account/password",
       {.request = s::object("PasswordChange", {{"old_password", s::text()}, {"new_password", s::text()},
                                                s::optional("verification_code", s::text())}),
        .errors = s::codes({"auth.step_up_required", "account.illegal_transition"}, s::kIfMatch), .success = 204}},
      {"POST /api/v1/account/phone",
       {.request = s::object("PhoneChange", {{"new_phone", s::text()}, {"sms_code", s::text()},
                                             s::optional("verification_code", s::text())}),
        .response = account_schema(),
        .errors = s::codes({"auth.step_up_required", "sms.code_invalid", "account.illegal_transition"}, s::kIfMatch)}},
      {"GET /api/v1/users",
       {.response = s::page_of(account_schema(), "AccountPage"),
        .query = s::paged({{"status", described()["AccountStatus"],
                            "only accounts in this status (deleted ones only when asked for)"}})}},
      {"POST /api/v1/users",
       {.request = s::object("NewAccount", {{"account", s::text()}, {"name", s::text()},
                                            {"role", described()["NewRole"]},
                                            s::optional("institution_id", s::text()), s::optional("province_code", s::text()),
                                            s::optional("city_code", s::text()), s::optional("org_id", s::text()),
                                            s::optional("scope", scope_schema()), s::optional("verification_code", s::text())}),
        .response = s::extend(account_schema(), "CreatedAccount",
                              {s::optional("initial_password", s::text("while it is still viewable"))}),
        .errors = {"auth.step_up_required", "account.name_taken", "institution.leader_exists",
                   "institution.not_in_registry"}}},
      {"GET /api/v1/users/{id}", {.response = account_schema(), .errors = {"account.not_found"}}},
      {"GET /api/v1/users/{id}/initial-password",
       {.response = initial_password_schema(), .errors = {"account.not_found", "account.password_already_changed"}}},
      {"PATCH /api/v1/users/{id}",
       {.request = user_edit, .response = account_schema(), .errors = s::codes(managed, s::codes({"account.not_disabled"}, s::kIfMatch))}},
      {"POST /api/v1/users/{id}/disable", {.response = account_schema(), .errors = s::codes(managed, s::kIfMatch)}},
      {"POST /api/v1/users/{id}/enable", {.response = account_schema(), .errors = s::codes(managed, s::kIfMatch)}},
      {"DELETE /api/v1/users/{id}",
       {.errors = s::codes(managed, s::codes({"account.not_disabled"}, s::kIfMatch)), .success = 204}},
      {"POST /api/v1/users/{id}/reset-password",
       {.request = step_up_schema(), .response = initial_password_schema(), .errors = s::codes(managed, s::kIfMatch)}},
      {"POST /api/v1/users/{id}/reset-binding",
       {.request = step_up_schema(), .response = account_schema(), .errors = s::codes(managed, s::kIfMatch)}},
  });
  return routes;
}

}  // namespace onex::routes
