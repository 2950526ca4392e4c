// Candidates over real HTTP (SPEC.md §6, API.md "Exam organisation", "Templates and details"):
// two institutions' leaders add, import, export and update candidates and send their photos.
// Every XLSX the tests send is written by a second library (Debian's python3-openpyxl), and
// what onex writes is read back by it; photos are drawn and zipped by tests/files/samples.h.
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "files/photo_samples.h"
#include "files/samples.h"
#include "onex/candidates.h"
#include "onex/rebuild.h"
#include "onex/workflows.h"
#include "server/app_world.h"
#include "sheet/sheet_support.h"
#include "workflows/declaration_world.h"

namespace {

using nlohmann::json;
using onex::testing::Reply;
using onex::testing::User;
namespace photos = onex::testing::photos;
namespace samples = onex::testing::samples;
using onex::sheet::testing::python;
using onex::sheet::testing::TempDir;

const onex::Timestamp kStart = *onex::parse_time("2026-03-06T10:00:00+08:00");
const std::string kInstA = "4141010001", kInstB = "4141020002";
const std::string kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const std::string kHeader = "考生类型,姓名,姓名拼音,身份证号,手机号,就读专业,专业层次,入学年份";

// Writes rows (lists of cells, the header first) as an XLSX with openpyxl; cells that look like
// numbers are written as numbers, as a person typing them into a spreadsheet would get.
const char* kWrite = R"(import json, sys, openpyxl
rows = json.load(open(sys.argv[1], encoding='utf-8'))
wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Sheet1'
for row in rows:
    ws.append([int(c) if isinstance(c, str) and c.isdigit() and len(c) < 16 else c for c in row])
wb.save(sys.argv[2])
)";

// Prints an XLSX's first sheet as JSON rows of text, read by openpyxl.
const char* kRead = R"(import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(json.dumps([[('' if c is None else str(c)) for c in row] for row in ws.iter_rows(values_only=True)], ensure_ascii=False))
)";

struct World : onex::testing::AppWorld {
  User op, province, leader_a, leader_b, staff_a;
  int phones = 0;
  TempDir tmp;

  World() : AppWorld({.start = kStart, .captcha = false, .operator_name = "用户", .setup_name = "用户"}) {
    json rows = json::array();
    for (auto [code, city] : {std::pair{kInstA, "4101"}, std::pair{kInstB, "4102"}})
      rows.push_back({{"code", code}, {"name", "学院 " + code}, {"province_code", "41"},
                      {"city_code", city}, {"type", "高等职业学校"}});
    onex::testing::seed_events(app->store(), "registry-seed",
                               {{"registry.rows_imported", 1, {{"import_id", "seed"}, {"chunk", 0}, {"rows", rows}}}});
    op = operator_user(next_phone());
    province = provision(op, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}}, next_phone());
    leader_a = provision(province, {{"account", "leader_a"}, {"role", "leader"}, {"institution_id", kInstA}}, next_phone());
    leader_b = provision(province, {{"account", "leader_b"}, {"role", "leader"}, {"institution_id", kInstB}}, next_phone());
    staff_a = provision(leader_a, {{"account", "staff_a"}, {"role", "staff"}}, next_phone());
  }
  std::string next_phone() { return fmt::format("1390000{:04d}", ++phones); }

  json ok(const Reply& r, int status = 200) {
    INFO(r.status << " " << r.body);
    REQUIRE(r.status == status);
    return r.json();
  }
  std::string xlsx(const json& rows) {
    std::ofstream(tmp / "rows.json") << rows.dump();
    python(tmp, kWrite, {(tmp / "rows.json").string(), (tmp / "in.xlsx").string()});
    return onex::sheet::testing::slurp(tmp / "in.xlsx");
  }
  json read_xlsx(const std::string& bytes) {
    std::ofstream(tmp / "out.xlsx", std::ios::binary) << bytes;
    return json::parse(python(tmp, kRead, {(tmp / "out.xlsx").string()}));
  }
  Reply send_table(const std::string& path, const std::string& bytes, const std::string& type, const User& u) {
    return send_bytes("POST", path, bytes, type, u.token);
  }
  std::uint64_t head() { return app->store().stats().head_position; }
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

json header_row() {
  json h = json::array();
  for (std::size_t at = 0, next; at <= kHeader.size(); at = next + 1) {
    next = kHeader.find(',', at);
    if (next == std::string::npos) next = kHeader.size();
    h.push_back(kHeader.substr(at, next - at));
  }
  return h;
}

json row(int serial, const std::string& name, const std::string& phone = "13800138000") {
  return {"院校考生", name, "Zhang San", photos::resident_id(serial), phone, "软件技术", "高职专科", "2024"};
}

json candidate(int serial, const std::string& name) {
  return {{"kind", "student"}, {"name", name}, {"name_pinyin", "Li Si"}, {"id_number", photos::resident_id(serial)},
          {"phone", "13700137000"}, {"major", "软件技术"}, {"major_level", "高职专科"}, {"enrolment_year", 2025}};
}

std::vector<std::string> row_errors(const Reply& r) {
  std::vector<std::string> out;
  const json body = r.json();
  for (const auto& e : body["errors"])
    out.push_back(std::to_string(e.value("row", 0)) + " " + e["field"].get<std::string>() + " " +
                  e["code"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("an institution adds a candidate once, ever, and its own accounts alone see it") {
  World w;
  GIVEN("a candidate institution A added") {
    const json made = w.ok(w.post("/api/v1/candidates", candidate(1, "李四"), w.leader_a), 201);
    const std::string id = made["id"];
    CHECK(made["verification"] == "unverified");
    CHECK(made["registrable"] == false);
    CHECK(made["id_number"] == photos::resident_id(1));
    WHEN("another institution adds the same person") {
      const auto before = w.head();
      Reply twice = w.post("/api/v1/candidates", candidate(1, "李四"), w.leader_b);
      THEN("409 candidate.already_exists says nothing of who holds the person, and nothing is written") {
        CHECK_REPLY(twice, 409, "candidate.already_exists");
        CHECK(twice.body.find(kInstA) == std::string::npos);
        CHECK(twice.body.find(id) == std::string::npos);
        CHECK(w.head() == before);
      }
    }
    THEN("lists mask the ID number; the record shows it whole to its institution only") {
      const json page = w.ok(w.get("/api/v1/candidates?q=李", w.staff_a));
      REQUIRE(page["total"] == 1);
      CHECK(page["items"][0]["id_number"] == "110105*****" + photos::resident_id(1).substr(14));
      CHECK(w.ok(w.get("/api/v1/candidates/" + id, w.staff_a))["id_number"] == photos::resident_id(1));
      CHECK_REPLY(w.get("/api/v1/candidates/" + id, w.leader_b), 404, "candidate.not_found");
      CHECK(w.ok(w.get("/api/v1/candidates", w.leader_b))["total"] == 0);
      CHECK_REPLY(w.get("/api/v1/candidates", w.province), 403, "auth.forbidden");
      CHECK_REPLY(w.get("/api/v1/streams/candidate-" + id + "/events", w.leader_b), 404, "stream.not_found");
      CHECK(w.ok(w.get("/api/v1/candidates?verification=verified", w.leader_a))["total"] == 0);
    }
    THEN("a PATCH changes the members sent, refuses unknown ones and bad values, and loses nothing") {
      CHECK_REPLY(w.patch("/api/v1/candidates/" + id, {{"a", 1}}, w.leader_a.token), 422, "validation.failed");
      Reply bad = w.patch("/api/v1/candidates/" + id, {{"phone", "12345"}}, w.leader_a.token);
      CHECK_REPLY(bad, 422, "validation.failed");
      CHECK(bad.error_fields() == std::vector<std::string>{"phone"});
      const json changed = w.ok(w.patch("/api/v1/candidates/" + id, {{"phone", "+8613900139000"}}, w.leader_a.token));
      CHECK(changed["phone"] == "13900139000");
      CHECK(changed["name"] == "李四");
      CHECK(changed["major"] == "软件技术");
      CHECK_REPLY(w.patch("/api/v1/candidates/" + id, {{"phone", "13900139001"}}, w.leader_b.token), 404,
                  "candidate.not_found");
    }
    THEN("a bad ID number is refused naming its field") {
      json bad = candidate(2, "王五");
      bad["id_number"] = photos::wrong_check(photos::resident_id(2));
      Reply r = w.post("/api/v1/candidates", bad, w.leader_a);
      CHECK_REPLY(r, 422, "validation.failed");
      CHECK(r.error_fields() == std::vector<std::string>{"id_number"});
    }
  }
  w.check_replay();
}

TEST_CASE("the template, and an import from XLSX or CSV is all rows or none") {
  World w;
  const json tpl = w.read_xlsx(w.get("/api/v1/candidates/template.xlsx", w.leader_a).body);
  REQUIRE(tpl.size() == 1);
  CHECK(tpl[0] == header_row());
  // The person of serial 9 is institution B's already.
  w.ok(w.post("/api/v1/candidates", candidate(9, "赵六"), w.leader_b), 201);

  const auto before = w.head();
  auto refused = [&](const json& rows) {
    Reply r = w.send_table("/api/v1/candidates/import", w.xlsx(rows), kXlsx, w.leader_a);
    CHECK_REPLY(r, 422, "candidate.invalid_rows");
    CHECK(w.head() == before);
    if (r.status != 422) return std::vector<std::string>{};
    return row_errors(r);
  };
  using V = std::vector<std::string>;
  json bad_check = row(2, "乙");
  bad_check[3] = photos::wrong_check(photos::resident_id(2));
  CHECK(refused({header_row(), row(1, "甲"), bad_check, row(3, "丙", "12800138000")}) ==
        V{"3 id_number invalid", "4 phone invalid"});
  CHECK(refused({header_row(), row(1, "甲"), row(4, "丁"), row(1, "甲二")}) == V{"4 id_number duplicate"});
  CHECK(refused({header_row(), row(1, "甲"), row(9, "赵六")}) == V{"3 id_number candidate.already_exists"});
  json missing = header_row();
  missing.erase(2);  // no 姓名拼音
  CHECK(refused({missing, {"院校考生", "甲", photos::resident_id(1)}})[0] == "1 name_pinyin missing_column");

  WHEN("the rows are good") {
    const json done = w.ok(w.send_table("/api/v1/candidates/import",
                                        w.xlsx({header_row(), row(1, "甲"), row(2, "乙"), row(3, "丙")}), kXlsx,
                                        w.leader_a));
    THEN("each is a candidate of the institution, the numbers typed as numbers read as text") {
      CHECK(done["imported"] == 3);
      const json page = w.ok(w.get("/api/v1/candidates?page_size=10", w.leader_a));
      REQUIRE(page["total"] == 3);
      CHECK(page["items"][0]["phone"] == "13800138000");
      CHECK(page["items"][0]["enrolment_year"] == 2024);
      CHECK(page["items"][0]["kind"] == "student");
    }
  }
  WHEN("a CSV with a byte-order mark and CRLF lines is sent") {
    const std::string csv = "\xEF\xBB\xBF" + kHeader + "\r\n社会考生,钱七,Qian Qi," + photos::resident_id(5) +
                            ",13600136000,,,\r\n";
    const json done = w.ok(w.send_table("/api/v1/candidates/import", csv, "text/csv", w.leader_a));
    THEN("its row is imported") {
      CHECK(done["imported"] == 1);
      CHECK(w.ok(w.get("/api/v1/candidates?kind=social", w.leader_a))["total"] == 1);
    }
  }
  w.check_replay();
}

TEST_CASE("10,000 rows are one atomic append, and 10,001 rows are refused whole") {
  World w;
  std::string csv = kHeader + "\n";
  // 10,001 distinct people, each ID number with its check character computed here.
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  auto id_of = [&](int n) {
    std::string id = fmt::format("110105{:04d}0307{:03d}", 1960 + n / 1000, n % 1000);
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (id[static_cast<std::size_t>(i)] - '0') * kWeights[i];
    return id + "10X98765432"[sum % 11];
  };
  for (int i = 0; i < 10'001; ++i) csv += fmt::format("院校考生,考生{},,{},,,,\n", i, id_of(i));
  const auto before = w.head();
  CHECK_REPLY(w.send_table("/api/v1/candidates/import", csv, "text/csv", w.leader_a), 422, "sheet.too_many_rows");
  CHECK(w.head() == before);
  csv.resize(csv.rfind("院校考生"));  // 10,000 rows
  const auto appends = w.app->store().stats().appends;
  CHECK(w.ok(w.send_table("/api/v1/candidates/import", csv, "text/csv", w.leader_a))["imported"] == 10'000);
  CHECK(w.app->store().stats().appends == appends + 1);
  CHECK(w.head() == before + 10'000);
}

TEST_CASE("export, edit with a second library, batch update: the round trip") {
  World w;
  w.ok(w.send_table("/api/v1/candidates/import", w.xlsx({header_row(), row(1, "甲"), row(2, "乙")}), kXlsx,
                    w.leader_a));
  json rows = w.read_xlsx(w.get("/api/v1/candidates/export.xlsx", w.leader_a).body);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].size() == 10);
  CHECK(rows[0][8] == "核验状态");
  CHECK(rows[1][3] == photos::resident_id(1));  // whole, as text
  rows[1][5] = "大数据技术";
  rows[2][4] = "13500135000";
  CHECK(w.ok(w.send_table("/api/v1/candidates/batch-update", w.xlsx(rows), kXlsx, w.leader_a))["updated"] == 2);
  const json page = w.ok(w.get("/api/v1/candidates", w.leader_a));
  CHECK(page["items"][0]["major"] == "大数据技术");
  CHECK(page["items"][1]["phone"] == "13500135000");
  // A row of a person the institution does not have refuses the whole update.
  w.ok(w.post("/api/v1/candidates", candidate(9, "赵六"), w.leader_b), 201);
  rows[1][5] = "人工智能";
  rows.push_back(row(9, "赵六"));
  const auto before = w.head();
  Reply r = w.send_table("/api/v1/candidates/batch-update", w.xlsx(rows), kXlsx, w.leader_a);
  CHECK_REPLY(r, 422, "candidate.invalid_rows");
  CHECK(row_errors(r) == std::vector<std::string>{"4 id_number candidate.not_found"});
  CHECK(w.head() == before);
  w.check_replay();
}

TEST_CASE("photos from a ZIP: each file answered on its own, and the person confirmed by hand") {
  World w;
  const std::string id = w.ok(w.post("/api/v1/candidates", candidate(1, "甲"), w.leader_a), 201)["id"];
  w.ok(w.post("/api/v1/candidates", candidate(2, "乙"), w.leader_a), 201);
  w.ok(w.post("/api/v1/candidates", candidate(9, "赵六"), w.leader_b), 201);
  CHECK_REPLY(w.post("/api/v1/candidates/" + id + "/confirm-identity", json::object(), w.leader_a), 409,
              "candidate.photo_missing");
  using photos::Format;
  const auto png = photos::id_photo(Format::png);
  const std::string zip = samples::zip({
      {photos::resident_id(1) + ".jpg", photos::id_photo(Format::jpeg)},
      {photos::resident_id(2) + ".jpg", png},                                    // a PNG named .jpg
      {photos::resident_id(3) + ".jpg", photos::id_photo(Format::jpeg, photos::kRed, 300, 400)},
      {photos::resident_id(4) + ".png", photos::id_photo(Format::png, photos::kBlue)},
      {"../../" + photos::resident_id(5) + ".jpg", photos::id_photo(Format::jpeg)},
      {photos::resident_id(9) + ".jpg", photos::id_photo(Format::jpeg)},         // institution B's
      {photos::resident_id(6) + ".jpg", std::string(6u << 20, '\0')},            // a zip bomb's worth of zeros
  });
  const json done = w.ok(w.send_bytes("POST", "/api/v1/candidates/photos", zip, "application/zip", w.leader_a.token));
  CHECK(done["matched"] == 1);
  std::map<std::string, std::string> codes;
  for (const auto& e : done["errors"]) codes[e["file"].get<std::string>()] = e["code"].get<std::string>();
  CHECK(codes == std::map<std::string, std::string>{
                     {photos::resident_id(2) + ".jpg", "photo.bad_type"},
                     {photos::resident_id(3) + ".jpg", "photo.bad_dimensions"},
                     {photos::resident_id(4) + ".png", "photo.bad_background"},
                     {"../../" + photos::resident_id(5) + ".jpg", "photo.bad_name"},
                     {photos::resident_id(9) + ".jpg", "photo.unknown_candidate"},
                     {photos::resident_id(6) + ".jpg", "photo.too_large"}});
  json c = w.ok(w.get("/api/v1/candidates/" + id, w.leader_a));
  REQUIRE(!c["photo_file_id"].get<std::string>().empty());
  CHECK(c["verification"] == "unverified");  // the default verifier is unavailable
  CHECK(w.get("/api/v1/files/" + c["photo_file_id"].get<std::string>(), w.staff_a).status == 200);
  CHECK_REPLY(w.get("/api/v1/files/" + c["photo_file_id"].get<std::string>(), w.leader_b), 404, "file.not_found");
  CHECK_REPLY(w.send_bytes("POST", "/api/v1/candidates/photos", "not a zip", "application/zip", w.leader_a.token), 422,
              "photo.unreadable_archive");

  const json confirmed = w.ok(w.post("/api/v1/candidates/" + id + "/confirm-identity", json::object(), w.leader_a));
  CHECK(confirmed["verification"] == "confirmed");
  CHECK(confirmed["registrable"] == true);
  CHECK_REPLY(w.post("/api/v1/candidates/" + id + "/confirm-identity", json::object(), w.leader_a), 409,
              "candidate.illegal_transition");
  // A new name needs the check again.
  CHECK(w.ok(w.patch("/api/v1/candidates/" + id, {{"name", "甲乙"}}, w.leader_a.token))["verification"] ==
        "unverified");
  w.check_replay();
}

namespace {

class Failing final : public onex::IdentityVerifier {
 public:
  Answer verify(std::string_view name, std::string_view, std::string_view photo) override {
    return !photo.empty() && name == "甲" ? Answer::failed : Answer::verified;
  }
};

}  // namespace

TEST_CASE("a verifier's failure is confirmed by hand, and its success makes the candidate registrable") {
  World w;
  onex::FileService files(w.app->store(), w.clock, w.data_dir);
  onex::CandidateService service(w.app->store(), w.clock, files,
                                 {.secret_key = std::string(32, 'k'), .verifier = std::make_shared<Failing>()});
  const onex::Actor leader{.account_id = w.leader_a.id, .role = "leader", .institution_id = kInstA};
  onex::CandidateInput a{.kind = "student", .name = "甲", .id_number = photos::resident_id(1)};
  onex::CandidateInput b{.kind = "social", .name = "乙", .id_number = photos::resident_id(2)};
  auto ca = service.create({.actor = leader}, a), cb = service.create({.actor = leader}, b);
  REQUIRE(ca.is_ok());
  REQUIRE(cb.is_ok());
  const auto photo = photos::id_photo(photos::Format::jpeg);
  auto sent = service.upload_photos({.actor = leader}, samples::zip({{photos::resident_id(1) + ".jpg", photo},
                                                                      {photos::resident_id(2) + ".jpg", photo}}));
  REQUIRE(sent.is_ok());
  CHECK(sent->matched == 2);
  CHECK(service.get(leader, ca->id)->verification == "failed");
  CHECK(service.get(leader, cb->id)->verification == "verified");
  CHECK(service.get(leader, cb->id)->registrable);
  auto confirmed = service.confirm_identity({.actor = leader}, ca->id);
  REQUIRE(confirmed.is_ok());
  CHECK(confirmed->verification == "confirmed");
  CHECK(confirmed->registrable);
  CHECK_THROWS_AS(onex::CandidateService(w.app->store(), w.clock, files, {.secret_key = "short"}), std::invalid_argument);
}
