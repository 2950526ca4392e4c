// Time. Every decision that depends on time reads an injected Clock, so tests and replays
// control it; nothing in onex reads the system clock behind the embedder's back.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "onex/status.h"

namespace onex {

// An instant, in UTC, with millisecond resolution (what events store).
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// A source of the current time. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// The operating system's clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that stands still until told otherwise; for tests and demos. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : ms_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp{std::chrono::milliseconds{ms_.load()}}; }
  void set(Timestamp t) { ms_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::milliseconds d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<long long> ms_;
};

// RFC 3339 text for an instant in UTC with milliseconds: "2020-03-31T16:00:00.000Z".
std::string format_utc(Timestamp t);

// RFC 3339 text for an instant in China time (+08:00), seconds only when the instant has no
// milliseconds: "2020-04-04T23:59:59+08:00". What API answers show.
std::string format_china(Timestamp t);

// Parses RFC 3339 ("2020-04-01T00:00:00+08:00", "…Z", optional fraction of up to 9 digits,
// truncated to milliseconds). Fails with `invalid_time` (unprocessable) on anything else.
Result<Timestamp> parse_time(std::string_view text);

}  // namespace onex
