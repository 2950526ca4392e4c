// The rules of exam subjects (SPEC.md §6): who defines one, what it must hold, who sees it.
// Pure functions; no I/O, no clock but the context's `now`.
#pragma once

#include <optional>

#include "common/lookups.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "exam_subject/state.h"
#include "onex/exams.h"

namespace onex::exam_subject {

struct Workflow : engine::Codec<exam_subject::Event> {
  static constexpr std::string_view kind = "exam_subject";
  using Event = exam_subject::Event;
  using Machine = exam_subject::Machine;
  using View = ExamSubjectView;
  // The read model (engine/records.h): c/<certificate>/<seq> and o/<org>/<seq> list subjects.
  static constexpr std::string_view read_model = "exam_subject_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  static ExamSubjectView view(const Machine& m, std::uint64_t version);  // projection.cpp
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// THE rule of who sees a subject, for get, list and history: its org; an institution's accounts
// when the institution pilots the certificate (`pilots`: it holds a quota for it, of any year;
// lookup::pilots), a scoped staff only within its certificates × levels.
bool sees(const Actor& actor, const State& subject, bool pilots);

// What creating a subject reads besides the command: its certificate.
struct Facts {
  std::optional<lookup::CertificateRef> certificate;
};

// The org creates a subject of one of its certificates under the context's id.
Result<Decision> decide_create(const Machine& subject, const ExamSubjectInput& input, const Context& ctx,
                               const Facts& facts);

}  // namespace onex::exam_subject
