// Machines of a record kind that live in memory only, by key: the record's own rules run on
// records that do not exist (sign-ins on unknown account names answer as a real account would,
// locked and disabled by the same decide). Bounded: past `capacity` keys the oldest is evicted.
// Thread-safe; generic, names no workflow.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/engine.h"

namespace onex::engine {

template <class W>
class Scratch {
 public:
  using Machine = typename W::Machine;
  Scratch(std::size_t capacity, Machine initial) : capacity_(capacity), initial_(std::move(initial)) {}

  // Runs `f(machine)` on `key`'s machine (a copy of the initial one the first time), alone.
  template <class F>
  auto with(const std::string& key, F&& f) {
    std::lock_guard lock(mutex_);
    auto it = machines_.find(key);
    if (it == machines_.end()) {
      if (machines_.size() >= capacity_) {
        machines_.erase(order_.front());
        order_.pop_front();
      }
      order_.push_back(key);
      it = machines_.emplace(key, initial_).first;
    }
    return f(it->second);
  }

  // Takes a decision's events, as an append would (a refusal changes nothing).
  static void take(Machine& m, const Result<Decision<W>>& d) {
    if (d)
      for (const auto& e : d->events) (void)m.apply(e);
  }

 private:
  const std::size_t capacity_;
  const Machine initial_;
  std::mutex mutex_;
  std::unordered_map<std::string, Machine> machines_;
  std::deque<std::string> order_;  // oldest first
};

}  // namespace onex::engine
