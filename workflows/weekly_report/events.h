// Events of weekly reports (周报): the province's settings and the institutions' reports.
//
// STORAGE FORMAT. Kept for as long as the log lives: add fields with defaults, add event types,
// or raise schema_version with an upcast; never change what a stored field means.
#pragma once

#include <string>
#include <variant>

#include "engine/described.h"

namespace onex::weekly_report {

// ---- settings stream: "weekly_report_settings-<province>" ----

struct SettingsSet {
  static constexpr std::string_view type = "weekly_report_settings.set";
  std::string province_code;
  std::string cadence;  // "weekly" | "half_monthly"
  std::string outline_file_id;
};
BOOST_DESCRIBE_STRUCT(SettingsSet, (), (province_code, cadence, outline_file_id))

using SettingsEvent = std::variant<SettingsSet>;

// ---- report stream: "weekly_report-<id>" ----

struct Sections {
  std::string progress, problems, next_steps;
};
BOOST_DESCRIBE_STRUCT(Sections, (), (progress, problems, next_steps))

struct Submitted {
  static constexpr std::string_view type = "weekly_report.submitted";
  std::string report_id;
  std::string institution_id;
  std::string province_code;  // the institution's, whose province reads it
  std::string city_code;
  std::string cadence;        // the province's cadence when it was submitted
  std::string period_start;   // "YYYY-MM-DD"
  std::string period_end;     // "YYYY-MM-DD", included
  Sections sections;
  std::string file_id;
};
BOOST_DESCRIBE_STRUCT(Submitted, (), (report_id, institution_id, province_code, city_code, cadence,
                                      period_start, period_end, sections, file_id))

using Event = std::variant<Submitted>;

}  // namespace onex::weekly_report
