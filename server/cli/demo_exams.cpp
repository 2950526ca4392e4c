// `onex demo`'s exam organisation (demo.h): subjects, a published plan, candidates from an XLSX
// file with photos, an approved site lent to a second school, rooms and an invigilator.
#include <stb/stb_image_write.h>
#include <zip.h>

#include <tuple>
#include <utility>
#include <vector>

#include "cli/demo.h"
#include "sheet/sheet.h"

namespace onex::cli::demo_data {
namespace {

std::string id_of(const json& j) { return j["id"].get<std::string>(); }

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

}  // namespace

ExamDemo fill_exams(Driver& d, const ManualClock& clock, const User& org, const User& leader,
                    const std::string& certificate_id, const User& borrower, const std::string& borrower_id) {
  ExamDemo made;
  std::vector<std::string> subjects;
  for (const auto& [code, name, type] : {std::tuple{"NEV-J-01", "理论知识", "computer"},
                                         std::tuple{"NEV-J-02", "实操技能", "practical"}})
    subjects.push_back(d.post("/api/v1/exam-subjects",
                              {{"certificate_id", certificate_id}, {"level", "junior"}, {"code", code}, {"name", name},
                               {"exam_type", type}, {"duration_minutes", 90}, {"full_score", 10000},
                               {"pass_score", 6000}, {"audience", {"all"}}},
                              org.token)["id"]);
  auto at = [&](std::chrono::minutes m) { return format_china(clock.now() + m); };
  const json exam_plan = d.post(
      "/api/v1/exam-plans",
      {{"name", "智能新能源汽车（初级）第一次考试"}, {"certificate_id", certificate_id}, {"level", "junior"},
       {"subject_ids", subjects}, {"registration_opens_at", at(0h)}, {"registration_closes_at", at(30 * 24h)},
       {"sittings", {{{"subject_id", subjects[0]}, {"starts_at", at(35 * 24h)}, {"ends_at", at(35 * 24h + 90min)}},
                     {{"subject_id", subjects[1]}, {"starts_at", at(36 * 24h)}, {"ends_at", at(36 * 24h + 90min)}}}},
       {"score_entry_opens_at", at(37 * 24h)}, {"score_entry_closes_at", at(44 * 24h)},
       {"publicity_starts_at", at(45 * 24h)}, {"publicity_ends_at", at(52 * 24h)},
       {"pass_rule", {{"kind", "every_subject"}}},
       {"fee", {{"collected_on_platform", true}, {"per", "certificate"}, {"amount_cents", 30000}}}},
      org.token);
  d.post("/api/v1/exam-plans/" + id_of(exam_plan) + "/publish", json::object(), org.token, 200);
  const json imported = d.raw("POST", "/api/v1/candidates/import", candidate_workbook(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", leader.token, 200);
  // Photos of four of them; the first two confirmed by hand (the demo's verifier is unavailable).
  std::vector<std::pair<std::string, std::string>> photos;
  for (int k = 0; k < 4; ++k) photos.emplace_back(resident_id(k) + ".jpg", id_photo(k));
  const json matched =
      d.raw("POST", "/api/v1/candidates/photos", zip_of(photos), "application/zip", leader.token, 200);
  const json listed = d.call("GET", "/api/v1/candidates?page_size=2", nullptr, leader.token, 200);
  for (const auto& c : listed["items"])
    d.post("/api/v1/candidates/" + c["id"].get<std::string>() + "/confirm-identity", json::object(),
           leader.token, 200);
  auto invigilator = d.post("/api/v1/invigilators",
                            {{"name", "郑老师"}, {"id_number", resident_id(90, 1980)},
                             {"phone", "13700001001"}, {"certificate_ids", {certificate_id}}},
                            leader.token);
  d.post("/api/v1/invigilators/" + id_of(invigilator) + "/review", {{"approve", true}}, org.token, 200);
  made.plan_id = id_of(exam_plan);
  made.candidates = imported.value("imported", std::size_t{0});
  made.photos = matched.value("matched", std::size_t{0});
  made.confirmed = listed["items"].size();

  // The school's assessment site for the certificate, with its floor plan; the org approves it
  // and lends it to a second school without a site of its own for this plan (借考).
  const json floor_plan = d.raw("POST", "/api/v1/files?purpose=site_document", tiny_pdf("Site floor plan"),
                                "application/pdf", leader.token, 201);
  const json site = d.post("/api/v1/site-applications",
                           {{"name", "番禺职业技术学院新能源汽车考核站点"}, {"province_code", "44"},
                            {"city_code", "4401"}, {"district", "番禺区"}, {"address", "市良路 1342 号实训中心"},
                            {"introduction", "新能源汽车实训中心，机房 2 间（80 座），实操工位 20 个。"},
                            {"certificate_ids", {certificate_id}}, {"contact_name", "郑老师"},
                            {"contact_phone", "13700001001"}, {"file_ids", {floor_plan["file_id"]}}},
                           leader.token);
  made.site_id = id_of(site);
  d.post("/api/v1/site-applications/" + made.site_id + "/submit", json::object(), leader.token, 200);
  d.post("/api/v1/site-applications/" + made.site_id + "/review",
         {{"certificate_id", certificate_id}, {"approve", true}}, org.token, 200);
  d.post("/api/v1/site-assignments",
         {{"institution_id", borrower_id}, {"site_id", made.site_id}, {"exam_plan_id", made.plan_id}}, org.token, 200);
  // Rooms for the plan: the school's computer room and workshop, and one the borrower sets up.
  auto room = [&](const User& by, const char* name, const char* type, int seats, const char* where) {
    d.post("/api/v1/exam-rooms",
           {{"exam_plan_id", made.plan_id}, {"site_id", made.site_id}, {"name", name}, {"room_type", type},
            {"seats", seats}, {"province_code", "44"}, {"city", "广州市"}, {"district", "番禺区"},
            {"address", where}, {"certificate_ids", {certificate_id}}},
           by.token);
    ++made.rooms;
  };
  room(leader, "第一考场（机房）", "computer", 40, "实训中心 A301");
  room(leader, "实操考场", "practical", 20, "实训中心一楼车间");
  room(borrower, "借考第一考场（机房）", "computer", 40, "实训中心 A302");

  return made;
}

}  // namespace onex::cli::demo_data
