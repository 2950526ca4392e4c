// The event store: an append-only, hash-chained log of events, grouped in streams.
//
// This header is the storage interface the engine talks to. The implementation that ships is an
// embedded RocksDB store (open_store below); a server database with transactions can implement
// the same interface. Nothing here exposes the storage library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onex/event.h"
#include "onex/projection.h"
#include "onex/status.h"

namespace onex {

// What a stream must look like for an append to it to go through.
struct ExpectedVersion {
  enum class Kind { any, no_stream, exact };
  Kind kind = Kind::any;
  std::uint64_t version = 0;

  static ExpectedVersion any() { return {Kind::any, 0}; }
  static ExpectedVersion no_stream() { return {Kind::no_stream, 0}; }
  // The stream's current version must be exactly `v` (0 also means "no stream yet").
  static ExpectedVersion exactly(std::uint64_t v) { return {Kind::exact, v}; }
};

// Events for one stream within an append.
struct StreamAppend {
  std::string stream;  // "<kind>-<id>", e.g. "declaration-0f3a…"
  ExpectedVersion expected;
  std::vector<NewEvent> events;  // at least one
};

// A unique key taken by an append (an account name, one live declaration per institution ×
// plan × certificate). It belongs to `stream` (the append's first stream when empty) until a
// later append releases it. When another stream holds it, the append fails with `taken_code`
// (409 class).
struct Claim {
  std::string key;
  std::string taken_code = "store.claim_taken";
  std::string taken_detail = "already taken by another record";  // the refusal's detail
  std::string stream{};  // one of the append's streams (a batch's rows each claim their own)
};

// One atomic append: every stream's events, claims and releases commit together or not at all.
struct AppendRequest {
  std::vector<StreamAppend> streams;  // at least one; each stream at most once
  std::vector<Claim> claims;
  std::vector<std::string> releases;  // keys held by one of `streams` to free; others are ignored
  // When set, an append with a command id that already committed writes nothing and returns the
  // first outcome (with `replayed` set). Scope it yourself (e.g. account + client key).
  std::string command_id;
  std::string correlation_id;
  std::string causation_id;
  Actor actor;            // account_id and role are recorded
  Timestamp recorded_at;  // the decision's time, from the engine's Clock
  std::string outcome;    // opaque text kept with command_id, returned on a replay; no secrets
};

struct AppendResult {
  std::uint64_t first_position = 0;
  std::uint64_t last_position = 0;
  std::vector<std::uint64_t> stream_versions;  // the new version of each streams[i]
  std::string outcome;                          // AppendRequest::outcome
  bool replayed = false;                        // an earlier append with this command id won
};

struct StreamHead {
  std::uint64_t version = 0;        // 0: no such stream
  std::uint64_t last_position = 0;  // position of its last event
};

// A page of the streams there are (EventStore::list_streams).
struct StreamList {
  std::vector<std::pair<std::string, StreamHead>> items;  // stream name, its head
  std::size_t total = 0;                                  // how many match in all
};

// The result of checking the hash chain.
struct ChainReport {
  std::uint64_t events = 0;          // records checked
  std::uint64_t head_position = 0;   // last position checked
  std::string head_hash;             // its hash (64 zeros for an empty log)
  std::uint64_t first_bad_position = 0;  // 0 when the chain verifies
  std::string problem;                   // what is wrong at first_bad_position
  // verify_store: what else disagrees with the log (the streams index, heads, claims,
  // checkpoints, snapshots, a kept head), one line each.
  std::vector<std::string> findings;
  bool ok() const { return first_bad_position == 0 && findings.empty(); }
};

// A head an auditor kept from an earlier check: the log held this record then.
struct KeptHead {
  std::uint64_t position = 0;
  std::string hash;  // lowercase hex
};

// What the writer has done since the store was opened, for metrics.
struct StoreStats {
  std::uint64_t appends = 0;    // committed appends
  std::uint64_t batches = 0;    // group commits (one write batch and one sync each)
  std::uint64_t max_batch = 0;  // the most appends one group commit carried
  std::uint64_t head_position = 0;
  // Group commits by how many appends they carried: at most 1, 2, 4, 8, 16, 32, 64, more.
  static constexpr std::array<std::uint64_t, 7> kBatchBounds{1, 2, 4, 8, 16, 32, 64};
  std::array<std::uint64_t, 8> batch_sizes{};
};

struct StoreOptions {
  std::string path;
  // Open without writing anything, beside a running writer if there is one. Appends fail with
  // `store.read_only`. A read-only open sees the store as it was when opened.
  bool read_only = false;
  // Create an empty store when `path` holds none; otherwise opening fails with `store.not_found`.
  bool create_if_missing = true;
  // fsync every group commit before acknowledging it. Without it a crash of the machine (not
  // of the process) may lose the last acknowledged appends, never corrupt the log.
  bool sync = true;
  // Folded in by the writer in the same batch as the events. On open, a projection whose
  // checkpoint is behind the log (a new projection) is caught up from the log first.
  std::vector<std::shared_ptr<const Projection>> inline_projections;
  // 32 bytes (the data directory's secret.key) or empty: the key that seals snapshots (HMAC),
  // so that a rewritten snapshot is refused on load and found by verify_store.
  std::string secret_key;
};

// The store. All methods are thread-safe. Appends from many threads are committed by one writer
// in group commits: one write batch and one sync for whatever is pending.
class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends atomically. Fails, writing nothing, with:
  //   concurrency.version_conflict (conflict)  a stream is not at its expected version;
  //   Claim::taken_code (conflict)             a claim is held by another stream;
  //   store.invalid_append (bad_request)       an empty or malformed request;
  //   store.read_only, store.io_error.
  virtual Result<AppendResult> append(AppendRequest request) = 0;

  // Events of `stream` with version >= from_version, at most max_count, in order.
  // An unknown stream gives an empty list.
  virtual Result<std::vector<RecordedEvent>> read_stream(
      std::string_view stream, std::uint64_t from_version = 1,
      std::size_t max_count = std::numeric_limits<std::size_t>::max()) const = 0;

  // Events of the whole log with position >= from_position, at most max_count, in order.
  virtual Result<std::vector<RecordedEvent>> read_all(std::uint64_t from_position,
                                                      std::size_t max_count) const = 0;

  virtual Result<StreamHead> stream_head(std::string_view stream) const = 0;

  // The streams whose name starts with `prefix` and that `keep` (when given) keeps, in name
  // order: `limit` of them from the `offset`th (0-based), and how many match in all.
  virtual Result<StreamList> list_streams(std::string_view prefix, std::size_t offset,
                                          std::size_t limit,
                                          const std::function<bool(std::string_view)>& keep = {}) const = 0;

  // Position of the last committed event (0 for an empty log).
  virtual std::uint64_t head_position() const = 0;

  virtual StoreStats stats() const = 0;

  // The first outcome of a command id, if one committed.
  virtual Result<std::optional<AppendResult>> find_command(std::string_view command_id) const = 0;

  // The stream holding a claim, if any.
  virtual Result<std::optional<std::string>> claim_owner(std::string_view key) const = 0;

  // Read models of the inline projections.
  virtual Result<std::optional<std::string>> read_model_get(std::string_view projection,
                                                            std::string_view key) const = 0;
  // Entries whose key starts with `prefix`, in key order, after `start_after` (exclusive; empty:
  // from the start), at most `limit`.
  virtual Result<std::vector<std::pair<std::string, std::string>>> read_model_scan(
      std::string_view projection, std::string_view prefix, std::string_view start_after = {},
      std::size_t limit = std::numeric_limits<std::size_t>::max()) const = 0;

  // Secrets: material that must never enter the log (sessions, code hashes, encrypted initial
  // passwords). Kept beside it, neither hash-chained nor replayed, durable as appends are.
  // Keys are the caller's; writes fail with store.read_only or store.io_error.
  virtual Status put_secret(std::string_view key, std::string_view value) = 0;
  virtual Result<std::optional<std::string>> get_secret(std::string_view key) const = 0;
  virtual Status erase_secret(std::string_view key) = 0;
  // Secrets whose key starts with `prefix`, in key order, at most `limit`.
  virtual Result<std::vector<std::pair<std::string, std::string>>> scan_secrets(
      std::string_view prefix, std::size_t limit = std::numeric_limits<std::size_t>::max()) const = 0;

  // Snapshots: a stream's machine state at a version, kept beside the log so that loading a long
  // stream (an account's logins) replays only what follows. Not part of the hash chain, but
  // bound to it: a snapshot names the position and hash of the record at its version and is
  // sealed with StoreOptions::secret_key. get_snapshot answers store.corruption for one that
  // does not hold (rewritten, or of another record), and nothing for an old unbound one; losing
  // one only makes loading replay more. `state` is the workflow's own serialisation.
  virtual Status put_snapshot(std::string_view stream, std::uint64_t version,
                              std::string_view state) = 0;
  virtual Result<std::optional<std::pair<std::uint64_t, std::string>>> get_snapshot(
      std::string_view stream) const = 0;
  // Removes every snapshot (loading then replays the log and takes them anew): what a store
  // needs when it gets a secret key it was not sealed with (`onex init --adopt`).
  virtual Status drop_snapshots() = 0;

  // Recomputes every body hash and chain hash from `from_position` (which must follow a
  // position already trusted, or be 1) to the head, and checks positions have no gaps.
  virtual Result<ChainReport> verify_chain(std::uint64_t from_position = 1) const = 0;
  // The whole store checked against its log, as a filesystem's fsck: the chain from the first
  // record; the writer's recorded chain head (required on a non-empty log); the streams index
  // (one entry per record, under its stream and version), the heads, the claims' owners, the
  // kept command outcomes and the checkpoints (none past the log's end); every snapshot's seal
  // and its binding to its record. With `kept`, the record at kept->position must still have
  // kept->hash, so nothing before a head kept earlier has changed.
  virtual Result<ChainReport> verify_store(const std::optional<KeptHead>& kept = {}) const = 0;
};

// Opens (or creates) the embedded RocksDB store at options.path.
// Fails with store.not_found, store.in_use ("the store is open in another process (pid N)": one
// writer at a time; read-only opens may sit beside it), store.io_error or store.corruption.
Result<std::unique_ptr<EventStore>> open_store(const StoreOptions& options);

}  // namespace onex
