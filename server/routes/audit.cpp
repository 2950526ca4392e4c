// History and audit (API.md "History, audit and operations"): a record's events for the parties
// who may read it, and the hash chain verified for the auditor, a little more at each call.
#include <algorithm>
#include <mutex>

#include "http/schema.h"
#include "onex/workflows.h"
#include "routes/body.h"
#include "routes/routes.h"

namespace onex::routes {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

bool plain_stream(std::string_view s) {
  return !s.empty() && s.size() <= 200 && s.find('-') != std::string_view::npos &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

// An event as the history route shows it (its data as the record's access rule shows it).
json shown(const HistoryEvent& h) {
  const RecordedEvent& e = h.event;
  json j = {{"position", e.position},
            {"version", e.version},
            {"type", e.type},
            {"schema_version", e.schema_version},
            {"at", format_china(e.recorded_at)},
            {"actor", {{"account_id", e.actor_account_id}, {"role", e.actor_role}}},
            {"correlation_id", e.correlation_id},
            {"causation_id", e.causation_id},
            {"data", e.data},
            {"hash", e.hash}};
  if (!h.redacted.empty()) j["redacted"] = h.redacted;
  return j;
}

// What the auditor's last answer verified: the next one starts after it, once it has checked
// that the record it ended on still has the hash it had.
struct ChainWatch {
  std::mutex lock;
  std::uint64_t position = 0;
  std::string hash;
};

}  // namespace

std::vector<http::Route> audit_routes(EventStore& store) {
  std::vector<http::Route> routes;
  routes.push_back(
      {.method = "GET", .pattern = "/api/v1/streams/{stream_id}/events", .roles = {"*"},
       .content_types = {}, .summary = "A record's events, for the parties who may read it",
       .handler = [&store](Request& r) {
         const std::string stream = r.params.at("stream_id");
         const Actor& actor = session_of(r).actor;
         // Whether it exists and is the caller's to read first: an unknown stream is 404 for
         // everybody alike, whatever else the request says.
         if (!plain_stream(stream) || !may_see(store, actor, stream))
           return http::problem(Status::not_found("stream.not_found", "no such record"));
         ONEX_TRY(from, query_number(r, "from", 1, 1, std::uint64_t{1} << 62));
         ONEX_TRY(limit, query_number(r, "limit", 100, 1, 1000));
         ONEX_TRY(history, read_history(store, actor, stream, *from, *limit));
         json items = json::array();
         for (const auto& h : history->items) items.push_back(shown(h));
         json page = {{"items", std::move(items)},
                      {"total", history->total},
                      {"from", *from},
                      {"limit", *limit}};
         if (*from + history->items.size() <= history->total)
           page["next_from"] = *from + history->items.size();
         return http::json(200, page);
       }});

  routes.push_back(
      {.method = "GET", .pattern = "/api/v1/streams", .roles = {"auditor"}, .content_types = {},
       .summary = "Every stream there is, by kind and the first letters of its id",
       .handler = [&store](Request& r) {
         ONEX_TRY(paged, paging(r));
         const auto [page, size] = *paged;
         ONEX_TRY(found, list_streams(store, r.query_value("kind").value_or(""),
                                      r.query_value("q").value_or(""), (page - 1) * size, size));
         return http::json(200, page_json(*found, *paged, [](const auto& s) {
           return json{{"stream", s.stream}, {"kind", s.kind}, {"version", s.version},
                       {"last_position", s.last_position}, {"last_at", format_china(s.last_at)}};
         }));
       }});

  auto watch = std::make_shared<ChainWatch>();
  routes.push_back(
      {.method = "GET", .pattern = "/api/v1/audit/chain", .roles = {"auditor"},
       .content_types = {}, .summary = "Verify the hash chain (only what is new since the last answer)",
       .handler = [&store, watch](Request&) {
         std::lock_guard guard(watch->lock);
         std::uint64_t from = 1;
         if (watch->position > 0) {
           // The record the last answer ended on must be unchanged, or the chain is broken there.
           auto last = store.read_all(watch->position, 1);
           if (!last) return http::problem(last.status());
           if (last->empty() || last->front().hash != watch->hash) {
             const auto at = watch->position;
             watch->position = 0;  // the next call verifies everything again
             return http::json(200, {{"verified", false},
                                     {"first_bad_position", at},
                                     {"problem", "the record changed since it was verified"}});
           }
           from = watch->position + 1;
         }
         auto report = store.verify_chain(from);
         if (!report) return http::problem(report.status());
         if (!report->ok()) {
           watch->position = 0;
           return http::json(200, {{"verified", false},
                                   {"first_bad_position", report->first_bad_position},
                                   {"problem", report->problem}});
         }
         if (report->events > 0) {
           watch->position = report->head_position;
           watch->hash = report->head_hash;
         }
         std::string head_hash = watch->position ? watch->hash : std::string(64, '0');
         return http::json(200, {{"verified", true},
                                 {"events", watch->position},
                                 {"checked", report->events},
                                 {"head_position", watch->position},
                                 {"head_hash", head_hash}});
       }});

  // ---- the contract (OpenAPI) ----
  namespace s = http::schema;
  const auto event = s::object(
      "HistoryEvent",
      {{"position", s::integer()}, {"version", s::integer()}, {"type", s::text()}, {"schema_version", s::integer()},
       {"at", s::time()},
       {"actor", s::object("EventActor", {{"account_id", s::text()}, {"role", s::text()}})},
       {"correlation_id", s::text()}, {"causation_id", s::text()},
       {"data", s::any_object("as the record's access rule shows it")}, {"hash", s::text()},
       s::optional("redacted", s::array(s::text(), "the members of data left out"))});
  s::document(routes, {
      {"GET /api/v1/streams/{stream_id}/events",
       {.response = s::object("HistoryPage", {{"items", s::array(event)}, {"total", s::integer("the stream's version")},
                                              {"from", s::integer()}, {"limit", s::integer()},
                                              s::optional("next_from", s::integer())}),
        .query = {{"from", {{"type", "integer"}, {"minimum", 1}}, "the first version, 1 by default"},
                  {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}, "100 by default"}},
        .errors = {"stream.not_found"}}},
      {"GET /api/v1/streams",
       {.response = s::page_of(s::object("StreamSummary", {{"stream", s::text()}, {"kind", s::text()},
                                                           {"version", s::integer()}, {"last_position", s::integer()},
                                                           {"last_at", s::time()}}),
                               "StreamPage"),
        .query = s::paged({{"kind", s::text(), "a record kind: declaration, account, …"},
                           {"q", s::text(), "the first letters of the id"}})}},
      {"GET /api/v1/audit/chain",
       {.response = s::object("ChainCheck", {{"verified", s::boolean()}, s::optional("events", s::integer()),
                                             s::optional("checked", s::integer()),
                                             s::optional("head_position", s::integer()),
                                             s::optional("head_hash", s::text()),
                                             s::optional("first_bad_position", s::integer()),
                                             s::optional("problem", s::text())})}},
  });
  return routes;
}

}  // namespace onex::routes
