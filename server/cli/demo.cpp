// `onex demo --data-dir DIR`: a new store filled with a small, realistic certificate pilot round,
// made through the REST routes in-process (http::LocalClient), so the demo data passes every
// rule a client's would. The data: the reference files of ../shared/data (provinces, real 1+X
// certificates and their organisations) and a registry of twenty real vocational schools of
// Guangzhou and Shenzhen (their registry codes are illustrative).
//
// The store is filled on a simulated clock that starts 23 hours ago and advances a minute per
// SMS (codes to one phone are one a minute), so every event lies in the past and the plan's
// window, open from 24 hours ago for a month, is open all along and when `onex serve` starts.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <stdexcept>

#include "app/app.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "security/secrets.h"
#include "util/identifiers.h"

namespace onex::cli {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct Org {
  const char* code;
  const char* name;
  const char* contact;
  bool has_account;
};
// The organisations of the ten certificates below (SPEC data/certificates-sample.csv).
constexpr Org kOrgs[] = {
    {"ORG-ZCX", "北京中车行高新技术有限公司", "王志强", true},
    {"ORG-ZNLD", "中农粮盾（北京）技术服务有限公司", "李建国", false},
    {"ORG-XS", "沈阳新松机器人自动化股份有限公司", "张海峰", true},
    {"ORG-HYHZ", "北京化育厚泽咨询有限公司", "赵敏", false},
    {"ORG-ZDNJ", "中德诺京（北京）教育科技有限公司", "孙立", false},
    {"ORG-SHZH", "上海智会教育咨询有限公司", "周婷", false},
    {"ORG-GZGJ", "广州城市轨道交通培训股份有限公司", "陈伟", true},
    {"ORG-LFZK", "廊坊市中科建筑产业化创新研究中心", "刘洋", false},
    {"ORG-MIIT", "工业和信息化部教育与考试中心", "黄磊", false},
};

struct Certificate {
  const char* code;  // the standard code where the manual gives one
  const char* name;
  const char* org_code;
};
constexpr Certificate kCertificates[] = {
    {"600002", "智能新能源汽车职业技能等级证书", "ORG-ZCX"},
    {"590001", "粮农食品安全评价职业技能等级证书", "ORG-ZNLD"},
    {"560010", "工业机器人装调职业技能等级证书", "ORG-XS"},
    {"520002", "污水处理职业技能等级证书", "ORG-HYHZ"},
    {"560008", "智能网联汽车检测与运维职业技能等级证书", "ORG-ZDNJ"},
    {"630009", "数字化管理会计职业技能等级证书", "ORG-SHZH"},
    {"600003", "城市轨道交通票务职业技能等级证书", "ORG-GZGJ"},
    {"C-BIM", "建筑信息模型（BIM）职业技能等级证书", "ORG-LFZK"},
    {"C-WEB", "Web前端开发职业技能等级证书", "ORG-MIIT"},
    {"C-QCYY", "汽车运用与维修职业技能等级证书", "ORG-ZCX"},
};

struct School {
  const char* code;  // illustrative: type 41 (higher vocational) or 31 (secondary), province 44
  const char* name;
  const char* city;
  const char* type;
};
constexpr School kRegistry[] = {
    {"4144010001", "广州番禺职业技术学院", "4401", "高等职业学校"},
    {"4144010002", "广东轻工职业技术学院", "4401", "高等职业学校"},
    {"4144010003", "广州铁路职业技术学院", "4401", "高等职业学校"},
    {"4144010004", "广东交通职业技术学院", "4401", "高等职业学校"},
    {"4144010005", "广州城市职业学院", "4401", "高等职业学校"},
    {"4144010006", "广东工贸职业技术学院", "4401", "高等职业学校"},
    {"4144010007", "广州民航职业技术学院", "4401", "高等职业学校"},
    {"4144010008", "广东建设职业技术学院", "4401", "高等职业学校"},
    {"4144010009", "广州工程技术职业学院", "4401", "高等职业学校"},
    {"4144010010", "广东农工商职业技术学院", "4401", "高等职业学校"},
    {"4144010011", "广东机电职业技术学院", "4401", "高等职业学校"},
    {"4144010012", "广州科技贸易职业学院", "4401", "高等职业学校"},
    {"4144030001", "深圳职业技术大学", "4403", "高等职业学校"},
    {"4144030002", "深圳信息职业技术学院", "4403", "高等职业学校"},
    {"3144030003", "深圳市第一职业技术学校", "4403", "中等职业学校"},
    {"3144030004", "深圳市第二职业技术学校", "4403", "中等职业学校"},
    {"3144030005", "深圳市龙岗职业技术学校", "4403", "中等职业学校"},
    {"3144030006", "深圳市宝安职业技术学校", "4403", "中等职业学校"},
    {"3144030007", "深圳市博伦职业技术学校", "4403", "中等职业学校"},
    {"3144030008", "深圳市行知职业技术学校", "4403", "中等职业学校"},
};

// A valid unified social credit code (GB 32100) for the n-th demo organisation.
std::string credit_code(int n) {
  const std::string body = fmt::format("91110000{:09d}", 100234567 + n * 7919);
  for (char check : std::string_view("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    if (util::valid_credit_code(body + check)) return body + check;
  throw std::logic_error("no check character");
}

}  // namespace

std::string demo_data::tiny_pdf(std::string_view title) {
  const std::string content = fmt::format("BT /F1 12 Tf 72 720 Td ({}) Tj ET", title);
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  auto object = [&](const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += fmt::format("{} 0 obj\n{}\nendobj\n", offsets.size(), body);
  };
  object("<< /Type /Catalog /Pages 2 0 R >>");
  object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         "/Resources << /Font << /F1 5 0 R >> >> >>");
  object(fmt::format("<< /Length {} >>\nstream\n{}\nendstream", content.size(), content));
  object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const std::size_t xref = pdf.size();
  pdf += fmt::format("xref\n0 {}\n0000000000 65535 f \n", offsets.size() + 1);
  for (auto o : offsets) pdf += fmt::format("{:010d} 00000 n \n", o);
  pdf += fmt::format("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n",
                     offsets.size() + 1, xref);
  return pdf;
}

namespace {

using namespace demo_data;

std::string registry_csv() {
  std::string csv = "code,name,province_code,city_code,type\n";
  for (const auto& s : kRegistry)
    csv += fmt::format("{},{},44,{},{}\n", s.code, s.name, s.city, s.type);
  return csv;
}

json profile(int n, const std::string& contact, const std::string& phone) {
  return {{"type", "公办"},
          {"credit_code", credit_code(100 + n)},
          {"website", "https://www.example.edu.cn"},
          {"district", n % 2 ? "番禺区" : "南山区"},
          {"address", "广东省学院路" + std::to_string(n) + "号"},
          {"contact_name", contact},
          {"contact_phone", phone},
          {"contact_email", "pilot" + std::to_string(n) + "@example.edu.cn"}};
}

json declaration(const std::string& plan, const std::string& certificate, int trainees,
                 bool submit) {
  return {{"plan_id", plan},
          {"certificate_id", certificate},
          {"majors", json::array({"汽车检测与维修技术", "新能源汽车技术"})},
          {"planned_trainees", trainees},
          {"teachers_html", "<p>专任教师<strong>12</strong>名，其中双师型教师8名。</p>"},
          {"venue_html", "<p>校内实训中心两处，工位<em>60</em>个。</p>"},
          {"submit", submit}};
}

// Fills a new store at data_dir; returns what to tell the user (naming the store `shown_dir`).
// Throws on any answer the round did not expect.
std::string fill(const std::string& data_dir, const std::string& shown_dir) {
  const Timestamp real_now = std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  ManualClock clock(real_now - 23h);
  auto created = app::init_store(data_dir, "admin", clock);
  if (!created) throw std::runtime_error(created.status().to_string());
  app::AppOptions options;
  options.data_dir = data_dir;
  options.captcha = false;  // the demo signs its users in itself; `onex serve` turns it back on
  auto app = app::App::open(options, clock);
  if (!app) throw std::runtime_error(app.status().to_string());
  const std::string password = security::random_password();
  Driver d(**app, clock, data_dir, password);
  std::vector<User> made;

  // The platform: operator, reference data, the province, its cities, an auditor, org accounts.
  User op = d.set_up(created->account.id, "admin", "operator", created->initial_password,
                     "平台管理员", "13800000001");
  made.push_back(op);
  d.raw("POST", "/api/v1/institution-registry/import", registry_csv(), "text/csv", op.token, 200);
  std::map<std::string, std::string> org_ids, certificate_ids;
  int n = 0;
  for (const auto& o : kOrgs) {
    auto org = d.post("/api/v1/orgs", {{"code", o.code}, {"name", o.name},
                                       {"credit_code", credit_code(n)},
                                       {"contact_name", o.contact},
                                       {"contact_phone", fmt::format("139{:08d}", 10000000 + n)}},
                      op.token);
    org_ids[o.code] = org["id"];
    ++n;
  }
  for (const auto& c : kCertificates) {
    auto cert = d.post("/api/v1/certificates",
                       {{"code", c.code}, {"name", c.name},
                        {"levels", json::array({"junior", "intermediate", "senior"})},
                        {"org_id", org_ids[c.org_code]}},
                       op.token);
    certificate_ids[c.code] = cert["id"];
  }
  User province = d.create(op, {{"account", "gd_province"}, {"role", "province"}, {"province_code", "44"}},
                           "广东省教育厅", "13800000002");
  made.push_back(province);
  made.push_back(d.create(op, {{"account", "auditor"}, {"role", "auditor"}}, "审计员", "13800000003"));
  n = 0;
  std::map<std::string, User> org_users;
  for (const auto& o : kOrgs) {
    if (!o.has_account) continue;
    ++n;
    User org = d.create(op, {{"account", fmt::format("org_{}", n)}, {"role", "org"},
                             {"org_id", org_ids[o.code]}},
                        o.contact, fmt::format("138000001{:02d}", n));
    made.push_back(org);
    org_users[o.code] = org;
    // Each org publishes the skill standard of its first certificate.
    for (const auto& c : kCertificates)
      if (std::string_view(c.org_code) == o.code) {
        d.post("/api/v1/standards",
               {{"code", std::string_view(c.code).starts_with("C-") ? std::string("S") + c.code
                                                                     : std::string(c.code)},
                {"name", std::string(c.name).substr(0, std::string(c.name).size() - 6) + "标准"},
                {"version", "2020版"}, {"kind", "skill_level"},
                {"certificate_ids", json::array({certificate_ids[c.code]})}, {"status", "enabled"}},
               org.token);
        break;
      }
  }
  User guangzhou = d.create(province, {{"account", "gz_city"}, {"role", "city"}, {"city_code", "4401"}},
                            "广州市教育局", "13800000004");
  User shenzhen = d.create(province, {{"account", "sz_city"}, {"role", "city"}, {"city_code", "4403"}},
                           "深圳市教育局", "13800000005");
  made.push_back(guangzhou);
  made.push_back(shenzhen);

  // Institutions: three leaders made by the province, one by self-registration; their profiles.
  const std::string panyu = kRegistry[0].code, qinggong = kRegistry[1].code,
                    szpt = kRegistry[12].code, szit = kRegistry[13].code;
  User panyu_leader = d.create(province, {{"account", "panyu_leader"}, {"role", "leader"},
                                          {"institution_id", panyu}},
                               "陈校长", "13800000011");
  User szpt_leader = d.create(province, {{"account", "szpt_leader"}, {"role", "leader"},
                                         {"institution_id", szpt}},
                              "林校长", "13800000012");
  User szit_leader = d.create(province, {{"account", "szit_leader"}, {"role", "leader"},
                                         {"institution_id", szit}},
                              "吴校长", "13800000013");
  d.next_sms();
  const std::string qinggong_phone = "13800000014";
  d.post("/api/v1/institution-registrations/sms-codes", {{"phone", qinggong_phone}}, "", 202);
  auto registered = d.post("/api/v1/institution-registrations",
                           {{"province_code", "44"}, {"institution_code", qinggong},
                            {"institution_name", kRegistry[1].name}, {"phone", qinggong_phone},
                            {"sms_code", d.code(qinggong_phone)}},
                           "");
  User qinggong_leader = d.set_up("", registered["account"], "leader", registered["initial_password"],
                                  "黄校长", qinggong_phone);
  const auto newenergy = certificate_ids["600002"], robot = certificate_ids["560010"],
             metro = certificate_ids["600003"], web = certificate_ids["C-WEB"],
             bim = certificate_ids["C-BIM"];
  User panyu_staff = d.create(panyu_leader, {{"account", "panyu_staff"}, {"role", "staff"},
                                             {"scope", json::array({json{{"certificate_id", robot},
                                                                         {"level", "intermediate"}}})}},
                              "何老师", "13800000021");
  made.insert(made.end(), {panyu_leader, panyu_staff, szpt_leader, szit_leader, qinggong_leader});
  int i = 0;
  for (const User* leader : {&panyu_leader, &szpt_leader, &szit_leader, &qinggong_leader}) {
    const std::string id = leader == &panyu_leader ? panyu : leader == &szpt_leader ? szpt
                           : leader == &szit_leader ? szit : qinggong;
    d.call("PUT", "/api/v1/institutions/" + id + "/profile", profile(++i, "联络人", leader->phone),
           leader->token, 200);
  }

  // The plan of this year's first batch, open from yesterday for a month, with city review.
  const auto year = std::stoi(format_china(real_now).substr(0, 4));
  auto plan = d.post("/api/v1/declaration-plans",
                     {{"year", year}, {"batch_name", fmt::format("{}年第一次", year)},
                      {"starts_at", format_china(real_now - 24h)},
                      {"ends_at", format_china(real_now + 30 * 24h)},
                      {"majors_required", true}, {"city_review_required", true}},
                     province.token);
  const std::string plan_id = plan["id"];

  // Declarations in every state.
  auto approved = d.post("/api/v1/declarations", declaration(plan_id, newenergy, 50, true), panyu_leader.token);
  auto rejected = d.post("/api/v1/declarations", declaration(plan_id, bim, 30, true), panyu_leader.token);
  d.post("/api/v1/declarations", declaration(plan_id, robot, 40, false), panyu_staff.token);  // draft
  auto in_province = d.post("/api/v1/declarations", declaration(plan_id, metro, 45, true), szpt_leader.token);
  d.post("/api/v1/declarations", declaration(plan_id, web, 60, true), szpt_leader.token);  // city review
  auto by_province = d.post("/api/v1/declarations", declaration(plan_id, robot, 35, true), szit_leader.token);
  auto deleted = d.post("/api/v1/declarations", declaration(plan_id, web, 20, false), qinggong_leader.token);
  d.post("/api/v1/declarations", declaration(plan_id, newenergy, 25, false), qinggong_leader.token);
  auto id_of = [](const json& j) { return j["id"].get<std::string>(); };
  const std::string declarations = "/api/v1/declarations/";
  d.post(declarations + id_of(approved) + "/city-review", {{"approve", true}}, guangzhou.token, 200);
  d.post(declarations + id_of(approved) + "/province-review", {{"approve", true}, {"approved_trainees", 40}},
         province.token, 200);
  d.post(declarations + id_of(rejected) + "/city-review",
         {{"approve", false}, {"reason", "实训场地说明不完整，请补充工位数量与设备清单。"}}, guangzhou.token, 200);
  d.post(declarations + id_of(in_province) + "/city-review", {{"approve", true}}, shenzhen.token, 200);
  d.post(declarations + id_of(by_province) + "/city-review", {{"approve", true}}, shenzhen.token, 200);
  d.post(declarations + id_of(by_province) + "/province-review",
         {{"approve", false}, {"reason", "本批次该证书试点名额已满。"}}, province.token, 200);
  d.call("DELETE", declarations + id_of(deleted), nullptr, qinggong_leader.token, 204);

  // Weekly reports: the province's cadence and outline, one report from Panyu.
  auto outline = d.raw("POST", "/api/v1/files?purpose=weekly_report_outline", tiny_pdf("Weekly report outline"),
                       "application/pdf", province.token, 201);
  d.call("PUT", "/api/v1/weekly-report-settings",
         {{"cadence", "weekly"}, {"outline_file_id", outline["file_id"]}}, province.token, 200);
  auto signed_scan = d.raw("POST", "/api/v1/files?purpose=weekly_report_attachment",
                           tiny_pdf("Signed weekly report"), "application/pdf", panyu_leader.token, 201);
  // The Monday that starts this week, China time.
  const auto china_days = std::chrono::floor<std::chrono::days>(clock.now() + 8h);
  const std::chrono::year_month_day monday{
      china_days - std::chrono::days(std::chrono::weekday(china_days).iso_encoding() - 1)};
  d.post("/api/v1/weekly-reports",
         {{"period_start", fmt::format("{:04d}-{:02d}-{:02d}", int(monday.year()),
                                       unsigned(monday.month()), unsigned(monday.day()))},
          {"sections", {{"progress", "完成新能源汽车证书首期培训报名，共40人。"},
                        {"problems", "实训设备到货延迟一周。"},
                        {"next_steps", "下周开展师资培训。"}}},
          {"file_id", signed_scan["file_id"]}},
         panyu_leader.token);

  // Exam organisation (demo_exams.cpp): ZCX's subjects and plan of the new-energy certificate;
  // Panyu (which holds the quota approved above) imports candidates, runs a site with rooms and
  // lends it to Qinggong.
  const ExamDemo exams = fill_exams(d, clock, org_users.at("ORG-ZCX"), panyu_leader, newenergy, qinggong_leader,
                                    qinggong);
  std::string summary = fmt::format(
      "onex demo: filled {} — a Guangdong pilot round: 20 registry schools, {} organisations, "
      "10 certificates, plan {} with declarations in every state; exam plan {} registering, "
      "{} candidates ({} with photos, {} confirmed by hand), a certified invigilator and site {} "
      "with {} exam rooms at Panyu, lent to Qinggong for the plan.\n\n",
      shown_dir, std::size(kOrgs), plan_id, exams.plan_id, exams.candidates, exams.photos, exams.confirmed,
      exams.site_id, exams.rooms);
  summary += fmt::format("Accounts (all with the password {}):\n", password);
  for (const auto& u : made)
    summary += fmt::format("  {:<24} {:<9} phone {}\n", u.account, u.role, u.phone);
  summary += fmt::format(
      "\nSign-in asks for an SMS code on a new device: the code to type is the `code` of the\n"
      "last line that has one in\n"
      "  {}/sms-outbox.jsonl\n"
      "(notices without a code follow some actions). This list is kept in {}/demo-accounts.txt.\n",
      shown_dir, shown_dir);
  return summary;
}

}  // namespace

int demo(const std::vector<std::string>& args) {
  if (args.size() != 2 || args[0] != "--data-dir") {
    if (args.size() == 1 && args[0].starts_with("--data-dir=")) return demo({"--data-dir", args[0].substr(11)});
    fmt::print(stderr, "usage: onex demo --data-dir DIR\n");
    return kExitUsage;
  }
  namespace fs = std::filesystem;
  const fs::path target(args[1]);
  std::error_code ec;
  if (fs::exists(target, ec) && !(fs::is_directory(target, ec) && fs::is_empty(target, ec))) {
    fmt::print(stderr, "onex demo: {} exists and is not empty\n", args[1]);
    return kExitUsage;
  }
  // Filled beside the target and moved into place whole, so a failed demo leaves no half store.
  const fs::path scratch = target.string() + ".partial";
  fs::remove_all(scratch, ec);
  std::string summary;
  try {
    summary = fill(scratch.string(), target.string());
    // The accounts and their password, for later: the owner's alone, as the store is.
    {
      const fs::path kept = scratch / "demo-accounts.txt";
      const int fd = ::open(kept.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) throw std::runtime_error("cannot create " + kept.string());
      const bool written = ::write(fd, summary.data(), summary.size()) == static_cast<ssize_t>(summary.size());
      ::close(fd);
      if (!written) throw std::runtime_error("cannot write " + kept.string());
    }
    fs::remove(target, ec);  // an empty directory made for it
    fs::rename(scratch, target);
  } catch (const std::exception& e) {
    fs::remove_all(scratch, ec);
    fmt::print(stderr, "onex demo: {}\n", e.what());
    return kExitCheckFailed;
  }
  fmt::print("{}", summary);
  return kExitOk;
}

}  // namespace onex::cli
