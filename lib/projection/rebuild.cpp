#include "onex/rebuild.h"

#include <fmt/format.h>

namespace onex {
namespace {

class MapTxn final : public ReadModelTxn {
 public:
  explicit MapTxn(std::map<std::string, std::string>& m) : m_(m) {}
  std::optional<std::string> get(std::string_view key) const override {
    auto it = m_.find(std::string(key));
    if (it == m_.end()) return std::nullopt;
    return it->second;
  }
  void put(std::string_view key, std::string_view value) override {
    m_[std::string(key)] = std::string(value);
  }
  void erase(std::string_view key) override { m_.erase(std::string(key)); }

 private:
  std::map<std::string, std::string>& m_;
};

// Where two values first differ, with some context, cut only between UTF-8 characters.
std::pair<std::string, std::string> around_difference(const std::string& a, const std::string& b) {
  std::size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  auto cut = [&](const std::string& s) {
    auto boundary = [&](std::size_t i) {
      while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
      return std::min(i, s.size());
    };
    const std::size_t from = boundary(at > 60 ? at - 60 : 0);
    const std::size_t to = boundary(std::min(s.size(), at + 100));
    return (from > 0 ? "…" : "") + s.substr(from, to - from) + (to < s.size() ? "…" : "");
  };
  return {cut(a), cut(b)};
}

}  // namespace

Result<ReadModelImage> rebuild_read_models(const EventStore& store, const Projections& projections) {
  ReadModelImage image;
  std::vector<MapTxn> txns;
  txns.reserve(projections.size());
  for (const auto& p : projections) txns.emplace_back(image[std::string(p->name())]);
  const std::uint64_t head = store.head_position();
  for (std::uint64_t next = 1; next <= head;) {
    auto events = store.read_all(next, 4096);
    if (!events) return events.status();
    if (events->empty()) break;
    for (const auto& e : *events) {
      if (e.position > head) return image;
      for (std::size_t i = 0; i < projections.size(); ++i) projections[i]->apply(e, txns[i]);
    }
    next = events->back().position + 1;
  }
  return image;
}

Result<ReadModelImage> live_read_models(const EventStore& store, const Projections& projections) {
  ReadModelImage image;
  for (const auto& p : projections) {
    auto entries = store.read_model_scan(p->name(), "");
    if (!entries) return entries.status();
    auto& m = image[std::string(p->name())];
    for (auto& [k, v] : *entries) m.emplace(std::move(k), std::move(v));
  }
  return image;
}

std::vector<std::string> compare_read_models(const ReadModelImage& rebuilt,
                                             const ReadModelImage& live, std::size_t max_lines) {
  std::vector<std::string> lines;
  auto note = [&](std::string line) {
    if (lines.size() < max_lines) lines.push_back(std::move(line));
  };
  static const std::map<std::string, std::string> empty;
  for (const auto& [name, _] : live)
    if (!rebuilt.count(name)) note(fmt::format("{}: only in the live read models", name));
  for (const auto& [name, r] : rebuilt) {
    auto it = live.find(name);
    const auto& l = it == live.end() ? empty : it->second;
    for (const auto& [k, v] : r) {
      auto lv = l.find(k);
      if (lv == l.end())
        note(fmt::format("{}: key {} missing from the live read model", name, k));
      else if (lv->second != v) {
        auto [rebuilt_part, live_part] = around_difference(v, lv->second);
        note(fmt::format("{}: key {}: rebuilt {} but live {}", name, k, rebuilt_part, live_part));
      }
    }
    for (const auto& [k, v] : l)
      if (!r.count(k)) note(fmt::format("{}: key {} is live but not rebuilt", name, k));
  }
  return lines;
}

}  // namespace onex
