// A whole certificate pilot round with every party, end to end: `onex demo` fills a store through
// the REST routes (operator, province, two cities, org accounts, four institutions in two cities,
// one of them self-registered, a staff scoped to one certificate, declarations in every state,
// a weekly report); `onex audit verify` and `replay` find the chain whole and the read models
// equal to a rebuild; then every party signs in over real HTTP and sees exactly its share.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <doctest/doctest.h>

#include "server/app_world.h"

using namespace onex;
using namespace onex::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct Ran {
  int exit = -1;
  std::string out;
};

// `onex <args>` as a process, its standard output captured.
Ran onex_cli(const TempDir& scratch, const std::string& args) {
  static int runs = 0;
  const auto out = scratch.str("out" + std::to_string(++runs));
  const int status = std::system((std::string(ONEX_CLI) + " " + args + " >" + out + " 2>&1").c_str());
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

// The demo store served in-process on a free loopback port, on a clock at the real time.
struct Served : AppWorld {
  std::string password;

  Served(std::string dir, std::string pass)
      : AppWorld({.start = std::chrono::time_point_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now()),
                  .data_dir = std::move(dir)}),
        password(std::move(pass)) {}

  json get(const std::string& target, const std::string& token, int expected = 200) {
    Reply r = send("GET", target, json(), token);
    INFO(target << " → " << r.body);
    CHECK(r.status == expected);
    return r.json();
  }

  // Password, then the SMS challenge with the code from the outbox.
  std::string sign_in(const std::string& account, const std::string& phone) {
    INFO(account);
    return sign_in_json(account, password, phone, std::nullopt)["token"];
  }
};

// The account name the demo printed that begins with `name` (a leader's has random letters
// added: "panyu_leader-k7m3qx").
std::string printed_account(const std::string& out, const std::string& name) {
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_search(out, m, std::regex("  (" + name + "(-[2-9a-z]{6})?) ")), name);
  return m[1];
}

std::vector<std::string> ids(const json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["id"]);
  return out;
}

}  // namespace

TEST_CASE("a pilot round with every party: the demo store, replayed, and each party's share over HTTP") {
  TempDir scratch;
  const std::string dir = scratch.str("demo");

  // Given the demo round, made through the REST routes,
  Ran demo = onex_cli(scratch, "demo --data-dir " + dir);
  INFO(demo.out);
  REQUIRE(demo.exit == 0);
  std::smatch m;
  REQUIRE(std::regex_search(demo.out, m, std::regex("the password ([A-Za-z0-9]+)\\)")));
  const std::string password = m[1];
  // The accounts it printed are kept in the store's directory, for its owner only.
  {
    const std::filesystem::path kept = std::filesystem::path(dir) / "demo-accounts.txt";
    REQUIRE(std::filesystem::exists(kept));
    CHECK((std::filesystem::status(kept).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    std::ifstream in(kept);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == demo.out);
  }

  // then the hash chain is whole and every read model equals a rebuild from the log,
  Ran verify = onex_cli(scratch, "audit verify --data-dir " + dir);
  CHECK_MESSAGE(verify.exit == 0, verify.out);
  Ran replay = onex_cli(scratch, "audit replay --data-dir " + dir);
  CHECK_MESSAGE(replay.exit == 0, replay.out);
  // and a second demo into the same directory is refused, leaving it as it was.
  CHECK(onex_cli(scratch, "demo --data-dir " + dir).exit != 0);

  Served s(dir, password);
  const std::string province = s.sign_in("gd_province", "13800000002");
  const std::string guangzhou = s.sign_in("gz_city", "13800000004");
  const std::string shenzhen = s.sign_in("sz_city", "13800000005");
  const std::string panyu = s.sign_in(printed_account(demo.out, "panyu_leader"), "13800000011");
  const std::string panyu_staff = s.sign_in("panyu_staff", "13800000021");
  const std::string szpt = s.sign_in(printed_account(demo.out, "szpt_leader"), "13800000012");
  const std::string auditor = s.sign_in("auditor", "13800000003");

  SUBCASE("each party sees its own declarations, with counts by status") {
    // The institution sees all of its own, drafts included.
    json own = s.get("/api/v1/declarations", panyu);
    CHECK(own["total"] == 3);
    CHECK(own["counts"] == json{{"all", 3}, {"draft", 1}, {"pending", 0}, {"approved", 1}, {"rejected", 1}});
    // Its staff, scoped to one certificate, sees only that certificate's declaration.
    json scoped = s.get("/api/v1/declarations", panyu_staff);
    REQUIRE(scoped["items"].size() == 1);
    CHECK(scoped["items"][0]["status"] == "draft");
    // Guangzhou sees the submitted declarations of its city's institutions, never drafts.
    json gz = s.get("/api/v1/declarations", guangzhou);
    CHECK(gz["total"] == 2);
    for (const auto& d : gz["items"]) CHECK(d["status"] != "draft");
    // Shenzhen sees its own city's three, the province all five submitted in the province.
    CHECK(s.get("/api/v1/declarations", shenzhen)["total"] == 3);
    json all = s.get("/api/v1/declarations", province);
    CHECK(all["total"] == 5);
    CHECK(all["counts"]["pending"] == 2);
    CHECK(s.get("/api/v1/declarations?status=approved", province)["total"] == 1);

    // An institution cannot read or change another's declaration: 404, as for an unknown id.
    const std::string theirs = ids(own).front();
    s.get("/api/v1/declarations/" + theirs, szpt, 404);
    Reply edit = s.send("PUT", "/api/v1/declarations/" + theirs, {{"planned_trainees", 1}}, szpt);
    CHECK(edit.status == 404);
    s.get("/api/v1/declarations/" + theirs, shenzhen, 404);
  }

  SUBCASE("approval made a quota and a pilot year") {
    json quotas = s.get("/api/v1/quotas", panyu);
    REQUIRE(quotas["items"].size() == 1);
    CHECK(quotas["items"][0]["approved_trainees"] == 40);
    CHECK(quotas["items"][0]["used"] == 0);
    json page = s.get("/api/v1/declarations?status=approved", panyu);
    REQUIRE(page["items"].size() == 1);
    const std::string institution = page["items"][0]["institution_id"];
    json inst = s.get("/api/v1/institutions/" + institution, panyu);
    REQUIRE(inst["pilot_years"].size() == 1);
    CHECK(inst["pilot_years"][0]["certificates"].size() == 1);
    s.get("/api/v1/institutions/" + institution, szpt, 404);
  }

  SUBCASE("exam organisation: ZCX's published plan, Panyu's candidates, its site lent to Qinggong, rooms") {
    const std::string zcx = s.sign_in("org_1", "13800000101");
    const std::string qinggong = s.sign_in(printed_account(demo.out, "L4144010002"), "13800000014");
    // Panyu holds the quota of the plan's certificate, so it reads the published plan.
    json plans = s.get("/api/v1/exam-plans", panyu);
    REQUIRE(plans["total"] == 1);
    CHECK(plans["items"][0]["status"] == "published");
    const std::string plan = plans["items"][0]["id"];
    // Its six candidates, imported from the XLSX template: ID numbers masked in the list, four
    // with photos, two confirmed by hand and so registrable; nobody else sees them.
    json candidates = s.get("/api/v1/candidates?page_size=10", panyu);
    REQUIRE(candidates["total"] == 6);
    int photos = 0, registrable = 0;
    for (const auto& c : candidates["items"]) {
      CHECK(c["id_number"].get<std::string>().find("*****") == 6);
      photos += !c["photo_file_id"].get<std::string>().empty();
      registrable += c["registrable"].get<bool>();
    }
    CHECK(photos == 4);
    CHECK(registrable == 2);
    CHECK(s.get("/api/v1/candidates", szpt)["total"] == 0);
    // The site: approved by ZCX, its floor plan readable by ZCX, lent to Qinggong for the plan.
    json sites = s.get("/api/v1/sites", zcx);
    REQUIRE(sites["total"] == 1);
    const json& site = sites["items"][0];
    CHECK(site["status"] == "decided");
    CHECK(site["parts"][0]["status"] == "approved");
    REQUIRE(site["file_ids"].size() == 1);
    Reply floor_plan = s.send("GET", "/api/v1/files/" + site["file_ids"][0].get<std::string>(), json(), zcx);
    CHECK(floor_plan.status == 200);
    CHECK(floor_plan.body.starts_with("%PDF-"));
    CHECK(site["loans"][0]["exam_plan_id"] == plan);
    CHECK(s.get("/api/v1/sites", qinggong)["total"] == 1);
    CHECK(s.get("/api/v1/sites", szpt)["total"] == 0);
    // Rooms: Panyu's two, Qinggong's one on the borrowed site; ZCX sees all three of its plan.
    CHECK(s.get("/api/v1/exam-rooms?exam_plan_id=" + plan, panyu)["total"] == 2);
    CHECK(s.get("/api/v1/exam-rooms?exam_plan_id=" + plan, qinggong)["total"] == 1);
    CHECK(s.get("/api/v1/exam-rooms?exam_plan_id=" + plan, zcx)["total"] == 3);
    // The invigilator Panyu submitted, certified by ZCX.
    json invigilators = s.get("/api/v1/invigilators", zcx);
    REQUIRE(invigilators["total"] == 1);
    CHECK(invigilators["items"][0]["status"] == "certified");
  }

  SUBCASE("the province reads its province's weekly reports") {
    CHECK(s.get("/api/v1/weekly-reports", province)["total"] == 1);
  }

  SUBCASE("history and audit: the auditor verifies the chain, a little more each time") {
    json first = s.get("/api/v1/audit/chain", auditor);
    CHECK(first["verified"] == true);
    CHECK(first["head_position"].get<std::uint64_t>() > 100);
    json again = s.get("/api/v1/audit/chain", auditor);
    CHECK(again["verified"] == true);
    CHECK(again["checked"] == 0);
    CHECK(again["head_hash"] == first["head_hash"]);
    s.get("/api/v1/audit/chain", province, 403);

    // A declaration's history: the auditor and its province read it, another institution not.
    json page = s.get("/api/v1/declarations?status=approved", province);
    const std::string stream = page["items"][0]["stream"];
    json history = s.get("/api/v1/streams/" + stream + "/events", auditor);
    REQUIRE(history["items"].size() >= 4);
    CHECK(history["items"][0]["type"] == "declaration.drafted");
    CHECK(history["items"][0]["hash"].get<std::string>().size() == 64);
    CHECK(s.get("/api/v1/streams/" + stream + "/events?from=2&limit=1", province)["items"].size() == 1);
    s.get("/api/v1/streams/" + stream + "/events", szpt, 404);
    s.get("/api/v1/streams/" + stream + "/events?limit=1001", auditor, 422);

    // What there is to audit: every stream, by kind and by the first letters of its id.
    json declarations = s.get("/api/v1/streams?kind=declaration&page_size=100", auditor);
    CHECK(declarations["total"].get<std::size_t>() >= 4);
    CHECK(declarations["total"] == declarations["items"].size());
    bool listed = false;
    for (const auto& item : declarations["items"]) {
      CHECK(item["kind"] == "declaration");
      CHECK(item["last_at"].get<std::string>().ends_with("+08:00"));
      listed = listed || item["stream"] == stream;
    }
    CHECK(listed);
    const std::string id = stream.substr(std::string("declaration-").size());
    json found = s.get("/api/v1/streams?q=" + id.substr(0, 8), auditor);
    CHECK(found["total"] == 1);
    CHECK(found["items"][0]["stream"] == stream);
    CHECK(found["items"][0]["version"] == history["total"]);
    json all = s.get("/api/v1/streams?page_size=5&page=2", auditor);
    CHECK(all["items"].size() == 5);
    CHECK(all["total"].get<std::size_t>() > declarations["total"].get<std::size_t>());
    s.get("/api/v1/streams?kind=nothing", auditor, 422);
    s.get("/api/v1/streams?q=a%2Fb", auditor, 422);
    s.get("/api/v1/streams", province, 403);

    // An account's personal data: the account itself sees it, the auditor reads it left out.
    json me = s.get("/api/v1/account", panyu);
    const std::string account_stream = me["stream"];
    json own = s.get("/api/v1/streams/" + account_stream + "/events", panyu);
    json audited = s.get("/api/v1/streams/" + account_stream + "/events", auditor);
    REQUIRE(!own["items"].empty());
    CHECK(own["items"][0]["data"].contains("pii"));
    CHECK_FALSE(audited["items"][0]["data"].contains("pii"));
    CHECK_FALSE(own["items"][0]["data"].contains("password_hash"));
    s.get("/api/v1/streams/" + account_stream + "/events", szpt, 404);
  }
}
