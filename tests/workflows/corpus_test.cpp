// The corpus of recorded histories (DESIGN.md "Compatibility of stored history"): every build
// replays the event histories that earlier builds stored and must reach the same states. A change
// that breaks one changes what stored events mean: add an upcaster instead.
//
// tests/corpus/<workflow>.jsonl, one history a line:
//   {"name", "stream", "events":[{"type","schema_version","data"}...], "state": record_state(...)}
// To add histories, delete nothing: run with ONEX_CORPUS_RECORD=<dir> to write the current
// scenario's histories to <dir>/<workflow>.jsonl, and append the new lines to the corpus.
// platform.jsonl comes from a store `onex demo` made: set ONEX_CORPUS_STORE=<its data dir> too.
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "onex/accounts.h"
#include "workflows/declaration_world.h"

using namespace onex;
using namespace onex::testing;
using nlohmann::json;

namespace {

std::vector<json> read_corpus(const std::string& file) {
  std::ifstream in(std::string(ONEX_CORPUS_DIR) + "/" + file);
  REQUIRE_MESSAGE(in.good(), "missing corpus file " << file);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(json::parse(line));
  return lines;
}

// Every stream of the store (that `keep` keeps), one history a line, with the state it reached.
void write_histories(EventStore& store, const std::string& path,
                     const std::function<bool(const std::string&)>& keep = {}) {
  auto all = store.read_all(1, 100000);
  REQUIRE(all.is_ok());
  std::map<std::string, std::vector<RecordedEvent>> streams;
  std::vector<std::string> order;
  for (const auto& e : *all) {
    if (keep && !keep(e.stream)) continue;
    if (!streams.count(e.stream)) order.push_back(e.stream);
    streams[e.stream].push_back(e);
  }
  std::ofstream out(path);
  int n = 0;
  for (const auto& stream : order) {
    json events = json::array();
    for (const auto& e : streams[stream])
      events.push_back({{"type", e.type}, {"schema_version", e.schema_version}, {"data", e.data}});
    auto state = record_state(stream, streams[stream]);
    REQUIRE(state.is_ok());
    out << json{{"name", "v1 history " + std::to_string(++n)},
                {"stream", stream},
                {"events", events},
                {"state", *state}}
               .dump()
        << "\n";
  }
}

// Keeps the code of every SMS, so the scenario can answer them.
struct CodeKeeper final : SmsGateway {
  std::string last;
  Status send(const SmsMessage& m) override {
    last = m.code;
    return {};
  }
};

// Every path through the account machine.
void record_account_scenario(const std::string& dir) {
  DeclarationWorld w;
  CodeKeeper sms;
  AccountService accounts(*w.store, w.clock, sms, AccountOptions{.captcha = false});
  auto op = accounts.create_operator("corpus-admin");
  REQUIRE(op.is_ok());
  auto login = [&](const std::string& name, const std::string& password) {
    return accounts.sign_in().login({name, password, "", "", "", ""});
  };
  auto first = login("corpus-admin", op->initial_password);
  REQUIRE(first.is_ok());
  auto setup = accounts.sign_in().authenticate(first->session->token);
  REQUIRE(setup.is_ok());
  REQUIRE(accounts.sign_in().send_sms_code(*setup, "13812341399", "bind_phone", "").is_ok());
  REQUIRE(accounts.sign_in().complete_setup(*setup, "王芳", "13812341399", sms.last, "Onex2026pass").is_ok());
  auto challenge = login("corpus-admin", "Onex2026pass");
  REQUIRE(challenge.is_ok());
  auto granted = accounts.sign_in().answer_challenge(challenge->challenge->challenge_id, sms.last, false);
  REQUIRE(granted.is_ok());
  auto admin = accounts.sign_in().authenticate(granted->token);
  REQUIRE(admin.is_ok());
  REQUIRE(accounts.sign_in().send_step_up_code(*admin).is_ok());
  std::string step_up = sms.last;
  NewAccount province{"corpus-henan", "李明", "province", "41", "", "", "", {}};
  auto p = accounts.create_user(*admin, province, step_up);
  REQUIRE(p.is_ok());
  for (int i = 0; i < 3; ++i) (void)login("corpus-henan", "wrong-password-1");
  w.clock.advance(std::chrono::minutes(16));
  for (int i = 0; i < 2; ++i) (void)login("corpus-henan", "wrong-password-1");  // disabled
  REQUIRE(accounts.sign_in().send_step_up_code(*admin).is_ok());  // the first one has expired
  step_up = sms.last;
  REQUIRE(accounts.reset_password(*admin, p->account.id, step_up).is_ok());
  REQUIRE(accounts.disable_user(*admin, p->account.id).is_ok());
  REQUIRE(accounts.edit_user(*admin, p->account.id, std::string("李明明"), std::nullopt, step_up).is_ok());
  REQUIRE(accounts.enable_user(*admin, p->account.id).is_ok());
  REQUIRE(accounts.reset_binding(*admin, p->account.id, step_up).is_ok());
  REQUIRE(accounts.update_profile(*admin, std::string("王芳芳"), std::string("wf@example.cn"), step_up).is_ok());
  REQUIRE(accounts.sign_in().change_password(*admin, "Onex2026pass", "Onex2026next", step_up).is_ok());
  NewAccount city{"corpus-zz", "赵强", "city", "41", "4101", "", "", {}};
  auto c = accounts.create_user(*admin, city, step_up);
  REQUIRE(c.is_ok());
  REQUIRE(accounts.disable_user(*admin, c->account.id).is_ok());
  REQUIRE(accounts.delete_user(*admin, c->account.id).is_ok());
  write_histories(*w.store, dir + "/account.jsonl");
}

std::vector<RecordedEvent> as_recorded(const json& history) {
  std::vector<RecordedEvent> events;
  for (const auto& e : history["events"]) {
    RecordedEvent r;
    r.stream = history["stream"].get<std::string>();
    r.version = events.size() + 1;
    r.position = r.version;
    r.type = e["type"].get<std::string>();
    r.schema_version = e["schema_version"].get<int>();
    r.data = e["data"];
    events.push_back(std::move(r));
  }
  return events;
}

// Every path through the declaration machine, and the plans and quotas they touch.
void record_scenario(const std::string& dir) {
  DeclarationWorld w;
  auto city_plan = w.publish_plan(true, true);
  auto plan = w.publish_plan(false);
  auto deleted = w.draft(plan, w.leader, "cert-deleted");
  REQUIRE(w.service->edit(w.as(w.leader), deleted, w.complete("", "")).is_ok() );
  REQUIRE(w.service->remove(w.as(w.leader), deleted).is_ok());
  auto via_city = w.draft(city_plan, w.leader, "cert-city-approved");
  REQUIRE(w.service->submit(w.as(w.leader), via_city).is_ok());
  REQUIRE(w.service->city_review(w.as(w.city), via_city, true).is_ok());
  REQUIRE(w.service->province_review(w.as(w.province), via_city, true, 25).is_ok());
  auto city_rejected = w.draft(city_plan, w.leader, "cert-city-rejected");
  REQUIRE(w.service->submit(w.as(w.leader), city_rejected).is_ok());
  REQUIRE(w.service->city_review(w.as(w.city), city_rejected, false, "师资不足").is_ok());
  auto resubmitted = w.draft(plan, w.leader_b, "cert-city-approved");
  REQUIRE(w.service->submit(w.as(w.leader_b), resubmitted).is_ok());
  REQUIRE(w.service->province_review(w.as(w.province), resubmitted, false, {}, "场地").is_ok());
  auto in = w.complete("", "");
  in.planned_trainees = 10;
  REQUIRE(w.service->edit(w.as(w.leader_b), resubmitted, in).is_ok());
  REQUIRE(w.service->submit(w.as(w.leader_b), resubmitted).is_ok());
  REQUIRE(w.service->province_review(w.as(w.province), resubmitted, true).is_ok());
  auto same_quota = w.draft(plan, w.leader, "cert-city-approved");
  REQUIRE(w.service->submit(w.as(w.leader), same_quota).is_ok());
  REQUIRE(w.service->province_review(w.as(w.province), same_quota, true, 5).is_ok());

  write_histories(*w.store, dir + "/declaration.jsonl");
}

// The state in the shape the recording knew: a member added to a record since (absent from the
// recording) must hold its default, as old events read it so, and is then left out. Any other
// difference stays.
nlohmann::json in_recorded_shape(nlohmann::json state, const nlohmann::json& recorded) {
  if (!state.is_object() || !recorded.is_object()) return state;
  for (auto it = state.begin(); it != state.end();) {
    const auto r = recorded.find(it.key());
    if (r != recorded.end()) {
      *it = in_recorded_shape(std::move(*it), *r);
      ++it;
      continue;
    }
    const auto& v = *it;
    const bool by_default = v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
                            (v.is_number() && v == 0) || (v.is_boolean() && !v.get<bool>()) ||
                            ((v.is_array() || v.is_object()) && v.empty());
    if (by_default)
      it = state.erase(it);
    else
      ++it;
  }
  return state;
}

// Replays every history of a corpus file; returns the kinds and end states it covers.
std::pair<std::set<std::string>, std::set<std::string>> replay_corpus(const std::string& file) {
  auto corpus = read_corpus(file);
  CHECK(corpus.size() >= 3);
  std::set<std::string> kinds, states;
  for (const auto& history : corpus) {
    INFO(history["name"].get<std::string>() << " (" << history["stream"].get<std::string>() << ")");
    auto state = record_state(history["stream"].get<std::string>(), as_recorded(history));
    REQUIRE_MESSAGE(state.is_ok(), state.status().to_string());
    CHECK(in_recorded_shape(*state, history["state"]).dump() == history["state"].dump());
    kinds.insert(history["stream"].get<std::string>().substr(0, 6));
    states.insert(history["state"]["state"].get<std::string>());
  }
  return {kinds, states};
}

}  // namespace

TEST_CASE("recorded declaration, plan and quota histories replay to the same states") {
  if (const char* dir = std::getenv("ONEX_CORPUS_RECORD")) record_scenario(dir);
  auto [kinds, states] = replay_corpus("declaration.jsonl");
  // the corpus covers every workflow and every end state
  CHECK(kinds == std::set<std::string>{"declar", "quota-"});
  for (auto s : {"deleted", "approved", "rejected", "published", "open"}) CHECK(states.count(s));
}

TEST_CASE("recorded weekly-report settings and report histories replay to the same states") {
  auto [kinds, states] = replay_corpus("weekly_report.jsonl");
  CHECK(kinds == std::set<std::string>{"weekly"});
  for (auto s : {"configured", "submitted"}) CHECK(states.count(s));
}

// The institution, reference-data and file histories of a store `onex demo` made (its path in
// ONEX_CORPUS_STORE): they went through the REST routes, so they are what real clients record.
void record_platform_histories(const std::string& store_path, const std::string& dir) {
  auto store = open_store(StoreOptions{.path = store_path, .read_only = true,
                                       .create_if_missing = false});
  REQUIRE_MESSAGE(store.is_ok(), store.status().to_string());
  write_histories(**store, dir + "/platform.jsonl", [](const std::string& stream) {
    const auto kind = stream.substr(0, stream.find('-'));
    return kind == "institution" || kind == "registry" || kind == "org" ||
           kind == "certificate" || kind == "standard" || kind == "file";
  });
}

TEST_CASE("recorded institution, reference-data and file histories replay to the same states") {
  const char* dir = std::getenv("ONEX_CORPUS_RECORD");
  const char* store = std::getenv("ONEX_CORPUS_STORE");
  if (dir && store) record_platform_histories(store, dir);
  auto [kinds, states] = replay_corpus("platform.jsonl");
  std::set<std::string> workflows;
  for (const auto& history : read_corpus("platform.jsonl")) {
    const std::string stream = history["stream"];
    workflows.insert(stream.substr(0, stream.find('-')));
  }
  CHECK(workflows == std::set<std::string>{"certificate", "file", "institution", "org", "registry",
                                           "standard"});
  for (auto s : {"active", "registered", "imported", "enabled", "stored"}) CHECK(states.count(s));
}

TEST_CASE("recorded account histories replay to the same states") {
  if (const char* dir = std::getenv("ONEX_CORPUS_RECORD")) record_account_scenario(dir);
  auto [kinds, states] = replay_corpus("account.jsonl");
  CHECK(kinds == std::set<std::string>{"accoun"});
  for (auto s : {"active", "provisioned", "deleted"}) CHECK(states.count(s));
}
