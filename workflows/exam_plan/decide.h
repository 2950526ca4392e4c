// The rules of exam plans (SPEC.md §6): who plans, what a plan must hold (windows in order,
// every subject sat inside the exam period), when it may be published, its phase by the clock,
// and who sees it. Pure functions; no I/O, no clock but the context's `now`.
#pragma once

#include <map>
#include <optional>

#include "common/lookups.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "exam_plan/state.h"
#include "onex/exams.h"

namespace onex {

BOOST_DESCRIBE_STRUCT(ExamSitting, (), (subject_id, starts_at, ends_at))
BOOST_DESCRIBE_STRUCT(PassRule, (), (kind, total_pass))
BOOST_DESCRIBE_STRUCT(ExamFee, (), (collected_on_platform, per, amount_cents))
BOOST_DESCRIBE_STRUCT(ExamPlanInput, (), (name, certificate_id, level, subject_ids, registration_opens_at,
                                          registration_closes_at, sittings, score_entry_opens_at, score_entry_closes_at,
                                          publicity_starts_at, publicity_ends_at, pass_rule, fee))
BOOST_DESCRIBE_STRUCT(ExamPlanView, (ExamPlanInput), (id, stream, version, org_id, year, status, phase))

}  // namespace onex

namespace onex::exam_plan {

struct Workflow : engine::Codec<exam_plan::Event> {
  static constexpr std::string_view kind = "exam_plan";
  using Event = exam_plan::Event;
  using Machine = exam_plan::Machine;
  using View = ExamPlanView;
  // The read model (engine/records.h): c/<certificate>/<seq> and o/<org>/<seq> list plans.
  static constexpr std::string_view read_model = "exam_plan_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  // The view without its phase, which the clock gives (phase_at); projection.cpp.
  static ExamPlanView view(const Machine& m, std::uint64_t version);
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// The plan's phase at `now` (its view's `phase`): draft until published; then registering until
// registration closes, awaiting_exam until its first sitting, examining until its last ends,
// score_entry until score entry closes, publicity until publicity ends, then finished.
enum class Period { none, draft, registering, awaiting_exam, examining, score_entry, publicity, finished };
BOOST_DESCRIBE_ENUM(Period, none, draft, registering, awaiting_exam, examining, score_entry, publicity,
                    finished)
std::string_view phase_at(const Machine& plan, Timestamp now);

// What a plan's text members take (decide refuses anything else; the schema lists them).
inline constexpr std::string_view kPassRules[] = {"every_subject", "total"};  // pass_rule.kind
inline constexpr std::string_view kFeePer[] = {"certificate", "subject"};     // fee.per

// The year a plan belongs to: its registration opening's, China time.
int year_of(const State& plan);

// THE rule of who sees a plan, for get, list and history: its org (drafts too); an
// institution's accounts a published plan when the institution holds a quota for the
// certificate in the plan's year (`pilots`), a scoped staff only within its certificate levels.
bool sees(const Actor& actor, const Machine& plan, bool pilots);

// What creating a plan reads besides the command: its certificate and its subjects.
struct Facts {
  std::optional<lookup::CertificateRef> certificate;
  std::map<std::string, lookup::SubjectRef> subjects;  // by id, those that exist
};

// Whether `actor`'s institution holds a quota for the plan's certificate in its year (access.cpp).
bool pilots_for(const EventStore& store, const Actor& actor, const Machine& plan);

Result<Decision> decide_create(const Machine& plan, const ExamPlanInput& input, const Context& ctx,
                               const Facts& facts);
struct Publish {
  std::string id;
};
Result<Decision> decide_publish(const Machine& plan, const Publish& input, const Context& ctx);

}  // namespace onex::exam_plan
