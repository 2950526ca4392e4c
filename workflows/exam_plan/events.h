// Events of exam plans (考试计划, SPEC.md §6): an org plans the exams of one certificate level,
// then publishes the plan; its phases follow from the clock.
//
// STORAGE FORMAT. These structs are how plans are kept for as long as the log lives. Add fields
// with defaults, add event types, or raise schema_version with an upcast; never change what a
// stored field means. Times are UTC text (format_utc).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"
#include "onex/event.h"

namespace onex::exam_plan {

struct Sitting {
  std::string subject_id, starts_at, ends_at;
  bool operator==(const Sitting&) const = default;
};
BOOST_DESCRIBE_STRUCT(Sitting, (), (subject_id, starts_at, ends_at))

// stream "exam_plan-<id>"
struct Created {
  static constexpr std::string_view type = "exam_plan.created";
  std::string plan_id, org_id, certificate_id, level, name;
  std::vector<std::string> subject_ids;
  std::string registration_opens_at, registration_closes_at;
  std::vector<Sitting> sittings;
  std::string score_entry_opens_at, score_entry_closes_at, publicity_starts_at, publicity_ends_at;
  std::string pass_rule;  // "every_subject" or "total"
  int total_pass = 0;     // hundredths, for "total"
  bool fee_on_platform = false;
  std::string fee_per;    // "certificate" or "subject"
  int fee_amount_cents = 0;
};
BOOST_DESCRIBE_STRUCT(Created, (), (plan_id, org_id, certificate_id, level, name, subject_ids,
                                    registration_opens_at, registration_closes_at, sittings,
                                    score_entry_opens_at, score_entry_closes_at, publicity_starts_at,
                                    publicity_ends_at, pass_rule, total_pass, fee_on_platform, fee_per,
                                    fee_amount_cents))

struct Published {
  static constexpr std::string_view type = "exam_plan.published";
};
BOOST_DESCRIBE_STRUCT(Published, (), ())

using Event = std::variant<Created, Published>;

}  // namespace onex::exam_plan
