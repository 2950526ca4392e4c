#include "security/rate_limit.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "security/secrets.h"

namespace onex::security {
namespace {

// Whole seconds, rounded up, and at least one: a client told "retry after 0" would spin.
std::chrono::seconds ceil_seconds(std::chrono::milliseconds d) {
  return std::max(std::chrono::ceil<std::chrono::seconds>(d), std::chrono::seconds{1});
}

}  // namespace

std::size_t RateLimiter::DigestHash::operator()(const Digest& d) const {
  std::size_t h;
  std::memcpy(&h, d.data(), sizeof h);  // already a keyed hash
  return h;
}

RateLimiter::RateLimiter(const Clock& clock, std::size_t max_keys)
    : clock_(clock), max_keys_(std::max<std::size_t>(max_keys, 1)), secret_(random_key()) {
  static_assert(crypto_generichash_KEYBYTES == 32);
}

RateLimiter::Digest RateLimiter::digest(std::string_view key) const {
  Digest d;
  crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size(), reinterpret_cast<const unsigned char*>(secret_.data()),
                     secret_.size());
  return d;
}

std::chrono::seconds RateLimiter::wait(const std::vector<Timestamp>* hits, const Rule* begin,
                                       const Rule* end, Timestamp now) {
  std::chrono::seconds longest{0};
  for (const Rule* r = begin; r != end; ++r) {
    if (r->max <= 0) {
      longest = std::max(longest, std::max(r->window, std::chrono::seconds{1}));
      continue;
    }
    if (!hits) continue;
    // Hits still in the window are those after now - window.
    const auto first = std::upper_bound(hits->begin(), hits->end(), now - r->window);
    const auto in_window = static_cast<std::size_t>(hits->end() - first);
    if (in_window < static_cast<std::size_t>(r->max)) continue;
    // Allowed again once the oldest (in_window - max + 1) of them have left the window.
    const Timestamp frees_at = *(first + (in_window - r->max)) + r->window;
    longest = std::max(longest, ceil_seconds(frees_at - now));
  }
  return longest;
}

void RateLimiter::forget_expired_locked(Timestamp now) {
  // A little work per call keeps the table from holding keys that no longer limit anything.
  for (int i = 0; i < 4 && !lru_.empty() && lru_.front().forget_at <= now; ++i) {
    index_.erase(lru_.front().key);
    lru_.pop_front();
  }
}

RateLimiter::Decision RateLimiter::hit(std::string_view key, std::initializer_list<Rule> rules) {
  const Timestamp now = clock_.now();
  const Digest d = digest(key);
  std::lock_guard lock(mu_);
  forget_expired_locked(now);

  auto found = index_.find(d);
  Node* node = found == index_.end() ? nullptr : &*found->second;
  if (node) lru_.splice(lru_.end(), lru_, found->second);  // asked about: most recent now

  const auto retry = wait(node ? &node->hits : nullptr, rules.begin(), rules.end(), now);
  if (retry.count() > 0) return {false, retry};

  std::size_t keep = 1;
  std::chrono::seconds longest{0};
  for (const Rule& r : rules) {
    keep = std::max(keep, static_cast<std::size_t>(r.max));
    longest = std::max(longest, r.window);
  }
  if (!node) {
    if (index_.size() >= max_keys_) {
      // Full: forget keys that limit nothing any more; never one that still does (rotating
      // keys must not reset a victim's counters). With none to forget, the new key waits.
      Timestamp soonest = Timestamp::max();
      for (auto it = lru_.begin(); it != lru_.end();) {
        if (it->forget_at <= now) {
          index_.erase(it->key);
          it = lru_.erase(it);
        } else {
          soonest = std::min(soonest, it->forget_at);
          ++it;
        }
      }
      if (index_.size() >= max_keys_)
        return {false, std::max(std::chrono::seconds{1},
                                std::chrono::ceil<std::chrono::seconds>(soonest - now))};
    }
    lru_.push_back(Node{d, {}, now});
    index_.emplace(d, std::prev(lru_.end()));
    node = &lru_.back();
  }
  auto& hits = node->hits;
  hits.insert(std::upper_bound(hits.begin(), hits.end(), now), now);  // sorted, whatever the clock
  // Keep what the rules can still need: hits inside the longest window, at most `keep`.
  const auto live = std::upper_bound(hits.begin(), hits.end(), now - longest);
  hits.erase(hits.begin(), std::max(live, hits.end() - static_cast<std::ptrdiff_t>(
                                                         std::min(keep, hits.size()))));
  node->forget_at = std::max(node->forget_at, now + longest);
  return {true, std::chrono::seconds{0}};
}

std::chrono::seconds RateLimiter::retry_after(std::string_view key,
                                              std::initializer_list<Rule> rules) const {
  const Timestamp now = clock_.now();
  const Digest d = digest(key);
  std::lock_guard lock(mu_);
  auto found = index_.find(d);
  return wait(found == index_.end() ? nullptr : &found->second->hits, rules.begin(), rules.end(),
              now);
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mu_);
  return index_.size();
}

}  // namespace onex::security
