// Declarations, quotas and weekly reports over real HTTP (SPEC.md §5, API.md "Institutions and
// declarations"): the REST application in-process on a free loopback port over a fresh store,
// with a ManualClock. Accounts are made and signed in through the account routes (SMS codes from
// the outbox); the certificate catalogue, the registry rows and the institutions' basic info are
// appended as the reference and institution workflows write them (seed_* in declaration_world.h),
// so these tests depend only on what the declaration routes read of them (lookups.h).
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "onex/rebuild.h"
#include "onex/workflows.h"
#include "server/app_world.h"
#include "workflows/declaration_world.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using onex::testing::Reply;
using onex::testing::User;

// Wednesday 2024-03-06 10:00 China time.
const onex::Timestamp kStart = *onex::parse_time("2024-03-06T10:00:00+08:00");
const std::string kInstA = "4141010001";  // in city 4101 of province 41
const std::string kInstB = "4141020002";  // in city 4102 of province 41
const std::string kInstC = "4141010003";  // in city 4101, no basic info

// A store made by `onex init`, the application over it (captcha off) and a server on a free
// loopback port; a province (41) with two cities, three registry institutions, their leaders, a
// staff of institution A scoped to cert-a, and another province (11). Every account set up here
// binds the next phone of 1390000xxxx.
struct World : onex::testing::AppWorld {
  User op, province, other_province, city_a, city_b, leader_a, leader_b, leader_c, staff_a;
  int phones = 0;

  World()
      : AppWorld({.start = kStart, .captcha = false, .operator_name = "用户", .setup_name = "用户"}) {
    auto& store = app->store();
    for (const char* c : {"cert-a", "cert-b", "cert-c", "cert-d"})
      onex::testing::seed_certificate(store, c);
    json rows = json::array();
    for (auto [code, city] : {std::pair{kInstA, "4101"}, std::pair{kInstB, "4102"},
                              std::pair{kInstC, "4101"}})
      rows.push_back({{"code", code}, {"name", "学院 " + code}, {"province_code", "41"},
                      {"city_code", city}, {"type", "高等职业学校"}});
    onex::testing::seed_events(store, "registry-seed",
                               {{"registry.rows_imported", 1,
                                 {{"import_id", "seed"}, {"chunk", 0}, {"rows", rows}}}});

    op = operator_user(next_phone());
    province = create(op, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}});
    other_province = create(op, {{"account", "beijing"}, {"role", "province"}, {"province_code", "11"}});
    city_a = create(op, {{"account", "zhengzhou"}, {"role", "city"}, {"province_code", "41"},
                         {"city_code", "4101"}});
    city_b = create(op, {{"account", "kaifeng"}, {"role", "city"}, {"province_code", "41"},
                         {"city_code", "4102"}});
    leader_a = create(province, {{"account", "leader_a"}, {"role", "leader"}, {"institution_id", kInstA}});
    leader_b = create(province, {{"account", "leader_b"}, {"role", "leader"}, {"institution_id", kInstB}});
    leader_c = create(province, {{"account", "leader_c"}, {"role", "leader"}, {"institution_id", kInstC}});
    staff_a = create(leader_a, {{"account", "staff_a"}, {"role", "staff"},
                                {"scope", json::array({{{"certificate_id", "cert-a"}, {"level", "junior"}}})}});
    // Basic info of A and B (C has none), as the institution workflow records it.
    for (const auto& id : {kInstA, kInstB})
      onex::testing::seed_events(store, "institution-" + id, {onex::testing::complete_profile_event()});
  }

  json ok(const Reply& r, int status = 200) {
    INFO(r.status << " " << r.body);
    REQUIRE(r.status == status);
    return r.json();
  }

  // ---- accounts ----
  std::vector<std::string> notices(const std::string& phone) {
    std::vector<std::string> out;
    for (const auto& m : messages(phone, "notice")) out.push_back(m.value("text", ""));
    return out;
  }
  std::string next_phone() { return fmt::format("1390000{:04d}", ++phones); }
  // An account `manager` makes (with a fresh step-up code), set up with the next phone and
  // signed in.
  User create(const User& manager, json fields) {
    const std::string phone = next_phone();
    return provision(manager, std::move(fields), phone);
  }
  // ---- the round ----
  std::string upload(const User& u, const std::string& purpose) {
    const std::string pdf =
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages "
        "/Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    return ok(send_bytes("POST", "/api/v1/files?purpose=" + purpose, pdf, "application/pdf", u.token),
              201)["file_id"];
  }
  // A plan of province 41 whose window is [now + from, now + to].
  json plan(std::chrono::minutes from, std::chrono::minutes to, bool city_review, int year = 2024) {
    return ok(post("/api/v1/declaration-plans",
                   {{"year", year}, {"batch_name", std::to_string(year) + "年第一次"},
                    {"starts_at", onex::format_china(clock.now() + from)},
                    {"ends_at", onex::format_china(clock.now() + to)},
                    {"majors_required", true}, {"city_review_required", city_review}},
                   province),
              201);
  }
  static json complete(const std::string& plan_id, const std::string& certificate, bool submit = false) {
    return {{"plan_id", plan_id}, {"certificate_id", certificate}, {"majors", {"新能源汽车技术"}},
            {"planned_trainees", 40}, {"teachers_html", "<p>双师型教师 12 名</p>"},
            {"venue_html", "<p>实训中心 2 号楼</p>"}, {"submit", submit}};
  }
  std::string declare(const User& u, const std::string& plan_id, const std::string& certificate,
                      bool submit = false) {
    return ok(post("/api/v1/declarations", complete(plan_id, certificate, submit), u), 201)["id"];
  }
  // `onex audit replay`: the read models rebuilt from the log equal the live ones.
  void check_replay() {
    auto rebuilt = onex::rebuild_read_models(app->store(), onex::all_projections());
    auto live = onex::live_read_models(app->store(), onex::all_projections());
    REQUIRE(rebuilt.is_ok());
    REQUIRE(live.is_ok());
    auto differences = onex::compare_read_models(*rebuilt, *live);
    std::string shown;
    for (const auto& d : differences) shown += d + "\n";
    INFO(shown);
    CHECK(differences.empty());
  }
};

std::string decl(const std::string& id, const std::string& rest = "") {
  return "/api/v1/declarations/" + id + rest;
}

std::vector<std::string> ids_of(const json& page) {
  std::vector<std::string> out;
  for (const auto& i : page["items"]) out.push_back(i["id"]);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("a declaration round: the province publishes, a leader drafts, submits, the city and the "
          "province review, approval grants a quota the province adjusts") {
  World w;
  // Given an open plan with city review and required majors,
  json plan = w.plan(-1h, 24h * 30, true);
  const std::string plan_id = plan["id"];
  CHECK(plan["status"] == "open");
  CHECK(plan["stream"] == "declaration_plan-" + plan_id);
  // which the province's institutions see and a city does not.
  json plans = w.ok(w.get("/api/v1/declaration-plans", w.leader_a));
  CHECK(plans["total"] == 1);
  CHECK(plans["items"][0]["id"] == plan_id);
  CHECK_REPLY(w.get("/api/v1/declaration-plans", w.city_a), 403, "auth.forbidden");
  CHECK(w.ok(w.get("/api/v1/declaration-plans", w.other_province))["total"] == 0);
  CHECK_REPLY(w.post("/api/v1/declaration-plans", {{"year", 2024}}, w.leader_a), 403, "auth.forbidden");

  // When the leader saves an incomplete draft and submits it: 422 naming every missing field.
  Reply drafted = w.post("/api/v1/declarations", {{"plan_id", plan_id}, {"certificate_id", "cert-a"}}, w.leader_a);
  json d = w.ok(drafted, 201);
  const std::string id = d["id"];
  CHECK(d["status"] == "draft");
  CHECK(d["stream"] == "declaration-" + id);
  CHECK(d["version"] == 1);
  CHECK(drafted.header("etag") == "\"1\"");
  Reply incomplete = w.post(decl(id, "/submit"), json::object(), w.leader_a);
  CHECK(incomplete.status == 422);
  CHECK(incomplete.code() == "declaration.incomplete");
  CHECK(sorted(incomplete.error_fields()) ==
        std::vector<std::string>{"majors", "planned_trainees", "teachers_html", "venue_html"});

  // An institution without basic info cannot submit (and a create-and-submit writes nothing).
  const auto before = w.head();
  CHECK_REPLY(w.post("/api/v1/declarations", World::complete(plan_id, "cert-a", true), w.leader_c),
              409, "institution.profile_incomplete");
  CHECK(w.head() == before);
  // An unknown certificate and a file that is not the institution's are refused with their fields.
  json bad = World::complete(plan_id, "cert-unknown");
  Reply unknown = w.post("/api/v1/declarations", bad, w.leader_a);
  CHECK(unknown.status == 422);
  CHECK(unknown.error_fields() == std::vector<std::string>{"certificate_id"});
  const std::string b_file = w.upload(w.leader_b, "declaration_attachment");
  json foreign = World::complete(plan_id, "cert-b");
  foreign["file_ids"] = {b_file};
  CHECK_REPLY(w.post("/api/v1/declarations", foreign, w.leader_a), 422, "file.not_usable");

  // The leader completes the draft with an attachment (If-Match the version it read),
  const std::string file = w.upload(w.leader_a, "declaration_attachment");
  json fields = World::complete("", "");
  fields.erase("plan_id");
  fields.erase("certificate_id");
  fields.erase("submit");
  fields["file_ids"] = {file};
  CHECK_REPLY(w.send("PUT", decl(id), fields, w.leader_a.token, {"If-Match: \"7\""}), 409,
              "concurrency.version_conflict");
  json edited = w.ok(w.send("PUT", decl(id), fields, w.leader_a.token, {"If-Match: \"1\""}));
  CHECK(edited["version"] == 2);
  CHECK(edited["file_ids"] == json::array({file}));
  // and submits it: it goes to its city first.
  json submitted = w.ok(w.post(decl(id, "/submit"), json::object(), w.leader_a));
  CHECK(submitted["status"] == "city_review");
  // A submitted declaration can be neither changed nor deleted.
  CHECK_REPLY(w.put(decl(id), fields, w.leader_a), 409, "declaration.illegal_transition");
  CHECK_REPLY(w.del(decl(id), w.leader_a), 409, "declaration.illegal_transition");
  // The refusal names the state, never an event type; in Chinese when asked for.
  {
    const auto refused = w.del(decl(id), w.leader_a).json();
    CHECK(refused["state"] == "city_review");
    CHECK(refused["detail"] == "not allowed while the declaration is city_review");
    const auto zh = w.send("DELETE", decl(id), json(), w.leader_a.token, {"Accept-Language: zh-CN"});
    CHECK(zh.header("content-language") == "zh-CN");
    CHECK(zh.code() == "declaration.illegal_transition");
    CHECK(zh.json()["title"] == "当前状态不允许此操作");
    CHECK(zh.json()["detail"] == "该申报当前的状态（见 state）不允许此操作。");
  }

  // The other city does not see it; its own city approves it.
  CHECK_REPLY(w.get(decl(id), w.city_b), 404, "declaration.not_found");
  CHECK_REPLY(w.post(decl(id, "/city-review"), {{"approve", true}}, w.city_b), 404, "declaration.not_found");
  CHECK(w.ok(w.get("/api/v1/declarations", w.city_a))["total"] == 1);
  CHECK_REPLY(w.post(decl(id, "/city-review"), {{"approve", true}}, w.province), 403, "auth.forbidden");
  CHECK(w.ok(w.post(decl(id, "/city-review"), {{"approve", true}}, w.city_a))["status"] == "province_review");

  // The province may not approve more than planned; it approves 30 of the 40.
  Reply exceeds = w.post(decl(id, "/province-review"), {{"approve", true}, {"approved_trainees", 41}}, w.province);
  CHECK(exceeds.status == 422);
  CHECK(exceeds.code() == "declaration.approved_exceeds_planned");
  CHECK(exceeds.error_fields() == std::vector<std::string>{"approved_trainees"});
  CHECK_REPLY(w.post(decl(id, "/province-review"), {{"approve", true}}, w.other_province), 404,
              "declaration.not_found");
  json approved = w.ok(w.post(decl(id, "/province-review"), {{"approve", true}, {"approved_trainees", 30}}, w.province));
  CHECK(approved["status"] == "approved");
  CHECK(approved["approved_trainees"] == 30);
  // The same approval again changes nothing; a rejection now is refused.
  const auto after_approval = w.head();
  CHECK(w.ok(w.post(decl(id, "/province-review"), {{"approve", true}, {"approved_trainees", 30}}, w.province))["version"] ==
        approved["version"]);
  CHECK(w.head() == after_approval);
  CHECK_REPLY(w.post(decl(id, "/province-review"), {{"approve", false}, {"reason", "x"}}, w.province), 409,
              "declaration.already_decided");

  // The leader got an SMS about the approval.
  auto notices = w.notices(w.leader_a.phone);
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].find("批准培训 30 人") != std::string::npos);

  // The declaration's page shows its history.
  json page = w.ok(w.get(decl(id), w.leader_a));
  std::vector<std::string> types, roles;
  for (const auto& h : page["history"]) {
    types.push_back(h["type"]);
    roles.push_back(h["actor_role"]);
    CHECK(!h["at"].get<std::string>().empty());
  }
  CHECK(types == std::vector<std::string>{"declaration.drafted", "declaration.edited",
                                          "declaration.submitted", "declaration.city_approved",
                                          "declaration.approved"});
  CHECK(roles == std::vector<std::string>{"leader", "leader", "leader", "city", "province"});
  CHECK(w.get(decl(id), w.province).status == 200);

  // Approval granted the quota: the institution and its province see it, others not.
  json quotas = w.ok(w.get("/api/v1/quotas?year=2024", w.leader_a));
  REQUIRE(quotas["total"] == 1);
  CHECK(quotas["items"][0]["institution_id"] == kInstA);
  CHECK(quotas["items"][0]["certificate_id"] == "cert-a");
  CHECK(quotas["items"][0]["approved_trainees"] == 30);
  CHECK(quotas["items"][0]["used"] == 0);
  CHECK(w.ok(w.get("/api/v1/quotas", w.province))["total"] == 1);
  CHECK(w.ok(w.get("/api/v1/quotas?institution_id=" + kInstA, w.province))["total"] == 1);
  CHECK(w.ok(w.get("/api/v1/quotas", w.leader_b))["total"] == 0);
  CHECK(w.ok(w.get("/api/v1/quotas", w.other_province))["total"] == 0);
  CHECK(w.ok(w.get("/api/v1/quotas?year=2023", w.leader_a))["total"] == 0);

  // The province adjusts it, with a reason, never below what is used.
  const std::string quota = "/api/v1/quotas/" + kInstA + "/cert-a/2024";
  CHECK_REPLY(w.put(quota, {{"approved_trainees", -1}, {"reason", "调减"}}, w.province), 422, "quota.below_used");
  Reply no_reason = w.put(quota, {{"approved_trainees", 50}}, w.province);
  CHECK(no_reason.status == 422);
  CHECK(no_reason.error_fields() == std::vector<std::string>{"reason"});
  CHECK_REPLY(w.put(quota, {{"approved_trainees", 50}, {"reason", "x"}}, w.leader_a), 403, "auth.forbidden");
  CHECK_REPLY(w.put(quota, {{"approved_trainees", 50}, {"reason", "x"}}, w.other_province), 404, "quota.not_found");
  json adjusted = w.ok(w.put(quota, {{"approved_trainees", 50}, {"reason", "省级追加指标"}}, w.province));
  CHECK(adjusted["approved_trainees"] == 50);
  CHECK(w.ok(w.get("/api/v1/quotas", w.leader_a))["items"][0]["approved_trainees"] == 50);
  auto events = w.app->store().read_stream("quota-" + kInstA + "-cert-a-2024");
  REQUIRE(events.is_ok());
  REQUIRE(events->size() == 2);
  CHECK(events->back().type == "quota.adjusted");
  CHECK(events->back().data["reason"] == "省级追加指标");
  w.check_replay();
}

TEST_CASE("outside the plan window declaring and submitting are refused, plans show their status") {
  World w;
  json future = w.plan(24h, 48h, false);
  CHECK(future["status"] == "not_started");
  // A window that is over already is refused: nobody could ever declare in it.
  Reply over = w.post("/api/v1/declaration-plans",
                      {{"year", 2024}, {"batch_name", "过期批次"},
                       {"starts_at", onex::format_china(w.clock.now() - 48h)},
                       {"ends_at", onex::format_china(w.clock.now() - 24h)}},
                      w.province);
  CHECK_REPLY(over, 422, "validation.failed");
  CHECK(over.error_fields() == std::vector<std::string>{"ends_at"});
  json open = w.plan(-1h, 1min, false);
  const auto before = w.head();
  CHECK_REPLY(w.post("/api/v1/declarations", World::complete(future["id"], "cert-a"), w.leader_a), 409,
              "declaration.window_closed");
  CHECK(w.head() == before);
  // A draft made while open cannot be submitted once the window has ended, nor a new one made.
  const std::string id = w.declare(w.leader_a, open["id"], "cert-a");
  w.clock.advance(2min);  // sessions stay alive (30 minutes idle)
  CHECK_REPLY(w.post(decl(id, "/submit"), json::object(), w.leader_a), 409, "declaration.window_closed");
  const auto after = w.head();
  CHECK_REPLY(w.post("/api/v1/declarations", World::complete(open["id"], "cert-b", true), w.leader_a), 409,
              "declaration.window_closed");
  CHECK(w.head() == after);
  // The plan a publication's Location names is there, with its status by the clock.
  const std::string open_id = open["id"];
  json ended = w.ok(w.get("/api/v1/declaration-plans/" + open_id, w.province));
  CHECK(ended["status"] == "ended");
  CHECK(w.ok(w.get("/api/v1/declaration-plans/" + open_id, w.leader_a))["id"] == open_id);
  CHECK_REPLY(w.get("/api/v1/declaration-plans/" + open_id, w.other_province), 404,
              "declaration_plan.not_found");
  json plans = w.ok(w.get("/api/v1/declaration-plans?page_size=1", w.province));
  CHECK(plans["total"] == 2);
  CHECK(plans["items"].size() == 1);
  CHECK(plans["items"][0]["id"] == open["id"]);  // newest first
  CHECK(plans["items"][0]["status"] == "ended");
}

TEST_CASE("drafts are deleted only as drafts, lists filter, count and page, duplicates are refused") {
  World w;
  const std::string plan = w.plan(-1h, 24h * 30, false)["id"];
  const std::string plan_2023 = w.plan(-1h, 24h * 30, false, 2023)["id"];
  const std::string a1 = w.declare(w.leader_a, plan, "cert-a");
  const std::string a2 = w.declare(w.leader_a, plan, "cert-b", true);
  const std::string a3 = w.declare(w.leader_a, plan, "cert-c", true);
  const std::string a4 = w.declare(w.leader_a, plan_2023, "cert-a");
  const std::string gone = w.declare(w.leader_a, plan, "cert-d");
  const std::string b1 = w.declare(w.leader_b, plan, "cert-a", true);

  // One live declaration per institution, plan and certificate; a deleted draft frees its slot.
  CHECK_REPLY(w.post("/api/v1/declarations", World::complete(plan, "cert-a"), w.leader_a), 409,
              "declaration.duplicate");
  // Its detail names what happened, not the store's key of the slot.
  CHECK(w.post("/api/v1/declarations", World::complete(plan, "cert-a"), w.leader_a).json()["detail"] ==
        "the institution has declared this certificate in this plan");
  CHECK_REPLY(w.del(decl(a2), w.leader_a), 409, "declaration.illegal_transition");
  CHECK_REPLY(w.send("DELETE", decl(gone), json(), w.leader_a.token, {"If-Match: \"9\""}), 409,
              "concurrency.version_conflict");
  Reply deleted = w.del(decl(gone), w.leader_a);
  CHECK(deleted.status == 204);
  CHECK_REPLY(w.get(decl(gone), w.leader_a), 404, "declaration.not_found");
  CHECK_REPLY(w.del(decl(gone), w.leader_a), 404, "declaration.not_found");
  const std::string again = w.declare(w.leader_a, plan, "cert-d");

  // The province rejects one and approves one.
  w.ok(w.post(decl(a2, "/province-review"), {{"approve", false}, {"reason", "场地不足"}}, w.province));
  w.ok(w.post(decl(a3, "/province-review"), {{"approve", true}}, w.province));
  // A rejected declaration may be edited again: it becomes a draft.
  json fields = World::complete("", "");
  fields.erase("plan_id");
  fields.erase("certificate_id");
  fields.erase("submit");
  fields["file_ids"] = json::array();  // an edit replaces every field: none may be left out

  json all = w.ok(w.get("/api/v1/declarations", w.leader_a));
  CHECK(all["total"] == 5);
  CHECK(all["counts"] == json{{"all", 5}, {"draft", 3}, {"pending", 0}, {"approved", 1}, {"rejected", 1}});
  CHECK(all["page"] == 1);
  CHECK(all["page_size"] == 10);
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?status=draft", w.leader_a))) == sorted({a1, a4, again}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?status=rejected", w.leader_a))) == sorted({a2}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?status=approved", w.leader_a))) == sorted({a3}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?year=2023", w.leader_a))) == sorted({a4}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?plan_id=" + plan_2023, w.leader_a))) == sorted({a4}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?certificate_id=cert-a", w.leader_a))) == sorted({a1, a4}));
  json filtered = w.ok(w.get("/api/v1/declarations?certificate_id=cert-a&status=draft", w.leader_a));
  CHECK(filtered["counts"]["all"] == 2);  // counts follow the other filters
  CHECK_REPLY(w.get("/api/v1/declarations?status=bogus", w.leader_a), 422, "validation.failed");
  CHECK_REPLY(w.get("/api/v1/declarations?page_size=101", w.leader_a), 422, "validation.failed");
  // Paging: newest first, two at a time.
  std::vector<std::string> seen;
  for (int page = 1; page <= 3; ++page) {
    json p = w.ok(w.get("/api/v1/declarations?page_size=2&page=" + std::to_string(page), w.leader_a));
    CHECK(p["total"] == 5);
    for (const auto& i : p["items"]) seen.push_back(i["id"]);
  }
  CHECK(seen == std::vector<std::string>{again, a4, a3, a2, a1});

  json edited = w.ok(w.put(decl(a2), fields, w.leader_a));
  CHECK(edited["status"] == "draft");
  // The province sees the submitted ones of its province; the leader of B only its own.
  json province = w.ok(w.get("/api/v1/declarations", w.province));
  CHECK(ids_of(province) == sorted({a3, b1}));
  CHECK(province["counts"] == json{{"all", 2}, {"draft", 0}, {"pending", 1}, {"approved", 1}, {"rejected", 0}});
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?status=pending", w.province))) == sorted({b1}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations?institution_id=" + kInstB, w.province))) == sorted({b1}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations", w.leader_b))) == sorted({b1}));
  w.check_replay();  // deleted drafts leave the region indexes as a rebuild does
}

TEST_CASE("isolation: another institution, a scoped staff, another city and another province see and "
          "change nothing outside their scope") {
  World w;
  const std::string plan = w.plan(-1h, 24h * 30, true)["id"];
  const std::string a_draft = w.declare(w.leader_a, plan, "cert-a");
  const std::string a_b = w.declare(w.leader_a, plan, "cert-b", true);
  const std::string b_sub = w.declare(w.leader_b, plan, "cert-a", true);
  json fields = {{"planned_trainees", 1}};

  // Institution B cannot read or change A's declarations: 404 as for an unknown id.
  for (const auto& id : {a_draft, a_b}) {
    CHECK_REPLY(w.get(decl(id), w.leader_b), 404, "declaration.not_found");
    CHECK_REPLY(w.put(decl(id), fields, w.leader_b), 404, "declaration.not_found");
    CHECK_REPLY(w.del(decl(id), w.leader_b), 404, "declaration.not_found");
    CHECK_REPLY(w.post(decl(id, "/submit"), json::object(), w.leader_b), 404, "declaration.not_found");
  }
  CHECK_REPLY(w.get(decl("no-such-id"), w.leader_a), 404, "declaration.not_found");
  CHECK_REPLY(w.get(decl("..%2F..%2Fetc"), w.leader_a), 404, "declaration.not_found");

  // A's staff, scoped to cert-a, sees and changes only cert-a's declarations.
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations", w.staff_a))) == std::vector<std::string>{a_draft});
  CHECK_REPLY(w.get(decl(a_b), w.staff_a), 404, "declaration.not_found");
  CHECK(w.get(decl(a_draft), w.staff_a).status == 200);
  Reply out_of_scope = w.post("/api/v1/declarations", World::complete(plan, "cert-c"), w.staff_a);
  CHECK(out_of_scope.status == 422);
  CHECK(out_of_scope.error_fields() == std::vector<std::string>{"certificate_id"});
  CHECK(w.ok(w.post(decl(a_draft, "/submit"), json::object(), w.staff_a))["status"] == "city_review");

  // City 4101 sees its institutions' submitted declarations, never drafts; city 4102 only B's.
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations", w.city_a))) == sorted({a_draft, a_b}));
  CHECK(ids_of(w.ok(w.get("/api/v1/declarations", w.city_b))) == sorted({b_sub}));
  const std::string fresh = w.declare(w.leader_a, plan, "cert-c");
  CHECK_REPLY(w.get(decl(fresh), w.city_a), 404, "declaration.not_found");
  CHECK_REPLY(w.get(decl(fresh), w.province), 404, "declaration.not_found");
  CHECK(w.ok(w.get("/api/v1/declarations?status=draft", w.city_a))["total"] == 0);

  // Another province sees nothing of province 41.
  CHECK(w.ok(w.get("/api/v1/declarations", w.other_province))["total"] == 0);
  CHECK_REPLY(w.get(decl(a_b), w.other_province), 404, "declaration.not_found");

  // A city rejection notifies the leader and the staff who submitted.
  w.ok(w.post(decl(a_draft, "/city-review"), {{"approve", false}, {"reason", "师资说明不完整"}}, w.city_a));
  CHECK(w.notices(w.leader_a.phone).size() == 1);
  REQUIRE(w.notices(w.staff_a.phone).size() == 1);
  CHECK(w.notices(w.staff_a.phone)[0].find("师资说明不完整") != std::string::npos);
  Reply no_reason = w.post(decl(a_b, "/city-review"), {{"approve", false}}, w.city_a);
  CHECK(no_reason.status == 422);
  CHECK(no_reason.error_fields() == std::vector<std::string>{"reason"});
  CHECK_REPLY(w.post(decl(a_b, "/city-review"), json::object(), w.city_a), 422, "validation.failed");
  CHECK_REPLY(w.post(decl(a_b, "/city-review"), {{"approve", "yes"}}, w.city_a), 400, "request.wrong_type");
}

TEST_CASE("rich text is sanitised before it is stored: script, handlers and javascript: URLs go, "
          "the text stays") {
  World w;
  const std::string plan = w.plan(-1h, 24h * 30, false)["id"];
  json body = World::complete(plan, "cert-a");
  body["teachers_html"] =
      "<p onclick=\"steal()\">教师<script>alert(1)</script>十二名</p><img src=x onerror=alert(2)>"
      "<a href=\"JaVa&#x53;cript:alert(3)\">简历</a><svg onload=alert(4)><circle/></svg>";
  body["venue_html"] = "<div style=\"x\">实训<b>中心</b><iframe src=\"https://evil\"></iframe></div>";
  json d = w.ok(w.post("/api/v1/declarations", body, w.leader_a), 201);
  const std::string teachers = d["teachers_html"];
  for (const char* gone : {"script", "alert", "onclick", "onerror", "javascript", "JaVa", "svg", "onload"})
    CHECK_MESSAGE(teachers.find(gone) == std::string::npos, teachers);
  CHECK(teachers.find("教师") != std::string::npos);
  CHECK(teachers.find("十二名") != std::string::npos);
  CHECK(teachers.find("简历") != std::string::npos);
  CHECK(d["venue_html"] == "<div>实训<b>中心</b></div>");
  // The event holds the sanitised text too.
  auto events = w.app->store().read_stream("declaration-" + d["id"].get<std::string>());
  REQUIRE(events.is_ok());
  CHECK(events->front().data["fields"]["teachers_html"] == teachers);
  // Markup with no text left is missing on submission.
  json empty = World::complete(plan, "cert-b", true);
  empty["venue_html"] = "<script>only code</script>";
  Reply refused = w.post("/api/v1/declarations", empty, w.leader_a);
  CHECK(refused.code() == "declaration.incomplete");
  CHECK(refused.error_fields() == std::vector<std::string>{"venue_html"});
  // More than 64 KiB is refused with the field.
  json huge = World::complete(plan, "cert-c");
  huge["venue_html"] = std::string(64 * 1024 + 1, 'x');
  Reply too_long = w.post("/api/v1/declarations", huge, w.leader_a);
  CHECK(too_long.status == 422);
  CHECK(too_long.error_fields() == std::vector<std::string>{"venue_html"});
  CHECK_REPLY(w.send("POST", "/api/v1/declarations", json(), w.leader_a.token,
                     {"Content-Type: application/json"}),
              400, "request.malformed_json");
  json wrong = World::complete(plan, "cert-c");
  wrong["planned_trainees"] = "forty";
  CHECK_REPLY(w.post("/api/v1/declarations", wrong, w.leader_a), 400, "request.wrong_type");
}

TEST_CASE("the same Idempotency-Key creates one declaration, the same key with another body is refused") {
  World w;
  const std::string plan = w.plan(-1h, 24h * 30, false)["id"];
  const json body = World::complete(plan, "cert-a");
  Reply first = w.send("POST", "/api/v1/declarations", body, w.leader_a.token, {"Idempotency-Key: k-1"});
  json created = w.ok(first, 201);
  const auto head = w.head();
  Reply again = w.send("POST", "/api/v1/declarations", body, w.leader_a.token, {"Idempotency-Key: k-1"});
  CHECK(again.status == 201);
  CHECK(again.json()["id"] == created["id"]);
  CHECK(again.header("idempotent-replayed") == "true");
  CHECK(w.head() == head);
  json other = body;
  other["certificate_id"] = "cert-b";
  CHECK_REPLY(w.send("POST", "/api/v1/declarations", other, w.leader_a.token, {"Idempotency-Key: k-1"}),
              422, "idempotency.key_reused");
  CHECK(w.ok(w.get("/api/v1/declarations", w.leader_a))["total"] == 1);
  // Submitting with a key twice: the second answer is the first one, not an illegal transition.
  const std::string id = created["id"];
  Reply s1 = w.send("POST", decl(id, "/submit"), json::object(), w.leader_a.token, {"Idempotency-Key: s-1"});
  Reply s2 = w.send("POST", decl(id, "/submit"), json::object(), w.leader_a.token, {"Idempotency-Key: s-1"});
  CHECK(s1.status == 200);
  CHECK(s2.status == 200);
  CHECK(s2.body == s1.body);
}

TEST_CASE("weekly reports: the province sets the cadence, the leader submits one per period, staff "
          "cannot, the province reads them") {
  World w;
  const std::string attachment = w.upload(w.leader_a, "weekly_report_attachment");
  json report = {{"period_start", "2024-03-04"},  // the Monday of this week
                 {"sections", {{"progress", "完成首期培训报名"}, {"problems", "设备到货延迟"}, {"next_steps", "开展师资培训"}}},
                 {"file_id", attachment}};
  // Nothing can be submitted before the province sets a cadence.
  CHECK_REPLY(w.post("/api/v1/weekly-reports", report, w.leader_a), 409, "weekly_report.not_configured");
  CHECK_REPLY(w.get("/api/v1/weekly-report-settings", w.leader_a), 404, "weekly_report_settings.not_found");

  const std::string outline = w.upload(w.province, "weekly_report_outline");
  CHECK_REPLY(w.put("/api/v1/weekly-report-settings", {{"cadence", "daily"}, {"outline_file_id", outline}}, w.province),
              422, "validation.failed");
  CHECK_REPLY(w.put("/api/v1/weekly-report-settings", {{"cadence", "weekly"}, {"outline_file_id", attachment}}, w.province),
              422, "file.not_usable");
  CHECK_REPLY(w.put("/api/v1/weekly-report-settings", {{"cadence", "weekly"}, {"outline_file_id", outline}}, w.leader_a),
              403, "auth.forbidden");
  json settings = w.ok(w.put("/api/v1/weekly-report-settings", {{"cadence", "weekly"}, {"outline_file_id", outline}}, w.province));
  CHECK(settings["cadence"] == "weekly");
  CHECK(settings["stream"] == "weekly_report_settings-41");
  json seen = w.ok(w.get("/api/v1/weekly-report-settings", w.staff_a));
  CHECK(seen["outline_file_id"] == outline);
  CHECK_REPLY(w.get("/api/v1/weekly-report-settings", w.other_province), 404, "weekly_report_settings.not_found");

  // Staff cannot submit; a date that starts no period, or one still ahead, is refused.
  CHECK_REPLY(w.post("/api/v1/weekly-reports", report, w.staff_a), 403, "auth.forbidden");
  for (const char* bad : {"2024-03-05", "2024-3-4", "2024-02-30", "2024-03-11"}) {
    json r = report;
    r["period_start"] = bad;
    Reply refused = w.post("/api/v1/weekly-reports", r, w.leader_a);
    INFO(bad << " " << refused.body);
    CHECK(refused.status == 422);
    CHECK(refused.error_fields() == std::vector<std::string>{"period_start"});
  }
  json blank = report;
  blank["sections"]["problems"] = "  ";
  Reply missing = w.post("/api/v1/weekly-reports", blank, w.leader_a);
  CHECK(missing.status == 422);
  CHECK(missing.error_fields() == std::vector<std::string>{"sections.problems"});
  json foreign = report;
  foreign["file_id"] = outline;
  CHECK_REPLY(w.post("/api/v1/weekly-reports", foreign, w.leader_a), 422, "file.not_usable");

  // The leader submits this week's report once.
  json created = w.ok(w.post("/api/v1/weekly-reports", report, w.leader_a), 201);
  CHECK(created["period_end"] == "2024-03-10");
  CHECK(created["institution_id"] == kInstA);
  CHECK(created["sections"]["progress"] == "完成首期培训报名");
  CHECK_REPLY(w.post("/api/v1/weekly-reports", report, w.leader_a), 409, "weekly_report.duplicate");
  json last_week = report;
  last_week["period_start"] = "2024-02-26";
  w.ok(w.post("/api/v1/weekly-reports", last_week, w.leader_a), 201);

  // The province reads its province's reports; B's leader sees none of A's; staff cannot list.
  json all = w.ok(w.get("/api/v1/weekly-reports", w.province));
  CHECK(all["total"] == 2);
  CHECK(all["items"][0]["period_start"] == "2024-03-04");  // newest first
  CHECK(w.ok(w.get("/api/v1/weekly-reports?period_start=2024-02-26", w.province))["total"] == 1);
  CHECK(w.ok(w.get("/api/v1/weekly-reports?institution_id=" + kInstB, w.province))["total"] == 0);
  CHECK(w.ok(w.get("/api/v1/weekly-reports", w.leader_a))["total"] == 2);
  CHECK(w.ok(w.get("/api/v1/weekly-reports", w.leader_b))["total"] == 0);
  CHECK(w.ok(w.get("/api/v1/weekly-reports", w.other_province))["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/weekly-reports", w.staff_a), 403, "auth.forbidden");

  // Half-monthly: periods start on the 1st and the 16th.
  w.ok(w.put("/api/v1/weekly-report-settings", {{"cadence", "half_monthly"}, {"outline_file_id", outline}}, w.province));
  json half = report;
  half["period_start"] = "2024-03-04";
  CHECK(w.post("/api/v1/weekly-reports", half, w.leader_b).status == 422);
  const std::string b_file = w.upload(w.leader_b, "weekly_report_attachment");
  half["period_start"] = "2024-02-16";
  half["file_id"] = b_file;
  json b_report = w.ok(w.post("/api/v1/weekly-reports", half, w.leader_b), 201);
  CHECK(b_report["period_end"] == "2024-02-29");
  CHECK(b_report["cadence"] == "half_monthly");
  w.check_replay();
}

namespace {

// The error codes of a problem's `errors`, in order.
std::vector<std::string> error_codes(const Reply& r) {
  std::vector<std::string> out;
  auto j = r.json();
  if (j.is_object() && j.contains("errors") && j["errors"].is_array())
    for (const auto& e : j["errors"]) out.push_back(e.value("code", ""));
  return out;
}

}  // namespace

TEST_CASE("leak: a certificate-scoped staff sees no other certificate's quotas, quota histories or "
          "attachments, and no weekly report at all") {
  World w;
  json plan = w.plan(-1h, 24h * 30, false);
  const std::string plan_id = plan["id"];
  // Given an approved cert-a declaration (the staff's scope) and an approved cert-b one with an
  // attachment, both of institution A,
  const std::string b_file = w.upload(w.leader_a, "declaration_attachment");
  json b_body = World::complete(plan_id, "cert-b", true);
  b_body["file_ids"] = {b_file};
  const std::string b_id = w.ok(w.post("/api/v1/declarations", b_body, w.leader_a), 201)["id"];
  const std::string a_id = w.declare(w.staff_a, plan_id, "cert-a", true);
  for (const auto& id : {a_id, b_id})
    w.ok(w.post(decl(id, "/province-review"), {{"approve", true}}, w.province));
  REQUIRE(w.ok(w.get("/api/v1/quotas", w.leader_a))["total"] == 2);

  // the staff lists only cert-a's quota and reads only its history,
  json quotas = w.ok(w.get("/api/v1/quotas", w.staff_a));
  REQUIRE(quotas["total"] == 1);
  CHECK(quotas["items"][0]["certificate_id"] == "cert-a");
  const std::string quota_b = "/api/v1/streams/quota-" + kInstA + "-cert-b-2024/events";
  CHECK_REPLY(w.get(quota_b, w.staff_a), 404, "stream.not_found");
  CHECK(w.get("/api/v1/streams/quota-" + kInstA + "-cert-a-2024/events", w.staff_a).status == 200);
  CHECK(w.get(quota_b, w.leader_a).status == 200);
  // and neither the cert-b declaration's history nor its attachment, by bearer or download token.
  CHECK_REPLY(w.get("/api/v1/streams/declaration-" + b_id + "/events", w.staff_a), 404, "stream.not_found");
  CHECK_REPLY(w.get("/api/v1/files/" + b_file, w.staff_a), 404, "file.not_found");
  CHECK_REPLY(w.post("/api/v1/download-tokens", {{"path", "/api/v1/files/" + b_file}}, w.staff_a), 404,
              "file.not_found");
  CHECK(w.get("/api/v1/files/" + b_file, w.leader_a).status == 200);
  CHECK(w.get("/api/v1/files/" + b_file, w.province).status == 200);

  // Given a weekly report of A with an attachment, the staff reads neither it nor its history.
  const std::string outline = w.upload(w.province, "weekly_report_outline");
  w.ok(w.put("/api/v1/weekly-report-settings", {{"cadence", "weekly"}, {"outline_file_id", outline}}, w.province));
  const std::string attachment = w.upload(w.leader_a, "weekly_report_attachment");
  json report = w.ok(w.post("/api/v1/weekly-reports",
                            {{"period_start", "2024-03-04"},
                             {"sections", {{"progress", "进展"}, {"problems", "问题"}, {"next_steps", "计划"}}},
                             {"file_id", attachment}},
                            w.leader_a),
                     201);
  const std::string report_stream = "/api/v1/streams/" + report["stream"].get<std::string>() + "/events";
  CHECK_REPLY(w.get(report_stream, w.staff_a), 404, "stream.not_found");
  CHECK_REPLY(w.get("/api/v1/files/" + attachment, w.staff_a), 404, "file.not_found");
  CHECK(w.get(report_stream, w.leader_a).status == 200);
  CHECK(w.get(report_stream, w.province).status == 200);
  CHECK(w.get("/api/v1/files/" + attachment, w.province).status == 200);
  CHECK_REPLY(w.get(report_stream, w.leader_b), 404, "stream.not_found");
  w.check_replay();
}

TEST_CASE("leak: PUT /declarations/{id} refuses unknown members and omitted fields and keeps the draft") {
  World w;
  json plan = w.plan(-1h, 24h * 30, false);
  const std::string id = w.declare(w.leader_a, plan["id"], "cert-a");
  const auto head = w.head();
  // When a careless client sends an unknown member, or leaves fields out,
  Reply unknown = w.put(decl(id), {{"a", 1}}, w.leader_a);
  CHECK(unknown.status == 422);
  CHECK(unknown.error_fields() == std::vector<std::string>{"a"});
  CHECK(error_codes(unknown) == std::vector<std::string>{"unknown_field"});
  Reply partial = w.put(decl(id), {{"planned_trainees", 50}}, w.leader_a);
  CHECK(partial.status == 422);
  CHECK(sorted(partial.error_fields()) ==
        std::vector<std::string>{"file_ids", "majors", "teachers_html", "venue_html"});
  CHECK(error_codes(partial) == std::vector<std::string>(4, "required"));
  // A number past what the field holds is decide's out_of_range (422), not a wrong type.
  json huge = World::complete(plan["id"], "cert-a");
  for (const char* m : {"plan_id", "certificate_id", "submit"}) huge.erase(m);
  huge["file_ids"] = json::array();
  huge["planned_trainees"] = 1'000'000'000'000LL;
  Reply too_many = w.put(decl(id), huge, w.leader_a);
  CHECK(too_many.status == 422);
  CHECK(too_many.error_fields() == std::vector<std::string>{"planned_trainees"});
  // then nothing is recorded and the draft keeps its fields.
  CHECK(w.head() == head);
  json kept = w.ok(w.get(decl(id), w.leader_a));
  CHECK(kept["planned_trainees"] == 40);
  CHECK(kept["majors"] == json::array({"新能源汽车技术"}));
  // Every other write refuses unknown members alike.
  CHECK(w.post("/api/v1/declarations", {{"plan_id", plan["id"]}, {"certificate_id", "cert-b"}, {"x", 1}},
               w.leader_a).status == 422);
  CHECK(w.post(decl(id, "/submit"), {{"force", true}}, w.leader_a).status == 422);
  CHECK(w.post(decl(id, "/city-review"), {{"approve", true}, {"note", ""}}, w.city_a).status == 422);
  CHECK(w.put("/api/v1/weekly-report-settings", {{"cadence", "weekly"}, {"outline", "x"}}, w.province).status ==
        422);
  CHECK(w.head() == head);
}

TEST_CASE("leak: a province cannot create a quota from nothing") {
  World w;
  const auto head = w.head();
  // Given no declaration of cert-c by A, when the province sets A's cert-c quota,
  Reply made = w.put("/api/v1/quotas/" + kInstA + "/cert-c/2024",
                     {{"approved_trainees", 100}, {"reason", "追加"}}, w.province);
  // then it is not found, and no quota stream exists.
  CHECK(made.status == 404);
  CHECK(made.code() == "quota.not_found");
  CHECK(w.head() == head);
  auto stream = w.app->store().stream_head("quota-" + kInstA + "-cert-c-2024");
  REQUIRE(stream.is_ok());
  CHECK(stream->version == 0);
  CHECK(w.ok(w.get("/api/v1/quotas", w.province))["total"] == 0);
}

TEST_CASE("an institution's ETag follows its pilot years, If-None-Match answers 304") {
  World w;
  const std::string path = "/api/v1/institutions/" + kInstA;
  Reply before = w.get(path, w.leader_a);
  REQUIRE(before.status == 200);
  const std::string etag = before.header("etag");
  Reply same = w.send("GET", path, json(), w.leader_a.token, {"If-None-Match: " + etag});
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  CHECK(same.header("etag") == etag);
  CHECK(w.send("GET", path, json(), w.leader_a.token, {"If-None-Match: \"1\", " + etag}).status == 304);
  // An approval gives A a pilot year: the same stream version, another representation.
  const std::string plan = w.plan(-1h, 24h * 30, false)["id"];
  const std::string id = w.declare(w.leader_a, plan, "cert-a", true);
  w.ok(w.post(decl(id, "/province-review"), {{"approve", true}}, w.province));
  Reply after = w.get(path, w.leader_a);
  REQUIRE(after.status == 200);
  CHECK(after.json()["version"] == before.json()["version"]);
  CHECK(after.json()["pilot_years"] != before.json()["pilot_years"]);
  CHECK(after.header("etag") != etag);
  CHECK(w.send("GET", path, json(), w.leader_a.token, {"If-None-Match: " + etag}).status == 200);
  // If-Match reads the version before the digest; what is no version is 400.
  CHECK_REPLY(w.put(path + "/profile", json::object(), w.leader_a.token, {"If-Match: \"x-abc\""}), 400,
              "request.bad_if_match");
}

// ---- exam subjects (issue 11) -------------------------------------------------------------

namespace {

// The declaration world with org-1 (which owns the seeded certificates) and org-2 with a
// certificate of its own, cert-x, and an account each.
struct ExamWorld : World {
  User org1, org2;
  ExamWorld() {
    auto& store = app->store();
    for (const char* org : {"org-1", "org-2"})
      onex::testing::seed_events(store, std::string("org-") + org,
                                 {{"org.created", 1, {{"org_id", org}, {"code", org}, {"name", org}}}});
    onex::testing::seed_events(store, "certificate-cert-x",
                               {{"certificate.created", 1,
                                 {{"certificate_id", "cert-x"}, {"code", "cert-x"}, {"name", "证书 X"},
                                  {"levels", {"junior"}}, {"org_id", "org-2"}}}});
    org1 = create(op, {{"account", "org1"}, {"role", "org"}, {"org_id", "org-1"}});
    org2 = create(op, {{"account", "org2"}, {"role", "org"}, {"org_id", "org-2"}});
  }
  // The quota that makes institution A a pilot of cert-a this year.
  void approve_a(const std::string& certificate = "cert-a") {
    const json plan = this->plan(-1min, 60min, false);
    const std::string declaration = declare(leader_a, plan["id"], certificate, true);
    ok(post(decl(declaration, "/province-review"), {{"approve", true}}, province));
  }
};

}  // namespace

TEST_CASE("exam subjects: an org defines its certificates' subjects, institutions that pilot them read them") {
  ExamWorld w;
  auto& store = w.app->store();
  const User& org1 = w.org1;
  const User& org2 = w.org2;
  const json theory = {{"certificate_id", "cert-a"}, {"level", "junior"}, {"code", "S-01"}, {"name", "理论知识"},
                       {"exam_type", "computer"}, {"duration_minutes", 90}, {"full_score", 10000},
                       {"pass_score", 6000}, {"audience", {"all"}}};
  // when org-1 creates a subject, it answers it whole;
  const json created = w.ok(w.post("/api/v1/exam-subjects", theory, org1), 201);
  CHECK(created["status"] == "active");
  CHECK(created["org_id"] == "org-1");
  CHECK(created["version"] == 1);
  CHECK(created["pass_score"] == 6000);
  const std::string id = created["id"];
  // the same code at the same level is taken, at another level it is not;
  const auto head = store.head_position();
  CHECK_REPLY(w.post("/api/v1/exam-subjects", theory, org1), 409, "exam_subject.duplicate");
  CHECK(w.post("/api/v1/exam-subjects", theory, org1).json()["detail"] ==
        "the certificate's level has a subject with this code");
  json practice = theory;
  practice["level"] = "intermediate";
  practice["exam_type"] = "practical";
  const std::string intermediate = w.ok(w.post("/api/v1/exam-subjects", practice, org1), 201)["id"];
  // another org's certificate, bad fields and unknown members are refused, naming the fields,
  // and nothing is written.
  const auto after = store.head_position();
  CHECK(after == head + 1);
  json foreign = theory;
  foreign["certificate_id"] = "cert-x";
  Reply refused = w.post("/api/v1/exam-subjects", foreign, org1);
  CHECK_REPLY(refused, 422, "validation.failed");
  CHECK(refused.error_fields() == std::vector<std::string>{"certificate_id"});
  json bad = theory;
  bad["pass_score"] = 10001;
  bad["exam_type"] = "oral";
  CHECK(w.post("/api/v1/exam-subjects", bad, org1).error_fields() ==
        std::vector<std::string>{"exam_type", "pass_score"});
  json unknown = theory;
  unknown["fee"] = 1;
  CHECK(w.post("/api/v1/exam-subjects", unknown, org1).error_fields() == std::vector<std::string>{"fee"});
  CHECK_REPLY(w.post("/api/v1/exam-subjects", theory, w.province), 403, "auth.forbidden");
  CHECK(store.head_position() == after);

  // Who reads them: org-1 all its own, org-2 none of them;
  CHECK(w.ok(w.get("/api/v1/exam-subjects", org1))["total"] == 2);
  CHECK(w.ok(w.get("/api/v1/exam-subjects?level=junior", org1))["total"] == 1);
  CHECK(w.ok(w.get("/api/v1/exam-subjects", org2))["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/exam-subjects/" + id, org2), 404, "exam_subject.not_found");
  CHECK_REPLY(w.get("/api/v1/exam-subjects", w.province), 403, "auth.forbidden");
  // an institution only once it pilots the certificate (a quota, from an approved declaration),
  CHECK(w.ok(w.get("/api/v1/exam-subjects", w.leader_a))["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/exam-subjects/" + id, w.leader_a), 404, "exam_subject.not_found");
  w.approve_a();
  const json seen = w.ok(w.get("/api/v1/exam-subjects?certificate_id=cert-a", w.leader_a));
  CHECK(seen["total"] == 2);
  CHECK(w.ok(w.get("/api/v1/exam-subjects/" + id, w.leader_a))["code"] == "S-01");
  // its staff only at the levels of its scope, and another institution not at all;
  const json scoped = w.ok(w.get("/api/v1/exam-subjects", w.staff_a));
  REQUIRE(scoped["total"] == 1);
  CHECK(scoped["items"][0]["id"] == id);
  CHECK_REPLY(w.get("/api/v1/exam-subjects/" + intermediate, w.staff_a), 404, "exam_subject.not_found");
  CHECK(w.ok(w.get("/api/v1/exam-subjects", w.leader_b))["total"] == 0);
  // and the subject's history by the same rule.
  CHECK(w.get("/api/v1/streams/exam_subject-" + id + "/events", w.leader_a).status == 200);
  CHECK(w.get("/api/v1/streams/exam_subject-" + id + "/events", w.leader_b).status == 404);
  CHECK(w.get("/api/v1/streams/exam_subject-" + id + "/events", org2).status == 404);
  w.check_replay();
}

TEST_CASE("exam plans: an org drafts and publishes, the phase follows the clock, pilots of that year read them") {
  // Given org-1's two junior subjects of cert-a,
  ExamWorld w;
  auto subject = [&](const char* code) -> std::string {
    return w.ok(w.post("/api/v1/exam-subjects",
                       {{"certificate_id", "cert-a"}, {"level", "junior"}, {"code", code}, {"name", code},
                        {"exam_type", "computer"}, {"duration_minutes", 90}, {"full_score", 10000},
                        {"pass_score", 6000}, {"audience", {"all"}}},
                       w.org1),
                201)["id"];
  };
  const std::string s1 = subject("S-01"), s2 = subject("S-02");
  auto t = [&](std::chrono::hours h) { return onex::format_china(w.clock.now() + h); };
  json body = {{"name", "2024年第一次"}, {"certificate_id", "cert-a"}, {"level", "junior"}, {"subject_ids", {s1, s2}},
               {"registration_opens_at", t(0h)}, {"registration_closes_at", t(24h)},
               {"sittings", {{{"subject_id", s1}, {"starts_at", t(48h)}, {"ends_at", t(50h)}},
                             {{"subject_id", s2}, {"starts_at", t(52h)}, {"ends_at", t(54h)}}}},
               {"score_entry_opens_at", t(72h)}, {"score_entry_closes_at", t(96h)},
               {"publicity_starts_at", t(120h)}, {"publicity_ends_at", t(144h)},
               {"pass_rule", {{"kind", "total"}, {"total_pass", 12000}}},
               {"fee", {{"collected_on_platform", true}, {"per", "subject"}, {"amount_cents", 8000}}}};
  // when org-1 drafts a plan, it is a draft nobody else sees;
  const json draft = w.ok(w.post("/api/v1/exam-plans", body, w.org1), 201);
  CHECK(draft["status"] == "draft");
  CHECK(draft["phase"] == "draft");
  CHECK(draft["year"] == 2024);
  CHECK(draft["pass_rule"]["total_pass"] == 12000);
  const std::string id = draft["id"];
  w.approve_a();
  CHECK_REPLY(w.get("/api/v1/exam-plans/" + id, w.leader_a), 404, "exam_plan.not_found");
  CHECK(w.ok(w.get("/api/v1/exam-plans", w.leader_a))["total"] == 0);
  // a plan out of order is refused naming the fields, and nothing is written;
  const auto head = w.app->store().head_position();
  json bad = body;
  bad["sittings"][0]["starts_at"] = t(12h);
  bad["extra"] = 1;
  Reply refused = w.post("/api/v1/exam-plans", bad, w.org1);
  CHECK_REPLY(refused, 422, "validation.failed");
  CHECK(refused.error_fields() == std::vector<std::string>{"extra"});
  bad.erase("extra");
  CHECK(w.post("/api/v1/exam-plans", bad, w.org1).error_fields() ==
        std::vector<std::string>{"sittings[0].starts_at"});
  CHECK_REPLY(w.post("/api/v1/exam-plans", body, w.org2), 422, "validation.failed");
  CHECK(w.app->store().head_position() == head);
  // once published, the pilot institution sees it registering, its scoped staff too, others not;
  CHECK_REPLY(w.post("/api/v1/exam-plans/" + id + "/publish", json::object(), w.org2), 404, "exam_plan.not_found");
  const json published = w.ok(w.post("/api/v1/exam-plans/" + id + "/publish", json::object(), w.org1));
  CHECK(published["status"] == "published");
  CHECK(published["phase"] == "registering");
  CHECK_REPLY(w.post("/api/v1/exam-plans/" + id + "/publish", json::object(), w.org1), 409,
              "exam_plan.illegal_transition");
  CHECK(w.ok(w.get("/api/v1/exam-plans/" + id, w.leader_a))["phase"] == "registering");
  CHECK(w.ok(w.get("/api/v1/exam-plans", w.staff_a))["total"] == 1);
  CHECK(w.ok(w.get("/api/v1/exam-plans", w.leader_b))["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/exam-plans", w.province), 403, "auth.forbidden");
  // and the clock moves it through its phases (a day later the sessions are new ones).
  User org1 = w.org1, leader_a = w.leader_a, leader_b = w.leader_b;
  auto later = [&](std::chrono::hours h) {
    w.clock.advance(h);
    for (User* u : {&org1, &leader_a, &leader_b}) u->token = w.sign_in(u->account, u->password, u->phone);
  };
  later(30h);
  CHECK(w.ok(w.get("/api/v1/exam-plans/" + id, org1))["phase"] == "awaiting_exam");
  later(20h);
  CHECK(w.ok(w.get("/api/v1/exam-plans", leader_a))["items"][0]["phase"] == "examining");
  later(100h);
  CHECK(w.ok(w.get("/api/v1/exam-plans/" + id, org1))["phase"] == "finished");
  // A draft whose registration has closed cannot be published any more.
  const std::string late = w.ok(w.post("/api/v1/exam-plans", [&] {
                                  json b = body;
                                  const auto now = w.clock.now();
                                  auto at = [&](std::chrono::hours h) { return onex::format_china(now + h); };
                                  b["registration_opens_at"] = at(0h);
                                  b["registration_closes_at"] = at(1h);
                                  b["sittings"][0]["starts_at"] = at(2h);
                                  b["sittings"][0]["ends_at"] = at(3h);
                                  b["sittings"][1]["starts_at"] = at(4h);
                                  b["sittings"][1]["ends_at"] = at(5h);
                                  b["score_entry_opens_at"] = at(6h);
                                  b["score_entry_closes_at"] = at(7h);
                                  b["publicity_starts_at"] = at(8h);
                                  b["publicity_ends_at"] = at(9h);
                                  return b;
                                }(), org1), 201)["id"];
  later(2h);
  CHECK_REPLY(w.post("/api/v1/exam-plans/" + late + "/publish", json::object(), org1), 409,
              "exam_plan.registration_closed");
  CHECK(w.get("/api/v1/streams/exam_plan-" + id + "/events", leader_a).status == 200);
  CHECK(w.get("/api/v1/streams/exam_plan-" + id + "/events", leader_b).status == 404);
  w.check_replay();
}

TEST_CASE("invigilators: an institution submits teachers, the certificates' org alone certifies them") {
  ExamWorld w;
  w.approve_a();  // institution A pilots cert-a (org-1)
  const json teacher = {{"name", "王老师"}, {"id_number", "11010519491231002X"}, {"phone", "13800138000"},
                        {"certificate_ids", {"cert-a"}}};
  // An institution that does not pilot the certificate cannot submit for it.
  Reply refused = w.post("/api/v1/invigilators", teacher, w.leader_b);
  CHECK_REPLY(refused, 422, "validation.failed");
  CHECK(refused.error_fields() == std::vector<std::string>{"certificate_ids[0]"});
  CHECK_REPLY(w.post("/api/v1/invigilators", json{{"name", "x"}, {"extra", 1}}, w.leader_a), 422, "validation.failed");
  const json made = w.ok(w.post("/api/v1/invigilators", teacher, w.leader_a), 201);
  const std::string id = made["id"];
  CHECK(made["status"] == "submitted");
  CHECK(made["org_id"] == "org-1");
  // One person is one invigilator per org: submitted again (under another name) is refused,
  // saying nothing of who holds the person, and nothing is written.
  json again = teacher;
  again["name"] = "王二";
  const auto head = w.head();
  Reply twice = w.post("/api/v1/invigilators", again, w.leader_a);
  CHECK_REPLY(twice, 409, "invigilator.already_submitted");
  CHECK(twice.body.find("王老师") == std::string::npos);
  CHECK(w.head() == head);
  // A rejected person is free again: rejected, then submitted anew.
  json other = teacher;
  other["id_number"] = "110105194912310011";
  const std::string first = w.ok(w.post("/api/v1/invigilators", other, w.leader_a), 201)["id"];
  w.ok(w.post("/api/v1/invigilators/" + first + "/review", {{"approve", false}, {"reason", "证件不清"}}, w.org1));
  const std::string second = w.ok(w.post("/api/v1/invigilators", other, w.leader_a), 201)["id"];
  CHECK(second != first);
  // Isolation: the other org and the other institution see nothing of it.
  CHECK_REPLY(w.get("/api/v1/invigilators/" + id, w.org2), 404, "invigilator.not_found");
  CHECK(w.ok(w.get("/api/v1/invigilators", w.org2))["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/invigilators/" + id, w.leader_b), 404, "invigilator.not_found");
  CHECK_REPLY(w.post("/api/v1/invigilators/" + id + "/review", {{"approve", true}}, w.org2), 404,
              "invigilator.not_found");
  const json listed = w.ok(w.get("/api/v1/invigilators?status=submitted", w.org1));
  REQUIRE(listed["total"] == 2);  // the first teacher and the second one's new submission
  CHECK(listed["items"][0]["id_number"] == "110105*****002X");
  CHECK(w.ok(w.get("/api/v1/invigilators/" + id, w.org1))["id_number"] == "11010519491231002X");
  CHECK_REPLY(w.post("/api/v1/invigilators/" + id + "/review", {{"approve", false}}, w.org1), 422, "validation.failed");
  const json certified = w.ok(w.post("/api/v1/invigilators/" + id + "/review", {{"approve", true}}, w.org1));
  CHECK(certified["status"] == "certified");
  CHECK_REPLY(w.post("/api/v1/invigilators/" + id + "/review", {{"approve", false}, {"reason", "r"}}, w.org1), 409,
              "invigilator.illegal_transition");
  CHECK(w.ok(w.get("/api/v1/invigilators?status=certified", w.leader_a))["total"] == 1);
  w.check_replay();
}

TEST_CASE("assessment sites and exam rooms: applied, reviewed per certificate by its org, lent to an institution without one, rooms set up, copied and deleted") {
  ExamWorld w;
  w.approve_a();  // institution A pilots cert-a (org-1)
  const json application = {{"name", "番禺考点"}, {"province_code", "41"}, {"city_code", "4101"},
                            {"district", "二七区"}, {"address", "大学路 1 号"}, {"introduction", "机房 3 间"},
                            {"certificate_ids", {"cert-a"}}, {"contact_name", "李老师"}, {"contact_phone", "13800138000"}};
  CHECK_REPLY(w.post("/api/v1/site-applications", application, w.leader_b), 422, "validation.failed");
  // Its documents: site_document files A uploaded; B's file, or one of another purpose, is not usable.
  const std::string plan_doc = w.upload(w.leader_a, "site_document");
  json with_files = application;
  with_files["file_ids"] = {w.upload(w.leader_b, "site_document")};
  Reply unusable = w.post("/api/v1/site-applications", with_files, w.leader_a);
  CHECK_REPLY(unusable, 422, "file.not_usable");
  CHECK(unusable.error_fields() == std::vector<std::string>{"file_ids[0]"});
  with_files["file_ids"] = {w.upload(w.leader_a, "declaration_attachment")};
  CHECK_REPLY(w.post("/api/v1/site-applications", with_files, w.leader_a), 422, "file.not_usable");
  with_files["file_ids"] = {plan_doc};
  const json draft = w.ok(w.post("/api/v1/site-applications", with_files, w.leader_a), 201);
  const std::string id = draft["id"];
  CHECK(draft["status"] == "draft");
  CHECK(draft["file_ids"] == json{plan_doc});
  CHECK_REPLY(w.get("/api/v1/sites/" + id, w.org1), 404, "site.not_found");  // a draft is A's own
  CHECK_REPLY(w.get("/api/v1/files/" + plan_doc, w.org1), 404, "file.not_found");
  CHECK(w.ok(w.post("/api/v1/site-applications/" + id + "/submit", json::object(), w.leader_a))["status"] ==
        "under_review");
  // Isolation: only the org of its certificates sees it.
  CHECK(w.ok(w.get("/api/v1/sites", w.org1))["total"] == 1);
  CHECK(w.ok(w.get("/api/v1/sites", w.org2))["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/sites/" + id, w.org2), 404, "site.not_found");
  // The site's documents go with it: its org reads them once submitted, another org does not.
  CHECK(w.get("/api/v1/files/" + plan_doc, w.org1).status == 200);
  CHECK_REPLY(w.get("/api/v1/files/" + plan_doc, w.org2), 404, "file.not_found");
  CHECK_REPLY(w.get("/api/v1/files/" + plan_doc, w.leader_b), 404, "file.not_found");
  CHECK_REPLY(w.get("/api/v1/sites/" + id, w.leader_b), 404, "site.not_found");
  CHECK_REPLY(w.post("/api/v1/site-applications/" + id + "/review", {{"certificate_id", "cert-a"}, {"approve", true}},
                     w.org2), 404, "site.not_found");
  const json decided = w.ok(w.post("/api/v1/site-applications/" + id + "/review",
                                   {{"certificate_id", "cert-a"}, {"approve", true}}, w.org1));
  CHECK(decided["status"] == "decided");
  CHECK(decided["parts"][0]["status"] == "approved");
  // org-1 lends it to institution B for its plan of cert-a.
  const std::string subject = w.ok(w.post("/api/v1/exam-subjects",
      {{"certificate_id", "cert-a"}, {"level", "junior"}, {"code", "S-01"}, {"name", "理论"}, {"exam_type", "computer"},
       {"duration_minutes", 90}, {"full_score", 10000}, {"pass_score", 6000}, {"audience", {"all"}}}, w.org1), 201)["id"];
  auto t = [&](std::chrono::hours h) { return onex::format_china(w.clock.now() + h); };
  const std::string plan = w.ok(w.post("/api/v1/exam-plans",
      {{"name", "计划"}, {"certificate_id", "cert-a"}, {"level", "junior"}, {"subject_ids", {subject}},
       {"registration_opens_at", t(1h)}, {"registration_closes_at", t(24h)},
       {"sittings", {{{"subject_id", subject}, {"starts_at", t(48h)}, {"ends_at", t(50h)}}}},
       {"score_entry_opens_at", t(72h)}, {"score_entry_closes_at", t(96h)},
       {"publicity_starts_at", t(120h)}, {"publicity_ends_at", t(144h)}, {"pass_rule", {{"kind", "every_subject"}}},
       {"fee", {{"collected_on_platform", false}, {"per", "certificate"}, {"amount_cents", 0}}}}, w.org1), 201)["id"];
  const json loan = {{"institution_id", kInstB}, {"site_id", id}, {"exam_plan_id", plan}};
  CHECK_REPLY(w.post("/api/v1/site-assignments", loan, w.org2), 404, "site.not_found");
  CHECK_REPLY(w.post("/api/v1/site-assignments", {{"institution_id", kInstA}, {"site_id", id}, {"exam_plan_id", plan}},
                     w.org1), 409, "site.has_own_site");
  const json lent = w.ok(w.post("/api/v1/site-assignments", loan, w.org1));
  CHECK(lent["loans"][0]["institution_id"] == kInstB);
  CHECK_REPLY(w.post("/api/v1/site-assignments", loan, w.org1), 409, "site.already_assigned");
  CHECK(w.ok(w.get("/api/v1/sites", w.leader_b))["total"] == 1);  // the borrower sees the site lent to it

  // Rooms on the site: A's own, and B's on the site lent to it for the plan.
  json room = {{"exam_plan_id", plan}, {"site_id", id}, {"name", "第一考场"}, {"room_type", "computer"}, {"seats", 40},
               {"province_code", "41"}, {"city", "郑州市"}, {"district", "二七区"}, {"address", "实训楼 301"},
               {"certificate_ids", {"cert-a"}}};
  const json first = w.ok(w.post("/api/v1/exam-rooms", room, w.leader_a), 201);
  CHECK_REPLY(w.post("/api/v1/exam-rooms", room, w.leader_a), 409, "exam_room.duplicate");
  room["name"] = "借考考场";
  CHECK(w.ok(w.post("/api/v1/exam-rooms", room, w.leader_b), 201)["institution_id"] == kInstB);
  CHECK_REPLY(w.post("/api/v1/exam-rooms", room, w.leader_c), 422, "validation.failed");
  const std::string room_id = first["id"];
  CHECK_REPLY(w.get("/api/v1/exam-rooms/" + room_id, w.leader_b), 404, "exam_room.not_found");
  CHECK_REPLY(w.get("/api/v1/exam-rooms/" + room_id, w.org2), 404, "exam_room.not_found");
  CHECK(w.ok(w.get("/api/v1/exam-rooms?exam_plan_id=" + plan, w.org1))["total"] == 2);
  CHECK(w.ok(w.get("/api/v1/exam-rooms?exam_plan_id=" + plan, w.leader_a))["total"] == 1);
  // A PUT replaces every member; one left out is an error, never an empty value.
  json put = room;
  put.erase("exam_plan_id");
  put.erase("site_id");
  put["name"] = "第一考场";
  put["seats"] = 45;
  put.erase("district");
  Reply partial = w.put("/api/v1/exam-rooms/" + room_id, put, w.leader_a);
  CHECK_REPLY(partial, 422, "validation.failed");
  CHECK(partial.error_fields() == std::vector<std::string>{"district"});
  put["district"] = "二七区";
  CHECK(w.ok(w.put("/api/v1/exam-rooms/" + room_id, put, w.leader_a))["seats"] == 45);
  // Copied to a second plan in one call; a second copy finds every name taken and writes nothing.
  const std::string plan2 = w.ok(w.post("/api/v1/exam-plans", [&] {
    json b = w.ok(w.get("/api/v1/exam-plans/" + plan, w.org1));
    json body = json::object();
    for (const char* k : {"name", "certificate_id", "level", "subject_ids", "registration_opens_at",
                          "registration_closes_at", "sittings", "score_entry_opens_at", "score_entry_closes_at",
                          "publicity_starts_at", "publicity_ends_at", "pass_rule", "fee"})
      body[k] = b[k];
    body["name"] = "计划二";
    return body;
  }(), w.org1), 201)["id"];
  const json copy = {{"from_exam_plan_id", plan}, {"to_exam_plan_id", plan2}, {"site_id", id}};
  CHECK(w.ok(w.post("/api/v1/exam-rooms/copy", copy, w.leader_a), 201)["items"].size() == 1);
  CHECK_REPLY(w.post("/api/v1/exam-rooms/copy", copy, w.leader_a), 422, "exam_room.invalid_copy");
  CHECK(w.ok(w.get("/api/v1/exam-rooms?exam_plan_id=" + plan2, w.leader_a))["total"] == 1);
  CHECK(w.del("/api/v1/exam-rooms/" + room_id, w.leader_a).status == 204);
  CHECK_REPLY(w.get("/api/v1/exam-rooms/" + room_id, w.leader_a), 404, "exam_room.not_found");
  w.check_replay();
}
