// Appends through onex against raw RocksDB writes of the same keys and bytes.
//
// A run of one mode (sync or not, N appenders):
//  1. onex: a fresh store (no inline projections, so that it writes only the log record, the
//     stream index and the stream head of each event); N threads, each appending one
//     declaration.drafted event per append, round-robin over its own streams, with the expected
//     version the engine would give, for a fixed time.
//  2. The store is closed and read back: for every event the key/value pairs onex wrote (log
//     record, stream index, stream head as it was after that append, and the chain head the
//     writer records with each batch), checked against what is stored, and given to the thread
//     that appended it.
//  3. raw: a fresh RocksDB database with the same column families and options as open_store;
//     the same N threads write the same pairs, one WriteBatch of four puts per event, with the
//     same WriteOptions::sync. Timed until the last thread is done.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "bench.h"
#include "raw_db.h"
#include "declaration/decide.h"
#include "declaration/events.h"
#include "onex/event_store.h"
#include "store/record.h"
#include "store/schema.h"
#include "util/hash.h"

namespace onex::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::string be64(std::uint64_t v) {
  std::string s;
  store::put_be64(s, v);
  return s;
}

// The writes of one event, as onex made them: its record, its stream index entry, its stream's
// head, and the chain head (position ‖ hash) the writer records with every batch.
struct EventWrites {
  std::string log_key, log_value, stream_key, stream_value, head_key, head_value, chain_head;
};

// A declaration.drafted event as the engine encodes it.
NewEvent drafted_event(const std::string& declaration_id, const std::string& institution_id,
                       const std::string& plan_id, int n) {
  declaration::Drafted d;
  d.declaration_id = declaration_id;
  d.plan_id = plan_id;
  d.institution_id = institution_id;
  d.province_code = "44";
  d.city_code = "4401";
  d.certificate_id = "cert-" + std::to_string(n % 7);
  d.year = 2020;
  d.fields.majors = kMajors;
  d.fields.planned_trainees = 60 + n % 90;
  d.fields.teachers_html = kTeachersHtml;
  d.fields.venue_html = kVenueHtml;
  d.fields.file_ids = {util::random_id()};
  return declaration::Workflow::encode(declaration::Event{std::move(d)});
}

struct Appender {
  Actor actor;
  std::string correlation_id;
  std::vector<std::string> streams;
  std::vector<NewEvent> events;  // per stream
  std::vector<std::uint64_t> versions;
  std::uint64_t appended = 0;
  std::vector<EventWrites> writes;  // filled by the read-back, for the raw run
};

constexpr int kStreamsPerAppender = 32;

std::vector<Appender> make_appenders(int n) {
  std::vector<Appender> out(n);
  const std::string plan_id = util::random_id();
  for (int t = 0; t < n; ++t) {
    auto& a = out[t];
    const std::string institution = util::random_id();
    a.actor.account_id = util::random_id();
    a.actor.role = "staff";
    a.actor.institution_id = institution;
    a.correlation_id = util::random_id();
    for (int k = 0; k < kStreamsPerAppender; ++k) {
      const std::string id = util::random_id();
      a.streams.push_back("declaration-" + id);
      a.events.push_back(drafted_event(id, institution, plan_id, k));
      a.versions.push_back(0);
    }
  }
  return out;
}

double run_onex(const std::string& path, bool sync, std::vector<Appender>& appenders,
                double seconds) {
  StoreOptions options;
  options.path = path;
  options.sync = sync;
  auto opened = open_store(options);
  if (!opened) throw std::runtime_error("open_store: " + opened.status().to_string());
  auto& store = **opened;
  const Timestamp recorded_at = Timestamp{std::chrono::milliseconds{1588291200000}};  // 2020-05-01

  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::string failure;
  std::latch ready(static_cast<std::ptrdiff_t>(appenders.size()) + 1);
  std::vector<std::thread> threads;
  for (auto& a : appenders) {
    threads.emplace_back([&, ap = &a] {
      ready.arrive_and_wait();
      for (std::size_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const std::size_t k = i % ap->streams.size();
        AppendRequest r;  // as the engine makes it: one copy of the event
        auto& s = r.streams.emplace_back();
        s.stream = ap->streams[k];
        s.expected = ExpectedVersion::exactly(ap->versions[k]);
        s.events.push_back(ap->events[k]);
        r.correlation_id = ap->correlation_id;
        r.actor = ap->actor;
        r.recorded_at = recorded_at + std::chrono::milliseconds{i};
        auto result = store.append(std::move(r));
        if (!result) {
          if (!failed.exchange(true)) failure = result.status().to_string();
          stop = true;
          return;
        }
        ap->versions[k] = result->stream_versions.front();
        ++ap->appended;
      }
    });
  }
  ready.arrive_and_wait();
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(t0);
  if (failed) throw std::runtime_error("onex append failed: " + failure);
  return elapsed;
}

// Reads back what onex wrote, checks it is exactly the log, stream index and head of each event,
// and hands each event's writes to the appender that made it.
void read_back(const std::string& path, std::vector<Appender>& appenders, double& record_bytes,
               double& data_bytes) {
  std::unordered_map<std::string, Appender*> owner;
  std::uint64_t appended = 0;
  for (auto& a : appenders) {
    for (const auto& s : a.streams) owner[s] = &a;
    appended += a.appended;
    a.writes.clear();
    a.writes.reserve(a.appended);
  }
  RawDb db(path, true);
  std::unordered_map<std::string, std::string> stream_index;  // what the read-back expects
  std::unordered_map<std::string, std::string> heads;
  std::unordered_map<std::string, std::string> checkpoints;
  std::uint64_t events = 0, bytes = 0, data = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(rocksdb::ReadOptions(), db.cf(store::kLog)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto record = store::parse_record(it->value().ToStringView());
      if (!record) throw std::runtime_error("read back: " + record.status().to_string());
      if (store::get_be64(it->key().ToStringView()) != record->position || record->position != events + 1)
        throw std::runtime_error("read back: the log is not at its positions");
      auto o = owner.find(record->stream);
      if (o == owner.end()) throw std::runtime_error("read back: unknown stream " + record->stream);
      EventWrites w;
      w.log_key = it->key().ToString();
      w.log_value = it->value().ToString();
      w.stream_key = record->stream;
      w.stream_key.push_back('\0');
      store::put_be64(w.stream_key, record->version);
      w.stream_value = be64(record->position);
      w.head_key = record->stream;
      w.head_value = be64(record->version) + be64(record->position);  // one event per append
      util::Digest hash{};
      if (!util::from_hex(record->hash, hash.data(), hash.size()))
        throw std::runtime_error("read back: a record without a valid hash");
      w.chain_head = be64(record->position);
      w.chain_head.append(reinterpret_cast<const char*>(hash.data()), hash.size());
      checkpoints[std::string(store::kChainHead)] = w.chain_head;
      stream_index[w.stream_key] = w.stream_value;
      heads[w.head_key] = w.head_value;
      bytes += w.log_value.size();
      data += record->data.dump().size();
      o->second->writes.push_back(std::move(w));
      ++events;
    }
    if (!it->status().ok()) throw std::runtime_error("read back: " + it->status().ToString());
  }
  if (events != appended)
    throw std::runtime_error("read back: " + std::to_string(events) + " records for " +
                             std::to_string(appended) + " appends");
  // The other families must hold exactly the index and heads above, and nothing else be written.
  auto expect = [&](std::string_view family, const std::unordered_map<std::string, std::string>& want) {
    std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(rocksdb::ReadOptions(), db.cf(family)));
    std::size_t n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++n) {
      auto w = want.find(it->key().ToString());
      if (w == want.end() || w->second != it->value().ToStringView())
        throw std::runtime_error("read back: " + std::string(family) + " holds a key the baseline does not write");
    }
    if (n != want.size())
      throw std::runtime_error("read back: " + std::string(family) + " lacks keys the baseline writes");
  };
  expect(store::kStreams, stream_index);
  expect(store::kHeads, heads);
  expect(store::kCheckpoints, checkpoints);
  const std::unordered_map<std::string, std::string> none;
  for (const auto& [name, handle] : db.by_name)
    if (name != store::kLog && name != store::kStreams && name != store::kHeads &&
        name != store::kCheckpoints)
      expect(name, none);
  record_bytes = events ? double(bytes) / events : 0;
  data_bytes = events ? double(data) / events : 0;
}

double run_raw(const std::string& path, bool sync, const std::vector<Appender>& appenders) {
  RawDb db(path, false);
  auto* log = db.cf(store::kLog);
  auto* streams = db.cf(store::kStreams);
  auto* heads = db.cf(store::kHeads);
  auto* checkpoints = db.cf(store::kCheckpoints);
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  std::atomic<bool> failed{false};
  std::string failure;
  std::latch ready(static_cast<std::ptrdiff_t>(appenders.size()) + 1);
  std::vector<std::thread> threads;
  for (const auto& a : appenders) {
    threads.emplace_back([&, ap = &a] {
      ready.arrive_and_wait();
      for (const auto& w : ap->writes) {
        rocksdb::WriteBatch batch;
        batch.Put(log, w.log_key, w.log_value);
        batch.Put(streams, w.stream_key, w.stream_value);
        batch.Put(heads, w.head_key, w.head_value);
        batch.Put(checkpoints, store::kChainHead, w.chain_head);
        auto s = db.db->Write(wo, &batch);
        if (!s.ok()) {
          if (!failed.exchange(true)) failure = s.ToString();
          return;
        }
      }
    });
  }
  ready.arrive_and_wait();
  const auto t0 = Clock::now();
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(t0);
  if (failed) throw std::runtime_error("raw write failed: " + failure);
  return elapsed;
}

}  // namespace

AppendMode run_append_mode(const Config& config, bool sync, int appenders) {
  AppendMode mode;
  mode.sync = sync;
  mode.appenders = appenders;
  for (int run = 0; run < config.repeats; ++run) {
    const auto dir = config.root / ("append-" + std::string(sync ? "sync" : "nosync") + "-" +
                                    std::to_string(appenders) + "-" + std::to_string(run));
    std::filesystem::create_directories(dir);
    auto workers = make_appenders(appenders);
    const double onex_s = run_onex((dir / "onex").string(), sync, workers, config.append_seconds);
    double record_bytes = 0, data_bytes = 0;
    read_back((dir / "onex").string(), workers, record_bytes, data_bytes);
    const double raw_s = run_raw((dir / "raw").string(), sync, workers);
    std::uint64_t events = 0;
    for (const auto& w : workers) events += w.appended;
    mode.events.push_back(events);
    mode.onex_seconds.push_back(onex_s);
    mode.raw_seconds.push_back(raw_s);
    mode.onex_eps.push_back(events / onex_s);
    mode.raw_eps.push_back(events / raw_s);
    mode.record_bytes = record_bytes;
    mode.data_bytes = data_bytes;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return mode;
}

}  // namespace onex::bench
