// Certificate pilot declarations (证书试点申报, SPEC.md §5): provinces publish declaration plans,
// institutions declare certificates in them, cities and provinces review, approval grants a
// quota. This is the library API an embedding platform calls; the REST server maps onto it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onex/clock.h"
#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/status.h"

namespace onex {

struct PlanInput {
  int year = 0;
  std::string batch_name;  // "2020年第一次"
  Timestamp starts_at{};   // first instant of the window
  Timestamp ends_at{};     // last included instant ("…T23:59:59+08:00": that whole second counts)
  bool majors_required = false;
  bool city_review_required = false;
};

struct PlanView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string province_code;
  int year = 0;
  std::string batch_name;
  Timestamp starts_at{}, ends_at{};
  bool majors_required = false, city_review_required = false;
  std::string status;  // "not_started", "open", "ended", by the clock
};

// What an institution fills in (the record's own fields, one list for the form, the view and
// the event, whose description in workflows/declaration/events.h codes them). A draft may leave
// any of them empty; completeness is checked on submission.
struct DeclarationFields {
  std::vector<std::string> majors;  // required when the plan says so
  int planned_trainees = 0;         // > 0 on submission; 0 means not given yet
  std::string teachers_html;
  std::string venue_html;
  std::vector<std::string> file_ids;
  bool operator==(const DeclarationFields&) const = default;
};

// A create names the plan and certificate; an edit may repeat them, never change them.
struct DeclarationInput : DeclarationFields {
  std::string plan_id;
  std::string certificate_id;
  // For an edit, which replaces every field: the fields the caller left out (an edit refuses
  // them as required, never taking an omitted field for an empty one). Empty for a create.
  std::vector<std::string> omitted = {};
};

// A request body as a create's (`create`) or an edit's input, read strictly: 422
// validation.failed with an `unknown_field` error for each member it does not know (a create
// also knows `submit`, which the caller reads), 400 request.wrong_type for a member of the
// wrong type; an edit's omitted fields are listed in `omitted`.
Result<DeclarationInput> declaration_input_of(const nlohmann::json& body, bool create);

// One event of a declaration's stream, as its page shows the history.
struct HistoryEntry {
  std::uint64_t version = 0;
  std::string type;        // "declaration.submitted"
  Timestamp at{};
  std::string actor_role;  // "leader", "city", ...
};

struct DeclarationView : DeclarationFields {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string status;  // "draft", "city_review", "province_review", "approved", "rejected", "deleted"
  std::string plan_id, institution_id, province_code, city_code, certificate_id;
  int year = 0;
  int approved_trainees = 0;      // when approved
  std::string rejection_reason;   // when rejected
  std::string rejected_by;        // "city" or "province"
  std::vector<HistoryEntry> history;  // filled by get() only
};

// Counts by status, as lists show them; deleted declarations are not counted.
struct DeclarationCounts {
  int all = 0, draft = 0, pending = 0, approved = 0, rejected = 0;
  bool operator==(const DeclarationCounts&) const = default;
};

struct DeclarationList {
  std::vector<DeclarationView> items;  // by creation order within the institution
  DeclarationCounts counts;
};

// What a list of declarations is filtered by; empty / zero: any.
struct DeclarationQuery {
  std::string status;  // "", "all", "draft", "pending", "approved", "rejected"
  std::string plan_id, institution_id, certificate_id;
  int year = 0;
  std::size_t page = 1, page_size = 10;
};

// One page of a filtered list, the number of matches, and counts by status of everything that
// matches the other filters (status aside), so a screen's tabs show them.
struct DeclarationPage {
  std::vector<DeclarationView> items;
  std::size_t total = 0;
  DeclarationCounts counts;
};

struct QuotaView {
  std::string institution_id, certificate_id;
  int year = 0;
  int approved_trainees = 0;
  int used = 0;
  std::string stream;          // "quota-<institution>-<certificate>-<year>"
  std::uint64_t version = 0;   // 0: never granted
};

struct QuotaQuery {
  int year = 0;                // 0: any
  std::string institution_id;  // empty: any the caller may see
  std::size_t page = 1, page_size = 10;
};

struct QuotaPage {
  std::vector<QuotaView> items;  // by institution, certificate, year
  std::size_t total = 0;
};

// Sends a text message to an account (its bound phone). Must be thread-safe; must not fail the
// caller (a notice that cannot be sent is the notifier's to log).
using Notifier = std::function<void(const std::string& account_id, const std::string& text)>;

// Plans (their own workflow): DeclarationService's plan calls are these. Thread-safe.
class PlanService {
 public:
  PlanService(EventStore& store, const Clock& clock);
  ~PlanService();
  // Province: publishes a plan for its own province.
  Result<PlanView> publish(const Caller& caller, const PlanInput& input);
  // Its province, the province's cities and institutions; others declaration_plan.not_found.
  Result<PlanView> get(const Actor& actor, const std::string& plan_id);
  // The plans of the caller's province (an institution's: where the registry has it), oldest
  // first. Province and institution accounts.
  Result<std::vector<PlanView>> list(const Actor& actor);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Quotas (their own workflow; granted by approvals): DeclarationService's quota calls are
// these. Thread-safe.
class QuotaService {
 public:
  QuotaService(EventStore& store, const Clock& clock);
  ~QuotaService();
  // The quota of an institution, certificate and year; 0 trainees before any grant.
  // quota.not_found (404) when `actor` may not see it.
  Result<QuotaView> get(const Actor& actor, const std::string& institution_id,
                        const std::string& certificate_id, int year);
  // The quotas `actor` sees, by institution, certificate and year.
  Result<QuotaPage> list(const Actor& actor, const QuotaQuery& query);
  // Province: sets a granted quota's total with a reason, never below what is used.
  Result<QuotaView> adjust(const Caller& caller, const std::string& institution_id,
                           const std::string& certificate_id, int year, int approved_trainees,
                           const std::string& reason);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Commands and queries on plans, declarations and quotas. Thread-safe. The store must have been
// opened with the projections of all_projections() (onex/workflows.h).
//
// Failures are Status values: auth.forbidden (403, wrong role); <kind>.not_found (404, unknown or
// outside the caller's scope); declaration.window_closed, declaration.duplicate,
// declaration.already_decided, institution.profile_incomplete, concurrency.version_conflict,
// declaration.illegal_transition (409); validation.failed, declaration.incomplete,
// declaration.approved_exceeds_planned, file.not_usable, quota.below_used (422, with the fields
// at fault); store errors. A refused command writes nothing.
//
// An institution's province and city come from the institutions read model (lookup::institution);
// teachers_html and venue_html are sanitised (lib/html) before they are decided, so events hold
// the sanitised text; file_ids must be declaration_attachment files of the institution.
class DeclarationService {
 public:
  // `notify` gets the SMS notices of decisions (to the institution's leader and to the account
  // that submitted), after the decision has committed. Null: no notices.
  DeclarationService(EventStore& store, const Clock& clock, Notifier notify = {});
  ~DeclarationService();

  // Plans are their own workflow (PlanService): these calls are its publish, get and list.
  Result<PlanView> publish_plan(const Caller& request, const PlanInput& input) {
    return plans_.publish(request, input);
  }
  Result<PlanView> plan(const Actor& actor, const std::string& id) { return plans_.get(actor, id); }
  Result<std::vector<PlanView>> plans(const Actor& actor) { return plans_.list(actor); }

  // Leader or staff: drafts a declaration in an open plan of its province, and submits it too
  // when `submit` (all or nothing).
  Result<DeclarationView> create(const Caller& request, const DeclarationInput& input,
                                 bool submit = false);
  // Leader or staff: replaces the fields of a draft, or of a rejected declaration (which becomes
  // a draft again). The plan and certificate cannot change.
  Result<DeclarationView> edit(const Caller& request, const std::string& id,
                               const DeclarationInput& input);
  // Leader or staff: deletes a draft, freeing its institution × plan × certificate slot.
  Status remove(const Caller& request, const std::string& id);
  // Leader or staff: submits a complete draft while the plan's window is open.
  Result<DeclarationView> submit(const Caller& request, const std::string& id);
  // City of the institution: first review, when the plan asks for it.
  Result<DeclarationView> city_review(const Caller& request, const std::string& id, bool approve,
                                      const std::string& reason = {});
  // Province of the institution: approves (approved_trainees defaults to the planned number, and
  // may not exceed it) or rejects with a reason. Approval grants the quota.
  Result<DeclarationView> province_review(const Caller& request, const std::string& id,
                                          bool approve, std::optional<int> approved_trainees = {},
                                          const std::string& reason = {});

  // The institution's accounts see its declarations (a staff with a certificate scope only
  // those of its certificates); its city and province see submitted ones. With its history.
  Result<DeclarationView> get(const Actor& actor, const std::string& id);
  // The declarations the caller sees (as get), newest first, filtered and paged, with counts by
  // status. Leader, staff, city and province; others auth.forbidden; an unknown status filter
  // validation.failed naming `status`.
  Result<DeclarationPage> list(const Actor& actor, const DeclarationQuery& query);
  // An institution's declarations (not deleted ones) with counts by status.
  Result<DeclarationList> list_by_institution(const Actor& actor, const std::string& institution_id);
  // Quotas are their own workflow (QuotaService, granted by approvals): its get, list, adjust.
  Result<QuotaView> quota(const Actor& actor, const std::string& institution_id,
                          const std::string& certificate_id, int year) {
    return quotas_.get(actor, institution_id, certificate_id, year);
  }
  Result<QuotaPage> quotas(const Actor& actor, const QuotaQuery& query) {
    return quotas_.list(actor, query);
  }
  Result<QuotaView> adjust_quota(const Caller& request, const std::string& institution_id,
                                 const std::string& certificate_id, int year,
                                 int approved_trainees, const std::string& reason) {
    return quotas_.adjust(request, institution_id, certificate_id, year, approved_trainees, reason);
  }

 private:
  PlanService plans_;
  QuotaService quotas_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A plan and a declaration as the REST API shows them (the views' members under their names;
// a declaration without its history).
nlohmann::json json_of(const PlanView& plan);
nlohmann::json json_of(const DeclarationView& declaration);
nlohmann::json json_of(const DeclarationCounts& counts);  // {all, draft, pending, approved, rejected}

}  // namespace onex
