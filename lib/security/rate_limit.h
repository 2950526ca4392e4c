// In-memory rate limits (SPEC §2, API "429 rate limited"): SMS per phone and purpose, per
// account and per client address, password-reset requests per phone, login attempts per
// client address. Limits are not persisted: a restart forgets them.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "onex/clock.h"

namespace onex::security {

// A bounded limiter over any number of keys. Thread-safe; time from the injected clock only.
//
// Windows are SLIDING: a rule {max, window} allows a hit at time t when fewer than `max`
// counted hits lie in (t - window, t]; a hit stops counting exactly `window` after it was made.
// ("10 a day" means any 24 hours, not calendar days.) Only allowed hits are counted, so a
// caller that keeps knocking while refused does not push its own limit further away.
//
// A key's state is the times of its last N allowed hits, N the largest `max` of its rules, so
// rules are meant for small counts (up to a few hundred). Call a key with the same rules every
// time (prefix keys by purpose: "sms:phone:purpose", "login:addr"). Keys are kept only as a
// 128-bit keyed BLAKE2b digest: no phone number or account name stays in memory, key length
// does not matter, and hash flooding is not possible.
//
// Memory is bounded by `max_keys`. Keys whose hits have all expired are dropped as the limiter
// goes; a key that still limits something is never forgotten. When the table is full of such
// keys a new key is refused (with the wait until the first of them expires): a flood of new
// keys cannot reset a victim's counters, it can only make new keys wait.
class RateLimiter {
 public:
  struct Rule {
    int max;                      // hits allowed per window; <= 0 refuses everything
    std::chrono::seconds window;  // > 0
  };
  struct Decision {
    bool allowed = false;
    // When refused: how long until the same request would be allowed (at least 1 s; for a
    // rule with max <= 0 its window). Zero when allowed.
    std::chrono::seconds retry_after{0};
  };

  explicit RateLimiter(const Clock& clock, std::size_t max_keys = 100000);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // True, and counts the hit, only when every rule allows it; otherwise counts nothing.
  bool allow(std::string_view key, std::initializer_list<Rule> rules) {
    return hit(key, rules).allowed;
  }
  // The same, also saying how long to wait when refused (for a Retry-After header).
  Decision hit(std::string_view key, std::initializer_list<Rule> rules);

  // How long until `allow(key, rules)` would succeed; zero when it would now. Counts nothing.
  std::chrono::seconds retry_after(std::string_view key, std::initializer_list<Rule> rules) const;

  // Keys currently tracked (<= max_keys).
  std::size_t size() const;

 private:
  using Digest = std::array<unsigned char, 16>;
  struct DigestHash {
    std::size_t operator()(const Digest& d) const;
  };
  struct Node {
    Digest key;
    std::vector<Timestamp> hits;  // allowed hits, oldest first
    Timestamp forget_at;          // when every hit has left every window
  };
  using Lru = std::list<Node>;  // least recently used first

  Digest digest(std::string_view key) const;
  static std::chrono::seconds wait(const std::vector<Timestamp>* hits, const Rule* begin,
                                   const Rule* end, Timestamp now);
  void forget_expired_locked(Timestamp now);

  const Clock& clock_;
  const std::size_t max_keys_;
  std::string secret_;  // digest key, random per limiter
  mutable std::mutex mu_;
  Lru lru_;
  std::unordered_map<Digest, Lru::iterator, DigestHash> index_;
};

}  // namespace onex::security
