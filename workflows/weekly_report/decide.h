// The rules of weekly reports (SPEC.md §5): pure functions from the current state, a command and
// what the service looked up, to the events it yields or the refusal.
#pragma once

#include <optional>
#include <vector>

#include "engine/engine.h"
#include "onex/weekly_reports.h"
#include "weekly_report/state.h"

namespace onex::weekly_report {

using SettingsDecision = engine::Decision<SettingsWorkflow>;
using Decision = engine::Decision<Workflow>;

// The period that starts on `date` ("YYYY-MM-DD") under `cadence`, as {start, end} (end
// included): a Monday to the Sunday after (weekly); the 1st to the 15th, or the 16th to the
// month's last day (half_monthly). nullopt when `date` is no such start.
std::optional<std::pair<std::string, std::string>> period_of(std::string_view cadence,
                                                             std::string_view date);

// Today's date in China time (UTC+8), "YYYY-MM-DD".
std::string china_date(Timestamp now);

// THE rules of who sees them: a report its institution's leader and its province (staff have no
// weekly-report rights); a province's settings the province and its institutions' accounts.
bool sees_report(const Actor& actor, std::string_view institution_id, std::string_view province_code);
bool sees_settings(const Actor& actor, std::string_view province_code);

Result<SettingsDecision> decide_settings(const SettingsMachine& m, const Actor& actor,
                                         const std::string& cadence,
                                         const std::string& outline_file_id,
                                         std::vector<FieldError> file_errors);

// Where the report's institution is, looked up by the service.
struct Where {
  std::string institution_id, province_code, city_code;
};

Result<Decision> decide_submit(const Machine& m, const SettingsState* settings,
                               const std::string& id, const WeeklyReportInput& input,
                               const Where& where, Timestamp now,
                               std::vector<FieldError> file_errors);

}  // namespace onex::weekly_report
