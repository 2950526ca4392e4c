// Everything the workflows register: the inline projections a store must be opened with, and
// how to show any record's state from its events (for `onex audit as-of` and embedders).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/rebuild.h"

namespace onex {

// The inline projections of every workflow. Open every writable store with these.
Projections all_projections();

// Replays `events` (a prefix of one stream's events, in order) through the machine of the
// stream's workflow and shows the record: {"stream","version","state","record":{...}}.
// Fails with workflow.unknown_kind (not_found) for a stream no workflow owns, and with
// store.corruption when an event is not a legal transition.
Result<nlohmann::json> record_state(const std::string& stream,
                                    const std::vector<RecordedEvent>& events);

// One page of a record's history as `actor` may read it (GET /api/v1/streams/{id}/events):
// the events from version `from` on, at most `limit`, each with its data as the record's access
// rule shows it (no password hashes; personal data only to those who may see it; narrower parts
// such as a seal left out), and what was left out named in `redacted`.
struct HistoryEvent {
  RecordedEvent event;               // event.data as shown
  std::vector<std::string> redacted;  // the members left out, in order
};
struct HistoryPage {
  std::vector<HistoryEvent> items;
  std::uint64_t total = 0;  // the stream's version
};
// Fails with stream.not_found (404) for a stream that does not exist or that `actor` may not
// see (the same answer for both), or the store's failure.
Result<HistoryPage> read_history(const EventStore& store, const Actor& actor,
                                 std::string_view stream, std::uint64_t from, std::size_t limit);

// The streams there are, for the auditor (GET /api/v1/streams, `onex audit streams`): of record
// kind `kind` ("" for every kind) whose id starts with `id_prefix`, in name order, `limit` of
// them from the `offset`th. validation.failed naming `kind` for a kind no workflow registers,
// `q` for a prefix that no id can start with.
struct StreamSummary {
  std::string stream, kind;
  std::uint64_t version = 0, last_position = 0;
  Timestamp last_at{};  // when its last event was recorded
};
struct StreamSummaries {
  std::vector<StreamSummary> items;
  std::size_t total = 0;
};
Result<StreamSummaries> list_streams(const EventStore& store, std::string_view kind,
                                     std::string_view id_prefix, std::size_t offset,
                                     std::size_t limit);

// Whether `actor` may see the record of `stream`, by the access rule of its kind (the one rule
// its get, list, history and files use).
bool may_see(const EventStore& store, const Actor& actor, std::string_view stream);

}  // namespace onex
