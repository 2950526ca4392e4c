// Column families of the RocksDB store and what their keys and values are.
#pragma once

#include <array>
#include <string_view>

namespace onex::store {

inline constexpr std::string_view kLog = "log";                  // position (8 bytes BE) → record
inline constexpr std::string_view kStreams = "streams";          // stream ‖ 0 ‖ version (BE) → position
inline constexpr std::string_view kHeads = "heads";              // stream → version ‖ last position
inline constexpr std::string_view kClaims = "claims";            // unique key → owning stream
inline constexpr std::string_view kIdempotency = "idempotency";  // command id → first outcome
inline constexpr std::string_view kReadModels = "read_models";   // projection ‖ 0 ‖ key → value
inline constexpr std::string_view kCheckpoints = "checkpoints";  // projection → last position (BE)
// In kCheckpoints: the chain head the writer last committed, position (BE) ‖ hash (32 bytes).
// Not a projection name (those are letters, digits and '_').
inline constexpr std::string_view kChainHead = "@log";

inline constexpr std::string_view kSecrets = "secrets";  // caller's key → value, outside the log

inline constexpr std::string_view kSnapshots = "snapshots";  // stream → version (BE) ‖ state

inline constexpr std::array<std::string_view, 9> kFamilies{
    kLog, kStreams, kHeads, kClaims, kIdempotency, kReadModels, kCheckpoints, kSecrets, kSnapshots};

}  // namespace onex::store
