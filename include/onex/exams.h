// Exam organisation (SPEC.md §6, API.md "Exam organisation"): the exam subjects (考试科目) an org
// defines for its certificates. The library API; the REST server maps onto it one call per route.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/caller.h"
#include "onex/clock.h"
#include "onex/event_store.h"
#include "onex/page.h"
#include "onex/status.h"

namespace onex {

// A subject of one certificate at one level. Scores are whole hundredths (100.00 is 10000).
struct ExamSubjectInput {
  std::string certificate_id, level, code, name;
  std::string exam_type;  // "computer" (机考), "practical" (实操), "written" (笔试)
  int duration_minutes = 0;
  int full_score = 0, pass_score = 0;
  std::vector<std::string> audience;  // ["all"], or the candidate categories it is for
};

struct ExamSubjectView : ExamSubjectInput {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string org_id;
  std::string status;  // "active"
};

// A request body as a subject's input, read strictly (422 validation.failed with an
// `unknown_field` error for each member it does not know, 400 request.wrong_type).
Result<ExamSubjectInput> exam_subject_input_of(const nlohmann::json& body);
nlohmann::json json_of(const ExamSubjectView& subject);

// An exam plan (考试计划) of one certificate level: its subjects, windows and sittings, how a
// candidate passes, and the fee. Times are instants; windows include their last instant.
struct ExamSitting {
  std::string subject_id;
  Timestamp starts_at{}, ends_at{};
};
// How a candidate passes: every subject at its pass score, or a total of the subjects' scores.
struct PassRule {
  std::string kind = "every_subject";  // or "total"
  std::optional<int> total_pass;       // hundredths, for "total" (and only then)
};
// The exam fee: collected on the platform or not, per certificate or per subject.
struct ExamFee {
  bool collected_on_platform = false;
  std::string per = "certificate";  // or "subject"
  int amount_cents = 0;
};
struct ExamPlanInput {
  std::string name, certificate_id, level;
  std::vector<std::string> subject_ids;
  Timestamp registration_opens_at{}, registration_closes_at{};
  std::vector<ExamSitting> sittings;  // each subject at least once, inside the exam period
  Timestamp score_entry_opens_at{}, score_entry_closes_at{};
  Timestamp publicity_starts_at{}, publicity_ends_at{};
  PassRule pass_rule;
  ExamFee fee;
};
struct ExamPlanView : ExamPlanInput {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string org_id;
  int year = 0;        // of its registration opening, China time
  std::string status;  // "draft", "published"
  // By the clock: "draft", "registering", "awaiting_exam", "examining", "score_entry",
  // "publicity", "finished".
  std::string phase;
};
// A request body (API.md: pass_rule {kind, total_pass?}, fee {collected_on_platform, per,
// amount_cents}, RFC 3339 times) as a plan's input, read whole: every member but total_pass is
// required, unknown ones are refused at any depth ("fee.x"), a time that is none is
// invalid_time (422 validation.failed lists them all; a wrong type is 400 first).
Result<ExamPlanInput> exam_plan_input_of(const nlohmann::json& body);
nlohmann::json json_of(const ExamPlanView& plan);

struct ExamPlanQuery {
  std::string certificate_id;  // empty: any
  std::size_t page = 1, page_size = 10;
};

struct ExamSubjectQuery {
  std::string certificate_id, level;  // empty: any
  std::size_t page = 1, page_size = 10;
};

// Exam plans (workflows/exam_plan). The org drafts a plan of one of its certificate levels
// (validation.failed naming the field: subjects not of that level, windows out of order, a
// subject without a sitting, a sitting outside the exam period, …) and publishes it while
// registration has not closed (exam_plan.registration_closed otherwise). Who sees a plan: its
// org, drafts included; an institution's accounts its published plans when the institution holds
// a quota for the certificate in the plan's year (a scoped staff within its levels); the
// auditor. Anyone else gets exam_plan.not_found. Thread-safe.
class ExamPlanService {
 public:
  ExamPlanService(EventStore& store, const Clock& clock);
  ~ExamPlanService();
  Result<ExamPlanView> create(const Caller& caller, const ExamPlanInput& input);
  Result<ExamPlanView> publish(const Caller& caller, const std::string& id);
  Result<ExamPlanView> get(const Actor& actor, const std::string& id);
  // Oldest first; auth.forbidden for roles that see no plans at all.
  Result<Page<ExamPlanView>> list(const Actor& actor, const ExamPlanQuery& query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Thread-safe. The store must have been opened with all_projections().
//
// An org account creates the subjects of its own certificates (validation.failed naming the
// field: an unknown certificate or another org's, a level the certificate lacks, a code, name,
// type, duration, scores or audience out of their rules; exam_subject.duplicate when the
// certificate's level has a subject with that code). Who sees a subject: its org; an
// institution's accounts when the institution pilots the certificate (holds a quota for it, of
// any year), a scoped staff only within its certificates and levels; the auditor.
// Anyone else gets exam_subject.not_found.
class ExamService {
 public:
  ExamService(EventStore& store, const Clock& clock);
  ~ExamService();

  Result<ExamSubjectView> create_subject(const Caller& caller, const ExamSubjectInput& input);
  Result<ExamSubjectView> subject(const Actor& actor, const std::string& id);
  // Oldest first; auth.forbidden for roles that see no subjects at all.
  Result<Page<ExamSubjectView>> subjects(const Actor& actor, const ExamSubjectQuery& query);

  // Exam plans (ExamPlanService).
  Result<ExamPlanView> create_plan(const Caller& caller, const ExamPlanInput& input) {
    return plans_.create(caller, input);
  }
  Result<ExamPlanView> publish_plan(const Caller& caller, const std::string& id) { return plans_.publish(caller, id); }
  Result<ExamPlanView> plan(const Actor& actor, const std::string& id) { return plans_.get(actor, id); }
  Result<Page<ExamPlanView>> plans(const Actor& actor, const ExamPlanQuery& query) { return plans_.list(actor, query); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ExamPlanService plans_;
};

}  // namespace onex
