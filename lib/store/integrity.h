// What the store proves besides the hash chain (internal to lib/store): snapshots bound to the
// record they were taken at and sealed with the store's key, and a full check of every family
// against the log (a filesystem's fsck), for `onex audit verify`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <rocksdb/db.h>

#include "onex/event_store.h"
#include "util/hash.h"

namespace onex::store {

// A snapshot as the snapshots family keeps it:
//   version (8 BE) ‖ 0x01 ‖ position (8 BE) ‖ hash (32) ‖ seal (32) ‖ state
// `position` and `hash` are those of the stream's record at `version` (the last event the state
// covers); seal = HMAC-SHA-256(key, stream ‖ 0 ‖ the bytes before the seal ‖ state), or plain
// SHA-256 of the same when the store has no key (then it binds, and only `verify`'s replay of
// the log could tell a rewritten state). Snapshots of the old form (version ‖ state) are unbound
// and never trusted.
struct Snapshot {
  std::uint64_t version = 0, position = 0;
  util::Digest hash{};
  std::string state;
};
std::string seal_snapshot(std::string_view key, std::string_view stream, const Snapshot& s);
// The snapshot in `value` if it is sealed and its seal holds; nullopt for an unbound (old)
// one; store.corruption for a seal that does not hold. Without `check_seal` (an auditor who
// has the store but not its key) only its form is read.
Result<std::optional<Snapshot>> open_snapshot(std::string_view key, std::string_view stream,
                                              std::string_view value, bool check_seal = true);

// The store's column families, by name.
struct Families {
  rocksdb::DB* db = nullptr;
  const std::unordered_map<std::string, rocksdb::ColumnFamilyHandle*>* handles = nullptr;
  rocksdb::ColumnFamilyHandle* operator()(std::string_view name) const;
};

// Checks the streams index, the heads, the claims, the idempotency outcomes, the checkpoints
// and the snapshots against the log, whose chain `report` has verified up to its head; adds
// what disagrees to report.findings. Snapshots' seals are checked only with a `key` (without
// it, their binding to the log is).
Status check_families(const Families& families, std::string_view key, ChainReport& report);

}  // namespace onex::store
