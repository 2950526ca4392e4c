// A kind of record, as its workflow describes it once (`<folder>/access.cpp`, listed in
// workflows/registry.cpp): who may see it, used by that record's get, list and counts, by its
// stream's history (GET /api/v1/streams/{id}/events), by the files it refers to and by the
// lookups alike (a record outside the caller's view is 404, everywhere the same); and how its
// state shows from its events (`onex audit as-of`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/records.h"
#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/status.h"

namespace onex {

// One kind of record: what it shows to whom, and how its state shows.
struct RecordKind {
  std::string_view kind;  // the stream kind: "declaration" for "declaration-<id>"
  // Whether `actor` (signed in; never the auditor, who sees every record) sees record `id`.
  // Reads the record's read models or its first event; an unknown record is not visible.
  bool (*visible)(const EventStore& store, const Actor& actor, std::string_view id) = nullptr;
  // Parts of a record behind a narrower rule (an institution's seal: its leader only): removes
  // from `data` (event `e`'s) what `actor` may not see and names what it removed in `redacted`.
  // Null: a reader of the record sees every event whole.
  void (*redact)(const EventStore& store, const Actor& actor, std::string_view id,
                 const RecordedEvent& e, nlohmann::json& data,
                 std::vector<std::string>& redacted) = nullptr;
  // Whether `actor` sees the personal data (`pii`) of the record's events. Null: nobody does
  // (the history shows those events with `pii` left out).
  bool (*personal_data)(const EventStore& store, const Actor& actor, std::string_view id) = nullptr;
  // The record replayed from `events` (a prefix of its stream, in order) and shown as
  // {"stream","version","state","record"} (access::replay and access::shown_record help).
  Result<nlohmann::json> (*state)(const std::string& stream,
                                  const std::vector<RecordedEvent>& events) = nullptr;
};

// Every workflow's record kinds, one per stream kind (workflows/registry.cpp).
const std::vector<RecordKind>& record_kinds();

}  // namespace onex

namespace onex::access {

// "declaration-4a…" → {"declaration", "4a…"}; no '-' → {stream, ""}.
std::pair<std::string_view, std::string_view> split_stream(std::string_view stream);

// Whether `actor` sees the record of `stream`: the auditor every existing record, anyone else
// by the rule of the stream's kind; a kind without a rule, nobody but the auditor.
bool visible(const EventStore& store, const Actor& actor, std::string_view stream);

// How `actor` (who already may see the record of `stream`) sees its events: made once per
// stream, since whether the actor sees personal data is the record's fact, not an event's.
class Shown {
 public:
  Shown(const EventStore& store, const Actor& actor, std::string_view stream);
  // Event `e`'s data without credentials (`password_hash`), without personal data unless the
  // rule shows it, and without the parts the rule keeps narrower; what was left out is named
  // in `redacted`.
  nlohmann::json data(const RecordedEvent& e, std::vector<std::string>& redacted) const;

 private:
  const EventStore& store_;
  const Actor& actor_;
  const RecordKind* kind_;
  std::string_view id_;
  bool personal_ = false;
};

// Institution side: a leader or staff account of an institution.
bool institution_side(const Actor& actor);
// A staff account with a certificate scope works only on those certificates; a staff without
// a scope, a leader and other roles are not limited by certificate.
bool in_certificate_scope(const Actor& actor, std::string_view certificate_id);

// The data of a stream's first event (who owns the record); null when there is none.
nlohmann::json first_data(const EventStore& store, std::string_view stream);
// A text member of a JSON object, "" when absent or not a string.
std::string text_of(const nlohmann::json& j, const char* name);

// `events` replayed through W's machine; store.corruption naming the first event that is no
// transition.
template <class W>
Result<typename W::Machine> replay(const std::vector<RecordedEvent>& events) {
  typename W::Machine m;
  for (const auto& e : events) {
    auto event = W::decode(e);
    if (!event) return event.status();
    if (!m.apply(*event))
      return Status::corruption(e.stream + " v" + std::to_string(e.version) + ": " + e.type +
                                " is not a transition from " + std::string(m.state_name()));
  }
  return m;
}

// RecordKind::visible of a kind whose read model is its machine's (engine::RecordProjection):
// the workflow's rule on the record's machine; a record the read model lacks is not visible.
template <class W, bool (*Rule)(const Actor&, const typename W::Machine&)>
bool by_rule(const EventStore& store, const Actor& actor, std::string_view id) {
  auto r = engine::row<W>(store, id);
  return r && Rule(actor, r->machine);
}

// A record as RecordKind::state shows it: {"stream","version","state","record"}.
nlohmann::json shown_record(const std::string& stream, const std::vector<RecordedEvent>& events,
                            std::string_view state, nlohmann::json record);

// A record as the API shows it, less its stream version: json_of(W::view(machine, 0)).
template <class W>
nlohmann::json viewed(const typename W::Machine& m) {
  auto record = json_of(W::view(m, 0));
  record.erase("version");
  return record;
}

// RecordKind::state of a kind: the record replayed from `events`, its state the machine's
// phase and its record `Record(machine)` (by default as the API shows it).
template <class W, nlohmann::json (*Record)(const typename W::Machine&) = viewed<W>>
Result<nlohmann::json> state_of(const std::string& stream, const std::vector<RecordedEvent>& events) {
  auto m = replay<W>(events);
  if (!m) return m.status();
  return shown_record(stream, events, m->state_name(), Record(*m));
}
}  // namespace onex::access
