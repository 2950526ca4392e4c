// Exam organisation (SPEC.md §6, API.md "Exam organisation"): the exam subjects (考试科目) an org
// defines for its certificates. The library API; the REST server maps onto it one call per route.
#pragma once

#include <cstdint>
#include <memory>
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

struct ExamSubjectQuery {
  std::string certificate_id, level;  // empty: any
  std::size_t page = 1, page_size = 10;
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex
