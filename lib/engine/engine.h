// The workflow engine: load a record by replaying its stream through a fresh machine, decide,
// check every decided event against the machine, append with the expected version, and on a
// conflict reload and decide again. Generic over a workflow W; names no workflow.
//
// A workflow W provides:
//   static constexpr std::string_view kind;          // "declaration": streams are "<kind>-<id>"
//   using Event = std::variant<...>;                  // its event structs
//   using Machine = ...;                              // copyable; default-constructed = started,
//       bool apply(const Event&)                      //   true when a transition fired
//       std::string_view state_name() const
//   static Result<Event> decode(const RecordedEvent&); // upcasts old schema versions
//   static NewEvent encode(const Event&);
// and, for streams that grow without bound, snapshots (see Snapshotting below).
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/snapshot.h"
#include "onex/clock.h"
#include "onex/event_store.h"

namespace onex::engine {

// Who asks, and the ids that tie a command to its events.
struct CommandMeta {
  Actor actor;
  std::string command_id;      // idempotency; empty: none
  std::string correlation_id;
  std::string causation_id;
  std::optional<std::uint64_t> if_match;  // the version the caller last saw (If-Match)
  std::string outcome;  // kept with command_id and given back on a replay (e.g. a created id)

  // The meta of a call (`outcome`: what a replay gives back, e.g. a created id).
  static CommandMeta of(const Caller& c, std::string outcome = {}) {
    return {c.actor, c.command_id, c.correlation_id, {}, c.if_match, std::move(outcome)};
  }
};

// What `decide` yields: events for the record's own stream (possibly none: already satisfied),
// and the claims and releases that go with them.
template <class W>
struct Decision {  // Decision{{Approved{n}}}: one event
  std::vector<typename W::Event> events{};
  std::vector<Claim> claims{};
  std::vector<std::string> releases{};
};

struct Outcome {
  std::uint64_t version = 0;  // the record's stream version after the command
  std::uint64_t first_position = 0, last_position = 0;  // 0 when nothing was appended
  std::size_t appended = 0;   // events appended to the record's own stream
  bool replayed = false;      // the command id had already been executed
  std::string outcome;        // CommandMeta::outcome of the first execution, on a replay
};

// What a batch left (Engine::execute_batch): events appended, or the refusals by index.
struct BatchOutcome {
  std::size_t appended = 0;  // events appended, over all the batch's records
  bool replayed = false;     // the command id had already been executed
  std::string outcome;       // CommandMeta::outcome of the first execution, on a replay
  struct Refusal {
    std::size_t index = 0;
    Status status;
    std::optional<std::size_t> same_as{};  // a claim the earlier item at this index makes too
  };
  std::vector<Refusal> refusals;  // nothing was appended when there is any
};

// A workflow whose machines are snapshotted every `snapshot_every` events, so that loading
// replays at most that many (an account's logins); engine/snapshot.h codes them:
//   static constexpr std::uint64_t snapshot_every = 50;
template <class W>
concept Snapshotting = requires {
  { W::snapshot_every } -> std::convertible_to<std::uint64_t>;
};

// A record's stream: "<kind>-<id>".
template <class W>
std::string stream_of(std::string_view id) {
  return std::string(W::kind) + "-" + std::string(id);
}

struct EngineOptions {
  int max_attempts = 5;            // decide again this many times on a version conflict
  std::size_t cache_size = 10'000; // machines kept, by stream
};

template <class W>
class Engine {
 public:
  using Machine = typename W::Machine;
  using Event = typename W::Event;

  struct Loaded {
    Machine machine;
    std::uint64_t version = 0;  // 0: no such record
  };

  Engine(EventStore& store, const Clock& clock, EngineOptions options = {})
      : store_(store), clock_(clock), options_(options) {}

  EventStore& store() const { return store_; }
  const Clock& clock() const { return clock_; }

  // Replays the stream (from a cached machine when one is current) into a machine.
  // Fails with store.corruption when a stored event is not a legal transition.
  Result<Loaded> load(const std::string& stream) {
    Loaded loaded;
    {
      std::lock_guard lock(cache_mutex_);
      if (auto it = cache_.find(stream); it != cache_.end()) {
        loaded = it->second->second;
        lru_.splice(lru_.begin(), lru_, it->second);
      }
    }
    if constexpr (Snapshotting<W>)
      if (loaded.version == 0) restore_snapshot(stream, loaded);
    const std::uint64_t before = loaded.version;
    auto events = store_.read_stream(stream, loaded.version + 1);
    if (!events) return events.status();
    for (const auto& recorded : *events) {
      auto event = W::decode(recorded);
      if (!event) return Status::corruption(stream + " v" + std::to_string(recorded.version) +
                                            ": " + event.status().message());
      if (!loaded.machine.apply(*event))
        return Status::corruption(stream + " v" + std::to_string(recorded.version) + ": " +
                                  recorded.type + " is not a transition from " +
                                  std::string(loaded.machine.state_name()));
      loaded.version = recorded.version;
    }
    if (!events->empty()) {
      remember(stream, loaded);
      maybe_snapshot(stream, loaded, before);
    }
    return loaded;
  }

  // The record as it is now, shared and not to be modified: what load() gives, without reading
  // the stream while the log has not moved since it was last read here (head_position, in
  // memory), or while the stream's head still has the version read (one point lookup). For
  // what every request reads (the caller's account).
  Result<std::shared_ptr<const Loaded>> current(const std::string& stream) {
    // Appends publish the log's head after they are written: a record read when the head was
    // P has every event up to P.
    const std::uint64_t position = store_.head_position();
    {
      std::lock_guard lock(recent_mutex_);
      if (auto it = recent_.find(stream); it != recent_.end() && it->second.log_position == position)
        return it->second.loaded;
    }
    auto head = store_.stream_head(stream);
    if (!head) return head.status();
    {
      std::lock_guard lock(recent_mutex_);
      if (auto it = recent_.find(stream);
          it != recent_.end() && it->second.loaded->version == head->version) {
        it->second.log_position = position;
        return it->second.loaded;
      }
    }
    auto loaded = load(stream);
    if (!loaded) return loaded.status();
    auto shared = std::make_shared<const Loaded>(std::move(*loaded));
    std::lock_guard lock(recent_mutex_);
    if (recent_.size() >= options_.cache_size) recent_.clear();
    auto& r = recent_[stream];
    if (!r.loaded || r.loaded->version <= shared->version) r = {shared, position};
    return shared;
  }

  // Checks that `events` are legal transitions from the current state of `stream`, and turns
  // them into an append with the version they were checked against. For the other streams a
  // command touches (a quota that an approval grants).
  Result<StreamAppend> stage(const std::string& stream, const std::vector<Event>& events) {
    auto loaded = load(stream);
    if (!loaded) return loaded.status();
    auto after = check(stream, *loaded, events);
    if (!after) return after.status();
    return to_append(stream, loaded->version, events);
  }

  // Runs a command against the record in `stream`:
  //   decide(const Machine&, std::uint64_t version, Timestamp now) -> Result<Decision<W>>
  //   extend(const Decision<W>&, Timestamp now) -> Result<std::vector<StreamAppend>>:
  //       appends to other streams that must commit with this one (may be empty).
  template <class Decide, class Extend>
  Result<Outcome> execute(const std::string& stream, const CommandMeta& meta, Decide&& decide,
                          Extend&& extend) {
    if (!meta.command_id.empty()) {
      auto earlier = store_.find_command(meta.command_id);
      if (!earlier) return earlier.status();
      if (*earlier) return replayed(**earlier);
    }
    // Commands on one stream take turns in this process, so they do not spend their attempts
    // conflicting with each other; other processes' appends are still caught by the versions.
    std::lock_guard turn(stripes_[std::hash<std::string>{}(stream) % stripes_.size()]);
    for (int attempt = 1;; ++attempt) {
      auto loaded = load(stream);
      if (!loaded) return loaded.status();
      const Timestamp now = clock_.now();
      Result<Decision<W>> decision = decide(std::as_const(loaded->machine), loaded->version, now);
      // A refusal comes first: a caller who may not see the record learns nothing of its
      // version from a stale If-Match.
      if (!decision) return decision.status();
      if (meta.if_match && *meta.if_match != loaded->version)
        return Status::conflict("concurrency.version_conflict",
                                stream + " is at version " + std::to_string(loaded->version));
      if (decision->events.empty())
        return Outcome{loaded->version, 0, 0, 0, false, {}};
      auto after = check(stream, *loaded, decision->events);
      if (!after) return after.status();
      auto others = extend(*decision, now);
      if (!others) return others.status();

      AppendRequest request;
      request.streams.push_back(to_append(stream, loaded->version, decision->events));
      for (auto& s : *others) request.streams.push_back(std::move(s));
      request.claims = std::move(decision->claims);
      request.releases = std::move(decision->releases);
      request.command_id = meta.command_id;
      request.correlation_id = meta.correlation_id;
      request.causation_id = meta.causation_id;
      request.actor = meta.actor;
      request.recorded_at = now;
      request.outcome = meta.outcome;
      auto appended = store_.append(std::move(request));
      if (appended) {
        if (appended->replayed) return replayed(*appended);
        Loaded now_loaded{std::move(*after), appended->stream_versions.front()};
        maybe_snapshot(stream, now_loaded, loaded->version);
        remember(stream, now_loaded);
        return Outcome{appended->stream_versions.front(), appended->first_position,
                       appended->last_position, decision->events.size(), false, {}};
      }
      const bool retry = appended.status().code() == "concurrency.version_conflict" &&
                         attempt < options_.max_attempts && !meta.if_match;
      if (!retry) return appended.status();
    }
  }

  // Runs one command on many records as one append, all or none (the rows of an import):
  //   decide(std::size_t i, const Machine&, std::uint64_t version, Timestamp now)
  //       -> Result<Decision<W>>, for streams[i] (each stream at most once).
  // Every record is decided; when any refuses, or claims a key an earlier one of the batch
  // claims, or is a record an earlier one names too (a refusal with `same_as`, the earlier
  // index: the claim's taken code, batch.same_record), nothing is
  // appended and the answer lists the refusals by index. On a version conflict all are decided
  // again.
  //
  // With `commit` false every record is decided and nothing appended (a batch that already has
  // refusals of its own, collecting the rest).
  template <class Decide>
  Result<BatchOutcome> execute_batch(const std::vector<std::string>& streams, const CommandMeta& meta,
                                     Decide&& decide, bool commit = true) {
    if (!meta.command_id.empty()) {
      auto earlier = store_.find_command(meta.command_id);
      if (!earlier) return earlier.status();
      if (*earlier) return BatchOutcome{0, true, (*earlier)->outcome, {}};
    }
    for (int attempt = 1;; ++attempt) {
      const Timestamp now = clock_.now();
      AppendRequest request;
      BatchOutcome out;
      std::unordered_map<std::string, std::size_t> claimed, named;
      for (std::size_t i = 0; i < streams.size(); ++i) {
        if (auto [it, fresh] = named.emplace(streams[i], i); !fresh) {
          out.refusals.push_back({i, Status::conflict("batch.same_record", "the batch names this record twice"),
                                  it->second});
          continue;
        }
        auto loaded = load(streams[i]);
        if (!loaded) return loaded.status();
        Result<Decision<W>> decision = decide(i, std::as_const(loaded->machine), loaded->version, now);
        if (!decision) {
          out.refusals.push_back({i, decision.status()});
          continue;
        }
        if (auto after = check(streams[i], *loaded, decision->events); !after) {
          out.refusals.push_back({i, after.status()});
          continue;
        }
        bool twice = false;
        for (const auto& c : decision->claims)
          if (auto [it, fresh] = claimed.emplace(c.key, i); !fresh && !twice) {
            out.refusals.push_back({i, Status::conflict(c.taken_code, c.taken_detail), it->second});
            twice = true;
          }
        if (twice || decision->events.empty()) continue;
        out.appended += decision->events.size();
        request.streams.push_back(to_append(streams[i], loaded->version, decision->events));
        for (auto& c : decision->claims) {
          c.stream = streams[i];  // the row's own record holds what it claims
          request.claims.push_back(std::move(c));
        }
        for (auto& r : decision->releases) request.releases.push_back(std::move(r));
      }
      if (!commit || !out.refusals.empty() || request.streams.empty()) {
        out.appended = 0;
        return out;
      }
      request.command_id = meta.command_id;
      request.correlation_id = meta.correlation_id;
      request.causation_id = meta.causation_id;
      request.actor = meta.actor;
      request.recorded_at = now;
      request.outcome = meta.outcome;
      auto appended = store_.append(std::move(request));
      if (appended) {
        if (appended->replayed) return BatchOutcome{0, true, appended->outcome, {}};
        return out;
      }
      const bool retry = appended.status().code() == "concurrency.version_conflict" &&
                         attempt < options_.max_attempts;
      if (!retry) return appended.status();
    }
  }

  template <class Decide>
  Result<Outcome> execute(const std::string& stream, const CommandMeta& meta, Decide&& decide) {
    return execute(stream, meta, std::forward<Decide>(decide),
                   [](const Decision<W>&, Timestamp) -> Result<std::vector<StreamAppend>> {
                     return std::vector<StreamAppend>{};
                   });
  }

 private:
  // The machine after `events`, or `<kind>.illegal_transition` naming the state that refused.
  Result<Machine> check(const std::string& stream, const Loaded& loaded,
                        const std::vector<Event>& events) const {
    Machine m = loaded.machine;
    for (const auto& e : events) {
      const std::string state(m.state_name());
      if (!m.apply(e)) {  // the detail names the state, not the event (a storage name)
        std::string what(W::kind);
        std::replace(what.begin(), what.end(), '_', ' ');
        return Status::conflict(std::string(W::kind) + ".illegal_transition",
                                "not allowed while the " + what + " is " + state)
            .with("state", state);
      }
    }
    return m;
  }

  static StreamAppend to_append(const std::string& stream, std::uint64_t version,
                                const std::vector<Event>& events) {
    StreamAppend s{stream, ExpectedVersion::exactly(version), {}};
    s.events.reserve(events.size());
    for (const auto& e : events) s.events.push_back(W::encode(e));
    return s;
  }

  static Outcome replayed(const AppendResult& r) {
    return Outcome{r.stream_versions.empty() ? 0 : r.stream_versions.front(), r.first_position,
                   r.last_position, 0, true, r.outcome};
  }

  // A snapshot that cannot be read or is ahead of the stream is ignored: replay from the start.
  void restore_snapshot(const std::string& stream, Loaded& loaded) {
    if constexpr (Snapshotting<W>) {
      auto snap = store_.get_snapshot(stream);
      if (!snap || !*snap) return;
      auto head = store_.stream_head(stream);
      if (!head || head->version < (*snap)->first) return;
      auto state = nlohmann::json::parse((*snap)->second, nullptr, false);
      if (state.is_discarded()) return;
      auto machine = engine::restore<W>(state);
      if (!machine) return;
      loaded.machine = std::move(*machine);
      loaded.version = (*snap)->first;
    }
  }

  // Keeps a snapshot when the record crossed a multiple of snapshot_every.
  void maybe_snapshot(const std::string& stream, const Loaded& loaded, std::uint64_t before) {
    if constexpr (Snapshotting<W>) {
      const std::uint64_t every = W::snapshot_every;
      if (loaded.version / every > before / every)
        (void)store_.put_snapshot(stream, loaded.version, engine::snapshot<W>(loaded.machine).dump());
    }
  }

  void remember(const std::string& stream, const Loaded& loaded) {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(stream); it != cache_.end()) {
      if (it->second->second.version >= loaded.version) return;
      it->second->second = loaded;
      lru_.splice(lru_.begin(), lru_, it->second);
      return;
    }
    lru_.emplace_front(stream, loaded);
    cache_[stream] = lru_.begin();
    if (lru_.size() > options_.cache_size) {
      cache_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }

  struct Recent {
    std::shared_ptr<const Loaded> loaded;
    std::uint64_t log_position = 0;  // the head of the log, read before the record
  };

  EventStore& store_;
  const Clock& clock_;
  EngineOptions options_;
  std::mutex recent_mutex_;
  std::unordered_map<std::string, Recent> recent_;
  std::array<std::mutex, 256> stripes_;
  std::mutex cache_mutex_;
  std::list<std::pair<std::string, Loaded>> lru_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, Loaded>>::iterator>
      cache_;
};

// Deny by default: ok when the actor's role is one of `roles`, else 403 `auth.forbidden`.
inline Status authorize(const Actor& actor, std::initializer_list<std::string_view> roles) {
  for (auto r : roles)
    if (actor.role == r) return {};
  return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
}

}  // namespace onex::engine
