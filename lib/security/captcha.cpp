#include "security/captcha.h"

#include <cairo.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <mutex>

#include "security/secrets.h"

namespace onex::security {
namespace {

constexpr double kPi = 3.14159265358979323846;

// A uniform double in [lo, hi) from the CSPRNG (the picture must not help predict anything).
double uniform(double lo, double hi) {
  return lo + (hi - lo) * (random_uniform(1u << 20) / double(1u << 20));
}

std::string normalise(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

[[noreturn]] void captcha_fatal(const char* what) {
  std::fprintf(stderr, "onex: captcha: %s\n", what);
  std::abort();
}

}  // namespace

std::string render_captcha_png(std::string_view text) {
  // One drawing at a time: cairo 1.16 shares font caches between contexts, and ThreadSanitizer
  // finds unsynchronised writes inside cairo when glyphs are drawn from several threads. A
  // drawing takes about a millisecond.
  static std::mutex drawing;
  std::lock_guard lock(drawing);
  const int w = CaptchaService::kWidth, h = CaptchaService::kHeight;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
  std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
  cairo_t* c = cr.get();

  // Light background, a little tinted.
  cairo_set_source_rgb(c, uniform(0.90, 1.0), uniform(0.90, 1.0), uniform(0.90, 1.0));
  cairo_paint(c);

  // Noise lines behind the text.
  for (int i = 0; i < 4; ++i) {
    cairo_set_source_rgb(c, uniform(0.3, 0.8), uniform(0.3, 0.8), uniform(0.3, 0.8));
    cairo_set_line_width(c, uniform(0.8, 1.6));
    cairo_move_to(c, uniform(0, w * 0.3), uniform(0, h));
    cairo_curve_to(c, uniform(0, w), uniform(0, h), uniform(0, w), uniform(0, h),
                   uniform(w * 0.7, w), uniform(0, h));
    cairo_stroke(c);
  }

  // The glyphs: each centred on its own slot, then turned and shifted a little.
  cairo_select_font_face(c, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  const double slot = (w - 10.0) / std::max<std::size_t>(text.size(), 1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char glyph[2] = {text[i], '\0'};
    cairo_save(c);
    cairo_set_font_size(c, uniform(22, 28));
    cairo_text_extents_t ext;
    cairo_text_extents(c, glyph, &ext);
    cairo_translate(c, 5 + slot * (i + 0.5) + uniform(-2.5, 2.5), h / 2.0 + uniform(-3, 3));
    cairo_rotate(c, uniform(-0.35, 0.35));
    cairo_set_source_rgb(c, uniform(0.0, 0.45), uniform(0.0, 0.45), uniform(0.0, 0.45));
    cairo_move_to(c, -(ext.x_bearing + ext.width / 2), -(ext.y_bearing + ext.height / 2));
    cairo_show_text(c, glyph);
    cairo_restore(c);
  }

  // Noise over the text: two thin lines and dots.
  for (int i = 0; i < 2; ++i) {
    cairo_set_source_rgb(c, uniform(0.2, 0.7), uniform(0.2, 0.7), uniform(0.2, 0.7));
    cairo_set_line_width(c, uniform(0.6, 1.2));
    cairo_move_to(c, 0, uniform(0, h));
    cairo_line_to(c, w, uniform(0, h));
    cairo_stroke(c);
  }
  for (int i = 0; i < 90; ++i) {
    cairo_set_source_rgb(c, uniform(0, 1), uniform(0, 1), uniform(0, 1));
    cairo_arc(c, uniform(0, w), uniform(0, h), uniform(0.4, 1.1), 0, 2 * kPi);
    cairo_fill(c);
  }

  cairo_surface_flush(surface.get());
  if (cairo_status(c) != CAIRO_STATUS_SUCCESS) captcha_fatal(cairo_status_to_string(cairo_status(c)));
  std::string png;
  png.reserve(4096);
  const cairo_status_t st = cairo_surface_write_to_png_stream(surface.get(), append_png, &png);
  if (st != CAIRO_STATUS_SUCCESS) captcha_fatal(cairo_status_to_string(st));
  return png;
}

std::string CaptchaService::Issued::data_url() const {
  std::string b64(sodium_base64_encoded_len(png.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(png.data()),
                    png.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(b64.size() - 1);  // the terminating NUL
  return "data:image/png;base64," + b64;
}

CaptchaService::CaptchaService(const Clock& clock, std::size_t max_live)
    : clock_(clock), max_live_(std::max<std::size_t>(max_live, 1)) {
  init();
}

void CaptchaService::forget_locked(std::list<Entry>::iterator it) {
  by_id_.erase(it->id);
  if (auto n = per_client_.find(it->client); n != per_client_.end() && --n->second == 0)
    per_client_.erase(n);
  order_.erase(it);
}

void CaptchaService::forget_expired_locked(Timestamp now) {
  // Issued in clock order, so the expired ones are at the front.
  while (!order_.empty() && now >= order_.front().issued_at + kLifetime) forget_locked(order_.begin());
}

std::optional<CaptchaService::Issued> CaptchaService::issue(std::string_view client) {
  std::string answer;
  for (std::size_t i = 0; i < kLength; ++i)
    answer.push_back(kAlphabet[random_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
  Issued out{random_token(), render_captcha_png(answer)};  // drawn outside the lock

  const Timestamp now = clock_.now();
  std::lock_guard lock(mu_);
  forget_expired_locked(now);
  // At its own limit, or when all are pending, the client's own oldest goes, never another's.
  if (auto n = per_client_.find(std::string(client));
      n != per_client_.end() && (n->second >= kPerClient || order_.size() >= max_live_)) {
    auto oldest = std::find_if(order_.begin(), order_.end(),
                               [&](const Entry& e) { return e.client == client; });
    if (oldest != order_.end()) forget_locked(oldest);
  }
  if (order_.size() >= max_live_) return std::nullopt;
  order_.push_back(Entry{out.captcha_id, std::move(answer), now, std::string(client)});
  auto it = std::prev(order_.end());
  by_id_.emplace(std::string_view(it->id), it);
  ++per_client_[it->client];
  return out;
}

bool CaptchaService::check(std::string_view id, std::string_view answer) {
  const Timestamp now = clock_.now();
  Entry entry;
  {
    std::lock_guard lock(mu_);
    auto found = by_id_.find(id);
    if (found == by_id_.end()) return false;
    entry = *found->second;
    forget_locked(found->second);
  }
  if (now >= entry.issued_at + kLifetime) return false;
  return equal(normalise(answer), entry.answer);
}

std::string CaptchaService::answer_for_testing(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto found = by_id_.find(id);
  return found == by_id_.end() ? std::string() : found->second->answer;
}

std::size_t CaptchaService::pending() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

}  // namespace onex::security
