// Workflows meet through events: a workflow reacts to another's events by staging events on its
// own records, committed in the same append as the events it reacts to (an approval grants its
// quota; a province's new leader account names the institution's leader). Each workflow
// registers its reactions (workflows/registry.cpp collects them); a command whose events others
// may react to has `.stage = reactions::stage<Workflow, Env>` in its table entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/command.h"
#include "onex/event_store.h"

namespace onex {

struct Reaction {
  std::string_view on;  // the event type reacted to: "declaration.approved"
  // The appends on the reacting workflow's streams. `stream` is the record whose event it is (its
  // earlier events are in the store; `event` is about to be appended after them).
  Result<std::vector<StreamAppend>> (*react)(EventStore& store, const Clock& clock,
                                             const std::string& stream, const NewEvent& event);
};

// Every registered reaction to `events` of `stream`, in the registry's order.
Result<std::vector<StreamAppend>> react(EventStore& store, const Clock& clock,
                                        const std::string& stream,
                                        const std::vector<NewEvent>& events);

namespace reactions {

// A command's `stage`: the other workflows' reactions to what it decided. Env has `store` and
// `clock`.
template <class W, class Env>
Result<std::vector<StreamAppend>> stage(Env& env, const std::string& stream,
                                        const typename W::Machine&, const engine::Decision<W>& d) {
  std::vector<NewEvent> events;
  events.reserve(d.events.size());
  for (const auto& e : d.events) events.push_back(W::encode(e));
  return react(env.store, env.clock, stream, events);
}

// The data of a stream's first event (a record's creation: what never changes about it).
nlohmann::json first_event(const EventStore& store, const std::string& stream);

}  // namespace reactions
}  // namespace onex
