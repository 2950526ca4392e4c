// Captchas, rate limits and the secrets helpers (SPEC §2).
#include <cairo.h>
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "onex/clock.h"
#include "security/captcha.h"
#include "security/rate_limit.h"
#include "security/secrets.h"

using namespace std::chrono_literals;
using onex::ManualClock;
using onex::Timestamp;
using onex::security::CaptchaService;
using onex::security::RateLimiter;

namespace {

Timestamp t0() { return Timestamp{std::chrono::milliseconds{1585670400000}}; }  // 2020-03-31T16:00Z

std::uint32_t be32(const std::string& s, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         p[3];
}

struct PngReader {
  const std::string* data;
  std::size_t pos = 0;
  static cairo_status_t read(void* closure, unsigned char* out, unsigned int n) {
    auto* self = static_cast<PngReader*>(closure);
    if (self->pos + n > self->data->size()) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, self->data->data() + self->pos, n);
    self->pos += n;
    return CAIRO_STATUS_SUCCESS;
  }
};

struct Decoded {
  bool ok = false;
  int width = 0, height = 0;
  int dark = 0;  // pixels with every channel below 50%: glyph ink (and a little noise)
};

Decoded decode(const std::string& png) {
  PngReader reader{&png};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(&PngReader::read, &reader);
  Decoded d;
  d.ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
  if (d.ok) {
    cairo_surface_flush(s);
    d.width = cairo_image_surface_get_width(s);
    d.height = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* px = cairo_image_surface_get_data(s);
    for (int y = 0; y < d.height; ++y)
      for (int x = 0; x < d.width; ++x) {
        std::uint32_t v;
        std::memcpy(&v, px + y * stride + x * 4, 4);
        const unsigned r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
        if (r < 128 && g < 128 && b < 128) ++d.dark;
      }
  }
  cairo_surface_destroy(s);
  return d;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Captcha

TEST_CASE("captcha: the image is a PNG of the drawn size that decodes, with visible glyphs") {
  ManualClock clock(t0());
  CaptchaService captchas(clock);
  const auto issued = *captchas.issue();
  const std::string& png = issued.png;
  REQUIRE(png.size() > 33);
  CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n", 8) == 0);
  CHECK(png.compare(12, 4, "IHDR") == 0);
  CHECK(be32(png, 16) == CaptchaService::kWidth);
  CHECK(be32(png, 20) == CaptchaService::kHeight);
  CHECK(CaptchaService::kWidth == 120);
  CHECK(CaptchaService::kHeight == 40);

  const auto d = decode(png);
  REQUIRE(d.ok);
  CHECK(d.width == 120);
  CHECK(d.height == 40);
  // The same picture without text has far less ink: the glyphs were really drawn (a font
  // was found).
  const auto blank = decode(onex::security::render_captcha_png(""));
  REQUIRE(blank.ok);
  CHECK(d.dark > blank.dark + 150);

  const std::string url = issued.data_url();
  CHECK(url.rfind("data:image/png;base64,iVBORw0KGgo", 0) == 0);
  CHECK((url.size() - std::strlen("data:image/png;base64,")) % 4 == 0);
}

TEST_CASE("captcha: ids and answers are random, answers from the unambiguous alphabet") {
  ManualClock clock(t0());
  CaptchaService captchas(clock);
  const auto a = *captchas.issue();
  const auto b = *captchas.issue();
  CHECK(a.captcha_id != b.captcha_id);
  CHECK(a.captcha_id.size() == 43);
  const auto answer_a = captchas.answer_for_testing(a.captcha_id);
  const auto answer_b = captchas.answer_for_testing(b.captcha_id);
  CHECK(answer_a != answer_b);
  CHECK(a.png != b.png);
  for (const auto& ans : {answer_a, answer_b}) {
    CHECK(ans.size() == CaptchaService::kLength);
    for (char c : ans) {
      CHECK(CaptchaService::kAlphabet.find(c) != std::string_view::npos);
      CHECK(std::string_view("0O1Il").find(c) == std::string_view::npos);
    }
  }
  CHECK(captchas.answer_for_testing("no-such-id").empty());
}

TEST_CASE("captcha: single use, a wrong answer consumes it too") {
  ManualClock clock(t0());
  CaptchaService captchas(clock);

  const auto a = *captchas.issue();
  const auto answer = captchas.answer_for_testing(a.captcha_id);
  CHECK(captchas.check(a.captcha_id, answer));
  CHECK_FALSE(captchas.check(a.captcha_id, answer));  // used
  CHECK(captchas.answer_for_testing(a.captcha_id).empty());

  const auto b = *captchas.issue();
  const auto right = captchas.answer_for_testing(b.captcha_id);
  std::string wrong = right;
  wrong[0] = wrong[0] == 'A' ? 'C' : 'A';
  CHECK_FALSE(captchas.check(b.captcha_id, wrong));
  CHECK_FALSE(captchas.check(b.captcha_id, right));  // consumed by the wrong guess

  CHECK_FALSE(captchas.check("unknown", "ABCDE"));
  CHECK_FALSE(captchas.check("", ""));
  CHECK(captchas.pending() == 0);
}

TEST_CASE("captcha: answers are case-insensitive") {
  ManualClock clock(t0());
  CaptchaService captchas(clock);
  const auto a = *captchas.issue();
  std::string lower = captchas.answer_for_testing(a.captcha_id);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(captchas.check(a.captcha_id, lower));

  const auto b = *captchas.issue();
  CHECK(captchas.check(b.captcha_id, " " + captchas.answer_for_testing(b.captcha_id) + " "));
}

TEST_CASE("captcha: expires 2 minutes after issue") {
  ManualClock clock(t0());
  CaptchaService captchas(clock);
  const auto a = *captchas.issue();
  const auto b = *captchas.issue();
  clock.advance(119s);
  CHECK(captchas.check(a.captcha_id, captchas.answer_for_testing(a.captcha_id)));
  clock.advance(1s);  // exactly 2 minutes
  CHECK_FALSE(captchas.check(b.captcha_id, captchas.answer_for_testing(b.captcha_id)));

  // Expired ones are forgotten when the next is issued.
  (void)captchas.issue();
  clock.advance(10min);
  (void)captchas.issue();
  CHECK(captchas.pending() == 1);
}

TEST_CASE("captcha: at most max_live pending, the oldest forgotten first") {
  ManualClock clock(t0());
  CaptchaService captchas(clock, 3);
  std::vector<CaptchaService::Issued> issued;
  std::vector<std::string> answers;
  for (int i = 0; i < 5; ++i) {
    issued.push_back(*captchas.issue());
    answers.push_back(captchas.answer_for_testing(issued.back().captcha_id));
    CHECK(captchas.pending() <= 3);
  }
  CHECK(captchas.pending() == 3);
  CHECK_FALSE(captchas.check(issued[0].captcha_id, answers[0]));
  CHECK_FALSE(captchas.check(issued[1].captcha_id, answers[1]));
  for (int i = 2; i < 5; ++i) CHECK(captchas.check(issued[i].captcha_id, answers[i]));
  CHECK(captchas.pending() == 0);
}

TEST_CASE("captcha: one client's flood forgets only its own captchas, a full table refuses others") {
  ManualClock clock(t0());
  CaptchaService captchas(clock, 20);
  const auto victim = *captchas.issue("10.0.0.1");
  const std::string answer = captchas.answer_for_testing(victim.captcha_id);
  // 200 captchas from one address: it holds its own 16 at most, the victim's stays.
  for (int i = 0; i < 200; ++i) REQUIRE(captchas.issue("10.6.6.6").has_value());
  CHECK(captchas.pending() == 1 + CaptchaService::kPerClient);
  // Rotating addresses fill the table; then a new address gets none rather than evicting.
  for (int i = 0; i < 3; ++i) REQUIRE(captchas.issue("10.7.0." + std::to_string(i)).has_value());
  CHECK(captchas.pending() == 20);
  CHECK_FALSE(captchas.issue("10.8.0.1").has_value());
  // An address with pending ones replaces its own oldest.
  CHECK(captchas.issue("10.7.0.1").has_value());
  CHECK(captchas.pending() == 20);
  CHECK(captchas.check(victim.captcha_id, answer));
}

TEST_CASE("captcha: issue and check from several threads") {
  ManualClock clock(t0());
  CaptchaService captchas(clock, 50);
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        const auto c = *captchas.issue();
        // Each thread has at most one pending, so none is evicted (50 live, 4 threads).
        const auto answer = captchas.answer_for_testing(c.captcha_id);
        if (!answer.empty() && captchas.check(c.captcha_id, answer)) ++passed;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(passed.load() == 80);
  CHECK(captchas.pending() == 0);
}

// ---------------------------------------------------------------------------------------------
// Rate limits

TEST_CASE("rate limit: one a minute and ten a day, sliding windows") {
  ManualClock clock(t0());
  RateLimiter limiter(clock);
  const auto sms = [&] { return limiter.hit("sms:13800000000:login", {{1, 1min}, {10, 24h}}); };

  auto d = sms();
  CHECK(d.allowed);
  CHECK(d.retry_after == 0s);
  d = sms();
  CHECK_FALSE(d.allowed);
  CHECK(d.retry_after == 60s);
  clock.advance(59s);
  d = sms();
  CHECK_FALSE(d.allowed);
  CHECK(d.retry_after == 1s);
  CHECK(limiter.retry_after("sms:13800000000:login", {{1, 1min}, {10, 24h}}) == 1s);
  clock.advance(1s);  // the first hit leaves the minute window exactly now
  CHECK(limiter.retry_after("sms:13800000000:login", {{1, 1min}, {10, 24h}}) == 0s);
  CHECK(sms().allowed);  // 2 today

  for (int i = 3; i <= 10; ++i) {
    clock.advance(1min);
    CHECK(sms().allowed);
  }
  // Ten in the last 24 hours: refused until the first of them (at t0) is a day old.
  clock.advance(1min);
  d = sms();
  CHECK_FALSE(d.allowed);
  CHECK(d.retry_after == 24h - 10min);
  clock.advance(1h);
  CHECK_FALSE(sms().allowed);  // refused hits do not count, nor does the window restart
  clock.set(t0() + 24h - 1s);
  CHECK_FALSE(sms().allowed);
  clock.set(t0() + 24h);
  CHECK(sms().allowed);        // the hit at t0 left the day window
  CHECK_FALSE(sms().allowed);  // the minute rule again
  clock.set(t0() + 24h + 59s);
  CHECK_FALSE(sms().allowed);
  clock.set(t0() + 24h + 1min);
  CHECK(sms().allowed);  // the hit at t0+1min left the day window, the last one the minute
}

TEST_CASE("rate limit: keys are independent, refused requests count nothing") {
  ManualClock clock(t0());
  RateLimiter limiter(clock);
  CHECK(limiter.allow("reset:111", {{2, 1h}}));
  CHECK(limiter.allow("reset:111", {{2, 1h}}));
  CHECK_FALSE(limiter.allow("reset:111", {{2, 1h}}));
  CHECK(limiter.allow("reset:222", {{2, 1h}}));
  CHECK(limiter.allow("login:10.0.0.1", {{2, 1h}}));

  // Every rule must allow it; a refusal by one rule counts against none.
  CHECK(limiter.allow("multi", {{5, 1min}, {1, 1h}}));
  CHECK_FALSE(limiter.allow("multi", {{5, 1min}, {1, 1h}}));
  clock.advance(1h);
  CHECK(limiter.allow("multi", {{5, 1min}, {1, 1h}}));

  CHECK_FALSE(limiter.allow("never", {{0, 1min}}));
  CHECK(limiter.retry_after("never", {{0, 1min}}) == 60s);
  CHECK(limiter.retry_after("unknown", {{1, 1min}}) == 0s);
}

TEST_CASE("rate limit: bounded, a key that still limits is never forgotten, a new key waits") {
  ManualClock clock(t0());
  RateLimiter limiter(clock, 3);
  const std::initializer_list<RateLimiter::Rule> one_a_day = {{1, 24h}};
  CHECK(limiter.allow("a", one_a_day));
  clock.advance(1s);
  CHECK(limiter.allow("b", one_a_day));
  clock.advance(1s);
  CHECK(limiter.allow("c", one_a_day));
  clock.advance(1s);
  CHECK_FALSE(limiter.allow("a", one_a_day));  // asked about again (refused): "a" is in use
  CHECK(limiter.size() == 3);

  // Full of keys that still limit something: a new key waits rather than reset another's
  // counters (issue 9: it used to forget the longest idle one).
  const auto refused = limiter.hit("d", one_a_day);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 24h - 3s);  // until "a", the first, expires
  CHECK(limiter.size() == 3);
  // A flood of rotating keys resets nobody: every counter stays.
  for (int i = 0; i < 1000; ++i) CHECK_FALSE(limiter.allow("flood-" + std::to_string(i), one_a_day));
  CHECK(limiter.size() == 3);
  for (const char* k : {"a", "b", "c"}) CHECK_FALSE(limiter.allow(k, one_a_day));
  // Once the first key's window is over it is forgotten and a new key fits.
  clock.advance(24h - 3s);
  CHECK(limiter.allow("d", one_a_day));
  CHECK_FALSE(limiter.allow("b", one_a_day));
}

TEST_CASE("rate limit: keys whose hits all expired are dropped") {
  ManualClock clock(t0());
  RateLimiter limiter(clock);
  for (int i = 0; i < 3; ++i) CHECK(limiter.allow("k" + std::to_string(i), {{1, 1min}}));
  CHECK(limiter.size() == 3);
  clock.advance(1min);
  CHECK(limiter.allow("other", {{1, 1min}}));
  CHECK(limiter.size() == 1);
}

TEST_CASE("rate limit: exact under concurrency") {
  ManualClock clock(t0());
  RateLimiter limiter(clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (limiter.allow("shared", {{100, 1h}})) ++allowed;
    });
  for (auto& t : threads) t.join();
  CHECK(allowed.load() == 100);
}

// ---------------------------------------------------------------------------------------------
// Secrets (lib/security/secrets.h)

namespace sec = onex::security;

TEST_CASE("secrets: password hashes verify, salted") {
  sec::init();
  const auto h1 = sec::hash_password("correct horse 1");
  const auto h2 = sec::hash_password("correct horse 1");
  CHECK(h1.rfind("$argon2id$", 0) == 0);
  CHECK(h1 != h2);  // a new salt each time
  CHECK(sec::verify_password(h1, "correct horse 1"));
  CHECK(sec::verify_password(h2, "correct horse 1"));
  CHECK_FALSE(sec::verify_password(h1, "correct horse 2"));
  CHECK_FALSE(sec::verify_password(h1, ""));
  CHECK_FALSE(sec::verify_password("not a hash", "correct horse 1"));
  sec::dummy_password_check("anything");  // does not crash
}

TEST_CASE("secrets: password rules") {
  auto weak = [](std::string_view p) {
    const auto s = sec::check_password_rules(p);
    return !s.is_ok() && s.kind() == onex::StatusKind::unprocessable &&
           s.code() == "validation.failed" && s.errors().size() == 1 &&
           s.errors()[0].field == "new_password";
  };
  CHECK(weak("abc123"));          // too short
  CHECK(weak("abcdefghij"));      // no digit
  CHECK(weak("1234567890"));      // no letter
  CHECK(weak(""));
  CHECK(weak(std::string(127, 'a') + "12"));  // longer than 128 bytes
  CHECK(sec::check_password_rules("abcdefg1").is_ok());
  CHECK(sec::check_password_rules("Pass word 2020").is_ok());
  CHECK(sec::check_password_rules("x", "password").errors()[0].field == "password");
}

TEST_CASE("secrets: random passwords, digits, tokens, uniform") {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const auto p = sec::random_password();
    CHECK(p.size() == 12);
    for (char c : p) CHECK(std::isalnum(static_cast<unsigned char>(c)));
    CHECK(sec::check_password_rules(p).is_ok());
    seen.insert(p);
  }
  CHECK(seen.size() == 50);

  const auto d = sec::random_digits(6);
  CHECK(d.size() == 6);
  for (char c : d) CHECK(std::isdigit(static_cast<unsigned char>(c)));

  const auto t = sec::random_token();
  CHECK(t.size() == 43);
  for (char c : t)
    CHECK((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'));
  CHECK(t != sec::random_token());

  std::set<std::uint32_t> values;
  for (int i = 0; i < 200; ++i) {
    const auto v = sec::random_uniform(5);
    CHECK(v < 5);
    values.insert(v);
  }
  CHECK(values.size() == 5);
  CHECK(sec::random_uniform(1) == 0);

  CHECK(sec::digest("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sec::equal("abc", "abc"));
  CHECK_FALSE(sec::equal("abc", "abd"));
  CHECK_FALSE(sec::equal("abc", "abcd"));
}

TEST_CASE("secrets: seal and open, tampering or another key is undecryptable") {
  const auto key = sec::random_key();
  CHECK(key.size() == 32);
  const auto box = sec::seal(key, "Initial9Pass");
  CHECK(box.find("Initial9Pass") == std::string::npos);
  CHECK(box != sec::seal(key, "Initial9Pass"));  // a fresh nonce each time
  auto opened = sec::open(key, box);
  REQUIRE(opened.is_ok());
  CHECK(*opened == "Initial9Pass");

  auto is_undecryptable = [](const onex::Result<std::string>& r) {
    return !r.is_ok() && r.status().code() == "security.undecryptable";
  };
  std::string tampered = box;
  const std::size_t at = tampered.size() / 2;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  CHECK(is_undecryptable(sec::open(key, tampered)));
  CHECK(is_undecryptable(sec::open(sec::random_key(), box)));
  CHECK(is_undecryptable(sec::open(key, "")));
  CHECK(is_undecryptable(sec::open(key, "not base64 !!")));
  CHECK(is_undecryptable(sec::open("short key", box)));
}
