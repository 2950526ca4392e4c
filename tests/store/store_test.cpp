// The RocksDB event store, tested on a real database in a temporary directory.
#include <doctest/doctest.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "onex/event_store.h"
#include "onex/rebuild.h"
#include "store/record.h"
#include "store/store_helpers.h"
#include "support/temp_dir.h"

namespace {

using namespace onex;
using namespace onex::testing;
using nlohmann::json;

constexpr auto kMax = std::numeric_limits<std::size_t>::max();

void check_conflict(const Result<AppendResult>& r, const std::string& code) {
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().kind() == StatusKind::conflict);
  CHECK(r.status().code() == code);
}

StreamHead head_of(const EventStore& store, const std::string& stream) {
  auto h = store.stream_head(stream);
  REQUIRE_MESSAGE(h.is_ok(), h.status().to_string());
  return *h;
}

std::optional<std::string> owner_of(const EventStore& store, const std::string& key) {
  auto o = store.claim_owner(key);
  REQUIRE_MESSAGE(o.is_ok(), o.status().to_string());
  return *o;
}

std::optional<std::string> model(const EventStore& store, std::string_view projection,
                                 std::string_view key) {
  auto v = store.read_model_get(projection, key);
  REQUIRE_MESSAGE(v.is_ok(), v.status().to_string());
  return *v;
}

// Positions 1..n, each once, in order.
void check_gapless(const std::vector<RecordedEvent>& all, std::uint64_t n) {
  REQUIRE(all.size() == n);
  for (std::uint64_t i = 0; i < n; ++i)
    if (all[i].position != i + 1) FAIL("position " << all[i].position << " at index " << i);
}

// Counts events per stream, reading its own previous value.
class CountProjection final : public Projection {
 public:
  explicit CountProjection(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (e.type == "test.reset") {
      txn.erase(e.stream);
      return;
    }
    auto v = txn.get(e.stream);
    txn.put(e.stream, std::to_string((v ? std::stoull(*v) : 0) + 1));
    auto total = txn.get("~total");
    txn.put("~total", std::to_string((total ? std::stoull(*total) : 0) + 1));
  }

 private:
  std::string name_;
};

// Writes down everything it is given about each event, keyed by position: a rebuild from the
// log must give the same bytes.
class EchoProjection final : public Projection {
 public:
  std::string_view name() const override { return "echo"; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    char key[24];
    std::snprintf(key, sizeof key, "%020llu", static_cast<unsigned long long>(e.position));
    txn.put(key, to_json(e).dump());
  }
};

// Sees, through the store, whether an event is applied while earlier events of its group are
// not yet committed; slow enough that appenders queue up behind the writer.
class GroupWitness final : public Projection {
 public:
  std::string_view name() const override { return "witness"; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (const EventStore* s = store.load(); s && s->head_position() + 1 < e.position)
      in_group_after_uncommitted.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  mutable std::atomic<const EventStore*> store{nullptr};
  mutable std::atomic<int> in_group_after_uncommitted{0};
};

// Fails on "test.boom".
class ThrowingProjection final : public Projection {
 public:
  std::string_view name() const override { return "thrower"; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (e.type == "test.boom") throw std::runtime_error("boom");
    txn.put(e.stream, std::to_string(e.version));
  }
};

// Keeps a JSON tally per stream through find_json and put_json, mixed with values written as
// text, read back both ways, and erased: whatever the txn keeps decoded and for how long, the
// stored text must be the same.
class TallyProjection final : public Projection {
 public:
  std::string_view name() const override { return "tallies"; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    const std::string key = "s/" + e.stream;
    if (e.type == "test.reset") {
      txn.erase(key);
      return;
    }
    json first = {{"stream", e.stream}, {"events", 0}, {"名", "计数"}};
    json* tally = txn.find_json(key);
    if (!tally) tally = &first;
    (*tally)["events"] = tally->value("events", 0) + 1;
    (*tally)["last"] = e.position;
    txn.put_json(key, std::move(*tally));
    // a value written as text and then changed as JSON
    const std::string text_key = "t/" + e.stream;
    if (e.version == 1) {
      txn.put(text_key, R"({"first":)" + std::to_string(e.position) + "}");
    } else if (json* t = txn.find_json(text_key)) {
      (*t)["latest"] = e.position;
      txn.put_json(text_key, std::move(*t));
    }
    // a JSON value read as text, and text that is not JSON
    if (auto written = txn.get(key)) txn.put("copy/" + e.stream, *written);
    txn.put("plain/" + e.stream, "not json");
    if (txn.find_json("plain/" + e.stream)) txn.put("plain/" + e.stream, "parsed");
  }
};

}  // namespace

TEST_SUITE("event store") {

TEST_CASE("appends get stream versions and log positions from 1, and reads return them in order") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  CHECK(store->head_position() == 0);

  // given three appends to two new streams
  auto a = append_to(*store, "order-1", ExpectedVersion::no_stream(), 3, "c1");
  REQUIRE(a.is_ok());
  auto b = append_to(*store, "order-2", ExpectedVersion::any(), 2);
  REQUIRE(b.is_ok());
  auto c = append_to(*store, "order-1", ExpectedVersion::exactly(3), 1);
  REQUIRE(c.is_ok());

  // then each got the next positions and versions
  CHECK(a->first_position == 1);
  CHECK(a->last_position == 3);
  CHECK(a->stream_versions == std::vector<std::uint64_t>{3});
  CHECK_FALSE(a->replayed);
  CHECK(b->first_position == 4);
  CHECK(b->last_position == 5);
  CHECK(b->stream_versions == std::vector<std::uint64_t>{2});
  CHECK(c->first_position == 6);
  CHECK(c->stream_versions == std::vector<std::uint64_t>{4});
  CHECK(store->head_position() == 6);

  // and a stream reads back in version order with its positions
  auto s1 = store->read_stream("order-1");
  REQUIRE(s1.is_ok());
  REQUIRE(s1->size() == 4);
  const std::uint64_t positions[] = {1, 2, 3, 6};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK((*s1)[i].version == i + 1);
    CHECK((*s1)[i].position == positions[i]);
    CHECK((*s1)[i].stream == "order-1");
  }
  // from a version, and at most a count
  auto from3 = store->read_stream("order-1", 3);
  REQUIRE(from3.is_ok());
  REQUIRE(from3->size() == 2);
  CHECK((*from3)[0].version == 3);
  CHECK((*from3)[1].version == 4);
  auto one = store->read_stream("order-1", 2, 1);
  REQUIRE(one.is_ok());
  REQUIRE(one->size() == 1);
  CHECK((*one)[0].version == 2);
  auto past = store->read_stream("order-1", 5);
  REQUIRE(past.is_ok());
  CHECK(past->empty());
  // a stream whose name is a prefix of another reads only its own events
  REQUIRE(append_to(*store, "order-10", ExpectedVersion::any()).is_ok());
  auto s1_again = store->read_stream("order-1");
  REQUIRE(s1_again.is_ok());
  CHECK(s1_again->size() == 4);
  // an unknown stream is empty, with head 0
  auto none = store->read_stream("order-9");
  REQUIRE(none.is_ok());
  CHECK(none->empty());
  CHECK(head_of(*store, "order-9").version == 0);
  CHECK(head_of(*store, "order-9").last_position == 0);

  // and the whole log reads from a position, at most a count
  auto from4 = store->read_all(4, kMax);
  REQUIRE(from4.is_ok());
  REQUIRE(from4->size() == 4);
  CHECK((*from4)[0].position == 4);
  CHECK((*from4)[0].stream == "order-2");
  CHECK((*from4)[3].position == 7);
  auto two = store->read_all(2, 2);
  REQUIRE(two.is_ok());
  REQUIRE(two->size() == 2);
  CHECK((*two)[0].position == 2);
  CHECK((*two)[1].position == 3);
  auto beyond = store->read_all(8, kMax);
  REQUIRE(beyond.is_ok());
  CHECK(beyond->empty());

  // and stream heads say version and last position
  CHECK(head_of(*store, "order-1").version == 4);
  CHECK(head_of(*store, "order-1").last_position == 6);
  CHECK(head_of(*store, "order-2").version == 2);
  CHECK(head_of(*store, "order-2").last_position == 5);
}

TEST_CASE("a stored event keeps what was appended and chains to the event before it") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  // given an append with full metadata
  AppendRequest r = request({to_stream("decl-1", ExpectedVersion::any(),
                                       {ev("decl.submitted", {{"cents", 1200}, {"n", "名"}}),
                                        ev("decl.checked", {{"ok", true}})})},
                            "cmd-9");
  r.streams[0].events[1].schema_version = 3;
  r.correlation_id = "corr-9";
  r.causation_id = "cause-9";
  r.actor = Actor{"acct-42", "staff", "11", "1101", "inst", ""};
  r.recorded_at = at_ms(1'585'670'400'007);
  REQUIRE(store->append(r).is_ok());

  // then both events read back with it
  auto all = all_events(*store);
  REQUIRE(all.size() == 2);
  const auto& e = all[1];
  CHECK(e.type == "decl.checked");
  CHECK(e.schema_version == 3);
  CHECK(all[0].schema_version == 1);
  CHECK(e.data == json({{"ok", true}}));
  CHECK(all[0].data == json({{"cents", 1200}, {"n", "名"}}));
  CHECK(e.actor_account_id == "acct-42");
  CHECK(e.actor_role == "staff");
  CHECK(e.correlation_id == "corr-9");
  CHECK(e.causation_id == "cause-9");
  CHECK(e.command_id == "cmd-9");
  CHECK(e.recorded_at == at_ms(1'585'670'400'007));
  // and the first chains to zeros, the second to the first
  CHECK(all[0].prev_hash == std::string(64, '0'));
  CHECK(e.prev_hash == all[0].hash);
  CHECK(e.hash != all[0].hash);
  auto report = verified(*store);
  CHECK(report.ok());
  CHECK(report.events == 2);
  CHECK(report.head_position == 2);
  CHECK(report.head_hash == e.hash);
}

TEST_CASE("an empty log verifies with the zero hash") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  auto report = verified(*store);
  CHECK(report.ok());
  CHECK(report.events == 0);
  CHECK(report.head_position == 0);
  CHECK(report.head_hash == std::string(64, '0'));
}

TEST_CASE("an append at the wrong expected version is a version conflict and writes nothing") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  // given a stream at version 2
  REQUIRE(append_to(*store, "s", ExpectedVersion::no_stream(), 2).is_ok());

  // then no_stream, a stale or a future exact version, and exactly(0) are conflicts
  check_conflict(append_to(*store, "s", ExpectedVersion::no_stream()), "concurrency.version_conflict");
  check_conflict(append_to(*store, "s", ExpectedVersion::exactly(1)), "concurrency.version_conflict");
  check_conflict(append_to(*store, "s", ExpectedVersion::exactly(3)), "concurrency.version_conflict");
  check_conflict(append_to(*store, "s", ExpectedVersion::exactly(0)), "concurrency.version_conflict");
  CHECK(store->head_position() == 2);
  CHECK(head_of(*store, "s").version == 2);
  CHECK(all_events(*store).size() == 2);

  // and the current version, or any, goes through
  auto exact = append_to(*store, "s", ExpectedVersion::exactly(2));
  REQUIRE(exact.is_ok());
  CHECK(exact->stream_versions == std::vector<std::uint64_t>{3});
  auto any = append_to(*store, "s", ExpectedVersion::any(), 2);
  REQUIRE(any.is_ok());
  CHECK(any->stream_versions == std::vector<std::uint64_t>{5});
  // and a new stream takes exactly(0), no_stream and any
  CHECK(append_to(*store, "t", ExpectedVersion::exactly(0)).is_ok());
  CHECK(append_to(*store, "u", ExpectedVersion::no_stream()).is_ok());
  auto fresh_any = append_to(*store, "v", ExpectedVersion::any());
  REQUIRE(fresh_any.is_ok());
  CHECK(fresh_any->stream_versions == std::vector<std::uint64_t>{1});
  // and the versions an "any" append got are what its records say (re-versioned in the writer)
  auto s = store->read_stream("s");
  REQUIRE(s.is_ok());
  REQUIRE(s->size() == 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK((*s)[i].version == i + 1);
  CHECK(verified(*store).ok());
}

TEST_CASE("malformed appends are refused as invalid and write nothing") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  REQUIRE(append_to(*store, "s", ExpectedVersion::any()).is_ok());
  auto refused = [&](AppendRequest r) {
    auto res = store->append(std::move(r));
    REQUIRE_FALSE(res.is_ok());
    CHECK(res.status().kind() == StatusKind::bad_request);
    CHECK(res.status().code() == "store.invalid_append");
  };
  refused(request({}));
  refused(request({to_stream("", ExpectedVersion::any(), events(1))}));
  refused(request({to_stream("a", ExpectedVersion::any(), {})}));
  refused(request({to_stream(std::string("a\0b", 3), ExpectedVersion::any(), events(1))}));
  refused(request({to_stream("a", ExpectedVersion::any(), events(1)),
                   to_stream("a", ExpectedVersion::any(), events(1))}));
  refused(request({to_stream("a", ExpectedVersion::any(), {ev("t", {{"f", 0.5}})})}));
  refused(request({to_stream("a", ExpectedVersion::any(), events(1)),
                   to_stream("b", ExpectedVersion::any(), {ev("", {})})}));
  refused(request({to_stream("a", ExpectedVersion::any(), {ev("t", json::array())})}));
  CHECK(store->head_position() == 1);
  CHECK(head_of(*store, "a").version == 0);
  CHECK(all_events(*store).size() == 1);
}

TEST_CASE("concurrent appenders on one stream: exactly one wins each version") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  constexpr int kThreads = 8, kAttempts = 40;
  std::mutex m;
  std::vector<std::uint64_t> won;  // versions won
  std::atomic<int> conflicts{0}, other_errors{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kAttempts; ++i) {
        // when each reads the head and appends at exactly that version
        auto h = store->stream_head("contended");
        if (!h) {
          ++other_errors;
          continue;
        }
        auto r = store->append(request(
            {to_stream("contended", ExpectedVersion::exactly(h->version),
                       {ev("test.won", {{"thread", t}, {"attempt", i}})})}));
        if (r) {
          std::lock_guard g(m);
          won.push_back(r->stream_versions.at(0));
        } else if (r.status().code() == "concurrency.version_conflict") {
          ++conflicts;
        } else {
          ++other_errors;
        }
      }
    });
  for (auto& t : threads) t.join();

  // then no version was won twice, and the stream is at the number of wins
  CHECK(other_errors == 0);
  std::sort(won.begin(), won.end());
  CHECK(std::adjacent_find(won.begin(), won.end()) == won.end());
  const auto wins = won.size();
  CHECK(wins + conflicts == std::size_t{kThreads * kAttempts});
  CHECK(head_of(*store, "contended").version == wins);
  for (std::size_t i = 0; i < wins; ++i) CHECK(won[i] == i + 1);
  // and the stream holds exactly those versions, once each, one per position
  auto s = store->read_stream("contended");
  REQUIRE(s.is_ok());
  REQUIRE(s->size() == wins);
  for (std::size_t i = 0; i < wins; ++i) {
    CHECK((*s)[i].version == i + 1);
    CHECK((*s)[i].position == i + 1);
  }
  CHECK(store->head_position() == wins);
  CHECK(verified(*store).events == wins);
}

TEST_CASE("concurrent appends from many threads leave a gapless log and a verifiable chain") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  constexpr int kThreads = 16, kAppends = 60;
  std::atomic<std::uint64_t> written{0};
  std::atomic<int> errors{0};
  std::mutex m;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // first, last of each append
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kAppends; ++i) {
        // given a mix of one-event, multi-event and two-stream appends to the thread's streams
        const std::string s = "t" + std::to_string(t) + "-" + std::to_string(i % 3);
        AppendRequest r;
        int n = 1;
        if (i % 5 == 0) {
          n = 4;
          r = request({to_stream(s, ExpectedVersion::any(), events(4, i))});
        } else if (i % 7 == 0) {
          n = 3;
          r = request({to_stream(s, ExpectedVersion::any(), events(2, i)),
                       to_stream("t" + std::to_string(t) + "-x", ExpectedVersion::any(),
                                 events(1, i))});
        } else {
          r = request({to_stream(s, ExpectedVersion::any(), events(1, i))});
        }
        auto res = store->append(std::move(r));
        if (!res) {
          ++errors;
          continue;
        }
        written += n;
        std::lock_guard g(m);
        ranges.emplace_back(res->first_position, res->last_position);
        if (res->last_position - res->first_position + 1 != std::uint64_t(n)) ++errors;
      }
    });
  for (auto& t : threads) t.join();
  REQUIRE(errors == 0);

  // then the log holds positions 1..N without gaps, each append's events contiguous
  const std::uint64_t n = written;
  check_gapless(all_events(*store), n);
  CHECK(store->head_position() == n);
  std::sort(ranges.begin(), ranges.end());
  std::uint64_t next = 1;
  for (auto [first, last] : ranges) {
    CHECK(first == next);
    next = last + 1;
  }
  CHECK(next == n + 1);
  // and every stream's versions are 1..k
  for (int t = 0; t < kThreads; ++t)
    for (std::string suffix : {"0", "1", "2", "x"}) {
      const std::string s = "t" + std::to_string(t) + "-" + suffix;
      auto events = store->read_stream(s);
      REQUIRE(events.is_ok());
      for (std::size_t i = 0; i < events->size(); ++i) CHECK((*events)[i].version == i + 1);
      CHECK(head_of(*store, s).version == events->size());
    }
  // and the chain verifies over all of it
  auto report = verified(*store);
  CHECK(report.ok());
  CHECK(report.events == n);
  CHECK(report.head_position == n);
  // also from a later position
  auto tail = verified(*store, n / 2);
  CHECK(tail.ok());
  CHECK(tail.events == n - n / 2 + 1);
}

TEST_CASE("a multi-stream append with one stale stream writes nothing to any stream") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  // given stream B at version 1
  REQUIRE(append_to(*store, "B", ExpectedVersion::any()).is_ok());
  const auto head = store->head_position();

  // when an append to fresh A and to B at a stale version is tried, with a claim and a command id
  auto req = request({to_stream("A", ExpectedVersion::no_stream(), events(2)),
                      to_stream("B", ExpectedVersion::exactly(0), events(1))},
                     "cmd-stale");
  req.claims.push_back(Claim{"name:alice"});
  auto r = store->append(req);

  // then it is a conflict and nothing of it was written
  check_conflict(r, "concurrency.version_conflict");
  CHECK(store->head_position() == head);
  CHECK(head_of(*store, "A").version == 0);
  auto a = store->read_stream("A");
  REQUIRE(a.is_ok());
  CHECK(a->empty());
  CHECK(head_of(*store, "B").version == 1);
  CHECK_FALSE(owner_of(*store, "name:alice").has_value());
  auto cmd = store->find_command("cmd-stale");
  REQUIRE(cmd.is_ok());
  CHECK_FALSE(cmd->has_value());

  // and the same command at the right versions then goes through, to both streams
  req.streams[1].expected = ExpectedVersion::exactly(1);
  auto ok = store->append(req);
  REQUIRE(ok.is_ok());
  CHECK_FALSE(ok->replayed);
  CHECK(ok->first_position == head + 1);
  CHECK(ok->last_position == head + 3);
  CHECK(ok->stream_versions == std::vector<std::uint64_t>{2, 2});
  CHECK(head_of(*store, "A").version == 2);
  CHECK(head_of(*store, "A").last_position == head + 2);
  CHECK(head_of(*store, "B").version == 2);
  CHECK(head_of(*store, "B").last_position == head + 3);
  CHECK(owner_of(*store, "name:alice") == "A");
}

TEST_CASE("claims: a key held by another stream refuses the whole append with its taken code") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  // given stream acct-1 holding "user:bob"
  auto first = request({to_stream("acct-1", ExpectedVersion::no_stream(), events(1))});
  first.claims.push_back(Claim{"user:bob", "account.name_taken"});
  REQUIRE(store->append(first).is_ok());
  CHECK(owner_of(*store, "user:bob") == "acct-1");
  const auto head = store->head_position();

  // when another stream claims it (beside a free claim and a second stream)
  auto second = request({to_stream("acct-2", ExpectedVersion::no_stream(), events(1)),
                         to_stream("quota-1", ExpectedVersion::any(), events(1))},
                        "cmd-claim");
  second.claims.push_back(Claim{"user:carol", "account.name_taken"});
  second.claims.push_back(Claim{"user:bob", "account.name_taken"});
  auto r = store->append(second);

  // then it fails with the claim's code and writes nothing, not even the free claim
  check_conflict(r, "account.name_taken");
  CHECK(store->head_position() == head);
  CHECK(head_of(*store, "acct-2").version == 0);
  CHECK(head_of(*store, "quota-1").version == 0);
  CHECK_FALSE(owner_of(*store, "user:carol").has_value());
  CHECK(owner_of(*store, "user:bob") == "acct-1");
  auto cmd = store->find_command("cmd-claim");
  REQUIRE(cmd.is_ok());
  CHECK_FALSE(cmd->has_value());

  // and the default taken code is store.claim_taken
  auto third = request({to_stream("acct-3", ExpectedVersion::any(), events(1))});
  third.claims.push_back(Claim{"user:bob"});
  check_conflict(store->append(third), "store.claim_taken");

  SUBCASE("the same owner may claim it again") {
    auto again = request({to_stream("acct-1", ExpectedVersion::any(), events(1))});
    again.claims.push_back(Claim{"user:bob", "account.name_taken"});
    REQUIRE(store->append(again).is_ok());
    CHECK(owner_of(*store, "user:bob") == "acct-1");
  }
  SUBCASE("a release by its owner frees it for another stream") {
    auto release = request({to_stream("acct-1", ExpectedVersion::any(), events(1))});
    release.releases.push_back("user:bob");
    REQUIRE(store->append(release).is_ok());
    CHECK_FALSE(owner_of(*store, "user:bob").has_value());
    REQUIRE(store->append(second).is_ok());
    CHECK(owner_of(*store, "user:bob") == "acct-2");
    CHECK(owner_of(*store, "user:carol") == "acct-2");
  }
  SUBCASE("a release by a stream that does not hold it is ignored") {
    auto release = request({to_stream("acct-9", ExpectedVersion::any(), events(1))});
    release.releases.push_back("user:bob");
    release.releases.push_back("user:nobody");
    REQUIRE(store->append(release).is_ok());
    CHECK(owner_of(*store, "user:bob") == "acct-1");
  }
  SUBCASE("a release and a claim of the same key by another stream in one group are ordered") {
    // when the owner releases and another stream claims, concurrently, many times
    for (int round = 0; round < 20; ++round) {
      const std::string key = "k" + std::to_string(round);
      auto take = request({to_stream("holder-" + std::to_string(round), ExpectedVersion::any(),
                                     events(1))});
      take.claims.push_back(Claim{key});
      REQUIRE(store->append(take).is_ok());
      std::latch go(2);
      Result<AppendResult> rel = Status::io_error("unset"), grab = Status::io_error("unset");
      std::thread a([&] {
        auto r2 = request({to_stream("holder-" + std::to_string(round), ExpectedVersion::any(),
                                     events(1))});
        r2.releases.push_back(key);
        go.arrive_and_wait();
        rel = store->append(r2);
      });
      std::thread b([&] {
        auto r2 = request({to_stream("grabber-" + std::to_string(round), ExpectedVersion::any(),
                                     events(1))});
        r2.claims.push_back(Claim{key});
        go.arrive_and_wait();
        grab = store->append(r2);
      });
      a.join();
      b.join();
      // then the release always goes through, and the claim holds exactly when it went after it
      REQUIRE(rel.is_ok());
      if (grab.is_ok()) {
        CHECK(grab->first_position > rel->first_position);
        CHECK(owner_of(*store, key) == "grabber-" + std::to_string(round));
      } else {
        CHECK(grab.status().code() == "store.claim_taken");
        CHECK_FALSE(owner_of(*store, key).has_value());
      }
    }
  }
  CHECK(verified(*store).ok());
}

TEST_CASE("a command id seen before returns the first outcome and writes nothing") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  // given a committed append with a command id and an outcome
  auto req = request({to_stream("s", ExpectedVersion::no_stream(), events(2)),
                      to_stream("t", ExpectedVersion::any(), events(1))},
                     "cmd-1");
  req.outcome = R"({"declaration_id":"d-1","note":"名"})";
  auto first = store->append(req);
  REQUIRE(first.is_ok());
  CHECK_FALSE(first->replayed);
  CHECK(first->outcome == req.outcome);

  // when the same command id comes again (even with another request, which would conflict)
  auto again = req;
  again.outcome = "different";
  again.streams.push_back(to_stream("u", ExpectedVersion::any(), events(5)));
  auto second = store->append(again);

  // then it returns the first outcome, replayed, and nothing more is written
  REQUIRE(second.is_ok());
  CHECK(second->replayed);
  CHECK(second->first_position == first->first_position);
  CHECK(second->last_position == first->last_position);
  CHECK(second->stream_versions == first->stream_versions);
  CHECK(second->outcome == req.outcome);
  CHECK(store->head_position() == 3);
  CHECK(head_of(*store, "s").version == 2);
  CHECK(head_of(*store, "u").version == 0);
  // and find_command says the same
  auto found = store->find_command("cmd-1");
  REQUIRE(found.is_ok());
  REQUIRE(found->has_value());
  CHECK((*found)->first_position == 1);
  CHECK((*found)->last_position == 3);
  CHECK((*found)->outcome == req.outcome);
  auto unknown = store->find_command("cmd-unknown");
  REQUIRE(unknown.is_ok());
  CHECK_FALSE(unknown->has_value());

  // and appends without a command id are never deduplicated
  CHECK(append_to(*store, "v", ExpectedVersion::any()).is_ok());
  CHECK(append_to(*store, "v", ExpectedVersion::any()).is_ok());
  CHECK(head_of(*store, "v").version == 2);
}

TEST_CASE("a command id that failed is not remembered, and may be retried") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  REQUIRE(append_to(*store, "s", ExpectedVersion::any()).is_ok());
  // given a command that failed on a version conflict
  check_conflict(append_to(*store, "s", ExpectedVersion::no_stream(), 1, "cmd-r"),
                 "concurrency.version_conflict");
  auto found = store->find_command("cmd-r");
  REQUIRE(found.is_ok());
  CHECK_FALSE(found->has_value());
  // when it is retried right, it goes through as a first outcome
  auto retry = append_to(*store, "s", ExpectedVersion::exactly(1), 1, "cmd-r");
  REQUIRE(retry.is_ok());
  CHECK_FALSE(retry->replayed);
  CHECK(retry->first_position == 2);
}

TEST_CASE("the same command id from two threads at once writes one set of events") {
  TempDir dir;
  auto witness = std::make_shared<GroupWitness>();  // slows the writer so appends group up
  auto o = options_for(dir.str());
  o.inline_projections.push_back(witness);
  auto store = open_ok(o);
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    const std::string cmd = "dup-" + std::to_string(round);
    const std::string stream = "dup-stream-" + std::to_string(round);
    const auto head = store->head_position();
    std::latch go(3);
    Result<AppendResult> r1 = Status::io_error("unset"), r2 = Status::io_error("unset");
    auto run = [&](Result<AppendResult>& out, std::string outcome) {
      auto req = request({to_stream(stream, ExpectedVersion::any(), events(2))}, cmd);
      req.outcome = std::move(outcome);
      go.arrive_and_wait();
      out = store->append(std::move(req));
    };
    // given, on odd rounds, a third append that keeps the writer busy so both queue together
    std::thread blocker([&] {
      go.arrive_and_wait();
      if (round % 2) REQUIRE(append_to(*store, "busy", ExpectedVersion::any(), 3).is_ok());
    });
    std::thread a(run, std::ref(r1), "from a");
    std::thread b(run, std::ref(r2), "from b");
    a.join();
    b.join();
    blocker.join();

    // then exactly one wrote, the other got its outcome replayed, and two events exist
    REQUIRE(r1.is_ok());
    REQUIRE(r2.is_ok());
    CHECK(r1->replayed != r2->replayed);
    CHECK(r1->first_position == r2->first_position);
    CHECK(r1->last_position == r2->last_position);
    CHECK(r1->stream_versions == r2->stream_versions);
    CHECK(r1->outcome == r2->outcome);
    const auto& winner = r1->replayed ? r2 : r1;
    CHECK(r1->outcome == (r1->replayed ? "from b" : "from a"));
    CHECK(head_of(*store, stream).version == 2);
    CHECK(store->head_position() == head + 2 + (round % 2 ? 3 : 0));
    auto written = store->read_all(winner->first_position, 2);
    REQUIRE(written.is_ok());
    REQUIRE(written->size() == 2);
    CHECK((*written)[0].command_id == cmd);
    CHECK((*written)[1].command_id == cmd);
  }
  auto report = verified(*store);
  CHECK(report.ok());
  CHECK(report.events == store->head_position());
}

TEST_CASE("everything persists across a reopen, and new appends continue the log and the chain") {
  TempDir dir;
  auto counts = std::make_shared<CountProjection>("counts");
  auto o = options_for(dir.str());
  o.inline_projections.push_back(counts);
  std::string head_hash;
  {
    // given a store with events, claims, a command id and a read model
    auto store = open_ok(o);
    auto req = request({to_stream("acct-1", ExpectedVersion::no_stream(), events(2)),
                        to_stream("quota", ExpectedVersion::any(), events(1))},
                       "cmd-open");
    req.claims.push_back(Claim{"user:zed"});
    req.claims.push_back(Claim{"user:tmp"});
    req.outcome = "outcome-1";
    REQUIRE(store->append(req).is_ok());
    auto rel = request({to_stream("acct-1", ExpectedVersion::exactly(2), events(1))});
    rel.releases.push_back("user:tmp");
    REQUIRE(store->append(rel).is_ok());
    head_hash = verified(*store).head_hash;
    // when it is closed
  }
  // and opened again
  auto store = open_ok(o);

  // then the log, heads, claims, command ids, read models and chain head are all there
  CHECK(store->head_position() == 4);
  CHECK(all_events(*store).size() == 4);
  CHECK(head_of(*store, "acct-1").version == 3);
  CHECK(head_of(*store, "acct-1").last_position == 4);
  CHECK(head_of(*store, "quota").version == 1);
  CHECK(owner_of(*store, "user:zed") == "acct-1");
  CHECK_FALSE(owner_of(*store, "user:tmp").has_value());
  auto cmd = store->find_command("cmd-open");
  REQUIRE(cmd.is_ok());
  REQUIRE(cmd->has_value());
  CHECK((*cmd)->first_position == 1);
  CHECK((*cmd)->outcome == "outcome-1");
  CHECK(model(*store, "counts", "acct-1") == "3");
  CHECK(model(*store, "counts", "~total") == "4");
  CHECK(verified(*store).head_hash == head_hash);

  // and the heads are honoured (not a cold cache) and a replay still replays
  check_conflict(append_to(*store, "acct-1", ExpectedVersion::exactly(2)),
                 "concurrency.version_conflict");
  check_conflict(append_to(*store, "quota", ExpectedVersion::no_stream()),
                 "concurrency.version_conflict");
  auto replay = append_to(*store, "acct-1", ExpectedVersion::any(), 1, "cmd-open");
  REQUIRE(replay.is_ok());
  CHECK(replay->replayed);
  auto taken = request({to_stream("acct-2", ExpectedVersion::any(), events(1))});
  taken.claims.push_back(Claim{"user:zed"});
  check_conflict(store->append(taken), "store.claim_taken");

  // and new appends continue the positions, the versions and the chain
  auto next = append_to(*store, "acct-1", ExpectedVersion::exactly(3), 2);
  REQUIRE(next.is_ok());
  CHECK(next->first_position == 5);
  CHECK(next->stream_versions == std::vector<std::uint64_t>{5});
  auto all = all_events(*store);
  check_gapless(all, 6);
  CHECK(all[4].prev_hash == head_hash);
  CHECK(model(*store, "counts", "acct-1") == "5");
  auto report = verified(*store);
  CHECK(report.ok());
  CHECK(report.events == 6);
}

TEST_CASE("opening read-only needs an existing store and never writes") {
  TempDir dir;
  const std::string path = dir.str("missing");

  // when a missing store is opened read-only, or without create_if_missing
  auto ro = options_for(path);
  ro.read_only = true;
  auto r = open_store(ro);
  // then it is not found and no directory appears
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == "store.not_found");
  CHECK(r.status().kind() == StatusKind::not_found);
  CHECK_FALSE(std::filesystem::exists(path));
  auto no_create = options_for(path);
  no_create.create_if_missing = false;
  auto r2 = open_store(no_create);
  REQUIRE_FALSE(r2.is_ok());
  CHECK(r2.status().code() == "store.not_found");
  CHECK_FALSE(std::filesystem::exists(path));

  // and an existing directory that is not a store is not found either
  std::filesystem::create_directories(dir.str("empty"));
  auto ro_empty = options_for(dir.str("empty"));
  ro_empty.read_only = true;
  auto r3 = open_store(ro_empty);
  REQUIRE_FALSE(r3.is_ok());
  CHECK(r3.status().code() == "store.not_found");
  CHECK(std::filesystem::is_empty(dir.str("empty")));
}

TEST_CASE("a read-only store reads, verifies and refuses appends") {
  TempDir dir;
  auto counts = std::make_shared<CountProjection>("counts");
  auto o = options_for(dir.str());
  o.inline_projections.push_back(counts);
  {
    auto store = open_ok(o);
    REQUIRE(append_to(*store, "s", ExpectedVersion::any(), 3, "c").is_ok());
  }
  // given a store opened read-only
  auto ro = o;
  ro.read_only = true;
  auto store = open_ok(ro);

  // then it reads what is there
  CHECK(store->head_position() == 3);
  CHECK(all_events(*store).size() == 3);
  CHECK(head_of(*store, "s").version == 3);
  CHECK(model(*store, "counts", "s") == "3");
  CHECK(verified(*store).events == 3);
  // and refuses to append
  auto r = append_to(*store, "s", ExpectedVersion::any());
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == "store.read_only");
  CHECK(store->head_position() == 3);
}

TEST_CASE("a read-only store opens beside a running writer and sees the store as it was") {
  TempDir dir;
  // given a writer with events, some not yet flushed to table files
  auto writer = open_ok(options_for(dir.str()));
  REQUIRE(append_to(*writer, "s", ExpectedVersion::any(), 3).is_ok());

  // when a read-only store is opened in the same process, beside it
  auto ro = options_for(dir.str());
  ro.read_only = true;
  auto reader = open_ok(ro);

  // then it sees the events so far and verifies them
  CHECK(reader->head_position() == 3);
  CHECK(all_events(*reader).size() == 3);
  CHECK(verified(*reader).events == 3);
  // and the writer keeps working, while the reader keeps its view from when it opened
  REQUIRE(append_to(*writer, "s", ExpectedVersion::any(), 2).is_ok());
  CHECK(writer->head_position() == 5);
  CHECK(reader->head_position() == 3);
  CHECK(verified(*reader).ok());
  // and a second read-only store opened now sees the new events
  auto reader2 = open_ok(ro);
  CHECK(reader2->head_position() == 5);
  CHECK(verified(*reader2).events == 5);
}

TEST_CASE("an inline projection is visible right after the append that fed it") {
  TempDir dir;
  auto counts = std::make_shared<CountProjection>("counts");
  auto o = options_for(dir.str());
  o.inline_projections.push_back(counts);
  auto store = open_ok(o);
  // given a fresh store, nothing is counted
  CHECK_FALSE(model(*store, "counts", "s").has_value());

  // when events are appended, the read model has them as soon as append returns
  REQUIRE(append_to(*store, "s", ExpectedVersion::any(), 2).is_ok());
  CHECK(model(*store, "counts", "s") == "2");
  REQUIRE(store->append(request({to_stream("s", ExpectedVersion::any(), events(1)),
                                 to_stream("t", ExpectedVersion::any(), events(3))}))
              .is_ok());
  CHECK(model(*store, "counts", "s") == "3");
  CHECK(model(*store, "counts", "t") == "3");
  CHECK(model(*store, "counts", "~total") == "6");
  // and an erase in the projection removes the key
  REQUIRE(store->append(request({to_stream("t", ExpectedVersion::any(), {ev("test.reset")})}))
              .is_ok());
  CHECK_FALSE(model(*store, "counts", "t").has_value());
  // and a failed append does not touch the read model
  check_conflict(append_to(*store, "s", ExpectedVersion::no_stream()), "concurrency.version_conflict");
  CHECK(model(*store, "counts", "s") == "3");
  // and another projection's name does not see this one's keys
  CHECK_FALSE(model(*store, "count", "s").has_value());
  CHECK_FALSE(model(*store, "countsx", "s").has_value());
}

TEST_CASE("a projection reading its own value sees earlier events of the same group commit") {
  TempDir dir;
  auto counts = std::make_shared<CountProjection>("counts");
  auto witness = std::make_shared<GroupWitness>();
  auto o = options_for(dir.str());
  o.inline_projections = {counts, witness};
  auto store = open_ok(o);
  witness->store = store.get();

  // when many threads append one event at a time to a few shared streams
  constexpr int kThreads = 8, kAppends = 40;
  std::latch start(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kAppends; ++i)
        if (!append_to(*store, "shared-" + std::to_string((t + i) % 3), ExpectedVersion::any()))
          ++errors;
    });
  for (auto& t : threads) t.join();
  REQUIRE(errors == 0);

  // then group commits happened (events applied while the one before was not yet committed)
  CHECK(witness->in_group_after_uncommitted > 0);
  // and no count was lost: each stream's count is its version
  std::uint64_t total = 0;
  for (int k = 0; k < 3; ++k) {
    const std::string s = "shared-" + std::to_string(k);
    const auto version = head_of(*store, s).version;
    CHECK(model(*store, "counts", s) == std::to_string(version));
    total += version;
  }
  CHECK(total == std::uint64_t{kThreads * kAppends});
  CHECK(model(*store, "counts", "~total") == std::to_string(total));

  // and a rebuild from the log gives the same read model
  Projections ps{counts};
  auto rebuilt = rebuild_read_models(*store, ps);
  auto live = live_read_models(*store, ps);
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  CHECK(compare_read_models(*rebuilt, *live).empty());
  CHECK(*rebuilt == *live);
}

TEST_CASE("a projection added on reopen is caught up from the log") {
  TempDir dir;
  auto counts = std::make_shared<CountProjection>("counts");
  auto o = options_for(dir.str());
  o.inline_projections.push_back(counts);
  {
    auto store = open_ok(o);
    for (int i = 0; i < 30; ++i)
      REQUIRE(append_to(*store, "s" + std::to_string(i % 4), ExpectedVersion::any(), 1 + i % 3)
                  .is_ok());
  }
  // when the store is reopened with a second, new projection
  auto later = std::make_shared<CountProjection>("later");
  o.inline_projections.push_back(later);
  auto store = open_ok(o);

  // then the new one has caught up with the whole log, and equals the old one
  Projections both{counts, later};
  auto live = live_read_models(*store, both);
  REQUIRE(live.is_ok());
  CHECK((*live)["later"] == (*live)["counts"]);
  CHECK(model(*store, "later", "~total") == std::to_string(store->head_position()));
  // and the old one was not applied twice
  CHECK(model(*store, "counts", "~total") == std::to_string(store->head_position()));

  // and both follow new appends
  REQUIRE(append_to(*store, "s0", ExpectedVersion::any(), 2).is_ok());
  CHECK(model(*store, "later", "s0") == model(*store, "counts", "s0"));
  auto rebuilt = rebuild_read_models(*store, both);
  auto live2 = live_read_models(*store, both);
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live2.is_ok());
  CHECK(compare_read_models(*rebuilt, *live2).empty());

  // and reopened once more, nothing is applied again
  store.reset();
  store = open_ok(o);
  CHECK(model(*store, "later", "~total") == std::to_string(store->head_position()));
  CHECK(model(*store, "counts", "~total") == std::to_string(store->head_position()));
}

TEST_CASE("live projections see each event exactly as a rebuild from the log does") {
  TempDir dir;
  auto echo = std::make_shared<EchoProjection>();
  auto o = options_for(dir.str());
  o.inline_projections.push_back(echo);
  auto store = open_ok(o);
  // given events with and without personal data, some appended with "any" after others
  REQUIRE(append_to(*store, "p", ExpectedVersion::any(), 2).is_ok());
  REQUIRE(store->append(request({to_stream("p", ExpectedVersion::any(),
                                           {ev("person.registered",
                                               {{"pii", {{"name", "张三"}}}, {"k", 1}})})},
                                "cmd-p"))
              .is_ok());
  REQUIRE(store->append(request({to_stream("q", ExpectedVersion::no_stream(), events(1)),
                                 to_stream("p", ExpectedVersion::exactly(3), events(1))}))
              .is_ok());

  // then the live read model is what a rebuild from the log gives, byte for byte
  Projections ps{echo};
  auto rebuilt = rebuild_read_models(*store, ps);
  auto live = live_read_models(*store, ps);
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  CHECK((*live)["echo"].size() == 5);
  std::string diff;
  for (const auto& line : compare_read_models(*rebuilt, *live)) diff += line + "\n";
  CHECK_MESSAGE(diff.empty(), diff);
  CHECK(*rebuilt == *live);
}

TEST_CASE("a rebuild gives JSON values written again long after, and erased ones, as live does") {
  TempDir dir;
  auto tallies = std::make_shared<TallyProjection>();
  auto o = options_for(dir.str());
  o.inline_projections.push_back(tallies);
  auto store = open_ok(o);
  // given streams written first, one of them reset, then thousands of events of other streams
  for (int i = 0; i < 8; ++i)
    REQUIRE(append_to(*store, "early-" + std::to_string(i), ExpectedVersion::any(), 2).is_ok());
  REQUIRE(store->append(request({to_stream("early-0", ExpectedVersion::any(), {ev("test.reset")})}))
              .is_ok());
  for (int i = 0; i < 300; ++i)
    REQUIRE(append_to(*store, "busy-" + std::to_string(i % 40), ExpectedVersion::any(), 10).is_ok());
  // when the first streams are written again
  for (int i = 0; i < 8; ++i)
    REQUIRE(append_to(*store, "early-" + std::to_string(i), ExpectedVersion::any()).is_ok());

  // then the rebuild is the live read model, byte for byte
  Projections ps{tallies};
  auto rebuilt = rebuild_read_models(*store, ps);
  auto live = live_read_models(*store, ps);
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  std::string diff;
  for (const auto& line : compare_read_models(*rebuilt, *live)) diff += line + "\n";
  CHECK_MESSAGE(diff.empty(), diff);
  CHECK(*rebuilt == *live);
  const auto& tally = (*live)["tallies"];
  CHECK(json::parse(tally.at("s/early-0")).at("events") == 1);  // reset, then written once
  CHECK(json::parse(tally.at("s/early-1")).at("events") == 3);
  CHECK(json::parse(tally.at("t/early-1")).contains("latest"));
  CHECK(tally.at("copy/early-1") == tally.at("s/early-1"));
  CHECK(tally.at("plain/early-1") == "not json");
}

TEST_CASE("compare_read_models reports the differences between two images") {
  TempDir dir;
  auto counts = std::make_shared<CountProjection>("counts");
  auto o = options_for(dir.str());
  o.inline_projections.push_back(counts);
  auto store = open_ok(o);
  for (int i = 0; i < 5; ++i) REQUIRE(append_to(*store, "s" + std::to_string(i % 2), ExpectedVersion::any()).is_ok());
  Projections ps{counts};
  auto rebuilt = rebuild_read_models(*store, ps);
  auto live = live_read_models(*store, ps);
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  REQUIRE(compare_read_models(*rebuilt, *live).empty());

  // when a value differs, a key is missing, and a key is extra
  auto changed = *live;
  changed["counts"]["s0"] = "99";
  CHECK(compare_read_models(*rebuilt, changed).size() == 1);
  changed["counts"].erase("s1");
  changed["counts"]["ghost"] = "1";
  auto lines = compare_read_models(*rebuilt, changed);
  // then each is one line naming the projection and the key
  REQUIRE(lines.size() == 3);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  CHECK(all.find("s0") != std::string::npos);
  CHECK(all.find("s1") != std::string::npos);
  CHECK(all.find("ghost") != std::string::npos);
  CHECK(all.find("counts") != std::string::npos);
  // and at most max_lines of them
  CHECK(compare_read_models(*rebuilt, changed, 2).size() == 2);
  // and a projection only in the live image is reported
  changed = *live;
  changed["other"]["k"] = "v";
  CHECK(compare_read_models(*rebuilt, changed).size() == 1);
}

TEST_CASE("a projection that throws fails only its own append, and the group around it commits") {
  TempDir dir;
  auto thrower = std::make_shared<ThrowingProjection>();
  auto witness = std::make_shared<GroupWitness>();
  auto o = options_for(dir.str());
  o.inline_projections = {witness, thrower};
  auto store = open_ok(o);
  constexpr int kThreads = 6, kAppends = 30;
  std::atomic<std::uint64_t> written{0};
  std::atomic<int> failed{0}, unexpected{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kAppends; ++i) {
        const std::string s = "t" + std::to_string(t);
        // when every fourth append has an event the projection throws on (after a good one)
        const bool boom = i % 4 == 1;
        std::vector<NewEvent> evs = events(2);
        if (boom) evs[1] = ev("test.boom");
        auto r = store->append(request({to_stream(s, ExpectedVersion::any(), evs)},
                                       "c-" + std::to_string(t) + "-" + std::to_string(i)));
        if (boom) {
          if (!r && r.status().code() == "store.io_error") ++failed;
          else ++unexpected;
        } else if (r) {
          written += 2;
        } else {
          ++unexpected;
        }
      }
    });
  for (auto& t : threads) t.join();

  // then the failed appends left no trace and the others form a gapless, verified log
  CHECK(unexpected == 0);
  CHECK(failed == kThreads * ((kAppends + 2) / 4));
  check_gapless(all_events(*store), written);
  auto report = verified(*store);
  CHECK(report.ok());
  CHECK(report.events == written);
  for (int t = 0; t < kThreads; ++t) {
    const std::string s = "t" + std::to_string(t);
    const auto version = head_of(*store, s).version;
    CHECK(model(*store, "thrower", s) == std::to_string(version));
    auto found = store->find_command("c-" + std::to_string(t) + "-1");
    REQUIRE(found.is_ok());
    CHECK_FALSE(found->has_value());
  }
  for (const auto& e : all_events(*store)) CHECK(e.type != "test.boom");
}

TEST_CASE("read_model_scan pages through one projection's keys with a prefix") {
  TempDir dir;
  auto counts = std::make_shared<CountProjection>("counts");
  auto o = options_for(dir.str());
  o.inline_projections.push_back(counts);
  auto store = open_ok(o);
  for (std::string s : {"a-1", "a-2", "a-3", "b-1", "c-1"})
    REQUIRE(append_to(*store, s, ExpectedVersion::any()).is_ok());

  auto scan = [&](std::string_view prefix, std::string_view after = {}, std::size_t limit = kMax) {
    auto r = store->read_model_scan("counts", prefix, after, limit);
    REQUIRE(r.is_ok());
    std::vector<std::string> keys;
    for (auto& [k, v] : *r) keys.push_back(k);
    return keys;
  };
  using V = std::vector<std::string>;
  CHECK(scan("a-") == V{"a-1", "a-2", "a-3"});
  CHECK(scan("a-", "a-1") == V{"a-2", "a-3"});
  CHECK(scan("a-", "a-1", 1) == V{"a-2"});
  CHECK(scan("a-", "a-3").empty());
  CHECK(scan("") == V{"a-1", "a-2", "a-3", "b-1", "c-1", "~total"});
  CHECK(scan("b") == V{"b-1"});
  CHECK(scan("z").empty());
  // a start_after before the prefix starts at the prefix
  CHECK(scan("b", "a-9") == V{"b-1"});
  CHECK(scan("b", "a-1") == V{"b-1"});
  CHECK(scan("b", "") == V{"b-1"});
  // a start_after past the prefix gives nothing
  CHECK(scan("a-", "b").empty());
  // another projection has none of these keys
  auto other = store->read_model_scan("count", "");
  REQUIRE(other.is_ok());
  CHECK(other->empty());
}

TEST_CASE("personal data is stored with its salt and commitment and the chain verifies") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  const json pii = {{"name", "张三"}, {"id_number", "110101199003074258"}};
  REQUIRE(store->append(request({to_stream("person-1", ExpectedVersion::any(),
                                           {ev("person.registered", {{"pii", pii}, {"k", 1}})})}))
              .is_ok());
  auto all = all_events(*store);
  REQUIRE(all.size() == 1);
  CHECK(all[0].data["pii"] == pii);
  CHECK(all[0].data["k"] == 1);
  CHECK(all[0].data["pii_salt"].get<std::string>().size() == 32);
  CHECK(all[0].data["pii_commitment"].get<std::string>().size() == 64);
  CHECK(verified(*store).ok());
}

TEST_CASE("data naming the store's own pii fields cannot produce a record that fails to verify") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  // when data holds a pii_salt or pii_commitment member without pii (or with one)
  std::vector<json> datas{
      {{"pii_salt", "00112233445566778899aabbccddeeff"}},
      {{"pii_salt", "x"}},
      {{"pii_commitment", "abc"}},
      {{"pii", {{"n", 1}}}, {"pii_salt", "x"}, {"pii_commitment", "y"}},
  };
  for (const auto& d : datas) {
    auto r = store->append(request({to_stream("s", ExpectedVersion::any(), {ev("t", d)})}));
    // then either it is refused as invalid, or the log still verifies
    if (!r) CHECK(r.status().code() == "store.invalid_append");
    auto report = verified(*store);
    CHECK_MESSAGE(report.ok(), d.dump() << ": " << report.problem);
  }
}

TEST_CASE("an outcome that is not UTF-8 is refused, and the store keeps working") {
  TempDir dir;
  auto store = open_ok(options_for(dir.str()));
  // when an append with a command id carries an outcome that cannot be stored as JSON text
  auto req = request({to_stream("s", ExpectedVersion::any(), events(1))}, "cmd-bin");
  req.outcome = std::string("\xff\xfe binary", 9);
  Result<AppendResult> r = Status::io_error("unset");
  CHECK_NOTHROW(r = store->append(req));
  // then it is refused as invalid and writes nothing
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == "store.invalid_append");
  CHECK(store->head_position() == 0);
  // and the next append goes through
  REQUIRE(append_to(*store, "s", ExpectedVersion::any(), 1, "cmd-next").is_ok());
  CHECK(store->head_position() == 1);
}

}  // TEST_SUITE

// ---------------------------------------------------------------------------------------------
// Tampering with the stored log, through RocksDB itself.

namespace {

std::string be64_key(std::uint64_t v) {
  std::string s;
  for (int shift = 56; shift >= 0; shift -= 8) s.push_back(static_cast<char>(v >> shift & 0xff));
  return s;
}

// Opens the database directory with every column family and runs `f` on the "log" family.
template <class F>
void with_raw_log(const std::string& path, F&& f) {
  rocksdb::DBOptions db_options;
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(db_options, path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(db_options, path, families, &handles, &db);
  REQUIRE_MESSAGE(s.ok(), s.ToString());
  rocksdb::ColumnFamilyHandle* log = nullptr;
  for (auto* h : handles)
    if (h->GetName() == "log") log = h;
  REQUIRE(log != nullptr);
  f(*db, log);
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  REQUIRE(db->Close().ok());
  delete db;
}

std::string raw_get(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log, std::uint64_t position) {
  std::string value;
  auto s = db.Get(rocksdb::ReadOptions(), log, be64_key(position), &value);
  REQUIRE_MESSAGE(s.ok(), s.ToString());
  return value;
}

void raw_put(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log, std::uint64_t position,
             const std::string& value) {
  REQUIRE(db.Put(rocksdb::WriteOptions(), log, be64_key(position), value).ok());
}

ChainReport verify_at(const std::string& path) {
  auto o = options_for(path);
  o.read_only = true;
  auto store = open_ok(o);
  return verified(*store);
}

// A store at `path` with `n` events of a few streams, closed.
void fill(const std::string& path, int n) {
  auto store = open_ok(options_for(path));
  for (int i = 0; i < n; ++i)
    REQUIRE(store->append(request({to_stream("s" + std::to_string(i % 3), ExpectedVersion::any(),
                                             {ev("test.fact", {{"note", "hello world"}, {"i", i}})})}))
                .is_ok());
}

}  // namespace

TEST_SUITE("tamper detection") {

TEST_CASE("a byte changed in a stored record is found at that record's position") {
  TempDir dir;
  const std::string path = dir.str();
  fill(path, 12);
  REQUIRE(verify_at(path).ok());
  constexpr std::uint64_t kVictim = 7;
  std::string original;
  with_raw_log(path, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
    original = raw_get(db, log, kVictim);
  });
  REQUIRE(original.find("hello world") != std::string::npos);

  SUBCASE("a letter of the data") {
    // when one letter of its data is changed through RocksDB
    with_raw_log(path, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
      std::string v = original;
      v[v.find("hello world")] = 'j';
      raw_put(db, log, kVictim, v);
    });
    // then verify_chain names that position
    auto report = verify_at(path);
    CHECK(report.first_bad_position == kVictim);
    CHECK_FALSE(report.problem.empty());
    CHECK(report.events == kVictim - 1);
  }
  SUBCASE("any single byte") {
    // when, one at a time, bytes all over the record are changed
    std::mt19937 rng(12345);
    std::vector<std::size_t> offsets{0, original.size() - 1};
    for (int k = 0; k < 10; ++k) offsets.push_back(rng() % original.size());
    for (auto offset : offsets) {
      with_raw_log(path, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
        std::string v = original;
        v[offset] = v[offset] == '0' ? '1' : static_cast<char>(v[offset] ^ 0x01);
        raw_put(db, log, kVictim, v);
      });
      // then each time verify_chain names that position
      auto report = verify_at(path);
      CHECK_MESSAGE(report.first_bad_position == kVictim,
                    "byte " << offset << " ('" << original[offset] << "'): " << report.problem);
    }
    // and with the record restored the chain verifies again
    with_raw_log(path, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
      raw_put(db, log, kVictim, original);
    });
    CHECK(verify_at(path).ok());
  }
}

TEST_CASE("a deleted record is reported missing at its position") {
  TempDir dir;
  const std::string path = dir.str();
  fill(path, 10);
  // when the record at position 4 is deleted through RocksDB
  with_raw_log(path, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
    REQUIRE(db.Delete(rocksdb::WriteOptions(), log, be64_key(4)).ok());
  });
  // then verify_chain names position 4, as missing
  auto report = verify_at(path);
  CHECK(report.first_bad_position == 4);
  CHECK(report.problem.find("missing") != std::string::npos);
  CHECK(report.events == 3);
}

TEST_CASE("two records swapped, or a record rewritten with a consistent hash, are found") {
  TempDir dir;
  const std::string path = dir.str();
  fill(path, 10);
  SUBCASE("swapped") {
    // when records 5 and 6 trade places
    with_raw_log(path, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
      auto five = raw_get(db, log, 5), six = raw_get(db, log, 6);
      raw_put(db, log, 5, six);
      raw_put(db, log, 6, five);
    });
    CHECK(verify_at(path).first_bad_position == 5);
  }
  SUBCASE("rewritten with its own hash recomputed") {
    // when record 3 is edited and given the hash its new content has, so that it checks alone
    with_raw_log(path, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log) {
      auto j = json::parse(raw_get(db, log, 3));
      j["data"]["note"] = "forged";
      util::Digest prev{};
      REQUIRE(util::from_hex(j["prev_hash"].get<std::string>(), prev.data(), prev.size()));
      auto body = j;
      body.erase("hash");
      body.erase("position");
      body.erase("prev_hash");
      j["hash"] = util::to_hex(store::chain_hash(prev, 3, util::sha256(body.dump())));
      util::Digest h{};
      REQUIRE(store::check_record(j.dump(), 3, prev, h) == "");
      raw_put(db, log, 3, j.dump());
    });
    // then the record after it no longer chains to it
    auto report = verify_at(path);
    CHECK(report.first_bad_position == 4);
    CHECK(report.problem.find("prev_hash") != std::string::npos);
  }
}

}  // TEST_SUITE
