// Events: the facts onex stores. The record layout below is a storage format that auditors
// recompute hashes over; change it only by adding, and read DESIGN.md "Event records" first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/caller.h"
#include "onex/clock.h"

namespace onex {

// An event to append: its stable wire name, its schema version and its data.
// `data` must be a JSON object holding no floating-point numbers (money in cents, scores in
// hundredths). Personal data goes in a `pii` member of `data`: the store keeps it beside a salted
// commitment so that it can be erased later without breaking the hash chain.
struct NewEvent {
  std::string type;        // "declaration.submitted"
  int schema_version = 1;
  nlohmann::json data = nlohmann::json::object();
};

// An event as stored, with its place in the global log and in its stream.
struct RecordedEvent {
  std::uint64_t position = 0;  // global order: 1, 2, 3, ... without gaps
  std::string stream;          // "declaration-<id>"
  std::uint64_t version = 0;   // order inside the stream: 1, 2, 3, ...
  std::string type;
  int schema_version = 1;
  Timestamp recorded_at{};
  std::string actor_account_id;
  std::string actor_role;
  std::string correlation_id;
  std::string causation_id;
  std::string command_id;
  nlohmann::json data;         // as appended; `pii` and `pii_salt` absent once erased
  std::string prev_hash;       // 64 lowercase hex digits
  std::string hash;
};

// The stable JSON text of a stored event as `onex audit history` prints it (the stored record).
nlohmann::json to_json(const RecordedEvent& e);

}  // namespace onex
