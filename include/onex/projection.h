// Read models kept up to date from the event log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "onex/event.h"

namespace onex {

// The key-value space a projection handler writes into. Keys are private to the projection
// (the store namespaces them by the projection's name). Reads see everything written before,
// including earlier events of the same group commit that are not yet on disk.
//
// Values are text, most of them JSON that a projection changes event after event. find_json and
// put_json let a txn keep such a value decoded from one event to the next, as a rebuild's does,
// where get and put would parse and print it for each event. Either way the stored text is the
// same: put_json(key, v) stores v.dump(). Not thread-safe.
class ReadModelTxn {
 public:
  virtual ~ReadModelTxn() = default;
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  virtual void put(std::string_view key, std::string_view value) = 0;
  virtual void erase(std::string_view key) = 0;

  // The value at `key` as JSON, or nullptr when there is none or it is not JSON. The caller may
  // change it in place and then store it with put_json(key, std::move(*value)); it must not
  // change it otherwise. The pointer is good until the next call on this txn.
  // By default: get(key), parsed.
  virtual nlohmann::json* find_json(std::string_view key);
  // Stores `value` at `key`. By default: put(key, value.dump()).
  virtual void put_json(std::string_view key, nlohmann::json value);

 private:
  nlohmann::json found_;  // what the default find_json returns
};

// A set of handlers that fold events into a read model.
//
// Inline projections run in the store's writer, in log order, and their writes commit in the
// same atomic batch as the events they follow: a query right after a command sees its effect,
// and no event is ever skipped or applied twice. `apply` must not fail and must not throw:
// everything that can be refused is refused by `decide` before the event exists. It must be a
// pure function of the event and the read model (no clock, no randomness), so that a rebuild from
// the log gives byte-for-byte the same read model. Handlers run on one thread at a time.
class Projection {
 public:
  virtual ~Projection() = default;
  // A stable name; the read model's keys live under it. Letters, digits and '_' only.
  virtual std::string_view name() const = 0;
  // Folds one event in. Events the projection does not care about are ignored.
  virtual void apply(const RecordedEvent& event, ReadModelTxn& txn) const = 0;
};

}  // namespace onex
