// Everything the workflows register: the inline projections a store must be opened with, and
// how to show any record's state from its events (for `onex audit as-of` and embedders).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/event.h"
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

}  // namespace onex
