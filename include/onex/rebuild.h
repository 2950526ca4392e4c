// Rebuilding read models from the log, and comparing them with the live ones.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "onex/event_store.h"

namespace onex {

// Every entry of some read models: projection name → key → value.
using ReadModelImage = std::map<std::string, std::map<std::string, std::string>, std::less<>>;

using Projections = std::vector<std::shared_ptr<const Projection>>;

// Replays the whole log (up to the store's head when called) through `projections` into empty
// in-memory read models. Fails only when the log cannot be read.
Result<ReadModelImage> rebuild_read_models(const EventStore& store, const Projections& projections);

// The live read models of `projections` as the store holds them.
Result<ReadModelImage> live_read_models(const EventStore& store, const Projections& projections);

// The differences between two images, as lines for people ("declarations: key k: rebuilt …,
// live …"), at most `max_lines` of them; empty when they are equal.
std::vector<std::string> compare_read_models(const ReadModelImage& rebuilt,
                                             const ReadModelImage& live,
                                             std::size_t max_lines = 20);

}  // namespace onex
