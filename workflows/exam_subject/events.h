// Events of exam subjects (考试科目, SPEC.md §6): an org defines the subjects of its
// certificates, one per certificate, level and code.
//
// STORAGE FORMAT. These structs are how subjects are kept for as long as the log lives. Add
// fields with defaults, add event types, or raise schema_version with an upcast; never change
// what a stored field means.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"
#include "onex/event.h"

namespace onex::exam_subject {

// stream "exam_subject-<id>"
struct Created {
  static constexpr std::string_view type = "exam_subject.created";
  std::string subject_id, org_id, certificate_id, level, code, name;
  std::string exam_type;  // "computer", "practical", "written"
  int duration_minutes = 0;
  int full_score = 0, pass_score = 0;  // hundredths: 100.00 is 10000
  std::vector<std::string> audience;   // ["all"] or candidate category names
};
BOOST_DESCRIBE_STRUCT(Created, (), (subject_id, org_id, certificate_id, level, code, name, exam_type,
                                    duration_minutes, full_score, pass_score, audience))

using Event = std::variant<Created>;

}  // namespace onex::exam_subject
