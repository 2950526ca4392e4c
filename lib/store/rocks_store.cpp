// The embedded event store on RocksDB: one log, stream indexes, heads, claims, idempotency and
// inline read models, committed by one writer at a time in group commits.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <rocksdb/write_batch.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "onex/event_store.h"
#include "store/integrity.h"
#include "store/record.h"
#include "store/schema.h"

namespace onex {
namespace {

using store::get_be64;
using store::put_be64;

Status from_rocks(const rocksdb::Status& s, std::string_view what) {
  if (s.IsCorruption()) return Status::corruption(std::string(what) + ": " + s.ToString());
  return Status::io_error(std::string(what) + ": " + s.ToString());
}

std::string be64(std::uint64_t v) {
  std::string s;
  put_be64(s, v);
  return s;
}

std::string stream_key(std::string_view stream, std::uint64_t version) {
  std::string k(stream);
  k.push_back('\0');
  put_be64(k, version);
  return k;
}

std::string model_key(std::string_view projection, std::string_view key) {
  std::string k(projection);
  k.push_back('\0');
  k.append(key);
  return k;
}

std::string encode_head(const StreamHead& h) {
  std::string v;
  put_be64(v, h.version);
  put_be64(v, h.last_position);
  return v;
}

std::string encode_outcome(const AppendResult& r) {
  nlohmann::json j{{"first_position", r.first_position},
                   {"last_position", r.last_position},
                   {"stream_versions", r.stream_versions},
                   {"outcome", r.outcome}};
  return j.dump();
}

std::optional<AppendResult> decode_outcome(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  AppendResult r;
  try {
    r.first_position = j.at("first_position").get<std::uint64_t>();
    r.last_position = j.at("last_position").get<std::uint64_t>();
    r.stream_versions = j.at("stream_versions").get<std::vector<std::uint64_t>>();
    r.outcome = j.at("outcome").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  r.replayed = true;
  return r;
}

// A projection's view of the pending batch and the database under it.
class BatchTxn final : public ReadModelTxn {
 public:
  BatchTxn(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, rocksdb::WriteBatchWithIndex* wb,
           std::string_view projection)
      : db_(db), cf_(cf), wb_(wb), prefix_(model_key(projection, {})) {}

  std::optional<std::string> get(std::string_view key) const override {
    std::string value;
    auto s = wb_->GetFromBatchAndDB(db_, rocksdb::ReadOptions(), cf_, full(key), &value);
    if (s.ok()) return value;
    if (!s.IsNotFound()) failed_ = true;
    return std::nullopt;
  }
  void put(std::string_view key, std::string_view value) override {
    if (!wb_->Put(cf_, full(key), rocksdb::Slice(value.data(), value.size())).ok()) failed_ = true;
  }
  void erase(std::string_view key) override {
    if (!wb_->Delete(cf_, full(key)).ok()) failed_ = true;
  }
  bool failed() const { return failed_; }

 private:
  std::string full(std::string_view key) const { return prefix_ + std::string(key); }

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* cf_;
  rocksdb::WriteBatchWithIndex* wb_;
  std::string prefix_;
  mutable bool failed_ = false;
};

class RocksStore final : public EventStore {
 public:
  RocksStore(StoreOptions options, std::unique_ptr<rocksdb::DB> db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : options_(std::move(options)), db_(std::move(db)), handles_(std::move(handles)) {
    for (auto* h : handles_) cf_[h->GetName()] = h;
  }

  ~RocksStore() override {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }

  Status start() {
    auto last = load_chain_head();
    if (!last.is_ok()) return last;
    if (!options_.read_only) {
      for (const auto& p : options_.inline_projections) {
        auto s = catch_up(*p);
        if (!s.is_ok()) return s;
      }
    }
    return {};
  }

  Result<AppendResult> append(AppendRequest request) override;

  Result<std::vector<RecordedEvent>> read_stream(std::string_view stream,
                                                 std::uint64_t from_version,
                                                 std::size_t max_count) const override;
  Result<std::vector<RecordedEvent>> read_all(std::uint64_t from_position,
                                              std::size_t max_count) const override;
  Result<StreamHead> stream_head(std::string_view stream) const override;
  Result<StreamList> list_streams(std::string_view prefix, std::size_t offset, std::size_t limit,
                                  const std::function<bool(std::string_view)>& keep) const override;
  std::uint64_t head_position() const override { return head_position_.load(); }
  StoreStats stats() const override {
    StoreStats s{stat_appends_.load(), stat_batches_.load(), stat_max_batch_.load(),
                 head_position_.load()};
    for (std::size_t i = 0; i < s.batch_sizes.size(); ++i) s.batch_sizes[i] = stat_batch_sizes_[i].load();
    return s;
  }
  Result<std::optional<AppendResult>> find_command(std::string_view command_id) const override;
  Result<std::optional<std::string>> claim_owner(std::string_view key) const override;
  Result<std::optional<std::string>> read_model_get(std::string_view projection,
                                                    std::string_view key) const override;
  Result<std::vector<std::pair<std::string, std::string>>> read_model_scan(
      std::string_view projection, std::string_view prefix, std::string_view start_after,
      std::size_t limit) const override;
  Result<ChainReport> verify_chain(std::uint64_t from_position) const override;
  Result<ChainReport> verify_store(const std::optional<KeptHead>& kept) const override;

  Status put_secret(std::string_view key, std::string_view value) override {
    if (options_.read_only) return Status::forbidden("store.read_only", "the store is open read-only");
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync;
    auto s = db_->Put(wo, cf(store::kSecrets), rocksdb::Slice(key.data(), key.size()),
                      rocksdb::Slice(value.data(), value.size()));
    return s.ok() ? Status{} : from_rocks(s, "write secret");
  }
  Result<std::optional<std::string>> get_secret(std::string_view key) const override {
    return get(store::kSecrets, key);
  }
  Status erase_secret(std::string_view key) override {
    if (options_.read_only) return Status::forbidden("store.read_only", "the store is open read-only");
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync;
    auto s = db_->Delete(wo, cf(store::kSecrets), rocksdb::Slice(key.data(), key.size()));
    return s.ok() ? Status{} : from_rocks(s, "erase secret");
  }
  Status put_snapshot(std::string_view stream, std::uint64_t version,
                      std::string_view state) override {
    if (options_.read_only) return Status::forbidden("store.read_only", "the store is open read-only");
    store::Snapshot snapshot{version, 0, {}, std::string(state)};
    auto at = record_at(stream, version);
    if (!at) return at.status();
    snapshot.position = at->first;
    snapshot.hash = at->second;
    auto s = db_->Put(rocksdb::WriteOptions(), cf(store::kSnapshots),
                      rocksdb::Slice(stream.data(), stream.size()),
                      store::seal_snapshot(options_.secret_key, stream, snapshot));
    return s.ok() ? Status{} : from_rocks(s, "write snapshot");
  }
  Status drop_snapshots() override {
    if (options_.read_only) return Status::forbidden("store.read_only", "the store is open read-only");
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(store::kSnapshots)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) batch.Delete(cf(store::kSnapshots), it->key());
    if (!it->status().ok()) return from_rocks(it->status(), "read snapshots");
    rocksdb::WriteOptions wo;
    wo.sync = true;
    auto s = db_->Write(wo, &batch);
    return s.ok() ? Status{} : from_rocks(s, "drop snapshots");
  }
  Result<std::optional<std::pair<std::uint64_t, std::string>>> get_snapshot(
      std::string_view stream) const override {
    using Kept = std::optional<std::pair<std::uint64_t, std::string>>;
    auto v = get(store::kSnapshots, stream);
    if (!v) return v.status();
    if (!*v) return Kept{};
    auto opened = store::open_snapshot(options_.secret_key, stream, **v);
    if (!opened) return opened.status();
    if (!*opened) return Kept{};  // an old, unbound snapshot is not trusted
    auto at = record_at(stream, (*opened)->version);
    if (!at || at->first != (*opened)->position || at->second != (*opened)->hash)
      return Status::corruption("the snapshot of " + std::string(stream) + " at version " +
                                std::to_string((*opened)->version) + " is not bound to its record");
    return Kept{std::pair{(*opened)->version, std::move((*opened)->state)}};
  }
  Result<std::vector<std::pair<std::string, std::string>>> scan_secrets(
      std::string_view prefix, std::size_t limit) const override {
    std::vector<std::pair<std::string, std::string>> out;
    if (options_.read_only && !cf_.count(std::string(store::kSecrets))) return out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(store::kSecrets)));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
         it->Valid() && it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size())) &&
         out.size() < limit;
         it->Next())
      out.emplace_back(it->key().ToString(), it->value().ToString());
    if (!it->status().ok()) return from_rocks(it->status(), "scan secrets");
    return out;
  }

 private:
  struct Pending {
    AppendRequest request;
    std::vector<std::vector<store::PreparedRecord>> records;  // per stream
    Result<AppendResult> result = Status::io_error("not written");
    bool done = false;
  };

  rocksdb::ColumnFamilyHandle* cf(std::string_view name) const {
    return cf_.at(std::string(name));
  }

  Result<std::optional<std::string>> get(std::string_view family, std::string_view key) const {
    auto handle = cf_.find(std::string(family));
    if (handle == cf_.end()) return std::optional<std::string>{};  // a family a reader lacks
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), handle->second,
                      rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::optional<std::string>{};
    if (!s.ok()) return from_rocks(s, "read");
    return std::optional<std::string>{std::move(value)};
  }

  // The position and hash of `stream`'s record at `version`, by the streams index; the record
  // must be that one (store.corruption otherwise, store.not_found for none).
  Result<std::pair<std::uint64_t, util::Digest>> record_at(std::string_view stream,
                                                          std::uint64_t version) const;
  Status load_chain_head();
  Status catch_up(const Projection& projection);
  void write_group(std::vector<Pending*>& group);
  Status check_and_stage(Pending& p, rocksdb::WriteBatchWithIndex& wb, std::uint64_t& position,
                         util::Digest& prev,
                         std::unordered_map<std::string, StreamHead>& new_heads,
                         std::unordered_map<std::string, std::optional<std::string>>& new_claims,
                         std::unordered_map<std::string, AppendResult>& new_commands);
  Result<StreamHead> head_for_writer(const std::string& stream,
                                     const std::unordered_map<std::string, StreamHead>& pending);
  void apply_projections(const Pending& p, const std::vector<std::uint64_t>& first_positions,
                         const std::vector<util::Digest>& chain,
                         rocksdb::WriteBatchWithIndex& wb, bool& failed);

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unordered_map<std::string, rocksdb::ColumnFamilyHandle*> cf_;

  std::atomic<std::uint64_t> head_position_{0};
  std::atomic<std::uint64_t> stat_appends_{0}, stat_batches_{0}, stat_max_batch_{0};
  std::array<std::atomic<std::uint64_t>, 8> stat_batch_sizes_{};

  // Group commit: appenders queue their work; one of them at a time is the writer.
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;
  bool writer_active_ = false;

  // Owned by whichever thread is the writer.
  util::Digest head_hash_{};
  std::unordered_map<std::string, StreamHead> heads_;  // cache of the heads family
};

Status RocksStore::load_chain_head() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(store::kLog)));
  it->SeekToLast();
  if (!it->status().ok()) return from_rocks(it->status(), "open");
  if (!it->Valid()) return {};
  if (it->key().size() != 8) return Status::corruption("a log key is malformed");
  head_position_ = get_be64(it->key().ToStringView());
  // A reader needs only the position; `onex audit verify` reports a damaged record itself.
  if (options_.read_only) return {};
  auto record = store::parse_record(it->value().ToStringView());
  if (!record)
    return Status::corruption("the last log record (position " +
                              std::to_string(head_position_.load()) + ") is unreadable");
  if (record->position != get_be64(it->key().ToStringView()))
    return Status::corruption("the last log record is not at its key");
  if (!util::from_hex(record->hash, head_hash_.data(), head_hash_.size()))
    return Status::corruption("the last log record has no valid hash");
  head_position_ = record->position;
  return {};
}

Status RocksStore::catch_up(const Projection& projection) {
  auto checkpoint = get(store::kCheckpoints, projection.name());
  if (!checkpoint) return checkpoint.status();
  std::uint64_t done = *checkpoint ? get_be64(**checkpoint) : 0;
  const std::uint64_t head = head_position_;
  while (done < head) {
    auto events = read_all(done + 1, 10'000);
    if (!events) return events.status();
    if (events->empty()) return Status::corruption("the log ends before its head");
    rocksdb::WriteBatchWithIndex wb(rocksdb::BytewiseComparator(), 0, true);
    BatchTxn txn(db_.get(), cf(store::kReadModels), &wb, projection.name());
    for (const auto& e : *events) projection.apply(e, txn);
    done = events->back().position;
    if (txn.failed()) return Status::io_error("catching up projection " + std::string(projection.name()));
    wb.Put(cf(store::kCheckpoints), std::string(projection.name()), be64(done));
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync;
    auto s = db_->Write(wo, wb.GetWriteBatch());
    if (!s.ok()) return from_rocks(s, "catching up projection");
  }
  return {};
}

Result<AppendResult> RocksStore::append(AppendRequest request) {
  if (options_.read_only) return Status::forbidden("store.read_only", "the store is open read-only");
  if (request.streams.empty())
    return Status::bad_request("store.invalid_append", "an append needs at least one stream");
  {
    std::unordered_set<std::string_view> seen;
    for (const auto& s : request.streams) {
      if (s.stream.empty() || s.stream.find('\0') != std::string::npos || s.events.empty())
        return Status::bad_request("store.invalid_append",
                                   "each stream needs a name without NUL and at least one event");
      if (!seen.insert(s.stream).second)
        return Status::bad_request("store.invalid_append", "stream " + s.stream + " appears twice");
    }
  }
  if (!request.command_id.empty()) {  // kept as JSON text with the command id: must be UTF-8
    try {
      (void)nlohmann::json(request.outcome).dump();
    } catch (const nlohmann::json::exception&) {
      return Status::bad_request("store.invalid_append", "the outcome is not valid UTF-8");
    }
  }

  // Serialising and body hashes need no order: done here, by the appending thread.
  Pending p;
  const std::string recorded_at = format_utc(request.recorded_at);
  for (const auto& s : request.streams) {
    store::RecordContext ctx{s.stream,
                             request.actor.account_id,
                             request.actor.role,
                             request.correlation_id,
                             request.causation_id,
                             request.command_id,
                             recorded_at};
    const std::uint64_t base = s.expected.kind == ExpectedVersion::Kind::exact ? s.expected.version : 0;
    auto& records = p.records.emplace_back();
    records.reserve(s.events.size());
    for (std::size_t i = 0; i < s.events.size(); ++i) {
      auto r = store::prepare_record(ctx, s.events[i], base + i + 1);
      if (!r) return r.status();
      records.push_back(std::move(*r));
    }
  }
  p.request = std::move(request);

  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&p);
  while (!p.done) {
    if (!writer_active_) {
      writer_active_ = true;
      std::vector<Pending*> group(queue_.begin(), queue_.end());
      queue_.clear();
      lock.unlock();
      write_group(group);
      lock.lock();
      for (auto* g : group) g->done = true;
      writer_active_ = false;
      queue_cv_.notify_all();
    } else {
      queue_cv_.wait(lock);
    }
  }
  return std::move(p.result);
}

Result<StreamHead> RocksStore::head_for_writer(
    const std::string& stream, const std::unordered_map<std::string, StreamHead>& pending) {
  if (auto it = pending.find(stream); it != pending.end()) return it->second;
  if (auto it = heads_.find(stream); it != heads_.end()) return it->second;
  auto v = get(store::kHeads, stream);
  if (!v) return v.status();
  StreamHead h;
  if (*v) {
    if ((*v)->size() != 16) return Status::corruption("bad head of stream " + stream);
    h.version = get_be64(**v);
    h.last_position = get_be64(std::string_view(**v).substr(8));
  }
  if (heads_.size() > 1'000'000) heads_.clear();  // a bound, not an LRU: misses only cost a read
  heads_.emplace(stream, h);
  return h;
}

Status RocksStore::check_and_stage(
    Pending& p, rocksdb::WriteBatchWithIndex& wb, std::uint64_t& position, util::Digest& prev,
    std::unordered_map<std::string, StreamHead>& new_heads,
    std::unordered_map<std::string, std::optional<std::string>>& new_claims,
    std::unordered_map<std::string, AppendResult>& new_commands) {
  auto& req = p.request;
  // Idempotency: an earlier committed (or earlier in this group) command id wins.
  if (!req.command_id.empty()) {
    if (auto it = new_commands.find(req.command_id); it != new_commands.end()) {
      p.result = it->second;
      p.result->replayed = true;
      return {};
    }
    auto v = get(store::kIdempotency, req.command_id);
    if (!v) return v.status();
    if (*v) {
      auto outcome = decode_outcome(**v);
      if (!outcome) return Status::corruption("unreadable outcome of command " + req.command_id);
      p.result = std::move(*outcome);
      return {};
    }
  }
  // Expected versions.
  std::vector<StreamHead> heads;
  for (std::size_t i = 0; i < req.streams.size(); ++i) {
    const auto& s = req.streams[i];
    auto h = head_for_writer(s.stream, new_heads);
    if (!h) return h.status();
    const auto& e = s.expected;
    const bool fits = e.kind == ExpectedVersion::Kind::any ||
                      (e.kind == ExpectedVersion::Kind::no_stream && h->version == 0) ||
                      (e.kind == ExpectedVersion::Kind::exact && h->version == e.version);
    if (!fits)
      return Status::conflict("concurrency.version_conflict",
                              "stream " + s.stream + " is at version " + std::to_string(h->version));
    if (e.kind == ExpectedVersion::Kind::any && h->version != 0)
      for (std::size_t k = 0; k < p.records[i].size(); ++k)
        store::reversion(p.records[i][k], h->version + k + 1);
    heads.push_back(*h);
  }
  // Claims.
  auto owner_of = [&](const Claim& c) -> const std::string& {
    return c.stream.empty() ? req.streams.front().stream : c.stream;
  };
  // The streams this append writes, once: a batch of 10,000 records with a claim each would
  // otherwise compare every claim with every stream.
  std::unordered_set<std::string_view> written;
  for (const auto& s : req.streams) written.insert(s.stream);
  for (const auto& c : req.claims)
    if (!written.count(owner_of(c)))
      return Status::bad_request("store.invalid_append", "a claim names a stream the append does not write");
  auto current_owner = [&](const std::string& key) -> Result<std::optional<std::string>> {
    if (auto it = new_claims.find(key); it != new_claims.end()) return it->second;
    return get(store::kClaims, key);
  };
  for (const auto& c : req.claims) {
    auto o = current_owner(c.key);
    if (!o) return o.status();
    if (*o && **o != owner_of(c)) return Status::conflict(c.taken_code, c.taken_detail);  // never the key
  }
  std::vector<std::string> releases;
  for (const auto& key : req.releases) {
    auto o = current_owner(key);
    if (!o) return o.status();
    if (*o && written.count(**o)) releases.push_back(key);
  }

  // Everything checked: stage the writes.
  wb.SetSavePoint();
  const std::uint64_t first = position + 1;
  const util::Digest first_prev = prev;
  AppendResult result;
  result.first_position = first;
  std::vector<std::uint64_t> first_positions;
  std::vector<util::Digest> chain{prev};  // prev_hash of each record, then the last hash
  for (std::size_t i = 0; i < req.streams.size(); ++i) {
    first_positions.push_back(position + 1);
    for (const auto& r : p.records[i]) {
      ++position;
      const auto hash = store::chain_hash(prev, position, r.body_hash);
      wb.Put(cf(store::kLog), be64(position), store::finish_record(r, position, prev, hash));
      wb.Put(cf(store::kStreams), stream_key(req.streams[i].stream, r.version), be64(position));
      prev = hash;
      chain.push_back(hash);
    }
    StreamHead h{p.records[i].back().version, position};
    wb.Put(cf(store::kHeads), req.streams[i].stream, encode_head(h));
    result.stream_versions.push_back(h.version);
  }
  for (const auto& c : req.claims) wb.Put(cf(store::kClaims), c.key, owner_of(c));
  for (const auto& key : releases) wb.Delete(cf(store::kClaims), key);
  result.last_position = position;
  result.outcome = req.outcome;
  if (!req.command_id.empty()) wb.Put(cf(store::kIdempotency), req.command_id, encode_outcome(result));

  bool failed = false;
  apply_projections(p, first_positions, chain, wb, failed);
  if (failed) {
    wb.RollbackToSavePoint();
    position = first - 1;
    prev = first_prev;
    return Status::io_error("a projection failed to apply an event; nothing was written");
  }
  wb.PopSavePoint();
  for (std::size_t i = 0; i < req.streams.size(); ++i)
    new_heads[req.streams[i].stream] = StreamHead{result.stream_versions[i],
                                                  first_positions[i] + p.records[i].size() - 1};
  for (const auto& c : req.claims) new_claims[c.key] = owner_of(c);
  for (const auto& key : releases) new_claims[key] = std::nullopt;
  if (!req.command_id.empty()) new_commands.emplace(req.command_id, result);
  p.result = std::move(result);
  return {};
}

// Each event as the log holds it (hashes, pii_salt and pii_commitment included), so that a
// rebuild from the log gives the same read models.
void RocksStore::apply_projections(const Pending& p,
                                   const std::vector<std::uint64_t>& first_positions,
                                   const std::vector<util::Digest>& chain,
                                   rocksdb::WriteBatchWithIndex& wb, bool& failed) {
  if (options_.inline_projections.empty()) return;
  const auto& req = p.request;
  for (std::size_t i = 0; i < req.streams.size(); ++i) {
    const auto& s = req.streams[i];
    for (std::size_t k = 0; k < s.events.size(); ++k) {
      RecordedEvent e;
      e.position = first_positions[i] + k;
      e.stream = s.stream;
      e.version = p.records[i][k].version;
      e.type = s.events[k].type;
      e.schema_version = s.events[k].schema_version;
      e.recorded_at = req.recorded_at;
      e.actor_account_id = req.actor.account_id;
      e.actor_role = req.actor.role;
      e.correlation_id = req.correlation_id;
      e.causation_id = req.causation_id;
      e.command_id = req.command_id;
      e.data = s.events[k].data;
      if (const auto& r = p.records[i][k]; !r.pii_salt.empty()) {
        e.data["pii_salt"] = r.pii_salt;
        e.data["pii_commitment"] = r.pii_commitment;
      }
      const std::size_t at = e.position - first_positions.front();
      e.prev_hash = util::to_hex(chain[at]);
      e.hash = util::to_hex(chain[at + 1]);
      for (const auto& projection : options_.inline_projections) {
        BatchTxn txn(db_.get(), cf(store::kReadModels), &wb, projection->name());
        try {
          projection->apply(e, txn);
        } catch (...) {
          failed = true;
        }
        if (txn.failed()) failed = true;
        if (failed) return;
      }
    }
  }
}

void RocksStore::write_group(std::vector<Pending*>& group) {
  rocksdb::WriteBatchWithIndex wb(rocksdb::BytewiseComparator(), 0, true);
  std::unordered_map<std::string, StreamHead> new_heads;
  std::unordered_map<std::string, std::optional<std::string>> new_claims;
  std::unordered_map<std::string, AppendResult> new_commands;
  std::uint64_t position = head_position_;
  util::Digest prev = head_hash_;
  std::vector<Pending*> written;
  for (auto* p : group) {
    auto s = check_and_stage(*p, wb, position, prev, new_heads, new_claims, new_commands);
    if (!s.is_ok())
      p->result = std::move(s);
    else if (!p->result->replayed || new_commands.count(p->request.command_id))
      written.push_back(p);  // a replay of a command of this group fails if the group does
  }
  if (written.empty()) return;
  for (const auto& projection : options_.inline_projections)
    wb.Put(cf(store::kCheckpoints), std::string(projection->name()), be64(position));
  std::string chain_head = be64(position);
  chain_head.append(reinterpret_cast<const char*>(prev.data()), prev.size());
  wb.Put(cf(store::kCheckpoints), store::kChainHead, chain_head);
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  auto s = db_->Write(wo, wb.GetWriteBatch());
  if (!s.ok()) {
    for (auto* p : written) p->result = from_rocks(s, "append");
    heads_.clear();  // a cache is only worth what the disk says
    return;
  }
  for (auto& [stream, h] : new_heads) heads_[stream] = h;
  head_hash_ = prev;
  head_position_ = position;
  stat_appends_ += written.size();
  ++stat_batches_;
  if (written.size() > stat_max_batch_) stat_max_batch_ = written.size();
  const auto& bounds = StoreStats::kBatchBounds;
  ++stat_batch_sizes_[std::lower_bound(bounds.begin(), bounds.end(), written.size()) - bounds.begin()];
}

Result<std::vector<RecordedEvent>> RocksStore::read_stream(std::string_view stream,
                                                           std::uint64_t from_version,
                                                           std::size_t max_count) const {
  std::vector<RecordedEvent> out;
  if (max_count == 0) return out;
  const std::string start = stream_key(stream, std::max<std::uint64_t>(from_version, 1));
  std::string end(stream);
  end.push_back('\x01');
  rocksdb::Slice upper(end);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper;
  std::vector<std::string> keys;
  std::vector<std::uint64_t> versions;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(store::kStreams)));
    for (it->Seek(start); it->Valid() && keys.size() < max_count; it->Next()) {
      if (it->key().size() != stream.size() + 9 || it->value().size() != 8)
        return Status::corruption("stream " + std::string(stream) + " has a malformed index entry");
      versions.push_back(get_be64(it->key().ToStringView().substr(stream.size() + 1)));
      keys.push_back(it->value().ToString());
    }
    if (!it->status().ok()) return from_rocks(it->status(), "read stream");
  }
  if (keys.empty()) return out;
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<std::string> values;
  auto statuses = db_->MultiGet(ro, std::vector<rocksdb::ColumnFamilyHandle*>(keys.size(), cf(store::kLog)),
                                slices, &values);
  out.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!statuses[i].ok())
      return Status::corruption("stream " + std::string(stream) + " points at a missing record");
    auto e = store::parse_record(values[i]);
    if (!e) return Status::corruption("unreadable record at position " + std::to_string(get_be64(keys[i])));
    // The index entry must name this very record: its stream, its version, its position.
    if (e->stream != stream || e->version != versions[i] || e->position != get_be64(keys[i]))
      return Status::corruption("the streams index of " + std::string(stream) + " v" +
                                std::to_string(versions[i]) + " names another record");
    out.push_back(std::move(*e));
  }
  return out;
}

Result<std::vector<RecordedEvent>> RocksStore::read_all(std::uint64_t from_position,
                                                        std::size_t max_count) const {
  std::vector<RecordedEvent> out;
  out.reserve(std::min<std::size_t>(max_count, 1024));
  // A scan of the log (a rebuild, a catch-up) reads each block once: cached, its blocks would only
  // push out the ones that stream reads come back to, and a log larger than the block cache is
  // read about a third faster without that churn.
  rocksdb::ReadOptions scan;
  scan.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(scan, cf(store::kLog)));
  for (it->Seek(be64(std::max<std::uint64_t>(from_position, 1)));
       it->Valid() && out.size() < max_count; it->Next()) {
    auto e = store::parse_record(it->value().ToStringView());
    if (!e)
      return Status::corruption("unreadable record at position " +
                                std::to_string(get_be64(it->key().ToStringView())));
    out.push_back(std::move(*e));
  }
  if (!it->status().ok()) return from_rocks(it->status(), "read log");
  return out;
}

Result<StreamHead> RocksStore::stream_head(std::string_view stream) const {
  auto v = get(store::kHeads, stream);
  if (!v) return v.status();
  if (!*v) return StreamHead{};
  if ((*v)->size() != 16) return Status::corruption("bad head of stream " + std::string(stream));
  return StreamHead{get_be64(**v), get_be64(std::string_view(**v).substr(8))};
}

Result<StreamList> RocksStore::list_streams(std::string_view prefix, std::size_t offset,
                                            std::size_t limit,
                                            const std::function<bool(std::string_view)>& keep) const {
  StreamList out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(store::kHeads)));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    const auto name = it->key().ToStringView();
    if (!name.starts_with(prefix)) break;
    if (keep && !keep(name)) continue;
    if (out.total++ < offset || out.items.size() >= limit) continue;
    const auto v = it->value().ToStringView();
    if (v.size() != 16) return Status::corruption("bad head of stream " + std::string(name));
    out.items.emplace_back(std::string(name), StreamHead{get_be64(v), get_be64(v.substr(8))});
  }
  if (!it->status().ok()) return from_rocks(it->status(), "list streams");
  return out;
}

Result<std::optional<AppendResult>> RocksStore::find_command(std::string_view command_id) const {
  auto v = get(store::kIdempotency, command_id);
  if (!v) return v.status();
  if (!*v) return std::optional<AppendResult>{};
  auto r = decode_outcome(**v);
  if (!r) return Status::corruption("unreadable outcome of command " + std::string(command_id));
  return std::optional<AppendResult>{std::move(*r)};
}

Result<std::optional<std::string>> RocksStore::claim_owner(std::string_view key) const {
  return get(store::kClaims, key);
}

Result<std::optional<std::string>> RocksStore::read_model_get(std::string_view projection,
                                                              std::string_view key) const {
  return get(store::kReadModels, model_key(projection, key));
}

Result<std::vector<std::pair<std::string, std::string>>> RocksStore::read_model_scan(
    std::string_view projection, std::string_view prefix, std::string_view start_after,
    std::size_t limit) const {
  const std::string base = model_key(projection, {});
  const std::string full_prefix = base + std::string(prefix);
  std::string upper = model_key(projection, {});
  upper.back() = '\x01';  // just past every key of this projection
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(store::kReadModels)));
  if (start_after.empty()) {
    it->Seek(full_prefix);
  } else {
    it->Seek(std::max(full_prefix, base + std::string(start_after)));  // never before the prefix
    if (it->Valid() && it->key().ToStringView().substr(base.size()) == start_after) it->Next();
  }
  for (; it->Valid() && out.size() < limit; it->Next()) {
    auto k = it->key().ToStringView();
    if (!k.starts_with(full_prefix)) break;
    out.emplace_back(std::string(k.substr(base.size())), it->value().ToString());
  }
  if (!it->status().ok()) return from_rocks(it->status(), "read model");
  return out;
}

Result<std::pair<std::uint64_t, util::Digest>> RocksStore::record_at(std::string_view stream,
                                                                     std::uint64_t version) const {
  auto position = get(store::kStreams, stream_key(stream, version));
  if (!position) return position.status();
  if (!*position || (*position)->size() != 8)
    return Status::not_found("store.not_found", std::string(stream) + " has no version " + std::to_string(version));
  const std::uint64_t at = get_be64(**position);
  auto text = get(store::kLog, be64(at));
  if (!text) return text.status();
  auto e = *text ? store::parse_record(**text) : Result<RecordedEvent>(Status::corruption("missing"));
  util::Digest hash{};
  if (!e || e->stream != stream || e->version != version || e->position != at ||
      !util::from_hex(e->hash, hash.data(), hash.size()))
    return Status::corruption("the streams index of " + std::string(stream) + " v" +
                              std::to_string(version) + " names another record");
  return std::pair{at, hash};
}

Result<ChainReport> RocksStore::verify_store(const std::optional<KeptHead>& kept) const {
  auto report = verify_chain(1);
  if (!report) return report;
  if (kept) {
    auto text = kept->position > 0 ? get(store::kLog, be64(kept->position))
                                   : Result<std::optional<std::string>>(std::optional<std::string>{});
    if (!text) return text.status();
    auto e = *text ? store::parse_record(**text) : Result<RecordedEvent>(Status::corruption("missing"));
    if (!e)
      report->findings.push_back("kept head: the log has no record at position " +
                                 std::to_string(kept->position));
    else if (e->hash != kept->hash)
      report->findings.push_back("kept head: the record at position " + std::to_string(kept->position) +
                                 " has hash " + e->hash + ", not the kept " + kept->hash);
  }
  const store::Families families{db_.get(), &cf_};
  if (auto s = store::check_families(families, options_.secret_key, *report); !s) return s;
  return report;
}

Result<ChainReport> RocksStore::verify_chain(std::uint64_t from_position) const {
  ChainReport report;
  from_position = std::max<std::uint64_t>(from_position, 1);
  util::Digest prev{};
  if (from_position > 1) {
    auto before = get(store::kLog, be64(from_position - 1));
    if (!before) return before.status();
    std::optional<RecordedEvent> e;
    if (*before) {
      auto parsed = store::parse_record(**before);
      if (parsed) e = std::move(*parsed);
    }
    if (!e || !util::from_hex(e->hash, prev.data(), prev.size())) {
      report.first_bad_position = from_position - 1;
      report.problem = "the record to start after is missing or unreadable";
      return report;
    }
  }
  report.head_hash = util::to_hex(prev);
  report.head_position = from_position - 1;
  std::uint64_t expected = from_position;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(store::kLog)));
  for (it->Seek(be64(expected)); it->Valid(); it->Next(), ++expected) {
    auto key = it->key().ToStringView();
    const std::uint64_t at = key.size() == 8 ? get_be64(key) : 0;
    if (at != expected) {
      report.first_bad_position = expected;
      report.problem = at == 0 ? "a log key is malformed" : "the record is missing";
      return report;
    }
    util::Digest hash{};
    auto problem = store::check_record(it->value().ToStringView(), at, prev, hash);
    if (!problem.empty()) {
      report.first_bad_position = at;
      report.problem = std::move(problem);
      return report;
    }
    prev = hash;
    ++report.events;
    report.head_position = at;
  }
  if (!it->status().ok()) return from_rocks(it->status(), "verify");
  report.head_hash = util::to_hex(prev);
  // The writer records the chain head with every batch: records cut from the end of the log,
  // or added to it by anything but the writer, show here.
  auto recorded = get(store::kCheckpoints, store::kChainHead);
  if (!recorded) return recorded.status();
  if (*recorded && (*recorded)->size() == 40) {
    const std::uint64_t written = get_be64(**recorded);
    const std::string written_hash = util::to_hex(
        reinterpret_cast<const unsigned char*>((*recorded)->data()) + 8, 32);
    if (report.head_position < written) {
      report.first_bad_position = report.head_position + 1;
      report.problem = "the log ends at position " + std::to_string(report.head_position) +
                       " but the writer wrote up to " + std::to_string(written);
    } else if (report.head_position > written) {
      report.first_bad_position = written + 1;
      report.problem = "the record was not written by the store's writer";
    } else if (report.head_hash != written_hash) {
      report.first_bad_position = written;
      report.problem = "the last hash differs from the chain head the writer recorded";
    }
  }
  return report;
}

}  // namespace

Result<std::unique_ptr<EventStore>> open_store(const StoreOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(fs::path(options.path) / "CURRENT", ec);
  if (!exists && (options.read_only || !options.create_if_missing))
    return Status::not_found("store.not_found", "no onex store at " + options.path);

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !options.read_only && options.create_if_missing;
  db_options.create_missing_column_families = !options.read_only;
  db_options.IncreaseParallelism(2);
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 3;

  std::vector<std::string> names{rocksdb::kDefaultColumnFamilyName};
  for (auto n : store::kFamilies) names.emplace_back(n);
  if (exists) {
    std::vector<std::string> on_disk;
    auto s = rocksdb::DB::ListColumnFamilies(db_options, options.path, &on_disk);
    if (!s.ok()) return from_rocks(s, "open " + options.path);
    if (std::find(on_disk.begin(), on_disk.end(), std::string(store::kLog)) == on_disk.end())
      return Status::not_found("store.not_found", options.path + " is not an onex store");
    if (options.read_only) names = on_disk;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& n : names) {
    rocksdb::ColumnFamilyOptions cfo;
    if (n == store::kLog) cfo.write_buffer_size = 64 << 20;
    families.emplace_back(n, cfo);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = options.read_only
               ? rocksdb::DB::OpenForReadOnly(db_options, options.path, families, &handles, &raw)
               : rocksdb::DB::Open(db_options, options.path, families, &handles, &raw);
  if (!s.ok() && !options.read_only && s.IsIOError() &&
      s.ToString().find("lock") != std::string::npos) {
    // RocksDB's LOCK file (an fcntl lock) is held: say by whom rather than how. (Held by this
    // process, the file is left alone: closing any descriptor of it would drop that lock.)
    if (s.ToString().find("current process") != std::string::npos)
      return Status::make(StatusKind::io_error, "store.in_use", "the store is open in this process already");
    std::string who = "another process";
    const int fd = ::open((fs::path(options.path) / "LOCK").c_str(), O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
      struct flock fl {};
      fl.l_type = F_WRLCK;
      fl.l_whence = SEEK_SET;
      if (::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
        who += " (pid " + std::to_string(fl.l_pid) + ")";
      ::close(fd);
    }
    return Status::make(StatusKind::io_error, "store.in_use", "the store is open in " + who);
  }
  if (!s.ok()) return from_rocks(s, "open " + options.path);
  auto store = std::make_unique<RocksStore>(options, std::unique_ptr<rocksdb::DB>(raw), handles);
  auto started = store->start();
  if (!started.is_ok()) return started;
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace onex
