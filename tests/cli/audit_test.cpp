// `onex audit`, run as a real process against stores filled through the public API and then
// tampered with through RocksDB itself, as someone with access to the disk could.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <rocksdb/db.h>

#include "app/app.h"
#include "onex/declaration.h"
#include "onex/event_store.h"
#include "onex/workflows.h"
#include "support/temp_dir.h"
#include "workflows/declaration_world.h"

#ifndef ONEX_CLI
#error "ONEX_CLI must name the onex executable"
#endif
#ifndef CLI_WRITER_CHILD
#error "CLI_WRITER_CHILD must name the cli_writer_child executable"
#endif

extern char** environ;

namespace {

using namespace onex;
using namespace onex::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Running the binary

struct Run {
  int exit = -1;
  std::string out, err;
  std::string all() const { return out + err; }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `onex args...` with stdout and stderr captured in files, and waits for it.
Run onex_cli(std::vector<std::string> args) {
  static TempDir scratch;
  static int runs = 0;
  const fs::path out = scratch.path() / ("out" + std::to_string(++runs));
  const fs::path err = scratch.path() / ("err" + std::to_string(runs));
  args.insert(args.begin(), ONEX_CLI);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, ONEX_CLI, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  Run run;
  run.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = slurp(out);
  run.err = slurp(err);
  return run;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// A store with one declaration round: a plan, a declaration created and submitted, approved.

Timestamp at(const char* rfc3339) { return parse_time(rfc3339).value(); }

const Actor kProvince{"acct-province", "province", "44", "", "", ""};
const Actor kLeader{"acct-leader", "leader", "44", "4401", "inst-1", ""};

struct Round {
  std::string plan_stream, declaration_id, declaration_stream;
  std::uint64_t events = 0;  // head position when done
};

Round fill(const std::string& path) {
  auto store = open_store(StoreOptions{.path = path, .sync = false,
                                       .inline_projections = all_projections()});
  REQUIRE_MESSAGE(store.is_ok(), store.status().to_string());
  ManualClock clock(at("2020-04-01T09:00:00+08:00"));
  DeclarationService service(**store, clock);
  // The certificate and the institution (with its basic info) a submission needs.
  seed_certificate(**store, "cert-1");
  seed_institution(**store, "inst-1", "44", "4401", kLeader.account_id);

  auto plan = service.publish_plan(
      Request{kProvince, "", "corr-plan", {}},
      PlanInput{2020, "2020年第一次", at("2020-04-01T00:00:00+08:00"),
                at("2020-04-30T23:59:59+08:00"), false, false});
  REQUIRE_MESSAGE(plan.is_ok(), plan.status().to_string());

  clock.set(at("2020-04-01T10:00:00+08:00"));
  auto declaration = service.create(
      Request{kLeader, "", "corr-declare", {}},
      DeclarationInput{{{}, 30, "<p>teachers</p>", "<p>venue</p>", {}}, plan->id, "cert-1"},
      /*submit=*/true);
  REQUIRE_MESSAGE(declaration.is_ok(), declaration.status().to_string());
  REQUIRE(declaration->status == "province_review");

  clock.set(at("2020-04-01T12:00:00+08:00"));
  auto approved = service.province_review(Request{kProvince, "", "corr-review", {}},
                                          declaration->id, /*approve=*/true);
  REQUIRE_MESSAGE(approved.is_ok(), approved.status().to_string());
  REQUIRE(approved->status == "approved");

  return Round{plan->stream, declaration->id, declaration->stream, (*store)->head_position()};
}

std::unique_ptr<EventStore> open_read_only(const std::string& path) {
  StoreOptions options;
  options.path = path;
  options.read_only = true;
  options.create_if_missing = false;
  auto store = open_store(options);
  REQUIRE_MESSAGE(store.is_ok(), store.status().to_string());
  return std::move(*store);
}

// ---------------------------------------------------------------------------------------------
// Tampering through RocksDB itself

std::string be64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) s[i] = static_cast<char>(v & 0xff);
  return s;
}

// Opens the RocksDB directory itself, with all its column families, and hands `use` the family
// named `family`.
void with_rocksdb(const std::string& path, const std::string& family,
                  const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& use) {
  rocksdb::DBOptions options;
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(options, path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(options, path, families, &handles, &db).ok());
  rocksdb::ColumnFamilyHandle* target = nullptr;
  for (auto* h : handles)
    if (h->GetName() == family) target = h;
  if (target != nullptr) use(*db, target);
  for (auto* h : handles) CHECK(db->DestroyColumnFamilyHandle(h).ok());
  CHECK(db->Close().ok());
  delete db;
  REQUIRE(target != nullptr);
}

std::string stored_value(const std::string& path, const std::string& family,
                         const std::string& key) {
  std::string value;
  with_rocksdb(path, family, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    CHECK(db.Get(rocksdb::ReadOptions(), cf, key, &value).ok());
  });
  return value;
}

// Rewrites the value at `key` in `family` with `edit`.
void tamper(const std::string& path, const std::string& family, const std::string& key,
            const std::function<void(std::string&)>& edit) {
  with_rocksdb(path, family, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    std::string value;
    REQUIRE(db.Get(rocksdb::ReadOptions(), cf, key, &value).ok());
    const std::string before = value;
    edit(value);
    REQUIRE(value != before);
    REQUIRE(db.Put(rocksdb::WriteOptions(), cf, key, value).ok());
  });
}

// Flips one letter of the record's top-level "type" string: still a canonical JSON record.
void flip_type_letter(std::string& record) {
  const std::string marker = "\"type\":\"";
  const auto at = record.rfind(marker);
  REQUIRE(at != std::string::npos);
  char& c = record[at + marker.size()];
  c = c == 'x' ? 'y' : 'x';
}

// ---------------------------------------------------------------------------------------------

TEST_CASE("cli: audit verify accepts an intact chain and sums it up") {
  TempDir dir;
  const Round round = fill(dir.str());
  auto store = open_read_only(dir.str());
  auto last = store->read_all(round.events, 1);
  REQUIRE(last.is_ok());
  REQUIRE(last->size() == 1);
  const std::string head_hash = last->front().hash;
  store.reset();

  const Run run = onex_cli({"audit", "verify", "--data-dir", dir.str()});
  CHECK_MESSAGE(run.exit == 0, run.all());
  CHECK(run.out == "chain verified: " + std::to_string(round.events) + " events, head position " +
                       std::to_string(round.events) + ", head hash " + head_hash + "\n");
  CHECK(run.err.empty());
}

TEST_CASE("cli: audit verify names the position of a record changed on disk") {
  for (const bool last : {false, true}) {
    CAPTURE(last);
    TempDir dir;
    const Round round = fill(dir.str());
    REQUIRE(round.events >= 3);
    const std::uint64_t k = last ? round.events : 2;
    tamper(dir.str(), "log", be64(k), flip_type_letter);

    const Run run = onex_cli({"audit", "verify", "--data-dir", dir.str()});
    CHECK_MESSAGE(run.exit == 1, run.all());
    CHECK_MESSAGE(run.err.find("chain broken at position " + std::to_string(k) + ":") !=
                      std::string::npos,
                  run.all());
    CHECK(run.out.empty());
  }
}

TEST_CASE("cli: audit replay finds the rebuilt read models equal to the live ones") {
  TempDir dir;
  const Round round = fill(dir.str());
  const Run run = onex_cli({"audit", "replay", "--data-dir", dir.str()});
  CHECK_MESSAGE(run.exit == 0, run.all());
  CHECK_MESSAGE(run.out.starts_with("read models match a rebuild: " +
                                    std::to_string(round.events) + " events replayed, "),
                run.out);
  CHECK(run.out.find("events/s") != std::string::npos);
  CHECK(lines_of(run.out).size() == 1);
}

TEST_CASE("cli: audit replay names a read model entry changed on disk") {
  TempDir dir;
  const Round round = fill(dir.str());
  const std::string key = "r/" + round.declaration_id;
  tamper(dir.str(), "read_models", std::string("declaration_records") + '\0' + key, [](std::string& v) {
    const std::string approved = "\"phase\":\"approved\"";
    const auto at = v.find(approved);
    REQUIRE(at != std::string::npos);
    v.replace(at, approved.size(), "\"phase\":\"rejected\"");
  });

  const Run run = onex_cli({"audit", "replay", "--data-dir", dir.str()});
  CHECK_MESSAGE(run.exit == 1, run.all());
  CHECK_MESSAGE(run.err.find("declaration_records: key " + key) != std::string::npos, run.all());
  // the report shows where the values differ, not just their beginnings
  CHECK_MESSAGE(run.err.find("\"phase\":\"rejected\"") != std::string::npos, run.all());
}

TEST_CASE("cli: audit verify notices records cut from the end of the log") {
  TempDir dir;
  const Round round = fill(dir.str());
  with_rocksdb(dir.str(), "log", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    REQUIRE(db.Delete(rocksdb::WriteOptions(), cf, be64(round.events)).ok());
  });
  const Run run = onex_cli({"audit", "verify", "--data-dir", dir.str()});
  CHECK_MESSAGE(run.exit == 1, run.all());
  CHECK_MESSAGE(run.err.find("chain broken at position " + std::to_string(round.events) + ":") !=
                    std::string::npos,
                run.all());
}

// Runs `onex audit verify` (with `extra` arguments) and expects it to fail naming `finding`.
void verify_finds(const std::string& dir, const std::string& finding,
                  std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"audit", "verify", "--data-dir", dir};
  args.insert(args.end(), extra.begin(), extra.end());
  const Run run = onex_cli(args);
  CHECK_MESSAGE(run.exit == 1, run.all());
  CHECK_MESSAGE(run.err.find(finding) != std::string::npos, run.all());
  CHECK(run.out.empty());
}

std::string stream_key(const std::string& stream, std::uint64_t version) {
  return stream + '\0' + be64(version);
}

TEST_CASE("cli: audit verify checks every family against the log (fsck), one tampering each") {
  TempDir dir;
  const Round round = fill(dir.str());
  const std::string d = round.declaration_stream;

  SUBCASE("heads: a stream's head moved back") {
    tamper(dir.str(), "heads", d, [](std::string& v) { v[7] = static_cast<char>(v[7] - 1); });
    verify_finds(dir.str(), "heads: " + d + " does not end where the log says");
  }
  SUBCASE("streams: an index entry removed, and one that names another record") {
    with_rocksdb(dir.str(), "streams", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), cf, stream_key(d, 1)).ok());
    });
    verify_finds(dir.str(), "streams: ");
    // Reading the stream now refuses the entry that points at a record of another stream.
    with_rocksdb(dir.str(), "streams", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      REQUIRE(db.Put(rocksdb::WriteOptions(), cf, stream_key(d, 1), be64(1)).ok());
    });
    auto store = open_read_only(dir.str());
    auto events = store->read_stream(d);
    REQUIRE_FALSE(events.is_ok());
    CHECK(events.status().code() == "store.corruption");
  }
  SUBCASE("claims: a claim held by a stream the log does not have") {
    with_rocksdb(dir.str(), "claims", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      REQUIRE(db.Put(rocksdb::WriteOptions(), cf, "account/mallory", "account-feedface").ok());
    });
    verify_finds(dir.str(), "claims: account/mallory is held by account-feedface");
  }
  SUBCASE("checkpoints: the writer's chain head removed") {
    with_rocksdb(dir.str(), "checkpoints", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), cf, "@log").ok());
    });
    verify_finds(dir.str(), "checkpoints: the chain head the writer records (@log) is missing");
  }
  SUBCASE("a tail cut with heads, index and checkpoints patched to match shows against a kept head") {
    auto store = open_read_only(dir.str());
    auto last = store->read_all(round.events, 1);
    auto before = store->read_all(round.events - 1, 1);
    REQUIRE((last.is_ok() && before.is_ok() && last->size() == 1 && before->size() == 1));
    const RecordedEvent cut = last->front(), kept = before->front();
    auto cut_stream = store->read_stream(cut.stream);
    REQUIRE(cut_stream.is_ok());
    // The cut record's stream ends one event earlier (or is gone with it).
    const std::optional<RecordedEvent> stream_before =
        cut_stream->size() >= 2 ? std::optional((*cut_stream)[cut_stream->size() - 2]) : std::nullopt;
    store.reset();
    const std::string kept_head = std::to_string(cut.position) + ":" + cut.hash;
    const Run intact = onex_cli({"audit", "verify", "--data-dir", dir.str(), "--expect-head", kept_head});
    CHECK_MESSAGE(intact.exit == 0, intact.all());
    // Cut the last record and make everything else agree with the shorter log.
    auto cut_out = [&](const std::string& family, const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& f) {
      with_rocksdb(dir.str(), family, f);
    };
    cut_out("log", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), cf, be64(cut.position)).ok());
    });
    cut_out("streams", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), cf, stream_key(cut.stream, cut.version)).ok());
    });
    cut_out("heads", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      REQUIRE((stream_before ? db.Put(rocksdb::WriteOptions(), cf, cut.stream,
                                      be64(stream_before->version) + be64(stream_before->position))
                             : db.Delete(rocksdb::WriteOptions(), cf, cut.stream))
                  .ok());
    });
    cut_out("checkpoints", [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
      std::string hash(32, '\0');
      for (int i = 0; i < 32; ++i) hash[i] = static_cast<char>(std::stoi(kept.hash.substr(2 * i, 2), nullptr, 16));
      REQUIRE(db.Put(rocksdb::WriteOptions(), cf, "@log", be64(kept.position) + hash).ok());
      std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), cf));
      for (it->SeekToFirst(); it->Valid(); it->Next())
        if (it->key().ToString() != "@log")
          REQUIRE(db.Put(rocksdb::WriteOptions(), cf, it->key(), be64(kept.position)).ok());
    });
    // An auditor who kept the head from before proves the cut.
    verify_finds(dir.str(), "kept head: the log has no record at position " + std::to_string(cut.position),
                 {"--expect-head", kept_head});
    const Run bad = onex_cli({"audit", "verify", "--data-dir", dir.str(), "--expect-head", "12:xyz"});
    CHECK_MESSAGE(bad.exit == 2, bad.all());
  }
}

TEST_CASE("cli: audit verify checks snapshots' seals and their binding to the log") {
  TempDir dir;
  const Round round = fill(dir.str());
  const std::string key(32, 'k');
  {
    auto store = open_store(StoreOptions{.path = dir.str(), .sync = false, .secret_key = key});
    REQUIRE(store.is_ok());
    REQUIRE((*store)->put_snapshot(round.declaration_stream, 1, R"({"phase":"draft"})").is_ok());
    auto back = (*store)->get_snapshot(round.declaration_stream);
    REQUIRE(back.is_ok());
    REQUIRE(back->has_value());
    CHECK((*back)->second == R"({"phase":"draft"})");
    // A snapshot of a version the stream does not have is refused.
    CHECK_FALSE((*store)->put_snapshot(round.declaration_stream, 99, "{}").is_ok());
  }
  // An auditor without the key checks the snapshot's binding to the log, not its seal.
  const Run keyless = onex_cli({"audit", "verify", "--data-dir", dir.str()});
  CHECK_MESSAGE(keyless.exit == 0, keyless.all());
  {
    std::ofstream out(fs::path(dir.str()) / "secret.key", std::ios::binary);
    out << key;
  }
  fs::permissions(fs::path(dir.str()) / "secret.key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  const Run intact = onex_cli({"audit", "verify", "--data-dir", dir.str()});
  CHECK_MESSAGE(intact.exit == 0, intact.all());

  // The state rewritten (a role raised, a phase moved): the seal no longer holds.
  tamper(dir.str(), "snapshots", round.declaration_stream, [](std::string& v) {
    v.replace(v.find("draft"), 5, "saved");
  });
  verify_finds(dir.str(), "snapshots: the snapshot of " + round.declaration_stream +
                              " at version 1 is not the one the store sealed");
  {
    auto store = open_store(StoreOptions{.path = dir.str(), .sync = false, .secret_key = key});
    REQUIRE(store.is_ok());
    auto back = (*store)->get_snapshot(round.declaration_stream);
    REQUIRE_FALSE(back.is_ok());
    CHECK(back.status().code() == "store.corruption");
    // Without the key the seal cannot be forged either: a plain digest does not match an HMAC.
  }
}

TEST_CASE("cli: audit verify names an unreadable last record") {
  TempDir dir;
  const Round round = fill(dir.str());
  tamper(dir.str(), "log", be64(round.events), [](std::string& v) { v.resize(v.size() / 2); });
  const Run run = onex_cli({"audit", "verify", "--data-dir", dir.str()});
  CHECK_MESSAGE(run.exit == 1, run.all());
  CHECK_MESSAGE(run.err.find("chain broken at position " + std::to_string(round.events) + ":") !=
                    std::string::npos,
                run.all());
}

TEST_CASE("cli: audit history --raw prints a stream's stored records as JSON lines") {
  TempDir dir;
  const Round round = fill(dir.str());
  auto store = open_read_only(dir.str());
  auto stored = store->read_stream(round.declaration_stream);
  REQUIRE(stored.is_ok());
  store.reset();

  // --data-dir may follow the stream, and take the --data-dir=DIR form
  const Run run =
      onex_cli({"audit", "history", round.declaration_stream, "--raw", "--data-dir=" + dir.str()});
  CHECK_MESSAGE(run.exit == 0, run.all());
  const auto lines = lines_of(run.out);
  REQUIRE(lines.size() == stored->size());
  REQUIRE(lines.size() >= 3);  // drafted, submitted, approved
  std::uint64_t last_position = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto j = nlohmann::json::parse(lines[i], nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), lines[i]);
    CHECK(j["stream"] == round.declaration_stream);
    CHECK(j["version"] == i + 1);
    CHECK(j["position"].get<std::uint64_t>() > last_position);
    last_position = j["position"].get<std::uint64_t>();
    CHECK(lines[i] == to_json((*stored)[i]).dump());
    // byte for byte the record as stored
    CHECK(lines[i] == stored_value(dir.str(), "log", be64(last_position)));
  }
  CHECK(nlohmann::json::parse(lines.back())["type"] == "declaration.approved");
}

TEST_CASE("cli: audit streams lists what there is to audit, and history hides secrets unless --raw") {
  // Given a store made by `onex init` and a declaration round beside it,
  TempDir dir;
  const std::string d = dir.str("data");
  REQUIRE(onex_cli({"init", "--data-dir", d, "--operator", "admin"}).exit == 0);
  const Round round = fill(d);
  // when the auditor lists the streams, every one is there with its head,
  const Run all = onex_cli({"audit", "streams", "--data-dir", d});
  CHECK_MESSAGE(all.exit == 0, all.all());
  auto store = open_read_only(d);
  const auto everything = lines_of(all.out);
  CHECK(everything.size() == store->list_streams("", 0, 100000)->total);
  store.reset();
  const Run accounts = onex_cli({"audit", "streams", "--data-dir", d, "--kind", "account"});
  const auto account_lines = lines_of(accounts.out);
  REQUIRE(account_lines.size() == 1);
  const auto listed = nlohmann::json::parse(account_lines[0]);
  CHECK(listed["kind"] == "account");
  CHECK(listed["version"] == 1);
  CHECK(listed["last_at"].get<std::string>().ends_with("+08:00"));
  const std::string stream = listed["stream"];
  // and by the first letters of an id, with or without a kind.
  const std::string id = stream.substr(std::string("account-").size());
  CHECK(lines_of(onex_cli({"audit", "streams", "--data-dir", d, "--q=" + id.substr(0, 6)}).out).size() == 1);
  CHECK(lines_of(onex_cli({"audit", "streams", "--data-dir", d, "--kind=declaration",
                           "--q", round.declaration_id}).out).size() == 1);
  const Run unknown = onex_cli({"audit", "streams", "--data-dir", d, "--kind", "nothing"});
  CHECK(unknown.exit == 2);
  CHECK(unknown.err.find("--kind") != std::string::npos);

  // The account's history shows no password hash and no personal data, China time,
  const Run shown = onex_cli({"audit", "history", "--data-dir", d, stream});
  CHECK_MESSAGE(shown.exit == 0, shown.all());
  const auto event = nlohmann::json::parse(lines_of(shown.out).at(0));
  CHECK_FALSE(event["data"].contains("password_hash"));
  CHECK_FALSE(event["data"].contains("pii"));
  CHECK_FALSE(event["data"].contains("pii_salt"));
  CHECK(event["redacted"] == nlohmann::json::array({"password_hash", "pii", "pii_salt"}));
  CHECK(event["recorded_at"].get<std::string>().ends_with("+08:00"));
  // unless --raw asks for the record as stored.
  const Run raw = onex_cli({"audit", "history", "--data-dir", d, "--raw", stream});
  CHECK(raw.out.find("password_hash") != std::string::npos);
}

TEST_CASE("cli: init --adopt makes a store the library made servable") {
  // Given a store that the library made (no secret key): it cannot be served,
  TempDir dir;
  const std::string d = dir.str("library-store");
  const Round round = fill(d);
  ManualClock clock(at("2020-05-01T09:00:00+08:00"));
  auto refused = onex::app::App::open({.data_dir = d, .sync = false}, clock);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().code() == "app.no_secret_key");
  // (a name no operator can have changes nothing),
  const Run misnamed = onex_cli({"init", "--adopt", "--data-dir", d, "--operator", "a b"});
  CHECK(misnamed.exit == 2);
  CHECK_FALSE(fs::exists(fs::path(d) / "secret.key"));
  // when it is adopted with a first operator,
  const Run adopted = onex_cli({"init", "--adopt", "--data-dir", d, "--operator", "admin"});
  CHECK_MESSAGE(adopted.exit == 0, adopted.all());
  CHECK(adopted.out.find("initial password: ") != std::string::npos);
  // then its key is its owner's alone, the store verifies with the key, and it can be served
  // with everything it held.
  CHECK((fs::status(fs::path(d) / "secret.key").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK((fs::status(d).permissions() & fs::perms::all) == fs::perms::owner_all);
  const Run verified = onex_cli({"audit", "verify", "--data-dir", d});
  CHECK_MESSAGE(verified.exit == 0, verified.all());
  {
    auto served = onex::app::App::open({.data_dir = d, .sync = false}, clock);
    REQUIRE_MESSAGE(served.is_ok(), served.status().to_string());
    CHECK((*served)->store().stream_head(round.declaration_stream)->version == 3);
  }
  CHECK(lines_of(onex_cli({"audit", "streams", "--data-dir", d, "--kind", "account"}).out).size() == 1);
  // A second adoption changes nothing.
  const Run again = onex_cli({"init", "--adopt", "--data-dir", d});
  CHECK(again.exit == 2);
  CHECK(again.err.find("app.secret_key_exists") != std::string::npos);
  // Nor is a directory without a store adopted.
  const Run nothing = onex_cli({"init", "--adopt", "--data-dir", dir.str("empty")});
  CHECK(nothing.exit == 2);
  CHECK(nothing.err.find("store.not_found") != std::string::npos);
}

TEST_CASE("cli: audit history of an unknown stream fails with a reason") {
  TempDir dir;
  fill(dir.str());
  const Run run = onex_cli({"audit", "history", "--data-dir", dir.str(), "declaration-nope"});
  CHECK(run.exit == 1);
  CHECK(run.out.empty());
  CHECK(run.err.find("no such stream: declaration-nope") != std::string::npos);
}

TEST_CASE("cli: audit as-of shows a record as it was at a time") {
  TempDir dir;
  const Round round = fill(dir.str());
  auto state_at = [&](const std::string& time) {
    const Run run = onex_cli({"audit", "as-of", "--data-dir", dir.str(), round.declaration_stream,
                              time});
    REQUIRE_MESSAGE(run.exit == 0, run.all());
    REQUIRE(lines_of(run.out).size() == 1);
    return nlohmann::json::parse(run.out);
  };

  const auto reviewing = state_at("2020-04-01T11:00:00+08:00");
  CHECK(reviewing["stream"] == round.declaration_stream);
  CHECK(reviewing["state"] == "province_review");
  CHECK(reviewing["record"]["planned_trainees"] == 30);
  // the approval's own instant counts, in any offset
  CHECK(state_at("2020-04-01T04:00:00Z")["state"] == "approved");
  CHECK(state_at("2021-01-01T00:00:00+08:00")["state"] == "approved");

  SUBCASE("before its first event the record did not exist") {
    const Run run = onex_cli({"audit", "as-of", "--data-dir", dir.str(), round.declaration_stream,
                              "2020-04-01T09:59:59+08:00"});
    CHECK(run.exit == 1);
    CHECK(run.err.find("did not exist yet") != std::string::npos);
  }
  SUBCASE("an unparsable time is a usage error") {
    for (const char* time : {"yesterday", "2020-04-01", "2020-04-01T11:00:00"}) {
      CAPTURE(time);
      const Run run =
          onex_cli({"audit", "as-of", "--data-dir", dir.str(), round.declaration_stream, time});
      CHECK(run.exit == 2);
      CHECK(run.out.empty());
      CHECK(!run.err.empty());
    }
  }
  SUBCASE("a plan shows too") {
    const Run run = onex_cli({"audit", "as-of", "--data-dir", dir.str(), round.plan_stream,
                              "2020-04-01T09:00:00+08:00"});
    CHECK_MESSAGE(run.exit == 0, run.all());
    CHECK(nlohmann::json::parse(run.out)["record"]["batch_name"] == "2020年第一次");
  }
}

TEST_CASE("cli: audit commands exit 2 and create nothing where there is no store") {
  TempDir dir;
  const fs::path missing = dir.path() / "missing" / "db";
  const std::vector<std::vector<std::string>> commands{
      {"audit", "verify"},
      {"audit", "replay"},
      {"audit", "history", "declaration-x"},
      {"audit", "as-of", "declaration-x", "2020-04-01T00:00:00+08:00"}};
  for (auto command : commands) {
    CAPTURE(command[1]);
    command.push_back("--data-dir=" + missing.string());
    const Run run = onex_cli(command);
    CHECK(run.exit == 2);
    CHECK(run.err.find("store.not_found") != std::string::npos);
    CHECK(lines_of(run.err).size() == 1);
    CHECK(!fs::exists(dir.path() / "missing"));
  }

  // an existing directory that holds no store stays empty
  const fs::path empty = dir.path() / "empty";
  fs::create_directories(empty);
  const Run run = onex_cli({"audit", "verify", "--data-dir", empty.string()});
  CHECK(run.exit == 2);
  CHECK(fs::is_empty(empty));
}

TEST_CASE("cli: init creates a store and its operator once, and prints the initial password") {
  TempDir dir;
  const std::string d = dir.str();
  const Run run = onex_cli({"init", "--data-dir", d, "--operator", "admin"});
  REQUIRE_MESSAGE(run.exit == 0, run.all());
  std::string password;
  for (const auto& line : lines_of(run.out))
    if (line.starts_with("initial password: ")) password = line.substr(18);
  CHECK(password.size() == 12);
  CHECK(std::all_of(password.begin(), password.end(), [](unsigned char c) { return std::isalnum(c); }));
  CHECK((fs::status(fs::path(d) / "secret.key").permissions() & fs::perms::group_read) == fs::perms::none);
  // the store verifies, and a second init is refused without touching it
  CHECK(onex_cli({"audit", "verify", "--data-dir", d}).exit == 0);
  const Run again = onex_cli({"init", "--data-dir", d, "--operator", "admin2"});
  CHECK(again.exit == 2);
  CHECK(again.err.find("store.exists") != std::string::npos);
}

TEST_CASE("cli: usage errors exit 2 with the usage on stderr, and --help prints it and exits 0") {
  TempDir dir;
  const std::string d = dir.str();
  const std::vector<std::vector<std::string>> wrong{
      {},
      {"frobnicate"},
      {"audit"},
      {"audit", "frobnicate", "--data-dir", d},
      {"audit", "verify"},                           // no --data-dir
      {"audit", "verify", "--data-dir"},             // no DIR
      {"audit", "verify", "--data-dir="},            // empty DIR
      {"audit", "verify", "--data-dir", d, "--data-dir", d},
      {"audit", "verify", "--data-dir", d, "--fast"},  // unknown flag
      {"audit", "verify", "--data-dir", d, "extra"},
      {"audit", "history", "--data-dir", d},          // no STREAM
      {"audit", "as-of", "--data-dir", d, "declaration-x"},  // no TIME
      {"audit", "as-of", "--data-dir", d, "a", "b", "c"},
  };
  for (const auto& args : wrong) {
    std::string joined;
    for (const auto& a : args) joined += " " + a;
    CAPTURE(joined);
    const Run run = onex_cli(args);
    CHECK(run.exit == 2);
    CHECK(run.out.empty());
    CHECK(run.err.find("usage: onex audit verify") != std::string::npos);
  }

  {
    // demo takes exactly its one option
    const Run run = onex_cli({"demo", "--data-dir", d, "--extra"});
    CHECK(run.exit == 2);
    CHECK(lines_of(run.err).size() == 1);
    CHECK(run.err.find("usage: onex demo --data-dir DIR") != std::string::npos);
    CHECK(onex_cli({"demo"}).exit == 2);
  }
  // init without its operator, and serve where there is no store, are refused
  CHECK(onex_cli({"init", "--data-dir", d}).exit == 2);
  CHECK(onex_cli({"serve", "--data-dir", d + "/none"}).exit == 2);
  CHECK(onex_cli({"serve", "--data-dir", d, "--captcha", "maybe"}).exit == 2);

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"audit", "--help"}, {"audit", "as-of", "--help"}}) {
    const Run run = onex_cli(args);
    CHECK(run.exit == 0);
    CHECK(run.err.empty());
    CHECK(run.out.find("usage: onex audit verify") != std::string::npos);
  }
  CHECK(!fs::exists(d));
}

TEST_CASE("cli: audit commands leave the store's files as they were") {
  TempDir dir;
  const Round round = fill(dir.str());
  auto listing = [&] {
    std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir.str()))
      files[entry.path().string()] = {entry.is_regular_file() ? entry.file_size() : 0,
                                      entry.last_write_time()};
    return files;
  };
  const auto before = listing();
  for (const auto& command : std::vector<std::vector<std::string>>{
           {"audit", "verify"},
           {"audit", "replay"},
           {"audit", "history", round.declaration_stream},
           {"audit", "as-of", round.declaration_stream, "2020-04-01T11:00:00+08:00"}}) {
    auto args = command;
    args.push_back("--data-dir=" + dir.str());
    const Run run = onex_cli(args);
    CHECK_MESSAGE(run.exit == 0, run.all());
  }
  CHECK(listing() == before);
}

// A child process holding the store open for writing (cli_writer_child): it appends one event
// first, then waits until its stdin closes.
class Writer {
 public:
  explicit Writer(const std::string& path) {
    int in[2], out[2];
    REQUIRE(pipe(in) == 0);
    REQUIRE(pipe(out) == 0);
    const pid_t parent = getpid();
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[0]);
      close(in[1]);
      close(out[0]);
      close(out[1]);
      execl(CLI_WRITER_CHILD, "cli_writer_child", path.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    std::string said;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') said.push_back(c);
    close(out[0]);
    ready_ = said == "ready";
  }
  ~Writer() { finish(); }

  bool ready() const { return ready_; }
  pid_t pid() const { return pid_; }

  // Closes its stdin and waits for it; its exit code.
  int finish() {
    if (pid_ <= 0) return exit_;
    close(stdin_);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_;
  }

 private:
  pid_t pid_ = 0;
  int stdin_ = -1;
  bool ready_ = false;
  int exit_ = -1;
};

TEST_CASE("cli: audit works beside a process holding the store open for writing") {
  TempDir dir;
  const Round round = fill(dir.str());
  Writer writer(dir.str());
  REQUIRE(writer.ready());

  const Run verify = onex_cli({"audit", "verify", "--data-dir", dir.str()});
  CHECK_MESSAGE(verify.exit == 0, verify.all());
  // the writer's own append (still only in its write-ahead log) is seen too
  CHECK_MESSAGE(verify.out.starts_with("chain verified: " + std::to_string(round.events + 1) +
                                       " events"),
                verify.out);

  const Run replay = onex_cli({"audit", "replay", "--data-dir", dir.str()});
  CHECK_MESSAGE(replay.exit == 0, replay.all());

  const Run history = onex_cli({"audit", "history", "--data-dir", dir.str(), round.plan_stream});
  CHECK_MESSAGE(history.exit == 0, history.all());
  CHECK(lines_of(history.out).size() == 1);

  CHECK(writer.finish() == 0);
}

}  // namespace

TEST_CASE("cli: a store another process writes answers who holds it, not RocksDB's LOCK error") {
  TempDir dir;
  (void)fill(dir.str());
  {
    std::ofstream out(fs::path(dir.str()) / "secret.key", std::ios::binary);
    out << std::string(32, 'k');
  }
  fs::permissions(fs::path(dir.str()) / "secret.key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  Writer writer(dir.str());
  REQUIRE(writer.ready());
  const Run serve = onex_cli({"serve", "--data-dir", dir.str(), "--listen", "127.0.0.1:0"});
  CHECK(serve.exit != 0);
  CHECK_MESSAGE(serve.err.find("the store is open in another process (pid " +
                               std::to_string(writer.pid()) + ")") != std::string::npos,
                serve.all());
  CHECK(serve.err.find("LOCK") == std::string::npos);
  CHECK(writer.finish() == 0);
}

TEST_CASE("cli: --help and --version answer on every command and exit 0") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--version"}, {"serve", "--version"}, {"audit", "verify", "--version"},
        {"init", "--help"}, {"serve", "--help"}, {"demo", "--help"}, {"-h"}}) {
    const Run run = onex_cli(args);
    CAPTURE(args.front());
    CHECK_MESSAGE(run.exit == 0, run.all());
    CHECK(run.err.empty());
    CHECK(!run.out.empty());
  }
  CHECK(onex_cli({"--version"}).out.starts_with("onex "));
}
