// Who may see a record: one rule per record kind, written once in the record's workflow
// (`<folder>/access.cpp`), listed in workflows/registry.cpp, and used by that record's get, list
// and counts, by its stream's history (GET /api/v1/streams/{id}/events), by the files it refers
// to and by the lookups alike. A record outside the caller's view is 404, everywhere the same.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/event.h"
#include "onex/event_store.h"

namespace onex::access {

// What one kind of record shows to whom.
struct Rule {
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
};

// Every workflow's rule, one per stream kind (defined in workflows/registry.cpp).
const std::vector<Rule>& rules();

// "declaration-4a…" → {"declaration", "4a…"}; no '-' → {stream, ""}.
std::pair<std::string_view, std::string_view> split_stream(std::string_view stream);

// Whether `actor` sees the record of `stream`: the auditor every existing record, anyone else
// by the rule of the stream's kind; a kind without a rule, nobody but the auditor.
bool visible(const EventStore& store, const Actor& actor, std::string_view stream);

// Event `e` of `stream` as `actor` sees it (who already may see the record): its data without
// credentials (`password_hash`), without personal data unless the rule shows it, and without
// the parts the rule keeps narrower. What was left out is named in `redacted`.
nlohmann::json shown_data(const EventStore& store, const Actor& actor, std::string_view stream,
                          const RecordedEvent& e, std::vector<std::string>& redacted);

// Institution side: a leader or staff account of an institution.
bool institution_side(const Actor& actor);
// A staff account with a certificate scope works only on those certificates; a staff without
// a scope, a leader and other roles are not limited by certificate.
bool in_certificate_scope(const Actor& actor, std::string_view certificate_id);

}  // namespace onex::access

namespace onex::access {
// The data of a stream's first event (who owns the record); null when there is none.
nlohmann::json first_data(const EventStore& store, std::string_view stream);
// A text member of a JSON object, "" when absent or not a string.
std::string text_of(const nlohmann::json& j, const char* name);
}  // namespace onex::access
