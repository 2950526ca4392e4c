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
#include <stb/stb_image_write.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <map>
#include <stdexcept>

#include "app/app.h"
#include "cli/cli.h"
#include "http/local_client.h"
#include "security/secrets.h"
#include "sheet/sheet.h"
#include "sms/outbox_gateway.h"
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

// A resident ID number (GB 11643) of a demo person born in Guangzhou's Panyu district in
// `year`, with its check character.
std::string resident_id(int n, int year = 2005) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::string id = fmt::format("440113{:04d}{:02d}{:02d}{:03d}", year, 1 + n % 12, 1 + n % 28, 100 + n);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[static_cast<std::size_t>(i)] - '0') * kWeights[i];
  return id + "10X98765432"[sum % 11];
}

// The candidate template (API.md) filled with Panyu's first students, as an XLSX file.
std::string candidate_workbook() {
  constexpr const char* kNames[][2] = {{"陈思远", "Chen Siyuan"}, {"李嘉欣", "Li Jiaxin"},  {"王浩然", "Wang Haoran"},
                                       {"张雨桐", "Zhang Yutong"}, {"刘子轩", "Liu Zixuan"}, {"黄诗琪", "Huang Shiqi"}};
  std::vector<std::vector<std::string>> rows;
  int n = 0;
  for (const auto& [name, pinyin] : kNames) {
    rows.push_back({n < 5 ? "院校考生" : "社会考生", name, pinyin, resident_id(n), fmt::format("1370000{:04d}", n + 1),
                    n < 5 ? "新能源汽车技术" : "", n < 5 ? "高职专科" : "", n < 5 ? "2024" : ""});
    ++n;
  }
  auto made = sheet::write_xlsx("考生", {"考生类型", "姓名", "姓名拼音", "身份证号", "手机号", "就读专业", "专业层次", "入学年份"},
                                rows);
  if (!made) throw std::runtime_error(made.status().to_string());
  return *made;
}

// A 1-inch ID photo (295×413, red background, a sitter drawn in the lower middle) as a JPEG,
// encoded with stb_image_write.
std::string id_photo(int n) {
  constexpr int w = 295, h = 413;
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double hx = (x - w * 0.5) / (w * 0.25), hy = (y - h * 0.4) / (h * 0.24);
      const double sx = (x - w * 0.5) / (w * 0.5), sy = (y - h) / (h * 0.3);
      unsigned char c[3] = {220, 0, 0};
      if (sx * sx + sy * sy < 1.0) c[0] = 30, c[1] = 30, c[2] = static_cast<unsigned char>(60 + n * 10);
      else if (hx * hx + hy * hy < 1.0) c[0] = 235, c[1] = 195, c[2] = 165;
      std::copy(c, c + 3, &rgb[(static_cast<std::size_t>(y) * w + x) * 3]);
    }
  std::string out;
  stbi_write_jpg_to_func([](void* to, void* data, int size) { static_cast<std::string*>(to)->append(static_cast<char*>(data), size); },
                         &out, w, h, 3, rgb.data(), 85);
  return out;
}

// A ZIP of these entries, written by libzip in memory.
std::string zip_of(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  for (const auto& [name, bytes] : entries)
    zip_file_add(archive, name.c_str(), zip_source_buffer(archive, bytes.data(), bytes.size(), 0), ZIP_FL_ENC_UTF_8);
  zip_close(archive);
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
    out.resize(st.size);
    const auto n = zip_source_read(buffer, out.data(), st.size);
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  zip_error_fini(&error);
  if (out.empty()) throw std::runtime_error("cannot write the demo's photo archive");
  return out;
}

// A valid unified social credit code (GB 32100) for the n-th demo organisation.
std::string credit_code(int n) {
  const std::string body = fmt::format("91110000{:09d}", 100234567 + n * 7919);
  for (char check : std::string_view("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    if (util::valid_credit_code(body + check)) return body + check;
  throw std::logic_error("no check character");
}

// A minimal well-formed PDF, for the attachments the round needs.
std::string tiny_pdf(std::string_view title) {
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

  // Exam organisation: ZCX's subjects of the new-energy certificate (junior) and a published
  // plan registering for a month; Panyu (which holds the quota approved above) imports its
  // candidates from the template and submits an invigilator, whom ZCX certifies.
  const User& zcx = org_users.at("ORG-ZCX");
  std::vector<std::string> subjects;
  for (const auto& [code, name, type] : {std::tuple{"NEV-J-01", "理论知识", "computer"},
                                         std::tuple{"NEV-J-02", "实操技能", "practical"}})
    subjects.push_back(d.post("/api/v1/exam-subjects",
                              {{"certificate_id", newenergy}, {"level", "junior"}, {"code", code}, {"name", name},
                               {"exam_type", type}, {"duration_minutes", 90}, {"full_score", 10000},
                               {"pass_score", 6000}, {"audience", {"all"}}},
                              zcx.token)["id"]);
  auto at = [&](std::chrono::minutes m) { return format_china(clock.now() + m); };
  const json exam_plan = d.post(
      "/api/v1/exam-plans",
      {{"name", "智能新能源汽车（初级）第一次考试"}, {"certificate_id", newenergy}, {"level", "junior"},
       {"subject_ids", subjects}, {"registration_opens_at", at(0h)}, {"registration_closes_at", at(30 * 24h)},
       {"sittings", {{{"subject_id", subjects[0]}, {"starts_at", at(35 * 24h)}, {"ends_at", at(35 * 24h + 90min)}},
                     {{"subject_id", subjects[1]}, {"starts_at", at(36 * 24h)}, {"ends_at", at(36 * 24h + 90min)}}}},
       {"score_entry_opens_at", at(37 * 24h)}, {"score_entry_closes_at", at(44 * 24h)},
       {"publicity_starts_at", at(45 * 24h)}, {"publicity_ends_at", at(52 * 24h)},
       {"pass_rule", {{"kind", "every_subject"}}},
       {"fee", {{"collected_on_platform", true}, {"per", "certificate"}, {"amount_cents", 30000}}}},
      zcx.token);
  d.post("/api/v1/exam-plans/" + id_of(exam_plan) + "/publish", json::object(), zcx.token, 200);
  d.raw("POST", "/api/v1/candidates/import", candidate_workbook(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", panyu_leader.token, 200);
  // Photos of four of them; the first two confirmed by hand (the demo's verifier is unavailable).
  std::vector<std::pair<std::string, std::string>> photos;
  for (int k = 0; k < 4; ++k) photos.emplace_back(resident_id(k) + ".jpg", id_photo(k));
  const auto photo_entries = photos;
  d.raw("POST", "/api/v1/candidates/photos", zip_of(photo_entries), "application/zip", panyu_leader.token, 200);
  const json listed = d.call("GET", "/api/v1/candidates?page_size=2", nullptr, panyu_leader.token, 200);
  for (const auto& c : listed["items"])
    d.post("/api/v1/candidates/" + c["id"].get<std::string>() + "/confirm-identity", json::object(),
           panyu_leader.token, 200);
  auto invigilator = d.post("/api/v1/invigilators",
                            {{"name", "郑老师"}, {"id_number", resident_id(90, 1980)},
                             {"phone", "13700001001"}, {"certificate_ids", {newenergy}}},
                            panyu_leader.token);
  d.post("/api/v1/invigilators/" + id_of(invigilator) + "/review", {{"approve", true}}, zcx.token, 200);

  std::string summary = fmt::format(
      "onex demo: filled {} — a Guangdong pilot round: 20 registry schools, {} organisations, "
      "10 certificates, plan {} with declarations in every state; exam plan {} registering, "
      "6 candidates (4 with photos, 2 confirmed by hand) and a certified invigilator at Panyu.\n\n",
      shown_dir, std::size(kOrgs), plan_id, id_of(exam_plan));
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
