// Events of declaration plans (申报计划): a province publishes one per batch and year.
//
// STORAGE FORMAT. These structs are how plans are kept for as long as the log lives. Add fields
// with defaults, add event types, or raise schema_version with an upcast; never change what a
// stored field means. tests/corpus/declaration.jsonl replays old histories.
#pragma once

#include <string>
#include <variant>

#include "engine/described.h"
#include "onex/event.h"

namespace onex::declaration_plan {

// stream "declaration_plan-<id>"
struct Published {
  static constexpr std::string_view type = "declaration_plan.published";
  std::string plan_id;
  std::string province_code;
  int year = 0;
  std::string batch_name;  // "2020年第一次"
  std::string starts_at;   // UTC, format_utc: the first instant of the window
  std::string ends_at;     // UTC: the last included instant (its whole second is included)
  bool majors_required = false;
  bool city_review_required = false;
};
BOOST_DESCRIBE_STRUCT(Published, (), (plan_id, province_code, year, batch_name, starts_at,
                                      ends_at, majors_required, city_review_required))

using Event = std::variant<Published>;

}  // namespace onex::declaration_plan
