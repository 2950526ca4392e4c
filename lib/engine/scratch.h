// Machines of a record kind that live in memory only, by key: the record's own rules run on
// records that do not exist (sign-ins on unknown account names answer as a real account would,
// locked and disabled by the same decide). Bounded without forgetting what still matters: a
// machine is kept `keep` after it was last used (at least as long as a lock lasts), and when
// `capacity` machines are all still kept a new key is refused rather than another's forgotten.
// Thread-safe; generic, names no workflow.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "engine/engine.h"
#include "onex/clock.h"

namespace onex::engine {

template <class W>
class Scratch {
 public:
  using Machine = typename W::Machine;
  Scratch(std::size_t capacity, std::chrono::seconds keep, const Clock& clock, Machine initial)
      : capacity_(capacity), keep_(keep), clock_(clock), initial_(std::move(initial)) {}

  // Runs `f(machine)` on `key`'s machine (the first time: `first()`, or a copy of the initial
  // one), alone. nullopt, running nothing, when `key` is new and the table is full of machines
  // still kept.
  template <class F, class First = std::nullptr_t>
  auto with(const std::string& key, F&& f, First first = nullptr)
      -> std::optional<std::invoke_result_t<F, Machine&>> {
    std::lock_guard lock(mutex_);
    const Timestamp now = clock_.now();
    while (!order_.empty() && order_.front().used + keep_ <= now) {
      machines_.erase(order_.front().key);
      order_.pop_front();
    }
    auto it = machines_.find(key);
    if (it == machines_.end()) {
      if (machines_.size() >= capacity_) return std::nullopt;
      order_.push_back({key, now});
      Machine m = [&] {
        if constexpr (std::is_same_v<First, std::nullptr_t>)
          return initial_;
        else
          return first();
      }();
      it = machines_.emplace(key, Slot{std::move(m), std::prev(order_.end())}).first;
    } else {
      it->second.at->used = now;
      order_.splice(order_.end(), order_, it->second.at);  // used last
    }
    return f(it->second.machine);
  }

  // Takes a decision's events, as an append would (a refusal changes nothing).
  static void take(Machine& m, const Result<Decision<W>>& d) {
    if (d)
      for (const auto& e : d->events) (void)m.apply(e);
  }

 private:
  struct Use {
    std::string key;
    Timestamp used;
  };
  struct Slot {
    Machine machine;
    typename std::list<Use>::iterator at;
  };
  const std::size_t capacity_;
  const std::chrono::seconds keep_;
  const Clock& clock_;
  const Machine initial_;
  std::mutex mutex_;
  std::unordered_map<std::string, Slot> machines_;
  std::list<Use> order_;  // least recently used first
};

}  // namespace onex::engine
