// Small helpers shared by the store tests: opening a store, building appends.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/event_store.h"

namespace onex::testing {

inline Timestamp at_ms(long long ms) { return Timestamp{std::chrono::milliseconds{ms}}; }

inline StoreOptions options_for(const std::string& path, bool sync = false) {
  StoreOptions o;
  o.path = path;
  o.sync = sync;
  return o;
}

inline std::unique_ptr<EventStore> open_ok(const StoreOptions& o) {
  auto s = open_store(o);
  REQUIRE_MESSAGE(s.is_ok(), s.status().to_string());
  return std::move(*s);
}

inline NewEvent ev(std::string type, nlohmann::json data = nlohmann::json::object()) {
  NewEvent e;
  e.type = std::move(type);
  e.data = std::move(data);
  return e;
}

inline StreamAppend to_stream(std::string stream, ExpectedVersion expected,
                              std::vector<NewEvent> events) {
  return StreamAppend{std::move(stream), expected, std::move(events)};
}

// A request with the usual metadata filled in.
inline AppendRequest request(std::vector<StreamAppend> streams, std::string command_id = {}) {
  AppendRequest r;
  r.streams = std::move(streams);
  r.command_id = std::move(command_id);
  r.correlation_id = "corr";
  r.causation_id = "cause";
  r.actor = Actor{"acct-1", "operator", "", "", "", ""};
  r.recorded_at = at_ms(1'585'670'400'123);
  return r;
}

// `n` events "test.happened" with data {"i": k}.
inline std::vector<NewEvent> events(int n, int base = 0) {
  std::vector<NewEvent> out;
  for (int k = 0; k < n; ++k) out.push_back(ev("test.happened", {{"i", base + k}}));
  return out;
}

inline Result<AppendResult> append_to(EventStore& store, const std::string& stream,
                                      ExpectedVersion expected, int n = 1,
                                      std::string command_id = {}) {
  return store.append(request({to_stream(stream, expected, events(n))}, std::move(command_id)));
}

inline std::vector<RecordedEvent> all_events(const EventStore& store) {
  auto r = store.read_all(1, std::numeric_limits<std::size_t>::max());
  REQUIRE_MESSAGE(r.is_ok(), r.status().to_string());
  return std::move(*r);
}

inline ChainReport verified(const EventStore& store, std::uint64_t from = 1) {
  auto r = store.verify_chain(from);
  REQUIRE_MESSAGE(r.is_ok(), r.status().to_string());
  return *r;
}

}  // namespace onex::testing
