// Files over real HTTP (API.md "Reference data", "File purposes and limits", "Conventions" on
// download tokens): the REST application in-process on a free loopback port over a fresh store,
// with a ManualClock. Two registry institutions of Henan (41) have a leader each; the province
// account manages them. Sample files are made with libzip and stb_image_write.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "common/lookups.h"
#include "files/samples.h"
#include "onex/declaration.h"
#include "onex/reference.h"
#include "onex/workflows.h"
#include "server/app_world.h"
#include "util/hash.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using onex::testing::Connection;
using onex::testing::Reply;
using onex::testing::request_text;
using onex::testing::User;
namespace fs = std::filesystem;
namespace samples = onex::testing::samples;
using B = samples::Background;

const std::string kInstitutionA = "4141010001";
const std::string kInstitutionB = "4141010002";

std::string sha256_hex(const std::string& bytes) {
  return onex::util::to_hex(onex::util::sha256(bytes));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every regular file under `dir`, for "nothing was written" checks.
std::set<std::string> files_under(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file()) out.insert(e.path().string());
  return out;
}

// `onex init`, a registry with two Henan institutions, the application on a free port (captcha
// off), and the operator, the Henan province account and the leaders of both institutions signed
// in.
struct World : onex::testing::AppWorld {
  User op, province, leader_a, leader_b;

  World() : AppWorld({.captcha = false, .operator_name = "某某"}) {
    onex::ReferenceService reference(app->store(), clock);
    onex::Request as_operator{onex::Actor{operator_id, "operator"}, {}, {}, {}};
    auto imported = reference.import_registry(
        as_operator, "code,name,province_code,city_code,type\n" + kInstitutionA +
                         ",郑州甲职业学院,41,4101,高等职业学校\n" + kInstitutionB +
                         ",郑州乙职业学院,41,4101,高等职业学校\n");
    REQUIRE_MESSAGE(imported.is_ok(), imported.status().to_string());
    REQUIRE(imported->errors.empty());

    op = operator_user();
    province = provision(op, {{"account", "henan"}, {"role", "province"}, {"province_code", "41"}},
                         "13900000041");
    leader_a = provision(province, {{"account", "leader_a"}, {"role", "leader"},
                                    {"institution_id", kInstitutionA}},
                         "13700000001");
    leader_b = provision(province, {{"account", "leader_b"}, {"role", "leader"},
                                    {"institution_id", kInstitutionB}},
                         "13700000002");
  }

  // POST /api/v1/files?purpose= with raw bytes and a declared type ("" sends none).
  Reply upload(const User& u, const std::string& purpose, const std::string& bytes,
               const std::string& content_type, std::vector<std::string> headers = {}) {
    return send_bytes("POST", "/api/v1/files?purpose=" + purpose, bytes, content_type, u.token,
                      std::move(headers));
  }
  // An upload that must succeed: its file id.
  std::string uploaded(const User& u, const std::string& purpose, const std::string& bytes,
                       const std::string& content_type) {
    Reply r = upload(u, purpose, bytes, content_type);
    INFO(purpose << " as " << content_type << ": " << r.status << " " << r.body);
    REQUIRE(r.status == 201);
    return r.json()["file_id"].get<std::string>();
  }

  // ---- disk ----
  std::string blob(const std::string& sha) const {
    return data_dir + "/files/" + sha.substr(0, 2) + "/" + sha;
  }
  std::set<std::string> blobs() const { return files_under(data_dir + "/files"); }
};

std::string file_path(const std::string& id) { return "/api/v1/files/" + id; }

const std::string kDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const std::string kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::string docx() {
  return samples::zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "<w:document/>"}});
}
std::string xlsx() {
  return samples::zip({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<workbook/>"}});
}

}  // namespace

TEST_CASE("each purpose takes its types, the bytes go to their content address and the event "
          "names them by id and hash only") {
  World w;
  struct Case {
    std::string purpose, bytes, declared, stored_type;
  };
  const std::string seal = samples::png(64, 64, B::transparent);
  const std::vector<Case> cases = {
      {"declaration_attachment", samples::pdf(), "application/pdf", "application/pdf"},
      {"declaration_attachment", samples::doc(), "application/msword", "application/msword"},
      {"declaration_attachment", docx(), kDocx, kDocx},
      {"weekly_report_attachment", samples::jpeg(), "image/jpeg", "image/jpeg"},
      {"weekly_report_attachment", samples::png(10, 20, B::opaque), "image/png", "image/png"},
      {"weekly_report_outline", docx(), "", kDocx},
      {"standard_document", samples::pdf(), "application/octet-stream", "application/pdf"},
      {"seal", seal, "image/png", "image/png"},
      {"candidate_photo", samples::jpeg(), "image/jpeg", "image/jpeg"},
      {"photo_archive", samples::zip({{"410101199001011234.jpg", samples::jpeg()}}),
       "application/zip", "application/zip"},
      {"import_sheet", xlsx(), kXlsx, kXlsx},
      {"import_sheet", "name,id_number\n张三,410101199001011234\n", "text/csv; charset=utf-8",
       "text/csv"},
      {"signature", seal, "image/png", "image/png"},
  };
  for (const auto& c : cases) {
    const auto before = w.head();
    // When leader A uploads a file of an allowed type for the purpose,
    Reply r = w.upload(w.leader_a, c.purpose, c.bytes, c.declared);
    INFO(c.purpose << " as '" << c.declared << "': " << r.status << " " << r.body);
    REQUIRE(r.status == 201);
    // then the answer describes it by what the bytes are,
    const json f = r.json();
    const std::string id = f["file_id"];
    const std::string sha = sha256_hex(c.bytes);
    CHECK(id.size() == 32);
    CHECK(f["sha256"] == sha);
    CHECK(f["size"] == c.bytes.size());
    CHECK(f["content_type"] == c.stored_type);
    CHECK(f["purpose"] == c.purpose);
    CHECK(f["stream"] == "file-" + id);
    CHECK(r.header("location") == file_path(id));
    // the blob holds the bytes at the content address,
    CHECK(read_file(w.blob(sha)) == c.bytes);
    // and one event in the file's stream names it by id and hash, owned by the institution.
    CHECK(w.head() == before + 1);
    auto events = w.app->store().read_stream("file-" + id);
    REQUIRE(events.is_ok());
    REQUIRE(events->size() == 1);
    const auto& e = events->front();
    CHECK(e.type == "file.uploaded");
    CHECK(e.actor_account_id == w.leader_a.id);
    CHECK(e.data == json{{"file_id", id},
                         {"sha256", sha},
                         {"size", c.bytes.size()},
                         {"content_type", c.stored_type},
                         {"purpose", c.purpose},
                         {"owner_kind", "institution"},
                         {"owner_id", kInstitutionA}});
    // The lookup other workflows use reads the same file.
    auto ref = onex::lookup::file(w.app->store(), id);
    REQUIRE(ref.has_value());
    CHECK(ref->sha256 == sha);
    CHECK(ref->owner == onex::lookup::Party{"institution", kInstitutionA});
    CHECK(ref->uploaded_by == w.leader_a.id);
  }

  // The same bytes again: a new file id, the one blob, not rewritten.
  struct stat first {};
  const std::string sha = sha256_hex(seal);
  REQUIRE(::stat(w.blob(sha).c_str(), &first) == 0);
  const auto blobs = w.blobs();
  const std::string again = w.uploaded(w.leader_a, "seal", seal, "image/png");
  struct stat second {};
  REQUIRE(::stat(w.blob(sha).c_str(), &second) == 0);
  CHECK(first.st_ino == second.st_ino);
  CHECK(w.blobs() == blobs);
  CHECK(onex::lookup::file(w.app->store(), again)->sha256 == sha);
}

TEST_CASE("refused uploads answer their codes and change nothing, on disk or in the store") {
  World w;
  const auto head = w.head();
  const auto blobs = w.blobs();
  const std::string png = samples::png(64, 64, B::transparent);

  // PNG bytes declared as a PDF; a PDF for a seal; a ZIP that is no DOCX for an attachment.
  CHECK_REPLY(w.upload(w.leader_a, "candidate_photo", png, "application/pdf"), 415,
              "file.type_mismatch");
  CHECK_REPLY(w.upload(w.leader_a, "seal", samples::pdf(), "application/pdf"), 415,
              "file.type_mismatch");
  CHECK_REPLY(w.upload(w.leader_a, "declaration_attachment",
                       samples::zip({{"a.txt", "a"}}), "application/zip"),
              415, "file.type_mismatch");
  CHECK_REPLY(w.upload(w.leader_a, "import_sheet", std::string("a,b\n\0\1", 6), "text/csv"), 415,
              "file.type_mismatch");
  // Seals that are not square, or not on a transparent background.
  Reply oblong = w.upload(w.leader_a, "seal", samples::png(64, 32, B::transparent), "image/png");
  CHECK(oblong.status == 422);
  CHECK(oblong.code() == "file.not_square");
  CHECK(oblong.error_fields() == std::vector<std::string>{"file"});
  CHECK_REPLY(w.upload(w.leader_a, "seal", samples::png(64, 64, B::opaque), "image/png"), 422,
              "file.not_transparent");
  CHECK_REPLY(w.upload(w.leader_a, "signature", samples::png(64, 64, B::no_alpha), "image/png"),
              422, "file.not_transparent");
  // An unknown or missing purpose, an empty file.
  Reply unknown = w.upload(w.leader_a, "selfie", png, "image/png");
  CHECK(unknown.status == 422);
  CHECK(unknown.error_fields() == std::vector<std::string>{"purpose"});
  Reply none = onex::testing::call(w.port, "POST", "/api/v1/files", png,
                                   {"Content-Type: image/png", "Authorization: Bearer " + w.leader_a.token});
  CHECK(none.status == 422);
  CHECK(none.error_fields() == std::vector<std::string>{"purpose"});
  CHECK_REPLY(w.upload(w.leader_a, "candidate_photo", "", "image/jpeg"), 422, "file.empty");
  // Nobody signed in.
  CHECK_REPLY(w.upload(User{}, "candidate_photo", samples::jpeg(), "image/jpeg"), 401,
              "auth.unauthenticated");

  // A 6 MiB photo for a 5 MiB purpose: 413, read whole by the client on its connection.
  const std::string big = samples::jpeg() + std::string(6 << 20, '\x22');
  Connection c(w.port);
  REQUIRE(c.send(request_text("POST", "/api/v1/files?purpose=candidate_photo", big,
                              {"Content-Type: image/jpeg", "Authorization: Bearer " + w.leader_a.token})));
  Reply too_large = c.read_reply();
  REQUIRE(too_large.ok);
  CHECK(too_large.status == 413);
  CHECK(too_large.code() == "http.body_too_large");
  // The same 6 MiB are fine for a 10 MiB purpose (as a PDF).
  const std::string big_pdf = samples::pdf() + std::string(6 << 20, ' ');
  const auto before_big = w.head();
  CHECK(w.upload(w.leader_b, "declaration_attachment", big_pdf, "application/pdf").status == 201);
  CHECK(w.head() == before_big + 1);

  // Then, apart from that last upload, the store and the blobs are as they were.
  CHECK(w.head() == head + 1);
  CHECK(w.blobs().size() == blobs.size() + 1);
}

TEST_CASE("a file of institution A is neither readable nor usable by institution B, a seal, once "
          "set, is its leader's alone (and the auditor's)") {
  World w;
  const std::string seal = samples::png(64, 64, B::transparent);
  const std::string id = w.uploaded(w.leader_a, "seal", seal, "image/png");

  // Given A's seal file: A reads it; B, the province and the operator do not.
  CHECK(w.get(file_path(id), w.leader_a.token).status == 200);
  CHECK_REPLY(w.get(file_path(id), w.op.token), 404, "file.not_found");
  CHECK_REPLY(w.get(file_path(id), w.leader_b.token), 404, "file.not_found");
  CHECK_REPLY(w.get(file_path(id), w.province.token), 404, "file.not_found");
  // Unknown and malformed ids are the same 404.
  CHECK_REPLY(w.get(file_path(std::string(32, '0')), w.leader_a.token), 404, "file.not_found");
  CHECK_REPLY(w.get(file_path("..%2F..%2Fsecret.key"), w.leader_a.token), 404, "file.not_found");

  // B may not use A's file for its own records: the lookup says so, and so does the seal route.
  auto usable = onex::lookup::usable_file(w.app->store(), "file_id", id, "seal",
                                          onex::lookup::Party{"institution", kInstitutionB});
  REQUIRE_FALSE(usable.is_ok());
  CHECK(usable.status().code() == "file.not_usable");
  CHECK(usable.status().kind() == onex::StatusKind::unprocessable);
  CHECK(onex::lookup::usable_file(w.app->store(), "file_id", id, "seal",
                                  onex::lookup::Party{"institution", kInstitutionA})
            .is_ok());
  CHECK_FALSE(onex::lookup::usable_file(w.app->store(), "file_id", id, "signature",
                                        onex::lookup::Party{"institution", kInstitutionA})
                  .is_ok());
  const json seal_body = {{"file_id", id},
                          {"principal_name", "张校长"},
                          {"principal_title", "校长"},
                          {"agreement_accepted", true}};
  const auto head = w.head();
  Reply borrowed = w.send("PUT", "/api/v1/institutions/" + kInstitutionB + "/seal", seal_body,
                          w.leader_b.token);
  INFO(borrowed.body);
  CHECK(borrowed.status == 422);
  CHECK(borrowed.body.find("file.not_usable") != std::string::npos);
  CHECK(w.head() == head);

  // When A sets it as its seal, the institution's record refers to the file,
  Reply set = w.send("PUT", "/api/v1/institutions/" + kInstitutionA + "/seal", seal_body,
                     w.leader_a.token);
  INFO(set.body);
  REQUIRE(set.status == 200);
  // but the seal is the leader's alone (SPEC §4): the leader reads it; staff of A, A's city, the
  // province and the operator, who all read A's record, neither download it (by bearer or
  // download token) nor find it in A's history, where seal_set shows as redacted.
  Reply seen = w.get(file_path(id), w.leader_a.token);
  CHECK(seen.status == 200);
  CHECK(seen.body == seal);
  User staff = w.provision(w.leader_a, {{"account", "staff_a"}, {"role", "staff"}}, "13700000003");
  User city = w.provision(w.op, {{"account", "zhengzhou"}, {"role", "city"}, {"province_code", "41"},
                                 {"city_code", "4101"}},
                          "13700000004");
  User auditor = w.provision(w.op, {{"account", "auditor"}, {"role", "auditor"}}, "13700000005");
  const std::string history = "/api/v1/streams/institution-" + kInstitutionA + "/events";
  for (const User* u : {&staff, &city, &w.province, &w.op}) {
    INFO(u->token);
    CHECK_REPLY(w.get(file_path(id), u->token), 404, "file.not_found");
    CHECK_REPLY(w.send("POST", "/api/v1/download-tokens", {{"path", file_path(id)}}, u->token), 404,
                "file.not_found");
    Reply events = w.get(history, u->token);
    REQUIRE(events.status == 200);
    CHECK(events.body.find(id) == std::string::npos);
    CHECK(events.body.find("张校长") == std::string::npos);
    bool redacted = false;
    const json page = events.json();  // kept: a range over a temporary's member would dangle
    for (const auto& e : page["items"])
      if (e["type"] == "institution.seal_set")
        redacted = e["data"].empty() && e["redacted"] == json::array({"seal"});
    CHECK(redacted);
  }
  CHECK_REPLY(w.get(file_path(id), w.leader_b.token), 404, "file.not_found");
  // The leader and the auditor see the seal in the history.
  CHECK(w.get(history, w.leader_a.token).body.find(id) != std::string::npos);
  CHECK(w.get(history, auditor.token).body.find(id) != std::string::npos);
  CHECK(w.get(file_path(id), auditor.token).status == 200);

  // The reference is in the read model, and a rebuild from the log gives the same read models.
  auto refs = w.app->store().read_model_scan("file_refs", "r/" + id + "/");
  REQUIRE(refs.is_ok());
  REQUIRE(refs->size() == 1);
  CHECK(refs->front().first == "r/" + id + "/institution-" + kInstitutionA);
  const auto projections = onex::all_projections();
  auto rebuilt = onex::rebuild_read_models(w.app->store(), projections);
  auto live = onex::live_read_models(w.app->store(), projections);
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  CHECK(onex::compare_read_models(*rebuilt, *live).empty());
  CHECK((*live)["files"].count(id) == 1);
  // `onex audit as-of` shows the file's record.
  auto events = w.app->store().read_stream("file-" + id);
  REQUIRE(events.is_ok());
  auto shown = onex::record_state("file-" + id, *events);
  REQUIRE(shown.is_ok());
  CHECK((*shown)["state"] == "stored");
  CHECK((*shown)["record"]["sha256"] == sha256_hex(seal));
  CHECK((*shown)["record"]["owner_id"] == kInstitutionA);
}

TEST_CASE("a download carries the file's type, nosniff and an attachment disposition") {
  World w;
  const std::string pdf = samples::pdf();
  const std::string id = w.uploaded(w.leader_a, "declaration_attachment", pdf, "application/pdf");
  Reply r = w.get(file_path(id), w.leader_a.token);
  REQUIRE(r.status == 200);
  CHECK(r.body == pdf);
  CHECK(r.header("content-type") == "application/pdf");
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(r.header("content-disposition") == "attachment; filename=\"" + id + ".pdf\"");
  CHECK(r.header("cache-control") == "no-store");
  const std::string sheet = w.uploaded(w.leader_a, "import_sheet", xlsx(), "");
  CHECK(w.get(file_path(sheet), w.leader_a.token).header("content-disposition") ==
        "attachment; filename=\"" + sheet + ".xlsx\"");
  // Without a bearer token or a download token: 401.
  CHECK_REPLY(w.get(file_path(id)), 401, "auth.unauthenticated");
  CHECK_REPLY(w.get(file_path(id), "not-a-token"), 401, "auth.unauthenticated");
}

TEST_CASE("a download token serves one download of one path, for its account, within 60 s") {
  World w;
  const std::string a_file = w.uploaded(w.leader_a, "declaration_attachment", samples::pdf(),
                                        "application/pdf");
  const std::string b_file = w.uploaded(w.leader_b, "candidate_photo", samples::jpeg(), "image/jpeg");
  auto token_for = [&](const User& u, const std::string& path) {
    Reply r = w.post("/api/v1/download-tokens", {{"path", path}}, u.token);
    INFO(r.body);
    REQUIRE(r.status == 201);
    CHECK(r.json()["expires_at"] == onex::format_china(w.clock.now() + 60s));
    return r.json()["token"].get<std::string>();
  };
  const auto head = w.head();

  // Given a token A asked for its file, a GET with it and no bearer token is served once;
  const std::string token = token_for(w.leader_a, file_path(a_file));
  Reply first = w.get(file_path(a_file) + "?download_token=" + token);
  CHECK(first.status == 200);
  CHECK(first.body == samples::pdf());
  CHECK(first.header("content-disposition") == "attachment; filename=\"" + a_file + ".pdf\"");
  CHECK_REPLY(w.get(file_path(a_file) + "?download_token=" + token), 401, "auth.unauthenticated");

  // a token is good for its own path only (and is used up by the attempt),
  const std::string other = token_for(w.leader_b, file_path(b_file));
  CHECK_REPLY(w.get(file_path(a_file) + "?download_token=" + other), 401, "auth.unauthenticated");
  CHECK_REPLY(w.get(file_path(b_file) + "?download_token=" + other), 401, "auth.unauthenticated");

  // and for 60 seconds: at 60 s it serves, after that it does not.
  const std::string in_time = token_for(w.leader_a, file_path(a_file));
  w.clock.advance(60s);
  CHECK(w.get(file_path(a_file) + "?download_token=" + in_time).status == 200);
  const std::string late = token_for(w.leader_a, file_path(a_file));
  w.clock.advance(61s);
  CHECK_REPLY(w.get(file_path(a_file) + "?download_token=" + late), 401, "auth.unauthenticated");

  // No token for a file the caller may not read, nor for what is no download path.
  CHECK_REPLY(w.post("/api/v1/download-tokens", {{"path", file_path(a_file)}}, w.leader_b.token),
              404, "file.not_found");
  Reply bad = w.post("/api/v1/download-tokens", {{"path", "/api/v1/users/x"}}, w.leader_a.token);
  CHECK(bad.status == 422);
  CHECK(bad.error_fields() == std::vector<std::string>{"path"});
  CHECK_REPLY(w.post("/api/v1/download-tokens", {{"path", file_path(a_file)}}), 401,
              "auth.unauthenticated");
  // A retry with the same Idempotency-Key gets a working token, never the first one again.
  auto keyed = [&] {
    return w.send("POST", "/api/v1/download-tokens", {{"path", file_path(a_file)}},
                  w.leader_a.token, {"Idempotency-Key: token-1"});
  };
  Reply once = keyed();
  Reply twice = keyed();
  REQUIRE(once.status == 201);
  REQUIRE(twice.status == 201);
  CHECK(twice.header("idempotent-replayed") == "true");
  CHECK(twice.json()["token"] != once.json()["token"]);
  CHECK(w.get(file_path(a_file) + "?download_token=" + twice.json()["token"].get<std::string>())
            .status == 200);
  CHECK(w.get(file_path(a_file) + "?download_token=" + once.json()["token"].get<std::string>())
            .status == 200);
  // Tokens are not events.
  CHECK(w.head() == head);

  // A token ends with the session that asked for it (issue 9): signed out, it serves nothing.
  const std::string second = w.sign_in(w.leader_a.account, w.leader_a.password, w.leader_a.phone);
  Reply asked = w.post("/api/v1/download-tokens", {{"path", file_path(a_file)}}, second);
  REQUIRE(asked.status == 201);
  CHECK_REPLY(w.del("/api/v1/sessions/current", second), 204, "");
  CHECK_REPLY(w.get(file_path(a_file) + "?download_token=" + asked.json()["token"].get<std::string>()),
              401, "auth.unauthenticated");
}

// Bytes that do not compress, so that an archive of them is as large as they are.
std::string noise(std::size_t n, unsigned seed) {
  std::string out(n, '\0');
  for (auto& c : out) {
    seed = seed * 1103515245u + 12345u;
    c = static_cast<char>(seed >> 16);
  }
  return out;
}

TEST_CASE("a large upload is spooled to disk and becomes its blob without passing through memory "
          "whole") {
  World w;
  // Given a 6 MiB photo archive (over the 4 MiB the route keeps in memory),
  const std::string archive =
      samples::zip({{"410101199001011234.jpg", samples::jpeg() + noise(6 << 20, 7)}});
  REQUIRE(archive.size() > (std::size_t{5} << 20));
  Reply r = w.upload(w.leader_a, "photo_archive", archive, "application/zip",
                     {"Idempotency-Key: archive-1"});
  INFO(r.body);
  REQUIRE(r.status == 201);
  // then it is stored at its content address like any other file,
  const std::string sha = sha256_hex(archive);
  CHECK(r.json()["sha256"] == sha);
  CHECK(r.json()["size"] == archive.size());
  CHECK(r.json()["content_type"] == "application/zip");
  CHECK(read_file(w.blob(sha)) == archive);
  // no temp file is left,
  CHECK(files_under(w.data_dir + "/files/tmp").empty());
  // a retry with its key answers the same file, and the key with other bytes is refused;
  const auto head = w.head();
  Reply again = w.upload(w.leader_a, "photo_archive", archive, "application/zip",
                         {"Idempotency-Key: archive-1"});
  CHECK(again.status == 201);
  CHECK(again.json()["file_id"] == r.json()["file_id"]);
  CHECK(w.head() == head);
  const std::string other =
      samples::zip({{"410101199001011234.jpg", samples::jpeg() + noise(6 << 20, 8)}});
  CHECK_REPLY(w.upload(w.leader_a, "photo_archive", other, "application/zip",
                       {"Idempotency-Key: archive-1"}),
              422, "idempotency.key_reused");
  // a large CSV is read whole to be told from other bytes, a large non-ZIP is no archive.
  std::string sheet = "name,id_number\n";
  while (sheet.size() < (std::size_t{5} << 20)) sheet += "张三,410101199001011234\n";
  Reply csv = w.upload(w.leader_a, "import_sheet", sheet, "text/csv");
  CHECK(csv.status == 201);
  CHECK(csv.json()["content_type"] == "text/csv");
  CHECK_REPLY(w.upload(w.leader_a, "photo_archive", samples::pdf() + noise(5 << 20, 9),
                       "application/zip"),
              415, "file.type_mismatch");
  CHECK(files_under(w.data_dir + "/files/tmp").empty());
  // And the download streams the bytes back from the blob, with the usual headers.
  const std::string id = r.json()["file_id"];
  Reply back = w.get(file_path(id), w.leader_a.token);
  CHECK(back.status == 200);
  CHECK(back.body == archive);
  CHECK(back.header("content-type") == "application/zip");
  CHECK(back.header("content-length") == std::to_string(archive.size()));
  CHECK(back.header("x-content-type-options") == "nosniff");
  CHECK(back.header("content-disposition") == "attachment; filename=\"" + id + ".zip\"");
  // HEAD: the length without the bytes (the client gives up waiting for a body after 500 ms).
  Connection head_conn(w.port, 500ms);
  REQUIRE(head_conn.send(request_text("HEAD", file_path(id), "",
                                 {"Authorization: Bearer " + w.leader_a.token})));
  Reply head_only = head_conn.read_reply();
  CHECK(head_only.status == 200);
  CHECK(head_only.header("content-length") == std::to_string(archive.size()));
  CHECK(head_only.body.empty());
}

TEST_CASE("an upload retried with its Idempotency-Key answers the first file and stores nothing "
          "new") {
  World w;
  const std::string pdf = samples::pdf();
  Reply first = w.upload(w.leader_a, "standard_document", pdf, "application/pdf",
                         {"Idempotency-Key: upload-1"});
  REQUIRE(first.status == 201);
  const auto head = w.head();
  Reply again = w.upload(w.leader_a, "standard_document", pdf, "application/pdf",
                         {"Idempotency-Key: upload-1"});
  CHECK(again.status == 201);
  CHECK(again.json()["file_id"] == first.json()["file_id"]);
  CHECK(again.header("idempotent-replayed") == "true");
  CHECK(w.head() == head);
  // The same key with other bytes is refused.
  CHECK_REPLY(w.upload(w.leader_a, "standard_document", pdf + " ", "application/pdf",
                       {"Idempotency-Key: upload-1"}),
              422, "idempotency.key_reused");
}
