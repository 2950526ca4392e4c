#include "weekly_report/decide.h"

#include "util/identifiers.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace onex::weekly_report {
namespace {

using namespace std::chrono;

std::optional<year_month_day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  auto number = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const year_month_day d{year{number(0, 4)}, month{unsigned(number(5, 2))},
                         day{unsigned(number(8, 2))}};
  if (!d.ok() || d.year() < year{2000} || d.year() > year{2100}) return std::nullopt;
  return d;
}

std::string format_date(const year_month_day& d) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()),
                unsigned(d.day()));
  return buffer;
}

using util::blank;

}  // namespace

std::optional<std::pair<std::string, std::string>> period_of(std::string_view cadence,
                                                             std::string_view date) {
  auto start = parse_date(date);
  if (!start) return std::nullopt;
  if (cadence == "weekly") {
    if (weekday{sys_days{*start}} != Monday) return std::nullopt;
    return std::pair{format_date(*start), format_date(year_month_day{sys_days{*start} + days{6}})};
  }
  if (cadence == "half_monthly") {
    if (start->day() == day{1})
      return std::pair{format_date(*start),
                       format_date(year_month_day{start->year(), start->month(), day{15}})};
    if (start->day() == day{16}) {
      const year_month_day_last last{start->year(), month_day_last{start->month()}};
      return std::pair{format_date(*start), format_date(year_month_day{last})};
    }
  }
  return std::nullopt;
}

std::string china_date(Timestamp now) {
  return format_date(year_month_day{floor<days>(now + hours{8})});
}

Result<SettingsDecision> decide_settings(const SettingsMachine& m, const Settings& in,
                                         const Context& ctx, const Facts& facts) {
  const Actor& actor = ctx.actor;
  const auto& [province_code, cadence, outline_file_id] = in;
  std::vector<FieldError> errors = facts.file_errors;
  if (auto s = engine::authorize(actor, {"province"}); !s) return s;
  if (actor.province_code.empty())
    return Status::forbidden("auth.forbidden", "the account has no province");
  if (cadence != "weekly" && cadence != "half_monthly")
    errors.insert(errors.begin(), {"cadence", "invalid", "weekly or half_monthly"});
  if (!errors.empty()) {
    const char* code = errors.size() == 1 && errors[0].code == "file.not_usable"
                           ? "file.not_usable"
                           : "validation.failed";
    return Status::unprocessable(code, "the weekly report settings have invalid fields",
                                 std::move(errors));
  }
  SettingsDecision d;
  const auto& s = m.data();
  if (m.phase() == SettingsPhase::configured && s.cadence == cadence &&
      s.outline_file_id == outline_file_id)
    return d;  // the same settings again change nothing
  d.events.push_back(SettingsSet{actor.province_code, cadence, outline_file_id});
  return d;
}

Result<Decision> decide_submit(const Machine&, const WeeklyReportInput& in, const Context& ctx,
                               const Facts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"leader"}); !s) return s;
  if (ctx.actor.institution_id.empty())
    return Status::forbidden("auth.forbidden", "the account belongs to no institution");
  const auto& settings = facts.settings;
  const auto& where = facts.where;
  const auto& file_errors = facts.file_errors;
  const Timestamp now = ctx.now;
  if (!settings)
    return Status::conflict("weekly_report.not_configured",
                            "the province has not set the weekly report cadence yet");
  std::vector<FieldError> errors;
  auto period = period_of(settings->cadence, in.period_start);
  if (!period)
    errors.push_back({"period_start", "not_a_period_start",
                      settings->cadence == "weekly"
                          ? "a date YYYY-MM-DD that is a Monday"
                          : "a date YYYY-MM-DD that is the 1st or the 16th of a month"});
  else if (period->first > china_date(now))
    errors.push_back({"period_start", "not_started", "the period has not begun yet"});
  auto section = [&](const char* name, const std::string& text) {
    if (blank(text))
      errors.push_back({std::string("sections.") + name, "required", "write this section"});
    else if (text.size() > WeeklyReportService::kMaxSection)
      errors.push_back({std::string("sections.") + name, "too_long", "at most 20000 bytes"});
  };
  section("progress", in.sections.progress);
  section("problems", in.sections.problems);
  section("next_steps", in.sections.next_steps);
  errors.insert(errors.end(), file_errors.begin(), file_errors.end());
  if (!errors.empty()) {
    const bool only_files = std::all_of(errors.begin(), errors.end(), [](const FieldError& e) {
      return e.code == "file.not_usable";
    });
    return Status::unprocessable(only_files ? "file.not_usable" : "validation.failed",
                                 "the weekly report has invalid fields", std::move(errors));
  }
  Decision d;
  d.claims.push_back({"weekly_report/" + where.institution_id + "/" + period->first,
                      "weekly_report.duplicate", "this period's report is submitted already"});
  d.events.push_back(Submitted{std::string(ctx.id), where.institution_id, where.province_code, where.city_code,
                               settings->cadence, period->first, period->second,
                               Sections{in.sections.progress, in.sections.problems,
                                        in.sections.next_steps},
                               in.file_id});
  return d;
}

bool sees_report(const Actor& a, std::string_view institution_id, std::string_view province_code) {
  if (a.role == "leader") return !a.institution_id.empty() && a.institution_id == institution_id;
  if (a.role == "province") return !a.province_code.empty() && a.province_code == province_code;
  return a.role == "auditor";
}

bool sees_settings(const Actor& a, std::string_view province_code) {
  if (a.role == "auditor") return true;
  return !province_code.empty() && a.province_code == province_code &&
         (a.role == "province" || ((a.role == "leader" || a.role == "staff") && !a.institution_id.empty()));
}

}  // namespace onex::weekly_report
