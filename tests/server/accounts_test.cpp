// Accounts and security over real HTTP (SPEC.md §2, API.md "Conventions", "Sessions and own
// account", "Users"): the REST application started in-process on 127.0.0.1 port 0 over a fresh
// store, with a ManualClock the tests advance instead of sleeping. SMS codes are read from the
// outbox file, captcha answers through AccountService::captcha_answer_for_testing.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "security/secrets.h"
#include "server/app_world.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using onex::testing::Connection;
using onex::testing::kOperatorPhone;
using onex::testing::kPassword;
using onex::testing::Reply;
using onex::testing::request_text;
using onex::testing::User;

constexpr auto kSevenDays = std::chrono::hours(24 * 7);

const std::string kProvincePhone = "13900000041";
const std::string kProvincePassword = "Henan2024pw";

// A store made by `onex init` (operator "admin"), the application over it (captcha on, the store
// counters in /metrics) and a server on a free loopback port. The clock stands still until a
// test moves it.
struct World : onex::testing::AppWorld {
  explicit World(std::chrono::seconds read_timeout = 30s)
      : AppWorld({.captcha = true, .read_timeout = read_timeout, .store_metrics = true}) {}

  std::vector<std::string> event_types(const std::string& id) const {
    return stream_types("account-" + id);
  }
  Reply login_with_captcha(const std::string& account, const std::string& password) {
    return login(account, password, captcha());
  }
};

std::string users(const std::string& id, const std::string& rest = "") {
  return "/api/v1/users/" + id + rest;
}

}  // namespace

// ---- the first-login path ------------------------------------------------------------------

TEST_CASE("an operator sets itself up and creates a province account, which goes from first "
          "login to a trusted device that needs SMS again after 7 days") {
  World w;

  // Given the operator's first login with the password `onex init` printed: no SMS step.
  Reply first = w.login("admin", w.operator_initial);
  INFO(first.body);
  REQUIRE(first.status == 200);
  CHECK(first.json()["setup_required"] == true);
  CHECK(first.json()["account"]["status"] == "provisioned");
  CHECK(first.json()["account"]["role"] == "operator");
  CHECK(w.sms_count() == 0);
  const std::string setup_token = first.json()["token"];
  CHECK_REPLY(w.get("/api/v1/account", setup_token), 403, "account.setup_required");

  // A wrong code or a weak password does not complete the setup.
  REQUIRE(w.post("/api/v1/sms-codes", {{"phone", kOperatorPhone}, {"purpose", "bind_phone"}}, setup_token)
              .status == 202);
  std::string not_it = w.code(kOperatorPhone, "bind_phone");
  not_it[0] = not_it[0] == '9' ? '0' : static_cast<char>(not_it[0] + 1);
  CHECK_REPLY(w.post("/api/v1/account/setup", {{"name", "平台管理员"}, {"phone", kOperatorPhone},
                                               {"sms_code", not_it}, {"new_password", kPassword}},
                     setup_token),
              422, "sms.code_invalid");
  Reply weak = w.post("/api/v1/account/setup", {{"name", "平台管理员"}, {"phone", kOperatorPhone},
                                                {"sms_code", w.code(kOperatorPhone, "bind_phone")},
                                                {"new_password", "12345678"}},
                      setup_token);
  CHECK(weak.status == 422);
  CHECK(weak.error_fields() == std::vector<std::string>{"new_password"});
  CHECK(w.event_types(w.operator_id) == std::vector<std::string>{"account.created", "account.login_succeeded"});

  // When it binds its phone with the code from the outbox and sets a password,
  json done = w.complete_setup(setup_token, "平台管理员", kOperatorPhone, kPassword);
  CHECK(done["status"] == "active");
  CHECK(done["setup_required"] == false);
  CHECK(done["phone_masked"] == "138****0001");
  CHECK(done["name"] == "平台管理员");
  // then the setup session has ended, and the initial password is gone.
  CHECK_REPLY(w.get("/api/v1/account", setup_token), 401, "auth.unauthenticated");
  CHECK_REPLY(w.login("admin", w.operator_initial), 401, "auth.invalid_credentials");

  // The operator signs in with the SMS challenge, gets a step-up code and creates a province.
  User op{w.operator_id, "admin", kPassword, kOperatorPhone, w.sign_in("admin", kPassword, kOperatorPhone)};
  const std::string step = w.step_up(op);
  Reply created = w.create(op, {{"account", "henan"}, {"name", "河南省管理员"}, {"role", "province"},
                                {"province_code", "41"}}, step);
  INFO(created.body);
  REQUIRE(created.status == 201);
  const json c = created.json();
  const std::string id = c["id"];
  const std::string initial = c["initial_password"];
  CHECK(c["status"] == "provisioned");
  CHECK(c["role"] == "province");
  CHECK(c["account"] == "henan");
  CHECK(c["province_code"] == "41");
  CHECK(c["stream"] == "account-" + id);
  CHECK(c["version"].get<int>() >= 1);
  CHECK(initial.size() == 12);
  CHECK(std::all_of(initial.begin(), initial.end(), [](unsigned char ch) { return std::isalnum(ch); }));
  CHECK(created.header("location") == users(id));
  CHECK(!created.header("etag").empty());

  // The province's first login: 200 with setup required, and no SMS.
  const std::string province_setup = w.first_login("henan", initial);
  json bound = w.complete_setup(province_setup, "张三", kProvincePhone, kProvincePassword);
  CHECK(bound["status"] == "active");
  CHECK(bound["phone_masked"] == "139****0041");
  CHECK_REPLY(w.get("/api/v1/account", province_setup), 401, "auth.unauthenticated");

  // It logs in again: 202 with an SMS challenge to the bound phone.
  w.clock.advance(61s);
  Reply challenged = w.login("henan", kProvincePassword);
  INFO(challenged.body);
  REQUIRE(challenged.status == 202);
  CHECK(challenged.json()["phone_tail"] == "0041");
  CHECK(!challenged.json().contains("token"));
  const std::string challenge = "/api/v1/sessions/challenges/" + challenged.json()["challenge_id"].get<std::string>();
  const std::string sms = w.code(kProvincePhone, "login");
  std::string wrong = sms;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  CHECK_REPLY(w.post(challenge, {{"code", wrong}, {"trust_device", true}}), 422, "sms.code_invalid");

  // It answers the challenge and trusts the device.
  Reply granted = w.post(challenge, {{"code", sms}, {"trust_device", true}});
  INFO(granted.body);
  REQUIRE(granted.status == 200);
  const onex::Timestamp trusted_at = w.clock.now();
  const std::string device = granted.json().value("device_token", "");
  CHECK(!device.empty());
  CHECK(granted.json()["setup_required"] == false);
  CHECK(granted.json()["account"]["role"] == "province");
  CHECK(!granted.json()["expires_at"].get<std::string>().empty());
  // A challenge is answered once.
  CHECK_REPLY(w.post(challenge, {{"code", sms}, {"trust_device", true}}), 422, "sms.code_invalid");
  Reply me = w.get("/api/v1/account", granted.json()["token"]);
  INFO(me.body);
  CHECK(me.status == 200);
  CHECK(me.json()["account"] == "henan");
  CHECK(me.json()["role"] == "province");
  CHECK(me.json()["province"] == "41");
  CHECK(me.json()["phone_masked"] == "139****0041");

  // With the device token, a login needs no SMS...
  const auto sms_before = w.sms_count();
  Reply trusted = w.login("henan", kProvincePassword, {{"device_token", device}});
  INFO(trusted.body);
  CHECK(trusted.status == 200);
  CHECK(!trusted.json().value("token", "").empty());
  CHECK(w.sms_count() == sms_before);
  // ...until the 7 days are over,
  w.clock.set(trusted_at + kSevenDays - 1min);
  CHECK(w.login("henan", kProvincePassword, {{"device_token", device}}).status == 200);
  CHECK(w.sms_count() == sms_before);
  // after which the same device is challenged again.
  w.clock.set(trusted_at + kSevenDays + 1min);
  Reply expired = w.login("henan", kProvincePassword, {{"device_token", device}});
  INFO(expired.body);
  CHECK(expired.status == 202);
  CHECK(expired.json()["phone_tail"] == "0041");
  CHECK(w.sms_count() == sms_before + 1);
  // Five wrong codes end a challenge: the right one is refused after them.
  const std::string last = "/api/v1/sessions/challenges/" + expired.json()["challenge_id"].get<std::string>();
  const std::string right = w.code(kProvincePhone, "login");
  std::string guess = right;
  guess[0] = guess[0] == '9' ? '0' : static_cast<char>(guess[0] + 1);
  for (int i = 0; i < 5; ++i)
    CHECK_REPLY(w.post(last, {{"code", guess}, {"trust_device", false}}), 422, "sms.code_invalid");
  CHECK_REPLY(w.post(last, {{"code", right}, {"trust_device", false}}), 422, "sms.code_invalid");
  // A device token is no good for another account either.
  CHECK(w.login("admin", kPassword, {{"device_token", device}}).status == 202);
}

// ---- lockout -------------------------------------------------------------------------------

namespace {

// One login attempt as a comparable answer.
struct Answer {
  int status = 0;
  std::string code;
  std::string until;
  bool operator==(const Answer&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Answer& a) {
  return os << a.status << " " << a.code << (a.until.empty() ? "" : " until " + a.until);
}
Answer answer_of(const Reply& r) { return {r.status, r.code(), r.json().value("until", "")}; }

}  // namespace

TEST_CASE("three wrong passwords lock an account for 15 minutes, a captcha is needed after two, "
          "and an unknown account name gets exactly the same answers") {
  World w;
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  User prov = w.provision(op, step, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}},
                          kProvincePhone, kProvincePassword);
  const std::string ghost = "nobody.here";
  const std::string bad = "Wrong1234pw";

  // Each attempt is made on the real account and on the unknown name at the same instant.
  auto both = [&](const std::string& real_password, auto&& attempt) {
    Answer real = answer_of(attempt(prov.account, real_password));
    Answer unknown = answer_of(attempt(ghost, real_password));
    CHECK(real == unknown);
    return real;
  };
  auto plain = [&](const std::string& a, const std::string& p) { return w.login(a, p); };
  auto with_captcha = [&](const std::string& a, const std::string& p) { return w.login_with_captcha(a, p); };
  auto wrong_captcha = [&](const std::string& a, const std::string& p) { return w.login(a, p, w.captcha(false)); };

  // Given two wrong passwords,
  CHECK(both(bad, plain) == Answer{401, "auth.invalid_credentials", ""});
  CHECK(both(bad, plain) == Answer{401, "auth.invalid_credentials", ""});
  // a login without a captcha (even with the right password) or with a wrong answer is refused
  // before the password is checked,
  CHECK(both(prov.password, plain) == Answer{401, "auth.captcha_required", ""});
  CHECK(both(prov.password, wrong_captcha) == Answer{401, "auth.captcha_required", ""});
  {
    // A captcha serves one attempt: after a wrong answer its right answer is refused too.
    json used = w.captcha();
    const json right = used;
    used["captcha_answer"] = "WRONG";
    CHECK_REPLY(w.login(prov.account, prov.password, used), 401, "auth.captcha_required");
    CHECK_REPLY(w.login(prov.account, prov.password, right), 401, "auth.captcha_required");
  }
  // and the third wrong password, with a right captcha, is refused like the others
  const onex::Timestamp third_at = w.clock.now();
  CHECK(both(bad, with_captcha) == Answer{401, "auth.invalid_credentials", ""});
  // but locks: the next attempt is 403 account.locked until 15 minutes later, even with the right
  // password and a captcha, and it is not counted.
  const std::string until = onex::format_china(third_at + 15min);
  const auto head_locked = w.head();
  CHECK(both(prov.password, with_captcha) == Answer{403, "account.locked", until});
  CHECK(both(bad, plain) == Answer{403, "account.locked", until});
  CHECK(w.head() == head_locked);
  Reply shown = w.get(users(prov.id), op.token);
  CHECK(shown.json()["status"] == "locked");

  SUBCASE("after 15 minutes the right password works again, an unlock event first") {
    w.clock.set(third_at + 15min - 1s);
    CHECK(both(prov.password, with_captcha) == Answer{403, "account.locked", until});
    w.clock.set(third_at + 15min);
    // The count goes on after the lock: the captcha is still needed.
    CHECK(both(prov.password, plain) == Answer{401, "auth.captcha_required", ""});
    json granted = w.sign_in_json(prov.account, prov.password, prov.phone, false, w.captcha());
    CHECK(!granted["token"].get<std::string>().empty());
    auto types = w.event_types(prov.id);
    REQUIRE(types.size() >= 4);
    const std::vector<std::string> tail(types.end() - 4, types.end());
    CHECK(tail == std::vector<std::string>{"account.login_failed", "account.locked",
                                           "account.unlocked", "account.login_succeeded"});
    // A successful login clears the count: no captcha next time.
    w.clock.advance(61s);
    CHECK(w.login(prov.account, prov.password).status == 202);
  }

  SUBCASE("five failures past a captcha disable the account until its manager enables it; the "
          "two made without one do not count") {
    w.clock.set(third_at + 15min);
    CHECK(both(bad, plain) == Answer{401, "auth.captcha_required", ""});
    // Failures 4 and 5 are the 2nd and 3rd past a captcha (issue 9: they used to disable).
    CHECK(both(bad, with_captcha) == Answer{401, "auth.invalid_credentials", ""});
    CHECK(both(bad, with_captcha) == Answer{401, "auth.invalid_credentials", ""});
    CHECK(w.get(users(prov.id), op.token).json()["status"] == "active");
    CHECK(both(bad, with_captcha) == Answer{401, "auth.invalid_credentials", ""});
    CHECK(both(bad, with_captcha) == Answer{401, "auth.invalid_credentials", ""});
    CHECK(both(prov.password, with_captcha) == Answer{403, "account.disabled", ""});
    CHECK(both(prov.password, plain) == Answer{403, "account.disabled", ""});
    auto types = w.event_types(prov.id);
    CHECK(std::count(types.begin(), types.end(), "account.unlocked") == 1);
    CHECK(types.back() == "account.disabled");

    // The operator (its manager) enables it again; the next login is normal.
    op.token = w.sign_in(op.account, op.password, op.phone);
    Reply enabled = w.post(users(prov.id, "/enable"), json(), op.token);
    INFO(enabled.body);
    CHECK(enabled.status == 200);
    CHECK(enabled.json()["status"] == "active");
    w.clock.advance(61s);
    CHECK(w.login(prov.account, prov.password).status == 202);
    CHECK_REPLY(w.login(ghost, prov.password), 403, "account.disabled");
  }

  SUBCASE("an SMS password reset ends the lock") {
    const auto sms_before = w.sms_count();
    // A request that does not match answers the same and sends nothing.
    CHECK(w.post("/api/v1/password-resets", {{"account", prov.account}, {"phone", "13700000000"}}).status == 202);
    CHECK(w.post("/api/v1/password-resets", {{"account", ghost}, {"phone", prov.phone}}).status == 202);
    CHECK(w.sms_count() == sms_before);
    // Requests are limited per phone whether or not account and phone match.
    CHECK_REPLY(w.post("/api/v1/password-resets", {{"account", prov.account}, {"phone", prov.phone}}), 429,
                "sms.rate_limited");
    CHECK(w.sms_count() == sms_before);
    w.clock.advance(61s);
    Reply requested = w.post("/api/v1/password-resets", {{"account", prov.account}, {"phone", prov.phone}});
    CHECK(requested.status == 202);
    CHECK(w.sms_count() == sms_before + 1);
    const std::string code = w.code(prov.phone, "password_reset");
    CHECK_REPLY(w.post("/api/v1/password-resets/confirm", {{"account", prov.account},
                                                           {"phone", prov.phone},
                                                           {"code", code},
                                                           {"new_password", "short"}}),
                422, "validation.failed");
    CHECK_REPLY(w.post("/api/v1/password-resets/confirm", {{"account", prov.account},
                                                           {"phone", prov.phone},
                                                           {"code", code},
                                                           {"new_password", "Reset2024pw"}}),
                204, "");
    // Still inside the 15 minutes, the new password signs in with no captcha and no lock.
    CHECK(w.clock.now() < third_at + 15min);
    json granted = w.sign_in_json(prov.account, "Reset2024pw", prov.phone);
    CHECK(!granted["token"].get<std::string>().empty());
    // The code served once.
    CHECK_REPLY(w.post("/api/v1/password-resets/confirm", {{"account", prov.account},
                                                           {"phone", prov.phone},
                                                           {"code", code},
                                                           {"new_password", "Again2024pw"}}),
                422, "sms.code_invalid");
    auto types = w.event_types(prov.id);
    CHECK(std::find(types.begin(), types.end(), "account.password_reset") != types.end());
  }

  SUBCASE("an SMS password reset re-enables an account that failures disabled, not one its "
          "manager disabled") {
    w.clock.set(third_at + 15min);
    // Four more failures past a captcha make five (the two without one do not count).
    for (int i = 0; i < 3; ++i) w.login_with_captcha(prov.account, bad);
    CHECK_REPLY(w.login_with_captcha(prov.account, bad), 401, "auth.invalid_credentials");
    CHECK_REPLY(w.login_with_captcha(prov.account, prov.password), 403, "account.disabled");
    auto reset = [&](const std::string& password) {
      w.clock.advance(61s);
      REQUIRE(w.post("/api/v1/password-resets", {{"account", prov.account}, {"phone", prov.phone}}).status == 202);
      CHECK_REPLY(w.post("/api/v1/password-resets/confirm", {{"account", prov.account},
                                                             {"phone", prov.phone},
                                                             {"code", w.code(prov.phone, "password_reset")},
                                                             {"new_password", password}}),
                  204, "");
    };
    reset("Reset2024pw");
    prov.token = w.sign_in(prov.account, "Reset2024pw", prov.phone);

    op.token = w.sign_in(op.account, op.password, op.phone);
    REQUIRE(w.post(users(prov.id, "/disable"), json(), op.token).status == 200);
    reset("Other2024pw");
    CHECK_REPLY(w.login(prov.account, "Other2024pw"), 403, "account.disabled");
  }
}

// ---- user management and the own account ---------------------------------------------------

TEST_CASE("a known and an unknown account name answer alike: in status, in body and in time") {
  // Durable appends, as a real server makes them: a real account's failure is written.
  onex::testing::AppWorld w({.captcha = false, .sync = true});
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  std::vector<std::string> known;
  constexpr int kNames = 24;  // 48 answers each way: medians that a neighbouring test's load moves less
  for (int i = 0; i < kNames; ++i) {
    Reply r = w.create(op, {{"account", "prov" + std::to_string(i)}, {"role", "province"},
                            {"province_code", "41"}}, step);
    REQUIRE(r.status == 201);
    known.push_back(r.json()["account"]);
  }
  auto timed = [&](const std::string& name, std::vector<double>& times) {
    const auto t0 = std::chrono::steady_clock::now();
    Reply r = w.login(name, "Wrong1234pw");
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    return r;
  };
  std::vector<double> known_ms, unknown_ms;
  // Two wrong passwords on each (a third would lock both alike), in alternating order.
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < kNames; ++i) {
      const std::string ghost = "ghost" + std::to_string(i);
      Reply k = (i % 2) ? timed(known[i], known_ms) : Reply{};
      Reply u = timed(ghost, unknown_ms);
      if (i % 2 == 0) k = timed(known[i], known_ms);
      CHECK(k.status == u.status);
      CHECK(k.body == u.body);
    }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  };
  const double mk = median(known_ms), mu = median(unknown_ms);
  MESSAGE("median answer: known " << mk << " ms, unknown " << mu << " ms");
  CHECK(std::abs(mk - mu) <= 0.10 * std::max(mk, mu));
}

TEST_CASE("the operator disables, edits, enables, resets and deletes a province account, and is "
          "refused where the account's state or a missing step-up code forbids it") {
  World w;
  User op = w.operator_user();
  std::string step = w.step_up(op);
  Reply created = w.create(op, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}}, step);
  REQUIRE(created.status == 201);
  const std::string id = created.json()["id"];
  const std::string initial = created.json()["initial_password"];

  // Given the new account: the manager sees it and its initial password.
  Reply got = w.get(users(id), op.token);
  CHECK(got.status == 200);
  CHECK(got.json()["status"] == "provisioned");
  CHECK(got.json()["account"] == "henan");
  CHECK(got.header("etag") == "\"" + std::to_string(got.json()["version"].get<int>()) + "\"");
  Reply viewed = w.get(users(id, "/initial-password"), op.token);
  CHECK(viewed.status == 200);
  CHECK(viewed.json()["initial_password"] == initial);

  // Refusals change nothing.
  const auto head = w.head();
  // Edit and delete only while disabled.
  CHECK_REPLY(w.patch(users(id), {{"name", "李四"}, {"verification_code", step}}, op.token), 409,
              "account.not_disabled");
  CHECK_REPLY(w.del(users(id), op.token), 409, "account.not_disabled");
  // Step-up: missing, wrong, from another session, or stale.
  CHECK_REPLY(w.create(op, {{"account", "hubei"}, {"role", "province"}, {"province_code", "42"}}, ""),
              403, "auth.step_up_required");
  {
    json no_code = {{"account", "hubei"}, {"name", "湖北"}, {"role", "province"}, {"province_code", "42"}};
    CHECK_REPLY(w.post("/api/v1/users", no_code, op.token), 403, "auth.step_up_required");
  }
  std::string wrong = step;
  wrong[5] = wrong[5] == '9' ? '0' : static_cast<char>(wrong[5] + 1);
  CHECK_REPLY(w.create(op, {{"account", "hubei"}, {"role", "province"}, {"province_code", "42"}}, wrong),
              403, "auth.step_up_required");
  CHECK_REPLY(w.post(users(id, "/reset-password"), json::object(), op.token), 403, "auth.step_up_required");
  CHECK_REPLY(w.post(users(id, "/reset-binding"), {{"verification_code", wrong}}, op.token), 403,
              "auth.step_up_required");
  CHECK_REPLY(w.patch(users(id), {{"name", "李四"}}, op.token), 403, "auth.step_up_required");
  CHECK(w.head() == head);
  User op2 = op;
  op2.token = w.sign_in(op.account, op.password, op.phone);
  const auto head2 = w.head();
  CHECK_REPLY(w.create(op2, {{"account", "hubei"}, {"role", "province"}, {"province_code", "42"}}, step),
              403, "auth.step_up_required");
  CHECK(w.head() == head2);

  // The user's first setup makes the initial password unviewable.
  w.complete_setup(w.first_login("henan", initial), "张三", kProvincePhone, kProvincePassword);
  CHECK_REPLY(w.get(users(id, "/initial-password"), op.token), 409, "account.password_already_changed");
  std::string prov = w.sign_in("henan", kProvincePassword, kProvincePhone);

  // Disable: the user's sessions end and logins are refused; it is listed as disabled.
  Reply disabled = w.post(users(id, "/disable"), json(), op.token);
  INFO(disabled.body);
  CHECK(disabled.status == 200);
  CHECK(disabled.json()["status"] == "disabled");
  CHECK_REPLY(w.get("/api/v1/account", prov), 401, "auth.unauthenticated");
  CHECK_REPLY(w.login("henan", kProvincePassword), 403, "account.disabled");
  Reply listed = w.get("/api/v1/users?status=disabled", op.token);
  INFO(listed.body);
  CHECK(listed.status == 200);
  CHECK(listed.json()["total"] == 1);
  CHECK(listed.json()["page"] == 1);
  CHECK(listed.json()["page_size"] == 10);
  REQUIRE(listed.json()["items"].size() == 1);
  CHECK(listed.json()["items"][0]["id"] == id);
  CHECK(w.get("/api/v1/users?status=active", op.token).json()["total"] == 0);

  // A step-up code is good for 5 minutes; edit while disabled with a fresh one.
  w.clock.advance(5min);
  CHECK_REPLY(w.patch(users(id), {{"name", "李四"}, {"verification_code", step}}, op.token), 403,
              "auth.step_up_required");
  CHECK(w.get(users(id), op.token).json()["name"] != "李四");
  step = w.step_up(op);
  Reply edited = w.patch(users(id), {{"name", "李四"}, {"verification_code", step}}, op.token);
  INFO(edited.body);
  CHECK(edited.status == 200);
  CHECK(edited.json()["name"] == "李四");
  CHECK(edited.json()["status"] == "disabled");
  // A province account has no certificate scope.
  Reply scoped = w.patch(users(id), {{"scope", {{{"certificate_id", "c1"}, {"level", "senior"}}}},
                                      {"verification_code", step}}, op.token);
  CHECK(scoped.status == 422);
  CHECK(scoped.error_fields() == std::vector<std::string>{"scope"});
  CHECK(w.patch(users(id), {{"scope", json::array()}, {"verification_code", step}}, op.token).status == 200);
  // A version conflict through If-Match.
  CHECK_REPLY(w.send("PATCH", users(id), {{"name", "王五"}, {"verification_code", step}}, op.token,
                     {"If-Match: \"1\""}),
              409, "concurrency.version_conflict");

  // Enable: the user signs in again.
  Reply enabled = w.post(users(id, "/enable"), json(), op.token);
  CHECK(enabled.status == 200);
  CHECK(enabled.json()["status"] == "active");
  CHECK(enabled.json()["name"] == "李四");
  CHECK(w.get("/api/v1/users?status=disabled", op.token).json()["total"] == 0);
  prov = w.sign_in("henan", kProvincePassword, kProvincePhone);

  // Reset password: a new initial password, viewable again; sessions end; setup again.
  Reply reset = w.post(users(id, "/reset-password"), {{"verification_code", step}}, op.token);
  INFO(reset.body);
  REQUIRE(reset.status == 200);
  const std::string second = reset.json()["initial_password"];
  CHECK(second.size() == 12);
  CHECK(second != initial);
  CHECK(w.get(users(id, "/initial-password"), op.token).json()["initial_password"] == second);
  CHECK(w.get(users(id), op.token).json()["status"] == "provisioned");
  CHECK_REPLY(w.get("/api/v1/account", prov), 401, "auth.unauthenticated");
  CHECK_REPLY(w.login("henan", kProvincePassword), 401, "auth.invalid_credentials");
  // The phone is still bound: the SMS step comes first, then setup is required.
  json after_reset = w.sign_in_json("henan", second, kProvincePhone, false);
  REQUIRE(after_reset["setup_required"] == true);
  CHECK_REPLY(w.get("/api/v1/account", after_reset["token"]), 403, "account.setup_required");
  w.complete_setup(after_reset["token"], "李四", kProvincePhone, "Second2024pw");
  CHECK_REPLY(w.get(users(id, "/initial-password"), op.token), 409, "account.password_already_changed");
  prov = w.sign_in("henan", "Second2024pw", kProvincePhone);

  // Reset binding: name and phone cleared, sessions end, the next login is a setup login.
  step = w.step_up(op);
  Reply unbound = w.post(users(id, "/reset-binding"), {{"verification_code", step}}, op.token);
  INFO(unbound.body);
  CHECK(unbound.status == 200);
  CHECK(unbound.json()["status"] == "provisioned");
  CHECK(unbound.json()["phone_masked"] == "");
  CHECK_REPLY(w.get("/api/v1/account", prov), 401, "auth.unauthenticated");
  const std::string rebind = w.first_login("henan", "Second2024pw");
  CHECK_REPLY(w.get("/api/v1/account", rebind), 403, "account.setup_required");

  // Delete after disable: gone for the manager and for logins; the name is never reused.
  CHECK(w.post(users(id, "/disable"), json(), op.token).status == 200);
  CHECK_REPLY(w.del(users(id), op.token), 204, "");
  CHECK_REPLY(w.get(users(id), op.token), 404, "account.not_found");
  CHECK_REPLY(w.login("henan", "Second2024pw"), 401, "auth.invalid_credentials");
  CHECK(w.get("/api/v1/users", op.token).json()["total"] == 0);
  CHECK_REPLY(w.create(op, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}}, step),
              409, "account.name_taken");
  auto types = w.event_types(id);
  for (const char* t : {"account.disabled", "account.edited", "account.enabled", "account.password_reset",
                        "account.binding_reset", "account.deleted"})
    CHECK_MESSAGE(std::find(types.begin(), types.end(), t) != types.end(), t);
}

TEST_CASE("a user changes their own profile, password and phone with step-up codes, and signs out") {
  World w;
  User op = w.operator_user();
  User prov = w.provision(op, w.step_up(op),
                          {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}},
                          kProvincePhone, kProvincePassword);
  const std::string other_session = w.sign_in(prov.account, prov.password, prov.phone);

  // Profile: step-up first.
  CHECK_REPLY(w.patch("/api/v1/account", {{"name", "王五"}, {"email", "wang@example.cn"}}, prov.token),
              403, "auth.step_up_required");
  const std::string step = w.step_up(prov);
  Reply changed = w.patch("/api/v1/account",
                          {{"name", "王五"}, {"email", "wang@example.cn"}, {"verification_code", step}},
                          prov.token);
  INFO(changed.body);
  CHECK(changed.status == 200);
  CHECK(changed.json()["name"] == "王五");
  CHECK(changed.json()["email"] == "wang@example.cn");
  Reply bad_email = w.patch("/api/v1/account", {{"email", "not an address"}, {"verification_code", step}},
                            prov.token);
  CHECK(bad_email.status == 422);
  CHECK(bad_email.error_fields() == std::vector<std::string>{"email"});
  Reply me = w.get("/api/v1/account", prov.token);
  CHECK(me.status == 200);
  for (const char* field : {"id", "account", "role", "name", "phone_masked", "email", "scope", "province"})
    CHECK_MESSAGE(me.json().contains(field), field);
  CHECK(me.json()["name"] == "王五");

  // Password: the old one must be right and the new one follow the rules.
  Reply wrong_old = w.post("/api/v1/account/password",
                           {{"old_password", "Nope2024xx"}, {"new_password", "Changed2024pw"},
                            {"verification_code", step}},
                           prov.token);
  CHECK(wrong_old.status == 422);
  CHECK(wrong_old.error_fields() == std::vector<std::string>{"old_password"});
  Reply weak = w.post("/api/v1/account/password",
                      {{"old_password", prov.password}, {"new_password", "onlyletters"},
                       {"verification_code", step}},
                      prov.token);
  CHECK(weak.status == 422);
  CHECK(weak.error_fields() == std::vector<std::string>{"new_password"});
  CHECK_REPLY(w.post("/api/v1/account/password",
                     {{"old_password", prov.password}, {"new_password", "Changed2024pw"}}, prov.token),
              403, "auth.step_up_required");
  CHECK_REPLY(w.post("/api/v1/account/password",
                     {{"old_password", prov.password}, {"new_password", "Changed2024pw"},
                      {"verification_code", step}},
                     prov.token),
              204, "");
  // The other session has ended, and so has this one (SPEC §2: sessions end when the user changes
  // the password); the old password no longer works, the new one does.
  CHECK_REPLY(w.get("/api/v1/account", other_session), 401, "auth.unauthenticated");
  CHECK_REPLY(w.get("/api/v1/account", prov.token), 401, "auth.unauthenticated");
  CHECK_REPLY(w.login(prov.account, prov.password), 401, "auth.invalid_credentials");
  prov.password = "Changed2024pw";
  prov.token = w.sign_in(prov.account, prov.password, prov.phone);

  // Phone: a code to the new phone, and a step-up code to the old one.
  const std::string new_phone = "13700001234";
  const std::string step2 = w.step_up(prov);
  Reply sent = w.post("/api/v1/sms-codes", {{"phone", new_phone}, {"purpose", "change_phone"}}, prov.token);
  INFO(sent.body);
  CHECK(sent.status == 202);
  CHECK(sent.json()["phone_tail"] == "1234");
  CHECK(!sent.json()["expires_at"].get<std::string>().empty());
  // A second code to the same phone for the same purpose within the minute: 429.
  // It says when to ask again (Retry-After, seconds).
  w.clock.advance(30s);
  Reply too_soon = w.post("/api/v1/sms-codes", {{"phone", new_phone}, {"purpose", "change_phone"}}, prov.token);
  CHECK_REPLY(too_soon, 429, "sms.rate_limited");
  CHECK(too_soon.header("retry-after") == "30");
  const std::string sms = w.code(new_phone, "change_phone");
  std::string wrong = sms;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  CHECK_REPLY(w.post("/api/v1/account/phone", {{"new_phone", new_phone}, {"sms_code", sms}}, prov.token),
              403, "auth.step_up_required");
  CHECK_REPLY(w.post("/api/v1/account/phone",
                     {{"new_phone", new_phone}, {"sms_code", wrong}, {"verification_code", step2}},
                     prov.token),
              422, "sms.code_invalid");
  Reply moved = w.post("/api/v1/account/phone",
                       {{"new_phone", new_phone}, {"sms_code", sms}, {"verification_code", step2}},
                       prov.token);
  INFO(moved.body);
  CHECK(moved.status == 200);
  CHECK(moved.json()["phone_masked"] == "137****1234");
  // The next login's SMS goes to the new phone.
  prov.phone = new_phone;
  prov.token = w.sign_in(prov.account, prov.password, prov.phone);
  auto types = w.event_types(prov.id);
  for (const char* t : {"account.profile_changed", "account.password_changed", "account.phone_changed"})
    CHECK_MESSAGE(std::find(types.begin(), types.end(), t) != types.end(), t);

  // Sign out: 204, then the token is dead.
  CHECK_REPLY(w.del("/api/v1/sessions/current", prov.token), 204, "");
  CHECK_REPLY(w.get("/api/v1/account", prov.token), 401, "auth.unauthenticated");
  CHECK_REPLY(w.del("/api/v1/sessions/current", prov.token), 401, "auth.unauthenticated");

  // A session left idle for 30 minutes has ended too.
  const std::string idle = w.sign_in(prov.account, prov.password, prov.phone);
  w.clock.advance(29min);
  CHECK(w.get("/api/v1/account", idle).status == 200);
  w.clock.advance(31min);
  CHECK_REPLY(w.get("/api/v1/account", idle), 401, "auth.unauthenticated");
}

TEST_CASE("a province manages the city accounts of its province and sees none of another's") {
  World w;
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  Reply wuhan = w.create(op, {{"account", "wuhan"}, {"role", "city"}, {"province_code", "42"},
                              {"city_code", "4201"}}, step);
  INFO(wuhan.body);
  REQUIRE(wuhan.status == 201);
  const std::string wuhan_id = wuhan.json()["id"];
  User prov = w.provision(op, step, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}},
                          kProvincePhone, kProvincePassword);

  const std::string pstep = w.step_up(prov);
  Reply city = w.create(prov, {{"account", "zhengzhou"}, {"role", "city"}, {"city_code", "4101"}}, pstep);
  INFO(city.body);
  REQUIRE(city.status == 201);
  CHECK(city.json()["province_code"] == "41");
  CHECK(city.json()["city_code"] == "4101");
  CHECK(city.json()["status"] == "provisioned");
  const std::string city_id = city.json()["id"];
  // Not a city of its province, nor a role it may create.
  Reply elsewhere = w.create(prov, {{"account", "xiaogan"}, {"role", "city"}, {"city_code", "4209"}}, pstep);
  CHECK(elsewhere.status == 422);
  CHECK(elsewhere.error_fields() == std::vector<std::string>{"city_code"});
  // Nor a city code that GB/T 2260 does not have (issue 9: four digits used to be enough).
  Reply nowhere = w.create(prov, {{"account", "nowhere"}, {"role", "city"}, {"city_code", "4199"}}, pstep);
  CHECK(nowhere.status == 422);
  CHECK(nowhere.error_fields() == std::vector<std::string>{"city_code"});
  // A role it may not create is 403, as API.md says of what a role may not do (issue 9: was 422).
  CHECK_REPLY(w.create(prov, {{"account", "hubei"}, {"role", "province"}, {"province_code", "42"}}, pstep),
              403, "auth.forbidden");
  CHECK_REPLY(w.create(prov, {{"account", "root2"}, {"role", "operator"}}, pstep), 403, "auth.forbidden");
  // A role that is none is a field at fault.
  Reply bogus = w.create(prov, {{"account", "bogus"}, {"role", "superuser"}}, pstep);
  CHECK(bogus.status == 422);
  CHECK(bogus.error_fields() == std::vector<std::string>{"role"});

  // Its list holds its own city only; the operator's holds everything it manages.
  Reply mine = w.get("/api/v1/users", prov.token);
  INFO(mine.body);
  CHECK(mine.json()["total"] == 1);
  REQUIRE(mine.json()["items"].size() == 1);
  CHECK(mine.json()["items"][0]["id"] == city_id);
  CHECK(w.get("/api/v1/users", op.token).json()["total"] == 3);
  CHECK(w.get("/api/v1/users?page=2&page_size=2", op.token).json()["items"].size() == 1);

  // It manages its city...
  CHECK(w.get(users(city_id), prov.token).status == 200);
  CHECK(w.get(users(city_id, "/initial-password"), prov.token).json()["initial_password"] ==
        city.json()["initial_password"]);
  CHECK(w.post(users(city_id, "/disable"), json(), prov.token).json()["status"] == "disabled");
  CHECK(w.patch(users(city_id), {{"name", "郑州市"}, {"verification_code", pstep}}, prov.token).json()["name"] ==
        "郑州市");
  // (Enabled, but its user has not set it up yet.)
  CHECK(w.post(users(city_id, "/enable"), json(), prov.token).json()["status"] == "provisioned");
  // ...and another province's city is not there for it.
  const auto head = w.head();
  CHECK_REPLY(w.get(users(wuhan_id), prov.token), 404, "account.not_found");
  CHECK_REPLY(w.post(users(wuhan_id, "/disable"), json(), prov.token), 404, "account.not_found");
  CHECK(w.head() == head);
  // The operator manages cities too.
  CHECK(w.get(users(city_id), op.token).status == 200);
}

TEST_CASE("leak: an initial password is shown to its issuer only, not to another manager of the "
          "account") {
  World w;
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  User first = w.provision(op, step, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}},
                           kProvincePhone, kProvincePassword);
  User second = w.provision(op, step, {{"account", "henan2"}, {"role", "province"}, {"province_code", "41"}},
                            "13900000042", kProvincePassword);
  // Given a city account the first province account created,
  Reply city = w.create(first, {{"account", "zhengzhou"}, {"role", "city"}, {"city_code", "4101"}},
                        w.step_up(first));
  REQUIRE(city.status == 201);
  const std::string id = city.json()["id"];
  // the second province account manages it, but does not get its initial password;
  CHECK(w.get(users(id), second.token).status == 200);
  CHECK_REPLY(w.get(users(id, "/initial-password"), second.token), 404, "account.not_found");
  CHECK(w.get(users(id, "/initial-password"), first.token).json()["initial_password"] ==
        city.json()["initial_password"]);
  // after the second one resets the password, the new one is the second's alone.
  Reply reset = w.post(users(id, "/reset-password"), {{"verification_code", w.step_up(second)}}, second.token);
  REQUIRE(reset.status == 200);
  CHECK(w.get(users(id, "/initial-password"), second.token).json()["initial_password"] ==
        reset.json()["initial_password"]);
  CHECK_REPLY(w.get(users(id, "/initial-password"), first.token), 404, "account.not_found");
  // Its history records who issued it.
  auto events = w.app->store().read_stream("account-" + id);
  REQUIRE(events.is_ok());
  CHECK(events->back().type == "account.password_reset");
  CHECK(events->back().data["issued_by"] == second.id);
}

// ---- authorization table -------------------------------------------------------------------

TEST_CASE("every route refuses every caller that may not use it: 401 without a session, 403 for "
          "the wrong role or a setup session, 404 outside the caller's scope") {
  World w;
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  User prov = w.provision(op, step, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}},
                          kProvincePhone, kProvincePassword);
  User city = w.provision(op, step, {{"account", "kaifeng"}, {"role", "city"}, {"province_code", "41"},
                                     {"city_code", "4102"}}, "13900004102");
  const std::string step2 = w.step_up(op);  // the first one is getting stale
  User auditor = w.provision(op, step2, {{"account", "audit1"}, {"role", "auditor"}}, "13900000099");
  Reply wuhan = w.create(op, {{"account", "wuhan"}, {"role", "city"}, {"province_code", "42"},
                              {"city_code", "4201"}}, step2);
  REQUIRE(wuhan.status == 201);
  const std::string wuhan_id = wuhan.json()["id"];
  Reply luoyang = w.create(op, {{"account", "luoyang"}, {"role", "city"}, {"province_code", "41"},
                                {"city_code", "4103"}}, step2);
  REQUIRE(luoyang.status == 201);
  const std::string setup_session = w.first_login("luoyang", luoyang.json()["initial_password"]);

  struct Route {
    std::string method, path;  // {id} stands for an account id
    json body;
  };
  const json code = {{"verification_code", "123456"}};
  const std::vector<Route> user_routes = {
      {"GET", "/api/v1/users", json()},
      {"GET", "/api/v1/users?status=disabled", json()},
      {"POST", "/api/v1/users", {{"account", "newcity"}, {"name", "新"}, {"role", "city"},
                                 {"province_code", "41"}, {"city_code", "4104"}, {"verification_code", "123456"}}},
      {"GET", "/api/v1/users/{id}", json()},
      {"GET", "/api/v1/users/{id}/initial-password", json()},
      {"PATCH", "/api/v1/users/{id}", {{"name", "x"}, {"verification_code", "123456"}}},
      {"POST", "/api/v1/users/{id}/disable", json()},
      {"POST", "/api/v1/users/{id}/enable", json()},
      {"DELETE", "/api/v1/users/{id}", json()},
      {"POST", "/api/v1/users/{id}/reset-password", code},
      {"POST", "/api/v1/users/{id}/reset-binding", code},
  };
  const std::vector<Route> own_routes = {
      {"GET", "/api/v1/account", json()},
      {"PATCH", "/api/v1/account", {{"name", "x"}, {"verification_code", "123456"}}},
      {"POST", "/api/v1/account/password", {{"old_password", "Old12345x"}, {"new_password", "New12345x"},
                                            {"verification_code", "123456"}}},
      {"POST", "/api/v1/account/phone", {{"new_phone", "13700000000"}, {"sms_code", "123456"},
                                         {"verification_code", "123456"}}},
      {"POST", "/api/v1/verification-codes", {{"purpose", "step_up"}}},
  };
  const std::vector<Route> setup_routes = {
      {"POST", "/api/v1/sms-codes", {{"phone", "13700000000"}, {"purpose", "bind_phone"}}},
      {"POST", "/api/v1/account/setup", {{"name", "x"}, {"phone", "13700000000"}, {"sms_code", "123456"},
                                         {"new_password", "New12345x"}}},
      {"DELETE", "/api/v1/sessions/current", json()},
  };
  auto call = [&](const Route& r, const std::string& id, const std::string& token) {
    std::string path = r.path;
    if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, id);
    return w.send(r.method, path, r.body, token);
  };
  const auto head = w.head();

  // No session, or an unknown token: 401 everywhere but the public routes.
  for (const auto* table : {&user_routes, &own_routes, &setup_routes})
    for (const Route& r : *table) {
      CAPTURE(r.method);
      CAPTURE(r.path);
      CHECK_REPLY(call(r, city.id, ""), 401, "auth.unauthenticated");
      CHECK_REPLY(call(r, city.id, "not-a-token"), 401, "auth.unauthenticated");
    }
  // Roles that manage no accounts: 403 auth.forbidden on every user route.
  for (const User* u : {&city, &auditor})
    for (const Route& r : user_routes) {
      CAPTURE(u->account);
      CAPTURE(r.method);
      CAPTURE(r.path);
      CHECK_REPLY(call(r, city.id, u->token), 403, "auth.forbidden");
    }
  // A setup session: 403 account.setup_required on every route but the setup ones.
  for (const auto* table : {&user_routes, &own_routes})
    for (const Route& r : *table) {
      CAPTURE(r.method);
      CAPTURE(r.path);
      CHECK_REPLY(call(r, city.id, setup_session), 403, "account.setup_required");
    }
  // Ids outside the caller's scope: 404, as for ids that do not exist.
  const std::vector<std::pair<const User*, std::string>> outside = {
      {&prov, wuhan_id},        // another province's city
      {&prov, prov.id},         // itself: nobody manages its own account here
      {&prov, op.id},           // the operator
      {&prov, auditor.id},      // an auditor (the operator's)
      {&op, op.id},             // operators are managed by no one
      {&op, "nosuchaccount0"},  // an id that does not exist
  };
  for (const auto& [u, id] : outside)
    for (const Route& r : user_routes) {
      if (r.path.find("{id}") == std::string::npos) continue;
      CAPTURE(u->account);
      CAPTURE(id);
      CAPTURE(r.method);
      CAPTURE(r.path);
      CHECK_REPLY(call(r, id, u->token), 404, "account.not_found");
    }
  CHECK(w.head() == head);

  // The same callers where they are allowed (so the refusals above are about the caller).
  CHECK(w.get(users(city.id), prov.token).status == 200);
  CHECK(w.get(users(wuhan_id), op.token).status == 200);
  CHECK(w.get("/api/v1/account", city.token).status == 200);
  CHECK(w.get("/api/v1/account", auditor.token).status == 200);
  CHECK(w.post("/api/v1/sms-codes", {{"phone", "13700000000"}, {"purpose", "bind_phone"}}, setup_session)
            .status == 202);
}

// ---- idempotency ---------------------------------------------------------------------------

TEST_CASE("the same Idempotency-Key and body twice create one account, and the same key with another "
          "body is refused") {
  World w;
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  const json body = {{"account", "henan"}, {"name", "河南"}, {"role", "province"},
                     {"province_code", "41"}, {"verification_code", step}};
  const std::vector<std::string> key = {"Idempotency-Key: create-henan-1"};

  Reply first = w.send("POST", "/api/v1/users", body, op.token, key);
  INFO(first.body);
  REQUIRE(first.status == 201);
  CHECK(first.header("idempotent-replayed").empty());
  const auto head = w.head();

  // A retry: the same answer, initial password included, and nothing written.
  Reply again = w.send("POST", "/api/v1/users", body, op.token, key);
  INFO(again.body);
  CHECK(again.status == 201);
  CHECK(again.header("idempotent-replayed") == "true");
  CHECK(again.json() == first.json());
  CHECK(again.json()["initial_password"] == first.json()["initial_password"]);
  CHECK(again.header("location") == first.header("location"));
  CHECK(again.header("etag") == first.header("etag"));
  CHECK(w.head() == head);
  CHECK(w.get("/api/v1/users", op.token).json()["total"] == 1);

  // The same key with another body (or another path): 422, nothing written.
  json other = body;
  other["name"] = "河南省";
  CHECK_REPLY(w.send("POST", "/api/v1/users", other, op.token, key), 422, "idempotency.key_reused");
  CHECK_REPLY(w.send("POST", "/api/v1/users?x=1", body, op.token, key), 422, "idempotency.key_reused");
  CHECK(w.head() == head);
  // Without the key, the same body is a new request: the name is taken.
  CHECK_REPLY(w.post("/api/v1/users", body, op.token), 409, "account.name_taken");
  CHECK(w.head() == head);

  // The kept outcome holds no initial password.
  auto kept = w.app->store().get_secret(
      "idempotency/" + onex::security::digest(op.id + "\n" + "create-henan-1"));
  REQUIRE(kept.is_ok());
  REQUIRE_MESSAGE(kept->has_value(), "no kept outcome under the expected key");
  CHECK((*kept)->find(first.json()["initial_password"].get<std::string>()) == std::string::npos);
  CHECK((*kept)->find(first.json()["id"].get<std::string>()) != std::string::npos);

  // Other authenticated POSTs too: a retried step-up request sends no second SMS.
  w.clock.advance(61s);
  const auto sms_before = w.sms_count();
  const std::vector<std::string> code_key = {"Idempotency-Key: step-up-1"};
  Reply sent = w.send("POST", "/api/v1/verification-codes", {{"purpose", "step_up"}}, op.token, code_key);
  CHECK(sent.status == 202);
  Reply resent = w.send("POST", "/api/v1/verification-codes", {{"purpose", "step_up"}}, op.token, code_key);
  CHECK(resent.status == 202);
  CHECK(resent.header("idempotent-replayed") == "true");
  CHECK(resent.json() == sent.json());
  CHECK(w.sms_count() == sms_before + 1);
  // A refusal to wait (429) is not kept as the outcome: the same key passes once the wait is over.
  const std::vector<std::string> soon_key = {"Idempotency-Key: step-up-2"};
  Reply early = w.send("POST", "/api/v1/verification-codes", {{"purpose", "step_up"}}, op.token, soon_key);
  CHECK_REPLY(early, 429, "sms.rate_limited");
  CHECK(early.header("retry-after") == "60");
  w.clock.advance(61s);
  Reply later = w.send("POST", "/api/v1/verification-codes", {{"purpose", "step_up"}}, op.token, soon_key);
  CHECK(later.status == 202);
  CHECK(later.header("idempotent-replayed").empty());
  CHECK(w.sms_count() == sms_before + 2);
  // Disabling is idempotent by key as well.
  const std::string id = first.json()["id"];
  const std::vector<std::string> disable_key = {"Idempotency-Key: disable-1"};
  Reply off = w.send("POST", users(id, "/disable"), json(), op.token, disable_key);
  CHECK(off.status == 200);
  const auto head_off = w.head();
  Reply off_again = w.send("POST", users(id, "/disable"), json(), op.token, disable_key);
  CHECK(off_again.status == 200);
  CHECK(off_again.header("idempotent-replayed") == "true");
  CHECK(off_again.json() == off.json());
  CHECK(w.head() == head_off);
  REQUIRE(w.post(users(id, "/enable"), json(), op.token).status == 200);

  // Once the user has set up, a replay no longer shows the initial password.
  w.complete_setup(w.first_login("henan", first.json()["initial_password"]), "张三", kProvincePhone,
                   kProvincePassword);
  Reply late = w.send("POST", "/api/v1/users", body, op.token, key);
  INFO(late.body);
  CHECK(late.status == 201);
  CHECK(late.header("idempotent-replayed") == "true");
  CHECK(late.json()["id"] == first.json()["id"]);
  CHECK(!late.json().contains("initial_password"));
}

// ---- hostile input -------------------------------------------------------------------------

TEST_CASE("hostile input is refused with the right status, the server keeps answering, and the "
          "store is unchanged") {
  World w(1s);  // read timeout 1 s, for the slow client
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  const std::string auth = "Authorization: Bearer " + op.token;
  const std::string json_type = "Content-Type: application/json";
  const auto head = w.head();
  auto unchanged = [&] {
    CHECK(w.healthy());
    CHECK(w.head() == head);
  };
  auto raw = [&](const std::string& method, const std::string& target, const std::string& body,
                 std::vector<std::string> headers) {
    return onex::testing::call(w.port, method, target, body, headers);
  };

  SUBCASE("malformed JSON is 400") {
    CHECK_REPLY(raw("POST", "/api/v1/sessions", "{\"account\": \"admin\", ", {json_type}), 400,
                "request.malformed_json");
    CHECK_REPLY(raw("POST", "/api/v1/users", "{not json}", {json_type, auth}), 400, "request.malformed_json");
    CHECK_REPLY(raw("POST", "/api/v1/users", "[1, 2]", {json_type, auth}), 400, "request.malformed_json");
    CHECK_REPLY(raw("POST", "/api/v1/sessions", "", {json_type}), 400, "request.malformed_json");
    unchanged();
  }
  SUBCASE("wrong types are 400 naming the field") {
    Reply number = w.post("/api/v1/sessions", {{"account", 42}, {"password", "x"}});
    CHECK_REPLY(number, 400, "request.wrong_type");
    CHECK(number.json()["detail"].get<std::string>().find("account") != std::string::npos);
    Reply create = w.post("/api/v1/users", {{"account", 42}, {"name", "x"}, {"role", "province"},
                                            {"province_code", "41"}, {"verification_code", step}},
                          op.token);
    CHECK_REPLY(create, 400, "request.wrong_type");
    CHECK(create.json()["detail"].get<std::string>().find("account") != std::string::npos);
    Reply flag = w.post("/api/v1/sessions/challenges/abc", {{"code", "123456"}, {"trust_device", "yes"}});
    CHECK_REPLY(flag, 400, "request.wrong_type");
    CHECK(flag.json()["detail"].get<std::string>().find("trust_device") != std::string::npos);
    CHECK_REPLY(w.post("/api/v1/users", {{"account", "x1x"}, {"name", "x"}, {"role", "city"},
                                         {"scope", "all"}, {"verification_code", step}},
                       op.token),
                400, "request.wrong_type");
    unchanged();
  }
  SUBCASE("unknown enum values are 422 naming the field") {
    Reply king = w.post("/api/v1/users", {{"account", "kingdom"}, {"name", "王"}, {"role", "king"},
                                          {"verification_code", step}},
                        op.token);
    CHECK_REPLY(king, 422, "validation.failed");
    CHECK(king.error_fields() == std::vector<std::string>{"role"});
    Reply purpose = w.post("/api/v1/sms-codes", {{"phone", "13700000000"}, {"purpose", "x"}}, op.token);
    CHECK_REPLY(purpose, 422, "validation.failed");
    CHECK(purpose.error_fields() == std::vector<std::string>{"purpose"});
    Reply step_purpose = w.post("/api/v1/verification-codes", {{"purpose", "x"}}, op.token);
    CHECK_REPLY(step_purpose, 422, "validation.failed");
    CHECK(step_purpose.error_fields() == std::vector<std::string>{"purpose"});
    Reply status = w.get("/api/v1/users?status=x", op.token);
    CHECK_REPLY(status, 422, "validation.failed");
    CHECK(status.error_fields() == std::vector<std::string>{"status"});
    Reply page = w.get("/api/v1/users?page_size=101", op.token);
    CHECK_REPLY(page, 422, "validation.failed");
    CHECK(page.error_fields() == std::vector<std::string>{"page_size"});
    unchanged();
  }
  SUBCASE("a 2 MiB JSON body is 413, and the client reads the answer") {
    const std::string huge = json{{"account", "admin"}, {"password", std::string(2 << 20, 'p')}}.dump();
    for (const auto& [target, headers] :
         std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"/api/v1/sessions", {json_type}}, {"/api/v1/users", {json_type, auth}}}) {
      Connection c(w.port);
      REQUIRE(c.send(request_text("POST", target, huge, headers)));
      Reply too_large = c.read_reply();
      CAPTURE(target);
      CHECK(too_large.ok);
      CHECK_REPLY(too_large, 413, "http.body_too_large");
    }
    unchanged();
  }
  SUBCASE("a wrong content type is 415") {
    CHECK_REPLY(raw("POST", "/api/v1/sessions", "account=admin&password=x",
                    {"Content-Type: application/x-www-form-urlencoded"}),
                415, "http.unsupported_media_type");
    CHECK_REPLY(raw("POST", "/api/v1/users", "{}", {"Content-Type: text/plain", auth}), 415,
                "http.unsupported_media_type");
    unchanged();
  }
  SUBCASE("a header flood is 431") {
    std::vector<std::string> flood = {auth};
    for (int i = 0; i < 100; ++i) flood.push_back("X-Flood-" + std::to_string(i) + ": " + std::string(100, 'f'));
    CHECK_REPLY(raw("GET", "/api/v1/account", "", flood), 431, "http.header_too_large");
    unchanged();
  }
  SUBCASE("a slow client is cut off after the read timeout while others are served") {
    Connection slow(w.port);
    REQUIRE(slow.send("POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 100\r\n\r\n{\"account\": \"ad"));
    const auto began = std::chrono::steady_clock::now();
    CHECK(w.get("/api/v1/account", op.token).status == 200);
    CHECK(slow.closed_by_peer(5000ms));
    const auto took = std::chrono::steady_clock::now() - began;
    CHECK(took >= 900ms);
    CHECK(took < 4s);
    unchanged();
  }
  SUBCASE("path traversal in ids is 404") {
    for (const std::string id : {"..%2f..%2fetc", "..%2F..%2Fsecret.key", "%00", "a%00b", "%2e%2e",
                                 "..", "x%2fy", "%252e%252e"}) {
      CAPTURE(id);
      CHECK(w.get(users(id), op.token).status == 404);
      CHECK(w.get(users(id, "/initial-password"), op.token).status == 404);
      CHECK(w.post(users(id, "/disable"), json(), op.token).status == 404);
      CHECK(w.del(users(id), op.token).status == 404);
      CHECK(w.patch(users(id), {{"name", "x"}, {"verification_code", step}}, op.token).status == 404);
    }
    CHECK(w.get("/api/v1/users/../../etc/passwd", op.token).status == 404);
    unchanged();
  }

  // Whatever came before, the server answers and the log's hash chain holds.
  CHECK(w.healthy());
  CHECK(w.get("/api/v1/account", op.token).status == 200);
  auto chain = w.app->store().verify_chain();
  REQUIRE(chain.is_ok());
  CHECK(chain->ok());
}

TEST_CASE("metrics count requests by route and the store's appends and group commits, OpenAPI lists every account route") {
  World w;
  // given a sign-in, which appends the operator's login
  REQUIRE(w.login("admin", w.operator_initial).status == 200);
  // then /metrics shows it by route and status, and the writer's work
  auto metrics = w.get("/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("onex_http_requests_total{route=\"/api/v1/sessions\"") != std::string::npos);
  CHECK(metrics.body.find("onex_store_appends_total ") != std::string::npos);
  CHECK(metrics.body.find("onex_store_batch_appends_bucket{le=\"1\"}") != std::string::npos);
  CHECK(metrics.body.find("onex_store_appends_total 0\n") == std::string::npos);
  // sign-ins on names that do not exist are counted (the names themselves go nowhere)
  CHECK(metrics.body.find("onex_auth_unknown_account_attempts_total 0\n") != std::string::npos);
  REQUIRE(w.login("nobody-here", "whatever-1").status == 401);
  CHECK(w.get("/metrics").body.find("onex_auth_unknown_account_attempts_total 1\n") != std::string::npos);
  // and the OpenAPI document, generated from the route table, has every route of API.md's tables
  auto openapi = w.get("/api/v1/openapi.json");
  REQUIRE(openapi.status == 200);
  auto doc = json::parse(openapi.body);
  CHECK(doc["openapi"] == "3.1.0");
  for (const char* path :
       {"/api/v1/sessions", "/api/v1/sessions/challenges/{challenge_id}", "/api/v1/sessions/current",
        "/api/v1/sms-codes", "/api/v1/account/setup", "/api/v1/verification-codes", "/api/v1/account",
        "/api/v1/account/password", "/api/v1/account/phone", "/api/v1/password-resets",
        "/api/v1/password-resets/confirm", "/api/v1/users", "/api/v1/users/{id}",
        "/api/v1/users/{id}/initial-password", "/api/v1/users/{id}/disable",
        "/api/v1/users/{id}/enable", "/api/v1/users/{id}/reset-password",
        "/api/v1/users/{id}/reset-binding", "/api/v1/captchas", "/healthz", "/metrics"})
    CHECK_MESSAGE(doc["paths"].contains(path), path);
}

// ---- hardening (issue 9) -------------------------------------------------------------------

TEST_CASE("a copy of the store does not give up live SMS codes: they are kept as keyed digests") {
  World w;
  User op = w.operator_user();
  w.clock.advance(61s);
  REQUIRE(w.post("/api/v1/password-resets", {{"account", op.account}, {"phone", op.phone}}).status == 202);
  const std::string code = w.code(op.phone, "password_reset");
  auto kept = w.app->store().get_secret("code/reset/" + op.id);
  REQUIRE(kept.is_ok());
  REQUIRE(kept->has_value());
  const std::string hash = json::parse(**kept)["code_hash"];
  CHECK(hash != onex::security::digest(code));
  // None of the million six-digit codes gives that digest without the store's key.
  bool found = false;
  char digits[8];
  for (int n = 0; n < 1'000'000 && !found; ++n) {
    std::snprintf(digits, sizeof digits, "%06d", n);
    found = onex::security::digest(digits) == hash;
  }
  CHECK_FALSE(found);
  // The code still works for its owner.
  CHECK_REPLY(w.post("/api/v1/password-resets/confirm", {{"account", op.account}, {"phone", op.phone},
                                                         {"code", code}, {"new_password", "Reset2024pw"}}),
              204, "");
}

TEST_CASE("a trusted device is trusted no more once the password is reset") {
  World w;
  User op = w.operator_user();
  json trusted = w.sign_in_json(op.account, op.password, op.phone, true);
  const std::string device = trusted["device_token"];
  w.clock.advance(61s);
  CHECK(w.login(op.account, op.password, {{"device_token", device}}).status == 200);
  // The password reset by SMS ends the device's trust with the account's sessions.
  w.clock.advance(61s);
  REQUIRE(w.post("/api/v1/password-resets", {{"account", op.account}, {"phone", op.phone}}).status == 202);
  REQUIRE(w.post("/api/v1/password-resets/confirm",
                 {{"account", op.account}, {"phone", op.phone},
                  {"code", w.code(op.phone, "password_reset")}, {"new_password", "Reset2024pw"}})
              .status == 204);
  w.clock.advance(61s);
  Reply again = w.login(op.account, "Reset2024pw", {{"device_token", device}});
  CHECK(again.status == 202);  // an SMS challenge, not a session
  CHECK(again.json().contains("challenge_id"));
}

TEST_CASE("captchas: at most 30 a minute from one address, then 429 with Retry-After") {
  World w;
  for (int i = 0; i < 30; ++i) REQUIRE(w.get("/api/v1/captchas").status == 200);
  Reply flood = w.get("/api/v1/captchas");
  CHECK_REPLY(flood, 429, "auth.rate_limited");
  CHECK(!flood.header("retry-after").empty());
  w.clock.advance(61s);
  CHECK(w.get("/api/v1/captchas").status == 200);
}

TEST_CASE("the data directory is its owner's: made 0700, and a key others may read is refused") {
  onex::testing::TempDir dir;
  const std::string data = dir.str("nested/data");  // parents are made too
  onex::ManualClock clock(std::chrono::sys_days{std::chrono::year{2024} / 3 / 1});
  auto created = onex::app::init_store(data, "admin", clock);
  REQUIRE_MESSAGE(created.is_ok(), created.status().to_string());
  namespace fs = std::filesystem;
  CHECK((fs::status(data).permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK((fs::status(data + "/secret.key").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  fs::permissions(data + "/secret.key", fs::perms::group_read, fs::perm_options::add);
  onex::app::AppOptions ao;
  ao.data_dir = data;
  auto opened = onex::app::App::open(ao, clock);
  REQUIRE_FALSE(opened.is_ok());
  CHECK(opened.status().code() == "app.secret_key_exposed");
}

TEST_CASE("malformed query numbers are 400 naming the parameter") {
  World w;
  User op = w.operator_user();
  Reply bad = w.get("/api/v1/streams/account-" + op.id + "/events?limit=abc", op.token);
  CHECK_REPLY(bad, 400, "request.bad_query");
  CHECK(bad.json()["parameter"] == "limit");
  CHECK_REPLY(w.get("/api/v1/users?page=%ff", op.token), 400, "request.bad_query");
  // A number out of its range stays 422 naming the field.
  CHECK_REPLY(w.get("/api/v1/streams/account-" + op.id + "/events?limit=5000", op.token), 422,
              "validation.failed");
}

TEST_CASE("the account and user routes honour If-Match, a malformed one is 400") {
  World w;
  User op = w.operator_user();
  const std::string step = w.step_up(op);
  Reply created = w.create(op, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}}, step);
  REQUIRE(created.status == 201);
  const std::string id = created.json()["id"];
  const int version = created.json()["version"];
  const auto head = w.head();
  CHECK_REPLY(w.send("POST", users(id, "/disable"), json(), op.token,
                     {"If-Match: \"" + std::to_string(version + 5) + "\""}),
              409, "concurrency.version_conflict");
  CHECK_REPLY(w.send("POST", users(id, "/disable"), json(), op.token, {"If-Match: soon"}), 400,
              "request.bad_if_match");
  CHECK(w.head() == head);
  Reply off = w.send("POST", users(id, "/disable"), json(), op.token,
                     {"If-Match: \"" + std::to_string(version) + "\""});
  CHECK(off.status == 200);
  CHECK_REPLY(w.send("DELETE", users(id), json(), op.token, {"If-Match: \"1\""}), 409,
              "concurrency.version_conflict");
  // One's own account too.
  Reply me = w.get("/api/v1/account", op.token);
  CHECK_REPLY(w.send("PATCH", "/api/v1/account", {{"email", "a@example.cn"}, {"verification_code", w.step_up(op)}},
                     op.token, {"If-Match: \"" + std::to_string(me.json()["version"].get<int>() - 1) + "\""}),
              409, "concurrency.version_conflict");
}

TEST_CASE("a stream's history: an unknown stream is 404 for every caller alike") {
  World w;
  User op = w.operator_user();
  User auditor = w.provision(op, {{"account", "audit"}, {"role", "auditor"}}, "13800000077");
  const std::string unknown_account = "account-" + std::string(32, 'a');
  for (const User* u : {&op, &auditor})
    for (const std::string& stream : {unknown_account, std::string("declaration-") + std::string(32, 'b'),
                                      std::string("nokind-") + std::string(32, 'c'), std::string("x"),
                                      std::string("account-") + op.id + "x"}) {
      CAPTURE(u->account);
      CAPTURE(stream);
      CHECK_REPLY(w.get("/api/v1/streams/" + stream + "/events", u->token), 404, "stream.not_found");
      CHECK_REPLY(w.get("/api/v1/streams/" + stream + "/events?limit=abc", u->token), 404, "stream.not_found");
    }
}
