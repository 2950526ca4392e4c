// Reference data over real HTTP (API.md "Reference data", SPEC.md §3): the REST application
// started in-process on 127.0.0.1 port 0 over a fresh store, with a ManualClock. Accounts are
// made the way people make them (the operator creates province and org accounts, the province a
// leader of a registry institution), with SMS codes read from the outbox. The institution's
// declaration is appended to the store as the declarations workflow records it
// (`declaration.drafted`), so that these tests depend only on the declarations read model that
// workflows/common/lookups.h documents.
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "server/app_world.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using onex::testing::Reply;
using onex::testing::User;

const std::string kHeader = "code,name,province_code,city_code,type\n";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `onex init`, the application over it (captcha off) and a server on a free loopback port.
struct World : onex::testing::AppWorld {
  World() : AppWorld({.captcha = false, .operator_name = "某某"}) {}

  Reply csv(const std::string& body, const std::string& token,
            std::vector<std::string> headers = {}) {
    return send_bytes("POST", "/api/v1/institution-registry/import", body,
                      "text/csv; charset=utf-8", token, std::move(headers));
  }

  // A declaration of `certificate_id` by `institution_id`, as the declarations workflow records it.
  void declared(const std::string& institution_id, const std::string& certificate_id) {
    onex::AppendRequest r;
    const std::string id = "decl-" + institution_id + "-" + certificate_id;
    r.streams.push_back(
        {"declaration-" + id, onex::ExpectedVersion::no_stream(),
         {onex::NewEvent{"declaration.drafted", 1,
                         {{"declaration_id", id}, {"plan_id", "plan-1"},
                          {"institution_id", institution_id}, {"province_code", "41"},
                          {"city_code", "4101"}, {"certificate_id", certificate_id},
                          {"year", 2024}, {"fields", json::object()}}}}});
    r.recorded_at = clock.now();
    auto a = app->store().append(std::move(r));
    REQUIRE_MESSAGE(a.is_ok(), a.status().to_string());
  }
};

json org_body(const std::string& code, const std::string& name) {
  return {{"code", code},
          {"name", name},
          {"credit_code", "91110000101623741K"},
          {"contact_name", "张三"},
          {"contact_phone", "13900139000"}};
}

std::vector<std::string> codes_of(const Reply& r, const char* member = "code") {
  std::vector<std::string> out;
  const json body = r.json();  // a named copy: iterating a temporary's member would dangle
  for (const auto& item : body["items"]) out.push_back(item[member]);
  return out;
}

}  // namespace

TEST_CASE("GET /api/v1/provinces answers the 34 provinces of provinces.csv to anyone, by pages") {
  World w;
  Reply all = w.get("/api/v1/provinces?page_size=100");
  REQUIRE(all.status == 200);
  CHECK(all.json()["total"] == 34);
  std::istringstream csv(read_file(ONEX_TEST_DATA_DIR "/provinces.csv"));
  std::string line;
  std::getline(csv, line);
  std::size_t i = 0;
  const json items = all.json()["items"];
  while (std::getline(csv, line)) {
    if (line.empty()) continue;
    REQUIRE(i < items.size());
    const json& p = items[i++];
    CHECK(line.starts_with(p["code"].get<std::string>() + "," + p["name"].get<std::string>() + ","));
  }
  CHECK(i == 34);
  Reply last = w.get("/api/v1/provinces?page=4&page_size=10");
  CHECK(last.json()["items"].size() == 4);
  CHECK(last.json()["items"][3]["code"] == "82");
  CHECK_REPLY(w.get("/api/v1/provinces?page_size=101"), 422, "validation.failed");
}

TEST_CASE("the operator imports the registry from CSV (BOM, quoted commas, Chinese names), anyone "
          "lists it by province, city and text, page by page") {
  World w;
  User op = w.operator_user();
  std::string csv = "\xEF\xBB\xBF" + kHeader +
                    "4111010001,\"北京大学\",11,1101,本科\r\n"
                    "4141010001,\"郑州大学, 主校区\",41,4101,本科\r\n"
                    "4141010002,\"河南\"\"职业\"\"技术学院\",41,4101,专科\r\n";
  for (int i = 3; i <= 24; ++i)
    csv += "41410100" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ",洛阳学校" +
           std::to_string(i) + ",41,4103,专科\n";
  const auto before = w.head();
  Reply imported = w.csv(csv, op.token, {"Idempotency-Key: import-1"});
  INFO(imported.body);
  REQUIRE(imported.status == 200);
  CHECK(imported.json()["imported"] == 25);
  const auto after = w.head();
  CHECK(after == before + 1);  // 25 rows: one chunk
  // A retry with the same key answers the same and imports nothing again.
  Reply again = w.csv(csv, op.token, {"Idempotency-Key: import-1"});
  CHECK(again.status == 200);
  CHECK(again.header("idempotent-replayed") == "true");
  CHECK(w.head() == after);

  Reply page1 = w.get("/api/v1/institution-registry?province=41&page_size=10");
  REQUIRE(page1.status == 200);
  CHECK(page1.json()["total"] == 24);
  CHECK(page1.json()["page_size"] == 10);
  CHECK(page1.json()["items"][0] == json{{"code", "4141010001"}, {"name", "郑州大学, 主校区"},
                                         {"province_code", "41"}, {"city_code", "4101"},
                                         {"type", "本科"}});
  CHECK(page1.json()["items"][1]["name"] == "河南\"职业\"技术学院");
  Reply page3 = w.get("/api/v1/institution-registry?province=41&page=3&page_size=10");
  CHECK(codes_of(page3) == std::vector<std::string>{"4141010021", "4141010022", "4141010023",
                                                    "4141010024"});
  CHECK(w.get("/api/v1/institution-registry?city=4101").json()["total"] == 2);
  CHECK(w.get("/api/v1/institution-registry?province=11&city=4101").json()["total"] == 0);
  CHECK(w.get("/api/v1/institution-registry?q=%E5%8C%97%E4%BA%AC").json()["total"] == 1);  // 北京
  CHECK(w.get("/api/v1/institution-registry?q=41410100").json()["total"] == 24);
  CHECK(w.get("/api/v1/institution-registry").json()["total"] == 25);
  CHECK_REPLY(w.get("/api/v1/institution-registry?province=99"), 422, "validation.failed");

  // Only the operator imports, and only CSV.
  CHECK_REPLY(w.csv(csv, ""), 401, "auth.unauthenticated");
  Reply json_body = w.post("/api/v1/institution-registry/import", json::object(), op.token);
  CHECK(json_body.status == 415);
  CHECK(w.head() == after);
}

TEST_CASE("an invalid registry file answers 422 listing each bad line and field, and imports "
          "nothing") {
  World w;
  User op = w.operator_user();
  REQUIRE(w.csv(kHeader + "4141010001,郑州大学,41,4101,本科\n", op.token).status == 200);
  const auto before = w.head();
  const std::string registry_before = w.get("/api/v1/institution-registry?page_size=100").body;

  Reply bad = w.csv(kHeader +
                        "4141010001,郑州大学（改名）,41,4101,本科\n"  // 2: fine on its own
                        "4141010002,\"第二, 学院\",41,4201,专科\n"    // 3: city of Hubei
                        "4111010003,,41,4101,专科\n"                  // 4: code of 11, no name
                        "12345,短码,41,4101,专科\n",                  // 5: code
                    op.token);
  INFO(bad.body);
  REQUIRE(bad.status == 422);
  CHECK(bad.code() == "registry.invalid_rows");
  CHECK(bad.header("content-type") == "application/problem+json");
  std::vector<std::string> listed;
  const json errors = bad.json()["errors"];
  for (const auto& e : errors)
    listed.push_back(std::to_string(e["line"].get<int>()) + ":" + e["field"].get<std::string>() +
                     ":" + e["code"].get<std::string>());
  CHECK(listed == std::vector<std::string>{"3:city_code:invalid", "4:code:province_mismatch",
                                           "4:name:required", "5:code:invalid"});
  // Nothing was imported: not even the good line's new name.
  CHECK(w.head() == before);
  CHECK(w.get("/api/v1/institution-registry?page_size=100").body == registry_before);

  CHECK_REPLY(w.csv("name,code\n郑州大学,4141010001\n", op.token), 422, "registry.invalid_rows");
  CHECK_REPLY(w.csv(kHeader + "4141010001,\"未闭合,41,4101,本科\n", op.token), 422,
              "registry.invalid_rows");
  CHECK(w.head() == before);
}

TEST_CASE("orgs, certificates and standards over HTTP: creates answer 201 with id, stream and "
          "version, duplicates 409, bad fields 422 naming them, wrong roles 403, If-Match") {
  World w;
  User op = w.operator_user();

  // ---- orgs ----
  Reply org = w.post("/api/v1/orgs", org_body("ORG-600002", "北京中车行高新技术有限公司"), op.token);
  INFO(org.body);
  REQUIRE(org.status == 201);
  const std::string org_id = org.json()["id"];
  CHECK(org.json()["stream"] == "org-" + org_id);
  CHECK(org.json()["version"] == 1);
  CHECK(org.header("etag") == "\"1\"");
  CHECK(org.json()["credit_code"] == "91110000101623741K");
  CHECK_REPLY(w.post("/api/v1/orgs", org_body("ORG-600002", "又一个"), op.token), 409, "org.duplicate");
  json bad_credit = org_body("ORG-2", "某组织");
  bad_credit["credit_code"] = "91110000101623741J";
  Reply refused = w.post("/api/v1/orgs", bad_credit, op.token);
  CHECK(refused.status == 422);
  CHECK(refused.error_fields() == std::vector<std::string>{"credit_code"});
  CHECK_REPLY(w.send("POST", "/api/v1/orgs", json(), op.token,
                     {"Content-Type: application/json"}), 400, "request.malformed_json");
  json wrong_type = org_body("ORG-3", "某组织");
  wrong_type["name"] = 5;
  CHECK_REPLY(w.post("/api/v1/orgs", wrong_type, op.token), 400, "request.wrong_type");
  CHECK_REPLY(w.get("/api/v1/orgs/no-such-org", op.token), 404, "org.not_found");
  Reply listed = w.get("/api/v1/orgs", op.token);
  CHECK(listed.json()["total"] == 1);
  CHECK(w.get("/api/v1/orgs/" + org_id, op.token).json()["name"] == "北京中车行高新技术有限公司");

  // ---- certificates ----
  json cert_body = {{"code", "600002"}, {"name", "智能新能源汽车职业技能等级证书"},
                    {"levels", {"junior", "intermediate", "senior"}}, {"org_id", org_id}};
  Reply cert = w.post("/api/v1/certificates", cert_body, op.token);
  INFO(cert.body);
  REQUIRE(cert.status == 201);
  const std::string cert_id = cert.json()["id"];
  CHECK(cert.json()["stream"] == "certificate-" + cert_id);
  CHECK(cert.json()["levels"] == json{"junior", "intermediate", "senior"});
  CHECK_REPLY(w.post("/api/v1/certificates", cert_body, op.token), 409, "certificate.duplicate");
  json unknown_org = cert_body;
  unknown_org["code"] = "600003";
  unknown_org["org_id"] = "no-such-org";
  Reply no_org = w.post("/api/v1/certificates", unknown_org, op.token);
  CHECK(no_org.status == 422);
  CHECK(no_org.error_fields() == std::vector<std::string>{"org_id"});
  CHECK(w.get("/api/v1/certificates?q=%E6%B1%BD%E8%BD%A6", op.token).json()["total"] == 1);  // 汽车
  CHECK(w.get("/api/v1/certificates?q=999", op.token).json()["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/certificates"), 401, "auth.unauthenticated");

  // ---- the org's account publishes a standard ----
  User org_user = w.provision(op, {{"account", "zhongchexing"}, {"role", "org"}, {"org_id", org_id}},
                              "13900000101");
  CHECK_REPLY(w.post("/api/v1/orgs", org_body("ORG-9", "某组织"), org_user.token), 403, "auth.forbidden");
  CHECK_REPLY(w.post("/api/v1/certificates", cert_body, org_user.token), 403, "auth.forbidden");
  json std_body = {{"code", "600002"}, {"name", "智能新能源汽车职业技能等级标准"}, {"version", "2020版"},
                   {"kind", "skill_level"}, {"certificate_ids", {cert_id}}, {"status", "enabled"}};
  CHECK_REPLY(w.post("/api/v1/standards", std_body, op.token), 403, "auth.forbidden");
  json bad_std = std_body;
  bad_std["certificate_ids"] = {cert_id, "nope"};
  bad_std["kind"] = "other";
  Reply bad_fields = w.post("/api/v1/standards", bad_std, org_user.token);
  CHECK(bad_fields.status == 422);
  CHECK(bad_fields.error_fields() == std::vector<std::string>{"kind", "certificate_ids[1]"});
  const auto before = w.head();
  Reply standard = w.send("POST", "/api/v1/standards", std_body, org_user.token,
                          {"Idempotency-Key: std-1"});
  INFO(standard.body);
  REQUIRE(standard.status == 201);
  const std::string std_id = standard.json()["id"];
  CHECK(standard.json()["stream"] == "standard-" + std_id);
  // The edition is `edition`; `version` is the stream version as everywhere (issue 9), and
  // `stream_version` its alias for one release.
  CHECK(standard.json()["edition"] == "2020版");
  CHECK(standard.json()["version"] == 1);
  CHECK(standard.json()["stream_version"] == 1);
  CHECK(standard.header("etag") == "\"1\"");
  Reply replayed = w.send("POST", "/api/v1/standards", std_body, org_user.token,
                          {"Idempotency-Key: std-1"});
  CHECK(replayed.json()["id"] == std_id);
  CHECK(w.head() == before + 1);

  // PATCH: a stale If-Match is 409; the owner's revision returns the new version and ETag.
  CHECK_REPLY(w.send("PATCH", "/api/v1/standards/" + std_id, {{"status", "disabled"}},
                     org_user.token, {"If-Match: \"5\""}), 409, "concurrency.version_conflict");
  Reply patched = w.send("PATCH", "/api/v1/standards/" + std_id,
                         {{"status", "disabled"}, {"version", "2021版"}}, org_user.token,
                         {"If-Match: \"1\""});
  INFO(patched.body);
  REQUIRE(patched.status == 200);
  CHECK(patched.json()["status"] == "disabled");
  CHECK(patched.json()["edition"] == "2021版");
  CHECK(patched.json()["version"] == 2);
  CHECK(patched.json()["stream_version"] == 2);
  CHECK(patched.header("etag") == "\"2\"");
  // The edition by its own name; both names at once is ambiguous; a malformed If-Match is 400.
  Reply edited = w.send("PATCH", "/api/v1/standards/" + std_id, {{"edition", "2022版"}},
                        org_user.token, {"If-Match: \"2\""});
  CHECK(edited.json()["edition"] == "2022版");
  CHECK_REPLY(w.send("PATCH", "/api/v1/standards/" + std_id,
                     {{"edition", "2023版"}, {"version", "2023版"}}, org_user.token),
              422, "validation.failed");
  CHECK_REPLY(w.send("PATCH", "/api/v1/standards/" + std_id, {{"status", "enabled"}},
                     org_user.token, {"If-Match: yesterday"}),
              400, "request.bad_if_match");
  CHECK_REPLY(w.send("PATCH", "/api/v1/standards/nope", {{"status", "enabled"}}, org_user.token),
              404, "standard.not_found");
  CHECK_REPLY(w.send("PATCH", "/api/v1/standards/" + std_id, {{"status", "enabled"}}, op.token),
              403, "auth.forbidden");
  CHECK(w.get("/api/v1/standards?kind=skill_level", org_user.token).json()["total"] == 1);
  CHECK(w.get("/api/v1/standards?kind=site_construction", op.token).json()["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/standards?kind=other", op.token), 422, "validation.failed");
  // The org account sees its own org only.
  CHECK(codes_of(w.get("/api/v1/orgs", org_user.token)) == std::vector<std::string>{"ORG-600002"});
}

TEST_CASE("an institution sees only the orgs and standards of the certificates it declared") {
  World w;
  User op = w.operator_user();
  REQUIRE(w.csv(kHeader + "4141010001,郑州大学,41,4101,本科\n", op.token).status == 200);
  const std::string org_a = w.post("/api/v1/orgs", org_body("ORG-A", "北京中车行高新技术有限公司"),
                                   op.token).json()["id"];
  const std::string org_b = w.post("/api/v1/orgs", org_body("ORG-B", "沈阳新松机器人自动化股份有限公司"),
                                   op.token).json()["id"];
  auto certificate = [&](const std::string& code, const std::string& name, const std::string& org) {
    Reply c = w.post("/api/v1/certificates", {{"code", code}, {"name", name},
                                              {"levels", {"junior"}}, {"org_id", org}}, op.token);
    REQUIRE_MESSAGE(c.status == 201, c.body);
    return c.json()["id"].get<std::string>();
  };
  const std::string car = certificate("600002", "智能新能源汽车职业技能等级证书", org_a);
  const std::string robot = certificate("560010", "工业机器人装调职业技能等级证书", org_b);
  User org_a_user = w.provision(op, {{"account", "org-a"}, {"role", "org"}, {"org_id", org_a}},
                                "13900000102");
  User org_b_user = w.provision(op, {{"account", "org-b"}, {"role", "org"}, {"org_id", org_b}},
                                "13900000103");
  auto publish = [&](const User& u, const std::string& code, const std::string& cert) {
    Reply s = w.post("/api/v1/standards", {{"code", code}, {"name", "标准" + code},
                                           {"version", "2020版"}, {"kind", "skill_level"},
                                           {"certificate_ids", {cert}}, {"status", "enabled"}},
                     u.token);
    REQUIRE_MESSAGE(s.status == 201, s.body);
  };
  publish(org_a_user, "600002", car);
  publish(org_b_user, "560010", robot);
  // An org may not publish for another org's certificate.
  Reply not_own = w.post("/api/v1/standards", {{"code", "1"}, {"name", "x"}, {"version", "1"},
                                               {"kind", "skill_level"}, {"certificate_ids", {car}},
                                               {"status", "enabled"}}, org_b_user.token);
  CHECK(not_own.error_fields() == std::vector<std::string>{"certificate_ids[0]"});

  User province = w.provision(op, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}},
                              "13900000041");
  User leader = w.provision(province, {{"account", "zzu"}, {"role", "leader"},
                                       {"institution_id", "4141010001"}}, "13900000104");

  // Before it declares anything: nothing.
  CHECK(w.get("/api/v1/orgs", leader.token).json()["total"] == 0);
  CHECK(w.get("/api/v1/standards", leader.token).json()["total"] == 0);
  CHECK_REPLY(w.get("/api/v1/orgs/" + org_a, leader.token), 404, "org.not_found");
  // The province sees them all; certificates are for everyone.
  CHECK(w.get("/api/v1/orgs", province.token).json()["total"] == 2);
  CHECK(w.get("/api/v1/standards", province.token).json()["total"] == 2);
  CHECK(w.get("/api/v1/certificates", leader.token).json()["total"] == 2);

  // When it declares the car certificate
  w.declared("4141010001", car);
  // Then it sees that certificate's org and standard, and not the other's.
  CHECK(codes_of(w.get("/api/v1/orgs", leader.token)) == std::vector<std::string>{"ORG-A"});
  CHECK(codes_of(w.get("/api/v1/standards", leader.token)) == std::vector<std::string>{"600002"});
  CHECK(w.get("/api/v1/orgs/" + org_a, leader.token).status == 200);
  CHECK_REPLY(w.get("/api/v1/orgs/" + org_b, leader.token), 404, "org.not_found");
  // An org sees its own standards only.
  CHECK(codes_of(w.get("/api/v1/standards", org_b_user.token)) == std::vector<std::string>{"560010"});
  CHECK_REPLY(w.get("/api/v1/orgs/" + org_a, org_b_user.token), 404, "org.not_found");
}

TEST_CASE("a registry file over 20 MiB answers 413 and imports nothing, 20,000 rows import in one "
          "append") {
  World w;
  User op = w.operator_user();
  const auto before = w.head();
  std::string huge = kHeader;
  huge.resize((std::size_t{20} << 20) + 1, 'x');
  CHECK(w.csv(huge, op.token).status == 413);
  CHECK(w.head() == before);
  CHECK(w.get("/api/v1/institution-registry").json()["total"] == 0);

  std::string many = kHeader;
  for (int i = 0; i < 20000; ++i)
    many += "4144" + std::to_string(100000 + i) + ",\"广东学校 " + std::to_string(i) + "\",44," +
            (i % 2 ? "4401" : "4403") + ",专科\n";
  Reply imported = w.csv(many, op.token);
  INFO(imported.body.substr(0, 500));
  REQUIRE(imported.status == 200);
  CHECK(imported.json()["imported"] == 20000);
  CHECK(w.head() == before + 40);  // chunks of 500 rows
  CHECK(w.get("/api/v1/institution-registry?city=4403&page=100&page_size=100").json()["items"].size() ==
        100);
  CHECK(w.get("/api/v1/institution-registry?province=44").json()["total"] == 20000);
}
