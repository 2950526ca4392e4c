#include "onex/rebuild.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "util/json.h"

namespace onex {
namespace {

// A read model in memory. A value written with put_json stays decoded while it keeps changing, so
// that a declaration changed by event after event is parsed and printed once, not once per event.
class MemoryTxn final : public ReadModelTxn {
 public:
  MemoryTxn() = default;
  MemoryTxn(const MemoryTxn&) = delete;  // slots point into entries_
  MemoryTxn& operator=(const MemoryTxn&) = delete;

  std::optional<std::string> get(std::string_view key) const override {
    const Slot* slot = find(key);
    if (!slot) return std::nullopt;
    return slot->decoded ? util::dump_json(*slot->decoded) : slot->entry->second;
  }
  void put(std::string_view key, std::string_view value) override {
    Slot& slot = find_or_add(key);
    slot.entry->second = value;
    slot.decoded.reset();
  }
  void erase(std::string_view key) override {
    if (Slot* slot = find(key)) {
      slot->erased = true;
      slot->entry->second.clear();
      slot->decoded.reset();
    }
  }
  nlohmann::json* find_json(std::string_view key) override {
    Slot* slot = find(key);
    if (!slot) return nullptr;
    if (!slot->decoded) {
      auto j = nlohmann::json::parse(slot->entry->second, nullptr, false);
      if (j.is_discarded()) return nullptr;
      slot->decoded = std::move(j);
    }
    return &*slot->decoded;
  }
  void put_json(std::string_view key, nlohmann::json value) override {
    Slot& slot = find_or_add(key);
    slot.decoded = std::move(value);
    slot.written = ++writes_;
    written_.emplace_back(slot.written, &slot);
  }

  // Prints the values not written for a while, which have most likely stopped changing: printed
  // as the rebuild goes, few values are decoded at a time. Should one be written again, find_json
  // parses it again.
  void print_cold() {
    while (!written_.empty() && writes_ - written_.front().first >= kWarm) {
      const auto [when, slot] = written_.front();
      written_.pop_front();
      if (slot->written == when && slot->decoded) print(*slot);
    }
  }

  // Every entry as text, in key order, moved out.
  std::map<std::string, std::string> take_entries() {
    written_.clear();
    for (auto& [key, slot] : slots_) {
      if (slot.decoded) print(slot);
      if (slot.erased) entries_.erase(slot.entry);
    }
    slots_.clear();
    return std::move(entries_);
  }

 private:
  using Entries = std::map<std::string, std::string>;
  struct Slot {
    Entries::iterator entry;                // the key, and the text unless `decoded`
    std::optional<nlohmann::json> decoded;  // what put_json wrote, until printed
    std::uint64_t written = 0;              // when put_json wrote it last (see writes_)
    bool erased = false;                    // erased slots stay until the end: written_ has them
  };

  static constexpr std::uint64_t kWarm = 2048;  // writes after which a value counts as cold

  static void print(Slot& slot) {
    slot.entry->second = util::dump_json(*slot.decoded);
    slot.decoded.reset();
  }

  Slot* find(std::string_view key) {
    auto it = slots_.find(key);
    return it == slots_.end() || it->second.erased ? nullptr : &it->second;
  }
  const Slot* find(std::string_view key) const { return const_cast<MemoryTxn*>(this)->find(key); }

  Slot& find_or_add(std::string_view key) {
    if (auto it = slots_.find(key); it != slots_.end()) {
      it->second.erased = false;
      return it->second;
    }
    auto entry = entries_.emplace(std::string(key), std::string()).first;
    return slots_.emplace(entry->first, Slot{entry, std::nullopt}).first->second;
  }

  Entries entries_;                                       // the read model, in key order
  std::unordered_map<std::string_view, Slot> slots_;      // by key (a view of the entry's)
  std::uint64_t writes_ = 0;                              // put_json calls so far
  std::deque<std::pair<std::uint64_t, Slot*>> written_;  // put_json calls, oldest first
};

// The log up to `head`, read in batches by a thread of its own while the caller folds the
// batches read before, so that reading and folding each have a core.
class LogReader {
 public:
  LogReader(const EventStore& store, std::uint64_t head)
      : store_(store), head_(head), thread_([this] { run(); }) {}

  ~LogReader() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_one();
    thread_.join();
  }

  // Replaces `batch` by the next one in log order, waiting for it to be read; false once the log
  // is read or failed to read (see status()). The batch replaced goes back to the reading thread
  // to be freed there: glibc's malloc is much slower when one thread frees what another keeps
  // allocating.
  bool next(std::vector<RecordedEvent>& batch) {
    std::unique_lock lock(mutex_);
    if (!batch.empty()) done_.push_back(std::move(batch));
    changed_.wait(lock, [&] { return !batches_.empty() || finished_; });
    if (batches_.empty()) return false;
    batch = std::move(batches_.front());
    batches_.pop_front();
    changed_.notify_one();
    return true;
  }

  // Why reading stopped before the head; ok otherwise. Call after next() returned false.
  Status status() const {
    std::lock_guard lock(mutex_);
    return status_;
  }

 private:
  static constexpr std::uint64_t kBatch = 256;  // events per read_all
  static constexpr std::size_t kAhead = 16;     // batches read and not yet taken, at most

  void run() {
    Status status;
    for (std::uint64_t next = 1; next <= head_;) {
      free_done();
      auto events = store_.read_all(next, std::min(kBatch, head_ - next + 1));
      if (!events) {
        status = events.status();
        break;
      }
      std::erase_if(*events, [&](const RecordedEvent& e) { return e.position > head_; });
      if (events->empty()) break;
      next = events->back().position + 1;
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return batches_.size() < kAhead || stopped_; });
      if (stopped_) return;
      batches_.push_back(std::move(*events));
      changed_.notify_one();
    }
    std::lock_guard lock(mutex_);
    status_ = std::move(status);
    finished_ = true;
    changed_.notify_one();
  }

  void free_done() {
    std::deque<std::vector<RecordedEvent>> done;
    {
      std::lock_guard lock(mutex_);
      done.swap(done_);
    }
  }  // freed here, outside the lock

  const EventStore& store_;
  const std::uint64_t head_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;  // a batch was added or taken, or reading ended or stops
  std::deque<std::vector<RecordedEvent>> batches_;  // read, not taken yet
  std::deque<std::vector<RecordedEvent>> done_;     // taken and folded, for run() to free
  bool finished_ = false;  // run() has added its last batch
  bool stopped_ = false;   // the reader is being destroyed: run() returns
  Status status_;
  std::thread thread_;  // last: it starts once the members above exist
};

// Where two values first differ, with some context, cut only between UTF-8 characters.
std::pair<std::string, std::string> around_difference(const std::string& a, const std::string& b) {
  std::size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  auto cut = [&](const std::string& s) {
    auto boundary = [&](std::size_t i) {
      while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
      return std::min(i, s.size());
    };
    const std::size_t from = boundary(at > 60 ? at - 60 : 0);
    const std::size_t to = boundary(std::min(s.size(), at + 100));
    return (from > 0 ? "…" : "") + s.substr(from, to - from) + (to < s.size() ? "…" : "");
  };
  return {cut(a), cut(b)};
}

}  // namespace

Result<ReadModelImage> rebuild_read_models(const EventStore& store, const Projections& projections) {
  std::vector<MemoryTxn> txns(projections.size());
  LogReader reader(store, store.head_position());
  std::vector<RecordedEvent> events;
  while (reader.next(events)) {
    for (const auto& e : events)
      for (std::size_t i = 0; i < projections.size(); ++i) projections[i]->apply(e, txns[i]);
    for (auto& txn : txns) txn.print_cold();
  }
  if (auto status = reader.status(); !status) return status;
  ReadModelImage image;
  for (std::size_t i = 0; i < projections.size(); ++i)
    image[std::string(projections[i]->name())] = txns[i].take_entries();
  return image;
}

Result<ReadModelImage> live_read_models(const EventStore& store, const Projections& projections) {
  ReadModelImage image;
  for (const auto& p : projections) {
    auto entries = store.read_model_scan(p->name(), "");
    if (!entries) return entries.status();
    auto& m = image[std::string(p->name())];
    for (auto& [k, v] : *entries) m.emplace(std::move(k), std::move(v));
  }
  return image;
}

std::vector<std::string> compare_read_models(const ReadModelImage& rebuilt,
                                             const ReadModelImage& live, std::size_t max_lines) {
  std::vector<std::string> lines;
  auto note = [&](std::string line) {
    if (lines.size() < max_lines) lines.push_back(std::move(line));
  };
  static const std::map<std::string, std::string> empty;
  for (const auto& [name, _] : live)
    if (!rebuilt.count(name)) note(fmt::format("{}: only in the live read models", name));
  for (const auto& [name, r] : rebuilt) {
    auto it = live.find(name);
    const auto& l = it == live.end() ? empty : it->second;
    for (const auto& [k, v] : r) {
      auto lv = l.find(k);
      if (lv == l.end())
        note(fmt::format("{}: key {} missing from the live read model", name, k));
      else if (lv->second != v) {
        auto [rebuilt_part, live_part] = around_difference(v, lv->second);
        note(fmt::format("{}: key {}: rebuilt {} but live {}", name, k, rebuilt_part, live_part));
      }
    }
    for (const auto& [k, v] : l)
      if (!r.count(k)) note(fmt::format("{}: key {} is live but not rebuilt", name, k));
  }
  return lines;
}

}  // namespace onex
