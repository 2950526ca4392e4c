// Image captchas (SPEC §2 login after 2 failures, §4 self-registration; API `GET /api/v1/captchas`).
// The image is a small PNG drawn server-side with cairo; the answer stays in memory only.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "onex/clock.h"

namespace onex::security {

// Issues and checks image captchas. Thread-safe. Time comes from the injected clock only.
//
// - A captcha is single use: the first check consumes it, right or wrong.
// - Answers are compared case-insensitively (surrounding spaces ignored).
// - A captcha expires `kLifetime` (2 minutes) after it was issued.
// - Each client (its address) holds at most kPerClient pending captchas: one more forgets that
//   client's oldest, never another client's. At most `max_live` are pending in all; past that
//   a client's new one replaces its own oldest, and a client with none pending gets none (the
//   caller answers 429) rather than one of another client's forgotten, so a flood of requests cannot void the captchas of users signing in (about 150
//   bytes each; images are not kept).
class CaptchaService {
 public:
  static constexpr std::chrono::seconds kLifetime{120};
  static constexpr int kWidth = 120;   // image size in pixels
  static constexpr int kHeight = 40;
  static constexpr std::size_t kLength = 5;  // characters to read
  // What a captcha shows: no 0/O, 1/I/l, nor the usual look-alikes (B/8, S/5, Z/2, G/6, Q).
  static constexpr std::string_view kAlphabet = "ACDEFHJKMNPRTUVWXY23456789";
  static constexpr std::size_t kPerClient = 16;

  struct Issued {
    std::string captcha_id;  // 43 URL-safe characters
    std::string png;         // raw PNG bytes, kWidth × kHeight
    std::string data_url() const;  // "data:image/png;base64,..."
  };

  explicit CaptchaService(const Clock& clock, std::size_t max_live = 10000);
  CaptchaService(const CaptchaService&) = delete;
  CaptchaService& operator=(const CaptchaService&) = delete;

  // A new captcha for `client` (its address; "" for an embedding caller); nullopt when
  // max_live are pending.
  std::optional<Issued> issue(std::string_view client = {});

  // True only when `id` is pending, not expired and `answer` matches. Consumes `id` in every
  // case, so a guess costs a new captcha.
  bool check(std::string_view id, std::string_view answer);

  // FOR TESTS ONLY (of this service and of the components that use it, e.g. the REST server's
  // login and registration tests): the expected answer of a pending captcha, "" when there is
  // none. Does not consume it. Production code must never call this.
  std::string answer_for_testing(std::string_view id) const;

  // How many captchas are pending (expired ones may still be counted until the next issue).
  std::size_t pending() const;

 private:
  struct Entry {
    std::string id;
    std::string answer;
    Timestamp issued_at;
    std::string client;
  };
  void forget_locked(std::list<Entry>::iterator it);

  void forget_expired_locked(Timestamp now);

  const Clock& clock_;
  const std::size_t max_live_;
  mutable std::mutex mu_;
  std::list<Entry> order_;  // oldest first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_id_;  // views into order_
  std::unordered_map<std::string, std::size_t> per_client_;  // pending captchas by client
};

// Draws `text` as a kWidth × kHeight PNG: each glyph turned and shifted a little, with noise
// lines and dots. Exposed for tests.
std::string render_captcha_png(std::string_view text);

}  // namespace onex::security
