// Reference data (SPEC.md §3) through the library API, on a real store in a temporary
// directory: identifier checks, the registry CSV reader, registry imports, orgs, certificates
// and standards, who sees what, and that the read models rebuild from the log byte for byte.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/lookups.h"
#include "onex/reference.h"
#include "onex/workflows.h"
#include "reference/decide.h"
#include "support/temp_dir.h"
#include "util/identifiers.h"

namespace {

using namespace onex;
using reference::parse_registry_csv;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The shared facts (certificates-sample.csv, provinces.csv), copied from ../shared/data into
// tests/data so that the tests need nothing outside the repository.
std::string data_file(const std::string& name) {
  auto text = read_file(std::string(ONEX_TEST_DATA_DIR) + "/" + name);
  REQUIRE_MESSAGE(!text.empty(), "no " << ONEX_TEST_DATA_DIR << "/" << name);
  return text;
}

// Splits a simple CSV line (the shared data files quote nothing).
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  std::string cell;
  while (std::getline(s, cell, ',')) out.push_back(cell);
  return out;
}

// "line:field:code" for each error, to print a failing expectation in one line.
std::string errors_of(const std::vector<RegistryImportError>& errors) {
  std::string out;
  for (const auto& e : errors)
    out += (out.empty() ? "" : " ") + std::to_string(e.line) + ":" + e.field + ":" + e.code;
  return out;
}

std::string fields_of(const Status& s) {
  std::string out;
  for (const auto& e : s.errors()) out += (out.empty() ? "" : " ") + e.field + ":" + e.code;
  return out;
}

const std::string kHeader = "code,name,province_code,city_code,type\n";

struct World {
  testing::TempDir dir;
  ManualClock clock{*parse_time("2020-04-02T10:00:00+08:00")};
  std::unique_ptr<EventStore> store;
  std::unique_ptr<ReferenceService> service;

  Actor op{"acc-op", "operator", "", "", "", ""};
  Actor province{"acc-province-41", "province", "41", "", "", ""};
  Actor auditor{"acc-auditor", "auditor", "", "", "", ""};
  Actor leader{"acc-leader-a", "leader", "41", "4101", "4141010001", ""};
  Actor leader_b{"acc-leader-b", "leader", "41", "4101", "4141010002", ""};
  Actor org_a{"acc-org-a", "org", "", "", "", ""};
  Actor org_b{"acc-org-b", "org", "", "", "", ""};

  World() {
    StoreOptions options;
    options.path = dir.str();
    options.sync = false;
    options.inline_projections = all_projections();
    auto s = open_store(options);
    REQUIRE_MESSAGE(s.is_ok(), s.status().to_string());
    store = std::move(*s);
    service = std::make_unique<ReferenceService>(*store, clock);
  }

  static Request as(const Actor& a) { return Request{a, "", "", std::nullopt}; }

  std::string org(const std::string& code, const std::string& name) {
    auto o = service->create_org(as(op), {code, name, "91110000101623741K", "张三", "13800138000"});
    REQUIRE_MESSAGE(o.is_ok(), o.status().to_string());
    return o->id;
  }
  std::string certificate(const std::string& code, const std::string& name,
                          const std::string& org_id) {
    auto c = service->create_certificate(as(op), {code, name, {"junior", "intermediate"}, org_id});
    REQUIRE_MESSAGE(c.is_ok(), c.status().to_string());
    return c->id;
  }
  // A declaration of `certificate_id` by `institution_id`, as the declarations workflow records
  // its first event (its projection keeps the index lookup::declared_certificates reads).
  void declared(const std::string& institution_id, const std::string& certificate_id,
                const std::string& declaration_id) {
    AppendRequest r;
    r.streams.push_back(
        {"declaration-" + declaration_id, ExpectedVersion::no_stream(),
         {NewEvent{"declaration.drafted", 1,
                   {{"declaration_id", declaration_id}, {"plan_id", "plan-1"},
                    {"institution_id", institution_id}, {"province_code", "41"},
                    {"city_code", "4101"}, {"certificate_id", certificate_id}, {"year", 2020},
                    {"fields", nlohmann::json::object()}}}}});
    r.actor = leader;
    r.recorded_at = clock.now();
    auto a = store->append(std::move(r));
    REQUIRE_MESSAGE(a.is_ok(), a.status().to_string());
  }
  StandardInput standard(const std::string& code, std::vector<std::string> certificate_ids,
                         const std::string& kind = "skill_level") {
    return {code, "标准" + code, "2020版", kind, std::move(certificate_ids), "", "enabled"};
  }
};

}  // namespace

// ---- identifier checks (lib/util/identifiers.h) --------------------------------------------

TEST_CASE("resident ID numbers: the worked examples pass, a wrong check character, a date that "
          "does not exist or a wrong length fail") {
  for (const char* id : {"11010519491231002X", "360426199101010071", "120103198806018241"})
    CHECK_MESSAGE(util::valid_resident_id(id), id);
  CHECK_FALSE(util::valid_resident_id("110105194912310021"));  // check character should be X
  CHECK_FALSE(util::valid_resident_id("11010519491231002x"));  // X is upper case
  CHECK_FALSE(util::valid_resident_id("360426199101010072"));
  CHECK_FALSE(util::valid_resident_id("110105194902300023"));  // 30 February
  CHECK_FALSE(util::valid_resident_id("110105194913010025"));  // month 13
  CHECK_FALSE(util::valid_resident_id("110105189912310021"));  // before 1900
  CHECK_FALSE(util::valid_resident_id("11010519491231002"));
  CHECK_FALSE(util::valid_resident_id("11010519491231002X1"));
  CHECK_FALSE(util::valid_resident_id(""));
}

TEST_CASE("unified social credit codes: the worked example passes, a wrong check character, a "
          "letter outside the alphabet or a wrong length fail") {
  CHECK(util::valid_credit_code("91110000101623741K"));
  CHECK_FALSE(util::valid_credit_code("91110000101623741J"));
  CHECK_FALSE(util::valid_credit_code("91110000101623741k"));
  CHECK_FALSE(util::valid_credit_code("9111000010162374IK"));  // I is not in the alphabet
  CHECK_FALSE(util::valid_credit_code("91110000101623741"));
  CHECK_FALSE(util::valid_credit_code("91110000101623741K0"));
}

TEST_CASE("mobile phones, institution codes and ID masking") {
  CHECK(util::valid_mobile("13800138000"));
  CHECK(util::valid_mobile("+8619912345678"));
  CHECK(util::plain_mobile("+8613800138000") == "13800138000");
  CHECK_FALSE(util::valid_mobile("12800138000"));
  CHECK_FALSE(util::valid_mobile("1380013800"));
  CHECK_FALSE(util::valid_mobile("138001380001"));
  CHECK_FALSE(util::valid_mobile("1380013800a"));
  CHECK(util::valid_institution_code("4111010028"));
  CHECK_FALSE(util::valid_institution_code("411101002"));
  CHECK_FALSE(util::valid_institution_code("41110100281"));
  CHECK_FALSE(util::valid_institution_code("41110100A8"));
  CHECK(util::mask_resident_id("370285199001015910") == "370285*****5910");
}

// ---- the registry CSV reader ---------------------------------------------------------------

TEST_CASE("the registry reader skips a BOM, honours RFC 4180 quoting and counts lines as in the "
          "file") {
  // Given a file with a BOM, CRLF line ends, a quoted name holding a comma and quotes, a name
  // spanning two lines, and a blank line.
  const std::string csv =
      "\xEF\xBB\xBF" "code,name,province_code,city_code,type\r\n"
      "4111010001,\"北京大学, 医学部\",11,1101,本科\r\n"
      "4141010028,\"郑州\"\"职业\"\"技术学院\",41,4101,专科\r\n"
      "\r\n"
      "4144010001,\"广州\n番禺职业技术学院\",44,4401,专科\r\n"
      "4144010002,广东工贸职业技术学院,44,4401,专科";
  // When it is read
  auto parsed = parse_registry_csv(csv);
  // Then there are four rows, each with the line it starts on, and no errors.
  INFO(errors_of(parsed.errors));
  CHECK(parsed.error_count == 0);
  REQUIRE(parsed.rows.size() == 4);
  CHECK(parsed.rows[0].line == 2);
  CHECK(parsed.rows[0].row.name == "北京大学, 医学部");
  CHECK(parsed.rows[1].row.name == "郑州\"职业\"技术学院");
  CHECK(parsed.rows[2].line == 5);
  CHECK(parsed.rows[2].row.name == "广州\n番禺职业技术学院");
  CHECK(parsed.rows[3].line == 7);
  CHECK(parsed.rows[3].row == reference::RegistryRow{"4144010002", "广东工贸职业技术学院", "44",
                                                     "4401", "专科"});
}

TEST_CASE("the registry reader names every bad line and field") {
  const std::string csv = kHeader +
                          "4111010001,北京大学,11,1101,本科\n"           // 2 good
                          "411101000,短码,11,1101,本科\n"                // 3 code length
                          "4141010001,省份不符,11,1101,本科\n"           // 4 digits 3-4 ≠ 11
                          "4199010001,无此省,99,9901,本科\n"             // 5 province 99
                          "4141010002,城市不符,41,4201,专科\n"           // 6 city of 42
                          "4141010003,,41,4101,\n"                        // 7 name and type empty
                          "4111010001,重复,11,1101,本科\n"               // 8 code of line 2
                          "4141010004,少一列,41,4101\n"                   // 9 four fields
                          "4141010005," + std::string(101, 'x') + ",41,4101,专科\n";  // 10
  auto parsed = parse_registry_csv(csv);
  CHECK(errors_of(parsed.errors) ==
        "3:code:invalid 4:code:province_mismatch 5:province_code:invalid 6:city_code:invalid "
        "7:name:required 7:type:required 8:code:duplicate_in_file 9:line:wrong_field_count "
        "10:name:too_long");
  CHECK(parsed.error_count == 9);
}

TEST_CASE("the registry reader refuses a wrong header, malformed quoting and invalid UTF-8") {
  CHECK(errors_of(parse_registry_csv("code,name,province,city,type\n4111010001,北大,11,1101,本科\n")
                      .errors) == "1:header:invalid");
  CHECK(errors_of(parse_registry_csv("").errors) == "1:header:invalid");
  CHECK(errors_of(parse_registry_csv(kHeader + "4111010001,\"未闭合,11,1101,本科\n").errors) ==
        "2:file:malformed_csv");
  CHECK(errors_of(parse_registry_csv(kHeader + "4111010001,北\"大,11,1101,本科\n").errors) ==
        "2:file:malformed_csv");
  CHECK(errors_of(parse_registry_csv(kHeader + "4111010001,\xff\xfe,11,1101,本科\n").errors) ==
        "2:name:invalid");
  // Columns may come in any order.
  auto reordered = parse_registry_csv("type,city_code,province_code,name,code\n本科,1101,11,北大,4111010001\n");
  REQUIRE(reordered.rows.size() == 1);
  CHECK(reordered.rows[0].row.code == "4111010001");
  CHECK(reordered.rows[0].row.type == "本科");
}

// ---- registry imports ----------------------------------------------------------------------

TEST_CASE("an import writes every row in chunks of one append, a code imported again moves") {
  World w;
  // Given 1,201 rows of province 41 (3 chunks) and one of Beijing.
  std::string csv = kHeader + "4111010001,北京大学,11,1101,本科\n";
  for (int i = 1; i <= 1201; ++i)
    csv += "41410" + std::to_string(10000 + i) + ",学校" + std::to_string(i) + ",41," +
           (i % 2 ? "4101" : "4102") + ",专科\n";
  const auto before = w.store->head_position();
  // When the operator imports it
  auto imported = w.service->import_registry(World::as(w.op), csv);
  REQUIRE_MESSAGE(imported.is_ok(), imported.status().to_string());
  INFO(errors_of(imported->errors));
  // Then every row is in, as three events of one stream in one append.
  CHECK(imported->imported == 1202);
  auto events = w.store->read_stream(imported->stream);
  REQUIRE(events.is_ok());
  CHECK(events->size() == 3);
  CHECK(w.store->head_position() == before + 3);
  CHECK(lookup::registry_entry(*w.store, "4111010001")->name == "北京大学");

  auto all = w.service->registry({}, {1, 10});
  REQUIRE(all.is_ok());
  CHECK(all->total == 1202);
  CHECK(all->items.front().code == "4111010001");
  auto henan = w.service->registry({"41", "", ""}, {2, 100});
  REQUIRE(henan.is_ok());
  CHECK(henan->total == 1201);
  CHECK(henan->items.size() == 100);
  auto zhengzhou = w.service->registry({"", "4101", ""}, {1, 100});
  CHECK(zhengzhou->total == 601);
  auto named = w.service->registry({"41", "", "学校120"}, {1, 100});
  CHECK(named->total == 3);  // 学校120, 学校1200 and 学校1201
  auto by_code = w.service->registry({"", "", "4141011201"}, {1, 10});
  CHECK(by_code->total == 1);

  // When a code comes again with another city, its entry moves.
  auto again = w.service->import_registry(World::as(w.op),
                                          kHeader + "4141011201,学校1201（新址）,41,4102,专科\n");
  REQUIRE(again.is_ok());
  CHECK(again->imported == 1);
  CHECK(lookup::registry_entry(*w.store, "4141011201")->city_code == "4102");
  CHECK(w.service->registry({"", "4101", ""}, {1, 10})->total == 600);
  CHECK(w.service->registry({"", "4102", ""}, {1, 10})->total == 601);
  CHECK(w.service->registry({}, {1, 10})->total == 1202);
}

TEST_CASE("an import with one bad line imports nothing, and only the operator imports") {
  World w;
  const auto before = w.store->head_position();
  auto bad = w.service->import_registry(
      World::as(w.op), kHeader + "4111010001,北京大学,11,1101,本科\n4111010002,,11,1101,本科\n");
  REQUIRE(bad.is_ok());
  CHECK(errors_of(bad->errors) == "3:name:required");
  CHECK(bad->imported == 0);
  CHECK(w.store->head_position() == before);
  CHECK_FALSE(lookup::registry_entry(*w.store, "4111010001"));

  auto refused = w.service->import_registry(World::as(w.province),
                                            kHeader + "4111010001,北京大学,11,1101,本科\n");
  CHECK(refused.status().code() == "auth.forbidden");
  CHECK(w.store->head_position() == before);
}

// ---- orgs and certificates -----------------------------------------------------------------

TEST_CASE("orgs: the operator creates them, a taken code is org.duplicate, fields are checked") {
  World w;
  auto o = w.service->create_org(World::as(w.op), {"ORG-600002", "北京中车行高新技术有限公司",
                                                   "91110000101623741K", "张三", "+8613800138000"});
  REQUIRE_MESSAGE(o.is_ok(), o.status().to_string());
  CHECK(o->stream == "org-" + o->id);
  CHECK(o->version == 1);
  CHECK(o->contact_phone == "13800138000");
  CHECK(lookup::org(*w.store, o->id)->name == "北京中车行高新技术有限公司");

  auto again = w.service->create_org(World::as(w.op), {"ORG-600002", "另一个", "91110000101623741K",
                                                       "李四", "13800138001"});
  CHECK(again.status().code() == "org.duplicate");

  auto bad = w.service->create_org(World::as(w.op),
                                   {"ORG 1", "", "91110000101623741J", "", "12345"});
  CHECK(bad.status().code() == "validation.failed");
  CHECK(fields_of(bad.status()) ==
        "code:invalid name:required credit_code:invalid contact_name:required contact_phone:invalid");

  auto forbidden = w.service->create_org(World::as(w.province), {"ORG-2", "某组织",
                                                                "91110000101623741K", "王五",
                                                                "13800138002"});
  CHECK(forbidden.status().code() == "auth.forbidden");
}

TEST_CASE("certificates from the shared sample: an existing org, levels once each, a code once") {
  World w;
  // Given the orgs and certificates of certificates-sample.csv with standard codes.
  std::istringstream sample(data_file("certificates-sample.csv"));
  std::string line;
  std::getline(sample, line);  // header
  int created = 0;
  while (std::getline(sample, line)) {
    auto c = cells(line);
    if (c.size() < 3 || c[0].empty()) continue;
    const std::string org_id = w.org("ORG-" + c[0], c[2]);
    auto cert = w.service->create_certificate(World::as(w.op),
                                              {c[0], c[1], {"senior", "junior"}, org_id});
    REQUIRE_MESSAGE(cert.is_ok(), cert.status().to_string());
    CHECK(cert->levels == std::vector<std::string>{"junior", "senior"});
    CHECK(lookup::certificate(*w.store, cert->id)->org_id == org_id);
    ++created;
  }
  CHECK(created == 7);
  auto all = w.service->certificates(w.leader, "", {1, 100});
  REQUIRE(all.is_ok());
  CHECK(all->total == 7);
  CHECK(all->items.front().code == "520002");
  CHECK(w.service->certificates(w.leader, "汽车", {1, 100})->total == 2);
  CHECK(w.service->certificates(w.leader, "600003", {1, 100})->total == 1);

  const std::string org_id = all->items.front().org_id;
  CHECK(w.service->create_certificate(World::as(w.op), {"600002", "重复", {"junior"}, org_id})
            .status()
            .code() == "certificate.duplicate");
  auto bad = w.service->create_certificate(World::as(w.op),
                                           {"X1", "某证书", {"junior", "expert", "junior"}, "no-such-org"});
  CHECK(fields_of(bad.status()) == "levels[1]:invalid levels[2]:duplicate org_id:not_found");
  CHECK(fields_of(w.service->create_certificate(World::as(w.op), {"X2", "某证书", {}, org_id})
                      .status()) == "levels:required");
}

// ---- standards and who sees what -----------------------------------------------------------

TEST_CASE("standards: an org publishes for its own certificates and revises with If-Match, an "
          "institution sees the orgs and standards of the certificates it declared") {
  World w;
  const std::string org_a = w.org("ORG-A", "北京中车行高新技术有限公司");
  const std::string org_b = w.org("ORG-B", "沈阳新松机器人自动化股份有限公司");
  w.org_a.org_id = org_a;
  w.org_b.org_id = org_b;
  const std::string car = w.certificate("600002", "智能新能源汽车职业技能等级证书", org_a);
  const std::string robot = w.certificate("560010", "工业机器人装调职业技能等级证书", org_b);

  // An org may not list another org's certificate, nor an unknown one.
  auto wrong = w.service->publish_standard(World::as(w.org_a),
                                           w.standard("600002", {car, robot, "nope"}));
  CHECK(fields_of(wrong.status()) == "certificate_ids[1]:not_own certificate_ids[2]:not_found");
  // A document must be a standard_document the org uploaded.
  auto with_file = w.standard("600002", {car});
  with_file.file_id = "no-such-file";
  CHECK(fields_of(w.service->publish_standard(World::as(w.org_a), with_file).status()) ==
        "file_id:file.not_usable");
  CHECK(w.service->publish_standard(World::as(w.op), w.standard("600002", {car})).status().code() ==
        "auth.forbidden");

  auto published = w.service->publish_standard(World::as(w.org_a), w.standard("600002", {car}));
  REQUIRE_MESSAGE(published.is_ok(), published.status().to_string());
  CHECK(published->version == 1);
  CHECK(published->edition == "2020版");
  CHECK(published->org_id == org_a);
  auto site = w.service->publish_standard(World::as(w.org_b),
                                          w.standard("560010", {robot}, "site_construction"));
  REQUIRE(site.is_ok());

  // Revising: a stale If-Match is a conflict; the owner's revision takes; another org sees none.
  Request stale = World::as(w.org_a);
  stale.if_match = 7;
  StandardPatch disable;
  disable.status = "disabled";
  CHECK(w.service->revise_standard(stale, published->id, disable).status().code() ==
        "concurrency.version_conflict");
  CHECK(w.service->revise_standard(World::as(w.org_b), published->id, disable).status().code() ==
        "standard.not_found");
  Request fresh = World::as(w.org_a);
  fresh.if_match = 1;
  StandardPatch edition;
  edition.edition = "2021版";
  auto revised = w.service->revise_standard(fresh, published->id, edition);
  REQUIRE_MESSAGE(revised.is_ok(), revised.status().to_string());
  CHECK(revised->version == 2);
  CHECK(revised->edition == "2021版");
  // The same revision again changes nothing.
  CHECK(w.service->revise_standard(World::as(w.org_a), published->id, edition)->version == 2);

  // Who sees what, before any declaration.
  auto codes = [&](const Actor& a) {
    std::string out;
    for (const auto& s : w.service->standards(a, "", {1, 100})->items) out += s.code + " ";
    out += "|";
    for (const auto& o : w.service->orgs(a, {1, 100})->items) out += " " + o.code;
    return out;
  };
  CHECK(codes(w.op) == "560010 600002 | ORG-A ORG-B");
  CHECK(codes(w.province) == "560010 600002 | ORG-A ORG-B");
  CHECK(codes(w.org_a) == "600002 | ORG-A");
  CHECK(codes(w.leader) == "|");
  CHECK(w.service->org(w.leader, org_a).status().code() == "org.not_found");

  // When institution 4141010001 declares the car certificate
  w.declared(w.leader.institution_id, car, "d1");
  // Then its accounts see that org and standard, and the other institution still sees nothing.
  CHECK(codes(w.leader) == "600002 | ORG-A");
  CHECK(w.service->org(w.leader, org_a).is_ok());
  CHECK(w.service->org(w.leader, org_b).status().code() == "org.not_found");
  CHECK(codes(w.leader_b) == "|");
  // Staff see only certificates within their scope.
  Actor staff{"acc-staff", "staff", "41", "4101", w.leader.institution_id, "", {robot}};
  CHECK(codes(staff) == "|");
  staff.certificates = {car};
  CHECK(codes(staff) == "600002 | ORG-A");
  // A disabled standard is not shown to institutions; kinds filter.
  CHECK(w.service->revise_standard(World::as(w.org_a), published->id, disable).is_ok());
  CHECK(codes(w.leader) == "| ORG-A");
  CHECK(w.service->standards(w.auditor, "site_construction", {1, 10})->total == 1);
}

TEST_CASE("reference records replay: the read models rebuilt from the log equal the live ones, "
          "and record_state shows each kind") {
  World w;
  const std::string org_id = w.org("ORG-A", "北京中车行高新技术有限公司");
  w.org_a.org_id = org_id;
  const std::string car = w.certificate("600002", "智能新能源汽车职业技能等级证书", org_id);
  auto s = w.service->publish_standard(World::as(w.org_a), w.standard("600002", {car}));
  REQUIRE(s.is_ok());
  StandardPatch p;
  p.name = "智能新能源汽车职业技能等级标准";
  REQUIRE(w.service->revise_standard(World::as(w.org_a), s->id, p).is_ok());
  auto imported = w.service->import_registry(
      World::as(w.op), kHeader + "4111010001,北京大学,11,1101,本科\n4141010001,郑州大学,41,4101,本科\n");
  REQUIRE(imported.is_ok());
  REQUIRE(w.service->import_registry(World::as(w.op), kHeader + "4141010001,郑州大学,41,4102,本科\n")
              .is_ok());

  auto rebuilt = rebuild_read_models(*w.store, all_projections());
  auto live = live_read_models(*w.store, all_projections());
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  auto diff = compare_read_models(*rebuilt, *live);
  std::string shown;
  for (const auto& d : diff) shown += d + "\n";
  CHECK_MESSAGE(diff.empty(), shown);

  auto state = [&](const std::string& stream) {
    auto events = w.store->read_stream(stream);
    REQUIRE(events.is_ok());
    auto j = record_state(stream, *events);
    REQUIRE_MESSAGE(j.is_ok(), j.status().to_string());
    return *j;
  };
  CHECK(state("standard-" + s->id)["state"] == "enabled");
  CHECK(state("standard-" + s->id)["record"]["name"] == "智能新能源汽车职业技能等级标准");
  CHECK(state("org-" + org_id)["record"]["code"] == "ORG-A");
  CHECK(state("certificate-" + car)["record"]["org_id"] == org_id);
  CHECK(state(imported->stream)["record"]["rows"] == 2);
}
