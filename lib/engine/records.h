// A record kind's read model, kept by its own machine, and the lists read from it.
//
// One projection per record kind (engine::RecordProjection<W>) folds each event of
// "<kind>-<id>" through the same transition table and State::apply as the engine, so no status
// word and no field of a record is derived from events anywhere else. Its read model,
// W::read_model, holds
//   r/<id>  → {"phase", "state", "version", "seq"}: the record's machine as a snapshot
//            (engine::snapshot) at its stream version; seq is the position of its first event,
//            20 digits, so index keys sort by age
//   <key>   → <id> for each key W::index(machine, seq) names (the lists: by institution, by
//            region, by manager, ...); a key the record no longer names is erased
// Lists read a prefix of the index and restore each record's machine (engine::views): what a
// caller sees of it is the workflow's access rule and W::view.
//
// W gives, beside what the engine needs (kind, Event, Machine, decode):
//   machine-only rows that restore each phase from engine::Restored (msm::Restore)
//   static constexpr std::string_view read_model = "<kind>_records";
//   static std::vector<std::string> index(const Machine&, std::string_view seq);
// State is described (BOOST_DESCRIBE_STRUCT) and Phase too (BOOST_DESCRIBE_ENUM). Generic;
// names no workflow.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/snapshot.h"
#include "onex/event_store.h"
#include "onex/projection.h"

namespace onex::engine {

template <class W>
class RecordProjection final : public Projection {
 public:
  std::string_view name() const override { return W::read_model; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    const std::string_view stream(e.stream);
    if (stream.size() <= W::kind.size() || !stream.starts_with(W::kind) ||
        stream[W::kind.size()] != '-')
      return;
    auto event = W::decode(e);
    if (!event) return;
    const std::string id(stream.substr(W::kind.size() + 1));
    const std::string key = "r/" + id;
    std::optional<Machine> recalled;
    std::string seq;
    std::vector<std::string> before;
    nlohmann::json* row = txn.find_json(key);
    if (row && row->is_object()) {
      recalled = recall(id, row->value("version", std::uint64_t{0}));
      if (!recalled) {
        auto restored = restore<W>(*row);
        if (!restored) return;
        recalled = std::move(*restored);
      }
      seq = row->value("seq", "");
      before = W::index(*recalled, seq);
    } else {
      seq = fmt::format("{:020}", e.position);
      recalled.emplace();
    }
    Machine& m = *recalled;
    if (!m.apply(*event)) return;  // no transition: the engine never appends such an event
    if (row && row->is_object()) {  // only what the event changed is written again
      patch((*row)["state"], m.data());
      (*row)["phase"] = enum_name(m.phase());
      (*row)["version"] = e.version;
      txn.put_json(key, std::move(*row));
    } else {
      nlohmann::json made = snapshot<W>(m);
      made["version"] = e.version;
      made["seq"] = seq;
      txn.put_json(key, std::move(made));
    }
    const auto after = W::index(m, seq);
    for (const auto& k : before)
      if (std::find(after.begin(), after.end(), k) == after.end()) txn.erase(k);
    for (const auto& k : after)
      if (std::find(before.begin(), before.end(), k) == before.end()) txn.put(k, id);
    keep(id, e.version, std::move(m));
  }

 private:
  using Machine = typename W::Machine;
  // The machines this projection last folded, by record, each at its stream version: a row
  // whose version is the remembered one need not be decoded again (a row rolled back with its
  // request has an older version, and is decoded). A memo of a pure function, bounded.
  static constexpr std::size_t kRemembered = 4096;
  static constexpr std::uint64_t kTaken = ~std::uint64_t{0};
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::pair<std::uint64_t, Machine>> remembered_;

  std::optional<Machine> recall(const std::string& id, std::uint64_t version) const {
    std::lock_guard lock(mutex_);
    auto it = remembered_.find(id);
    if (it == remembered_.end() || it->second.first != version) return std::nullopt;
    it->second.first = kTaken;  // until keep() gives it back
    return std::move(it->second.second);
  }
  void keep(const std::string& id, std::uint64_t version, Machine&& m) const {
    std::lock_guard lock(mutex_);
    if (remembered_.size() >= kRemembered) remembered_.clear();
    if (auto it = remembered_.find(id); it != remembered_.end())
      it->second = {version, std::move(m)};
    else
      remembered_.emplace(id, std::pair{version, std::move(m)});
  }
};

// A record as its read model holds it.
template <class W>
struct Row {
  typename W::Machine machine;
  std::uint64_t version = 0;
};

// Record `id`'s row; nullopt when the read model has none (or an unreadable one).
template <class W>
std::optional<Row<W>> row(const EventStore& store, std::string_view id) {
  auto text = store.read_model_get(W::read_model, "r/" + std::string(id));
  if (!text || !*text) return std::nullopt;
  const auto j = nlohmann::json::parse(**text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto m = restore<W>(j);
  if (!m) return std::nullopt;
  return Row<W>{std::move(*m), j.value("version", std::uint64_t{0})};
}

// The views (W::view) of the records the index lists under `prefix`, oldest first, that
// `keep(machine)` keeps (the caller's access rule).
template <class W, class Keep>
Result<std::vector<typename W::View>> views(const EventStore& store, const std::string& prefix,
                                            Keep&& keep) {
  auto index = store.read_model_scan(W::read_model, prefix);
  if (!index) return index.status();
  std::vector<typename W::View> out;
  for (const auto& [key, id] : *index)
    if (auto r = row<W>(store, id); r && keep(r->machine)) out.push_back(W::view(r->machine, r->version));
  return out;
}

}  // namespace onex::engine
