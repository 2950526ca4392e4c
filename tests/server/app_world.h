// The test world the server suites share: the REST application started in-process over a store
// (a fresh one made by `onex init`, or one given), with a ManualClock the tests advance instead
// of sleeping, and an http::Server on a free loopback port. Requests go over real HTTP through
// support.h; SMS codes are read from the outbox file, captcha answers through
// AccountService::captcha_answer_for_testing. Accounts are set up the way people do it: first
// login, setup with a bound phone, sign-in through the SMS challenge, step-up codes for
// provisioning. A suite derives its own World from AppWorld and adds its special helpers.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "http/server.h"
#include "onex/clock.h"
#include "server/contract.h"
#include "server/support.h"
#include "sms/outbox_gateway.h"
#include "support/temp_dir.h"

// Checks an answer's status and problem code, showing the body when they differ.
#define CHECK_REPLY(reply_expr, want_status, want_code)                       \
  do {                                                                        \
    const ::onex::testing::Reply reply_ = (reply_expr);                       \
    INFO(#reply_expr << " answered " << reply_.status << " " << reply_.body); \
    CHECK(reply_.status == (want_status));                                    \
    CHECK(reply_.code() == std::string(want_code));                           \
  } while (0)

namespace onex::testing {

// The password the world's accounts set for themselves.
inline const std::string kPassword = "Password2024";
inline const std::string kOperatorPhone = "13800000001";

// Someone signed in: a bearer token and what the tests need to act as them.
struct User {
  std::string id, account, password, phone, token;
};

// How a suite's world differs from the others'.
struct AppWorldOptions {
  // Where the clock starts (a world over a given store may start it at the real time).
  onex::Timestamp start = std::chrono::sys_days{std::chrono::year{2024} / 3 / 1};
  // "": a fresh store made by `onex init` (operator "admin") in a temporary directory; else an
  // existing store to open.
  std::string data_dir = "";
  bool captcha = true;
  bool sync = false;
  std::chrono::seconds read_timeout{30};
  // /metrics carries the store's counters too.
  bool store_metrics = false;
  // The names the operator and the other accounts the world sets up give themselves.
  std::string operator_name = "平台管理员";
  std::string setup_name = "某某";
};

struct AppWorld {
  using json = nlohmann::json;

  AppWorldOptions options;
  TempDir dir;
  std::string data_dir;
  onex::ManualClock clock;
  std::string operator_initial;  // "" over a given store
  std::string operator_id;
  std::unique_ptr<onex::app::App> app;
  std::unique_ptr<onex::http::Server> server;
  unsigned short port = 0;
  Contract contract;  // every answer checked against the OpenAPI document

  explicit AppWorld(AppWorldOptions o = {})
      : options(std::move(o)),
        data_dir(options.data_dir.empty() ? dir.str("data") : options.data_dir),
        clock(options.start) {
    if (options.data_dir.empty()) {
      auto created = onex::app::init_store(data_dir, "admin", clock);
      REQUIRE_MESSAGE(created.is_ok(), created.status().to_string());
      operator_initial = created->initial_password;
      operator_id = created->account.id;
    }
    onex::app::AppOptions ao;
    ao.data_dir = data_dir;
    ao.captcha = options.captcha;
    ao.sms_gateway = "outbox";
    ao.sync = options.sync;
    auto opened = onex::app::App::open(ao, clock);
    REQUIRE_MESSAGE(opened.is_ok(), opened.status().to_string());
    app = std::move(*opened);
    onex::http::ServerOptions so;
    so.listen = "127.0.0.1:0";
    so.threads = 2;
    onex::app::answer_in_chinese(so);
    so.read_timeout = options.read_timeout;
    if (options.store_metrics) so.extra_metrics = [a = app.get()] { return a->metrics(); };
    server = std::make_unique<onex::http::Server>(so, app->routes(), &app->authenticator());
    auto started = server->start();
    REQUIRE_MESSAGE(started.is_ok(), started.to_string());
    port = server->port();
  }
  ~AppWorld() {
    if (server) server->stop();
  }
  AppWorld(const AppWorld&) = delete;
  AppWorld& operator=(const AppWorld&) = delete;

  // ---- HTTP ----
  // A request with raw bytes of `content_type` ("" sends no Content-Type) and a bearer token
  // ("" sends none), after `headers`.
  Reply send_bytes(const std::string& method, const std::string& target, const std::string& bytes,
                   const std::string& content_type, const std::string& token,
                   std::vector<std::string> headers = {}) {
    if (!content_type.empty()) headers.push_back("Content-Type: " + content_type);
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    Reply reply = call(port, method, target, bytes, headers);
    contract.check(port, method, target, bytes, content_type, reply);
    return reply;
  }
  // A JSON body (none when null).
  Reply send(const std::string& method, const std::string& target, const json& body = json(),
             const std::string& token = "", std::vector<std::string> headers = {}) {
    if (body.is_null()) return send_bytes(method, target, "", "", token, std::move(headers));
    return send_bytes(method, target, body.dump(), "application/json", token, std::move(headers));
  }
  Reply get(const std::string& target, const std::string& token = "") {
    return send("GET", target, json(), token);
  }
  Reply post(const std::string& target, const json& body, const std::string& token = "") {
    return send("POST", target, body, token);
  }
  Reply put(const std::string& target, const json& body, const std::string& token,
            std::vector<std::string> headers = {}) {
    return send("PUT", target, body, token, std::move(headers));
  }
  Reply patch(const std::string& target, const json& body, const std::string& token) {
    return send("PATCH", target, body, token);
  }
  Reply del(const std::string& target, const std::string& token) {
    return send("DELETE", target, json(), token);
  }
  // The same as `u`.
  Reply get(const std::string& target, const User& u) { return get(target, u.token); }
  Reply post(const std::string& target, const json& body, const User& u) {
    return post(target, body, u.token);
  }
  Reply put(const std::string& target, const json& body, const User& u) {
    return put(target, body, u.token);
  }
  Reply del(const std::string& target, const User& u) { return del(target, u.token); }
  bool healthy() { return get("/healthz").status == 200; }

  // ---- store and outbox ----
  std::uint64_t head() const { return app->store().head_position(); }
  // The types of a stream's events, oldest first.
  std::vector<std::string> stream_types(const std::string& stream) const {
    auto events = app->store().read_stream(stream);
    REQUIRE(events.is_ok());
    std::vector<std::string> types;
    for (const auto& e : *events) types.push_back(e.type);
    return types;
  }
  std::string outbox() const { return data_dir + "/sms-outbox.jsonl"; }
  std::size_t sms_count() const { return onex::read_outbox(outbox()).size(); }
  // The newest code sent to `phone` for `purpose`.
  std::string code(const std::string& phone, const std::string& purpose) const {
    auto c = onex::last_code(outbox(), phone, purpose);
    REQUIRE_MESSAGE(c.has_value(), "no " << purpose << " code to " << phone << " in the outbox");
    return *c;
  }
  // Every message to `phone` for `purpose`, oldest first.
  std::vector<json> messages(const std::string& phone, const std::string& purpose) const {
    std::vector<json> out;
    for (const auto& m : onex::read_outbox(outbox()))
      if (m.value("phone", "") == phone && m.value("purpose", "") == purpose) out.push_back(m);
    return out;
  }

  // ---- sessions ----
  Reply login(const std::string& account, const std::string& password,
              json extra = json::object()) {
    extra["account"] = account;
    extra["password"] = password;
    return post("/api/v1/sessions", extra);
  }
  // A fresh captcha and its answer, as {captcha_id, captcha_answer}.
  json captcha(bool right = true) {
    Reply r = get("/api/v1/captchas");
    REQUIRE(r.status == 200);
    const std::string id = r.json()["captcha_id"].get<std::string>();
    CHECK(r.json()["image"].get<std::string>().starts_with("data:image/png;base64,"));
    std::string answer = app->accounts().sign_in().captcha_answer_for_testing(id);
    REQUIRE(!answer.empty());
    if (!right) answer = answer == "AAAAA" ? "CCCCC" : "AAAAA";
    return {{"captcha_id", id}, {"captcha_answer", answer}};
  }
  // The first login of an account without a phone: a setup session, no SMS step.
  std::string first_login(const std::string& account, const std::string& password) {
    const auto sms_before = sms_count();
    Reply r = login(account, password);
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(r.json()["setup_required"] == true);
    CHECK(sms_count() == sms_before);
    return r.json()["token"].get<std::string>();
  }
  // Binds name and phone (code from the outbox) and sets a password with a setup session.
  json complete_setup(const std::string& setup_token, const std::string& name,
                      const std::string& phone, const std::string& new_password) {
    clock.advance(std::chrono::seconds(61));  // SMS codes to one phone: one a minute
    Reply sent = post("/api/v1/sms-codes", {{"phone", phone}, {"purpose", "bind_phone"}}, setup_token);
    INFO(sent.body);
    REQUIRE(sent.status == 202);
    CHECK(sent.json()["phone_tail"] == phone.substr(phone.size() - 4));
    Reply done = post("/api/v1/account/setup", {{"name", name},
                                                {"phone", phone},
                                                {"sms_code", code(phone, "bind_phone")},
                                                {"new_password", new_password}},
                      setup_token);
    INFO(done.body);
    REQUIRE(done.status == 200);
    return done.json();
  }
  // A login answered 202 and its SMS challenge answered: the granted session's JSON.
  // `trust_device` nullopt sends no such member.
  json sign_in_json(const std::string& account, const std::string& password,
                    const std::string& phone, std::optional<bool> trust_device = false,
                    json extra = json::object()) {
    clock.advance(std::chrono::seconds(61));
    Reply r = login(account, password, std::move(extra));
    INFO(r.body);
    REQUIRE(r.status == 202);
    CHECK(r.json()["phone_tail"] == phone.substr(phone.size() - 4));
    json answer{{"code", code(phone, "login")}};
    if (trust_device) answer["trust_device"] = *trust_device;
    Reply g = post("/api/v1/sessions/challenges/" + r.json()["challenge_id"].get<std::string>(),
                   answer);
    INFO(g.body);
    REQUIRE(g.status == 200);
    return g.json();
  }
  // A full session (setup done) through the SMS challenge.
  std::string sign_in(const std::string& account, const std::string& password,
                      const std::string& phone) {
    json g = sign_in_json(account, password, phone);
    CHECK(g["setup_required"] == false);
    return g["token"].get<std::string>();
  }
  // First login with `initial`, setup as `name` with `phone` and `password`, then a full
  // session: its token.
  std::string set_up(const std::string& account, const std::string& initial,
                     const std::string& phone, const std::string& name,
                     const std::string& password = kPassword) {
    complete_setup(first_login(account, initial), name, phone, password);
    return sign_in(account, password, phone);
  }
  // A step-up code sent to the caller's phone; it serves this session for 5 minutes.
  std::string step_up(const User& u) {
    clock.advance(std::chrono::seconds(61));
    Reply r = post("/api/v1/verification-codes", {{"purpose", "step_up"}}, u.token);
    INFO(r.body);
    REQUIRE(r.status == 202);
    CHECK(r.json()["phone_tail"] == u.phone.substr(u.phone.size() - 4));
    return code(u.phone, "step_up");
  }

  // ---- accounts ----
  // The operator of a fresh store, set up (as options.operator_name, with `phone`) and signed in.
  User operator_user(const std::string& phone = kOperatorPhone) {
    User op{operator_id, "admin", kPassword, phone, ""};
    op.token = set_up("admin", operator_initial, phone, options.operator_name);
    return op;
  }
  // POST /api/v1/users as `manager` with a step-up code; `fields` gives account, role and scope
  // (and the name, else "用户<account>").
  Reply create(const User& manager, json fields, const std::string& step_up_code) {
    if (!fields.contains("name")) fields["name"] = "用户" + fields["account"].get<std::string>();
    fields["verification_code"] = step_up_code;
    return post("/api/v1/users", fields, manager.token);
  }
  // The same with a fresh step-up code.
  Reply create(const User& manager, json fields) {
    const std::string step = step_up(manager);
    return create(manager, std::move(fields), step);
  }
  // Creates an account, sets it up (as options.setup_name) with `phone` and signs it in.
  User provision(const User& manager, const std::string& step_up_code, json fields,
                 const std::string& phone, const std::string& password = kPassword) {
    Reply created = create(manager, fields, step_up_code);
    INFO(created.body);
    REQUIRE(created.status == 201);
    // The name onex gave it (a leader's gets random letters added).
    User u{created.json()["id"], created.json()["account"], password, phone, ""};
    u.token = set_up(u.account, created.json()["initial_password"], phone, options.setup_name,
                     password);
    return u;
  }
  // The same with a fresh step-up code.
  User provision(const User& manager, json fields, const std::string& phone) {
    const std::string step = step_up(manager);
    return provision(manager, step, std::move(fields), phone);
  }
};

}  // namespace onex::testing
