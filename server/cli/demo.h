// The parts of `onex demo` (demo.cpp) kept in files of their own, and the in-process REST driver
// they share.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "http/local_client.h"
#include "onex/clock.h"
#include "sms/outbox_gateway.h"

namespace onex::cli::demo_data {

using nlohmann::json;
using namespace std::chrono_literals;

// One demo account, signed in.
struct User {
  std::string id, account, role, phone, token;
};

// Drives the REST routes in-process, failing loudly on any answer it did not expect.
class Driver {
 public:
  Driver(app::App& app, ManualClock& clock, std::string data_dir, std::string password)
      : client_(app.routes(), &app.authenticator()),
        clock_(clock),
        outbox_(data_dir + "/sms-outbox.jsonl"),
        password_(std::move(password)) {}

  json call(const std::string& method, const std::string& target, const json& body,
            const std::string& token, int expected) {
    auto r = client_.call(method, target, body.is_null() ? "" : body.dump(), token);
    if (r.status != expected)
      throw std::runtime_error(fmt::format("{} {}: expected {}, got {}: {}", method, target,
                                           expected, r.status, r.body));
    return r.body.empty() ? json::object() : json::parse(r.body);
  }
  json post(const std::string& target, const json& body, const std::string& token, int expected = 201) {
    return call("POST", target, body, token, expected);
  }
  json raw(const std::string& method, const std::string& target, const std::string& body,
           const std::string& content_type, const std::string& token, int expected) {
    auto r = client_.call(method, target, body, token, content_type);
    if (r.status != expected)
      throw std::runtime_error(fmt::format("{} {}: expected {}, got {}: {}", method, target,
                                           expected, r.status, r.body));
    return json::parse(r.body);
  }

  // The newest code sent to `phone`, whatever it was for.
  std::string code(const std::string& phone) {
    auto messages = read_outbox(outbox_);
    for (auto it = messages.rbegin(); it != messages.rend(); ++it)
      if ((*it).value("phone", "") == phone && !(*it).value("code", "").empty())
        return (*it)["code"];
    throw std::runtime_error("no SMS code to " + phone);
  }
  void next_sms() { clock_.advance(61s); }

  // First login with the initial password, setup with `phone`, then a full session.
  User set_up(const std::string& id, const std::string& account, const std::string& role,
              const std::string& initial_password, const std::string& name,
              const std::string& phone) {
    auto first = post("/api/v1/sessions", {{"account", account}, {"password", initial_password}},
                      "", 200);
    const std::string setup = first["token"];
    next_sms();
    post("/api/v1/sms-codes", {{"phone", phone}, {"purpose", "bind_phone"}}, setup, 202);
    post("/api/v1/account/setup",
         {{"name", name}, {"phone", phone}, {"sms_code", code(phone)}, {"new_password", password_}},
         setup, 200);
    return {id, account, role, phone, sign_in(account, phone)};
  }

  std::string sign_in(const std::string& account, const std::string& phone) {
    next_sms();
    auto challenge = post("/api/v1/sessions", {{"account", account}, {"password", password_}}, "", 202);
    auto granted = post("/api/v1/sessions/challenges/" + challenge["challenge_id"].get<std::string>(),
                        {{"code", code(phone)}, {"trust_device", false}}, "", 200);
    return granted["token"];
  }

  std::string step_up(const User& u) {
    next_sms();
    post("/api/v1/verification-codes", {{"purpose", "step_up"}}, u.token, 202);
    return code(u.phone);
  }

  // A managed account created by `manager` and set up by its user.
  User create(const User& manager, json fields, const std::string& name, const std::string& phone) {
    fields["name"] = name;
    fields["verification_code"] = step_up(manager);
    auto created = post("/api/v1/users", fields, manager.token);
    // The name onex gave the account (a leader's has six random letters added).
    return set_up(created["id"], created["account"], fields["role"], created["initial_password"],
                  name, phone);
  }

 private:
  http::LocalClient client_;
  ManualClock& clock_;
  std::string outbox_;
  std::string password_;
};

// A minimal well-formed PDF, for the attachments the round needs (demo.cpp).
std::string tiny_pdf(std::string_view title);

// Exam organisation (demo_exams.cpp): `org`'s subjects of `certificate_id` (junior) and a
// published plan registering for a month; `leader`'s institution (which holds that
// certificate's quota) imports its candidates from the template, uploads photos, confirms two by
// hand, submits an invigilator, whom the org certifies, and applies for a site that the org
// approves and lends to `borrower`'s institution for the plan (借考); both set up rooms on it.
struct ExamDemo {
  std::string plan_id, site_id;
  std::size_t candidates = 0, photos = 0, confirmed = 0, rooms = 0;
};
ExamDemo fill_exams(Driver& d, const ManualClock& clock, const User& org, const User& leader,
                    const std::string& certificate_id, const User& borrower, const std::string& borrower_id);

}  // namespace onex::cli::demo_data
