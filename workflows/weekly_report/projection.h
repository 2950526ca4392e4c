// Read models of weekly reports.
//
// "weekly_report_settings": <province> → {"province_code","cadence","outline_file_id","stream",
//                           "version","updated_at"}
// "weekly_reports":         p/<province>/<seq> → the report (WeeklyReportView as JSON)
//                           i/<institution>/<seq> → the same
// <seq> is the report's position in the log, 20 digits, so keys sort by age.
#pragma once

#include <nlohmann/json.hpp>

#include "onex/rebuild.h"
#include "onex/weekly_reports.h"

namespace onex::weekly_report {

inline constexpr std::string_view kSettings = "weekly_report_settings";
inline constexpr std::string_view kReports = "weekly_reports";

Projections projections();

WeeklyReportView report_from_json(const nlohmann::json& j);
nlohmann::json to_json(const WeeklyReportView& v);
WeeklyReportSettingsView settings_from_json(const nlohmann::json& j);
nlohmann::json to_json(const WeeklyReportSettingsView& v);

}  // namespace onex::weekly_report
