// The corpus of recorded histories (DESIGN.md "Compatibility of stored history"): every build
// replays the event histories that earlier builds stored and must reach the same states. A change
// that breaks one changes what stored events mean: add an upcaster instead.
//
// tests/corpus/<workflow>.jsonl, one history a line:
//   {"name", "stream", "events":[{"type","schema_version","data"}...], "state": record_state(...)}
// To add histories, delete nothing: run with ONEX_CORPUS_RECORD=<dir> to write the current
// scenario's histories to <dir>/declaration.jsonl, and append the new lines to the corpus.
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

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

  std::map<std::string, std::vector<RecordedEvent>> streams;
  std::vector<std::string> order;
  auto all = w.store->read_all(1, 100000);
  REQUIRE(all.is_ok());
  for (const auto& e : *all) {
    if (!streams.count(e.stream)) order.push_back(e.stream);
    streams[e.stream].push_back(e);
  }
  std::ofstream out(dir + "/declaration.jsonl");
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

}  // namespace

TEST_CASE("recorded declaration, plan and quota histories replay to the same states") {
  if (const char* dir = std::getenv("ONEX_CORPUS_RECORD")) record_scenario(dir);
  auto corpus = read_corpus("declaration.jsonl");
  CHECK(corpus.size() >= 8);
  std::set<std::string> kinds, states;
  for (const auto& history : corpus) {
    INFO(history["name"].get<std::string>() << " (" << history["stream"].get<std::string>() << ")");
    auto state = record_state(history["stream"].get<std::string>(), as_recorded(history));
    REQUIRE_MESSAGE(state.is_ok(), state.status().to_string());
    CHECK(state->dump() == history["state"].dump());
    kinds.insert(history["stream"].get<std::string>().substr(0, 6));
    states.insert(history["state"]["state"].get<std::string>());
  }
  // the corpus covers every workflow and every end state
  CHECK(kinds == std::set<std::string>{"declar", "quota-"});
  for (auto s : {"deleted", "approved", "rejected", "published", "open"}) CHECK(states.count(s));
}
