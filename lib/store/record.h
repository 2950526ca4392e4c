// The stored form of an event record and its hashes (DESIGN.md "Event records").
//
// A record is stored as its canonical JSON (RFC 8785 for our values: compact, keys sorted):
//   {"actor":{"account_id","role"},"causation_id","command_id","correlation_id","data",
//    "hash","position","prev_hash","recorded_at","schema_version","stream","type","version"}
// body_hash = SHA-256(canonical JSON of the record without position, prev_hash and hash, and
//             with `pii` and `pii_salt` left out of `data`: `data.pii_commitment` stands for them)
// pii_commitment = SHA-256(pii_salt as 16 raw bytes ‖ canonical JSON of pii), in hex
// hash = SHA-256(prev_hash as 32 raw bytes ‖ position as 8 bytes big-endian ‖ body_hash as 32
//        raw bytes); hashes are stored as lowercase hex, the first prev_hash is 64 zeros.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "onex/event.h"
#include "onex/status.h"
#include "util/hash.h"

namespace onex::store {

inline const std::string kZeroHash(64, '0');

// An event serialised by the appending thread, waiting for its position.
struct PreparedRecord {
  std::string head;       // `{"actor":…,"data":<stored data>,`
  std::string body_head;  // the same with the data the body hash covers
  std::string tail;       // `"recorded_at":…,"type":…,"version":` (the version follows)
  std::uint64_t version = 0;
  util::Digest body_hash{};
  // With personal data: what the stored data holds beside `pii` (hex), for the projections.
  std::string pii_salt, pii_commitment;
};

struct RecordContext {
  std::string_view stream;
  std::string_view actor_account_id, actor_role;
  std::string_view correlation_id, causation_id, command_id;
  std::string_view recorded_at;  // format_utc
};

// Serialises `event` as the `version`-th event of ctx.stream and computes its body hash.
// A `pii` member of event.data gets a fresh salt and its commitment. Fails (bad_request) when
// data is not an object, holds a floating-point number or an invalid string, or has a member
// named `pii_salt` or `pii_commitment` (the store's own).
Result<PreparedRecord> prepare_record(const RecordContext& ctx, const NewEvent& event,
                                      std::uint64_t version);

// Moves a prepared record to another version (an append with ExpectedVersion::any).
void reversion(PreparedRecord& record, std::uint64_t version);

// hash = SHA-256(prev ‖ position ‖ body_hash).
util::Digest chain_hash(const util::Digest& prev, std::uint64_t position,
                        const util::Digest& body_hash);

// The stored text of a prepared record at `position` after `prev`.
std::string finish_record(const PreparedRecord& record, std::uint64_t position,
                          const util::Digest& prev, const util::Digest& hash);

// Parses a stored record. Fails with store.corruption when it is not one.
Result<RecordedEvent> parse_record(std::string_view text);

// Checks one stored record: readable, at `position`, chained to `prev`, body hash and pii
// commitment as stored. On success `hash` is its hash. The returned string says what is wrong,
// empty when nothing is.
std::string check_record(std::string_view text, std::uint64_t position, const util::Digest& prev,
                         util::Digest& hash);

void put_be64(std::string& out, std::uint64_t v);
std::uint64_t get_be64(std::string_view in);  // in.size() >= 8

}  // namespace onex::store
