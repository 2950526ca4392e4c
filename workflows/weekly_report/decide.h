// The rules of weekly reports (SPEC.md §5): pure functions from the current state, a command and
// what the service looked up, to the events it yields or the refusal.
#pragma once

#include <optional>
#include <vector>

#include "engine/command.h"
#include "onex/weekly_reports.h"
#include "weekly_report/state.h"

namespace onex::weekly_report {

using SettingsDecision = engine::Decision<SettingsWorkflow>;
using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

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

// The province's cadence and outline (its stream is "weekly_report_settings-<province>").
struct Settings {
  std::string province_code, cadence, outline_file_id;
};
// What decide cannot read from the record: the field errors of files that do not resolve, and
// for a submission the province's settings and where the institution is.
struct Where {
  std::string institution_id, province_code, city_code;
};
struct Facts {
  std::vector<FieldError> file_errors;
  std::optional<SettingsState> settings{};  // none: the province has not configured reports
  Where where{};
};

Result<SettingsDecision> decide_settings(const SettingsMachine& m, const Settings& in,
                                         const Context& ctx, const Facts& facts);
// A report submitted under the context's id.
Result<Decision> decide_submit(const Machine& m, const WeeklyReportInput& in, const Context& ctx,
                               const Facts& facts);

}  // namespace onex::weekly_report
