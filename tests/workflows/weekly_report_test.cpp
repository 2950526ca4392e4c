// Weekly reports (SPEC.md §5.4): the rules of weekly_report/decide.h, pure (given events, when a
// command, then events or a refusal code; no store), and both machines row by row.
#include <doctest/doctest.h>

#include "weekly_report/decide.h"

namespace onex::weekly_report {
namespace {

const Actor kProvince{"acc-p", "province", "41", "", "", ""};
const Timestamp kWednesday = *parse_time("2024-03-06T10:00:00+08:00");
const Where kWhere{"inst-a", "41", "4101"};

WeeklyReportInput report(std::string period_start) {
  return {std::move(period_start), {"进展", "问题", "计划"}, "file-1"};
}

SettingsState weekly() { return {"41", "weekly", "outline-1"}; }

template <class D>
std::string shown(const Result<D>& d) {
  if (!d) return "refused " + d.status().code();
  return std::to_string(d->events.size()) + " event(s)";
}

// The decides as the runner calls them: the caller in the context, the looked-up in the facts.
Result<SettingsDecision> set_settings(const SettingsMachine& m, const Actor& a, std::string cadence,
                                      std::string outline, std::vector<FieldError> file_errors) {
  return decide_settings(m, {a.province_code, std::move(cadence), std::move(outline)},
                         {a, Timestamp{}}, Facts{std::move(file_errors)});
}
Result<Decision> submit(const Machine& m, const SettingsState* settings, const std::string& id,
                        const WeeklyReportInput& in, const Where& where, Timestamp now,
                        std::vector<FieldError> file_errors) {
  const Actor leader{"acc-l", "leader", where.province_code, where.city_code, where.institution_id, ""};
  Facts facts{std::move(file_errors), settings ? std::optional(*settings) : std::nullopt, where};
  return decide_submit(m, in, {leader, now, id}, facts);
}

}  // namespace

TEST_CASE("decide_settings: the province sets a cadence and outline, the same again is nothing") {
  SettingsMachine none;
  CHECK(shown(set_settings(none, kProvince, "weekly", "outline-1", {})) == "1 event(s)");
  CHECK(shown(set_settings(none, kProvince, "daily", "outline-1", {})) == "refused validation.failed");
  CHECK(shown(set_settings(none, kProvince, "weekly", "x",
                              {{"outline_file_id", "file.not_usable", "no"}})) ==
        "refused file.not_usable");
  CHECK(shown(set_settings(none, Actor{"acc-l", "leader", "41", "4101", "inst-a", ""}, "weekly",
                              "outline-1", {})) == "refused auth.forbidden");
  SettingsMachine set;
  REQUIRE(set.apply(SettingsSet{"41", "weekly", "outline-1"}));
  CHECK(set.state_name() == "configured");
  CHECK(shown(set_settings(set, kProvince, "weekly", "outline-1", {})) == "0 event(s)");
  CHECK(shown(set_settings(set, kProvince, "half_monthly", "outline-1", {})) == "1 event(s)");
  REQUIRE(set.apply(SettingsSet{"41", "half_monthly", "outline-1"}));  // configured → configured
}

TEST_CASE("decide_submit: one report per period start that has begun, every section written") {
  Machine m;
  const auto settings = weekly();
  auto d = submit(m, &settings, "r1", report("2024-03-04"), kWhere, kWednesday, {});
  REQUIRE(d.is_ok());
  REQUIRE(d->events.size() == 1);
  const auto& s = std::get<Submitted>(d->events[0]);
  CHECK(s.period_end == "2024-03-10");
  CHECK(s.institution_id == "inst-a");
  REQUIRE(d->claims.size() == 1);
  CHECK(d->claims[0].key == "weekly_report/inst-a/2024-03-04");
  // Refusals: no cadence yet, not a Monday, a period still ahead, a blank section, a file.
  CHECK(shown(submit(m, nullptr, "r1", report("2024-03-04"), kWhere, kWednesday, {})) ==
        "refused weekly_report.not_configured");
  CHECK(shown(submit(m, &settings, "r1", report("2024-03-05"), kWhere, kWednesday, {})) ==
        "refused validation.failed");
  CHECK(shown(submit(m, &settings, "r1", report("2024-03-11"), kWhere, kWednesday, {})) ==
        "refused validation.failed");
  auto blank = report("2024-03-04");
  blank.sections.problems = "  ";
  CHECK(shown(submit(m, &settings, "r1", blank, kWhere, kWednesday, {})) ==
        "refused validation.failed");
  CHECK(shown(submit(m, &settings, "r1", report("2024-03-04"), kWhere, kWednesday,
                            {{"file_id", "file.not_usable", "no"}})) == "refused file.not_usable");
  // The report machine: none → submitted, and nothing after.
  REQUIRE(m.apply(d->events[0]));
  CHECK(m.state_name() == "submitted");
  CHECK_FALSE(m.apply(d->events[0]));
}

TEST_CASE("period_of: Mondays for weekly, the 1st and 16th for half-monthly") {
  CHECK(period_of("weekly", "2024-03-04") == std::pair<std::string, std::string>{"2024-03-04", "2024-03-10"});
  CHECK_FALSE(period_of("weekly", "2024-03-05"));
  CHECK(period_of("half_monthly", "2024-02-16") ==
        std::pair<std::string, std::string>{"2024-02-16", "2024-02-29"});
  CHECK(period_of("half_monthly", "2024-03-01") ==
        std::pair<std::string, std::string>{"2024-03-01", "2024-03-15"});
  CHECK_FALSE(period_of("half_monthly", "2024-03-04"));
  CHECK_FALSE(period_of("weekly", "2024-02-30"));
}

}  // namespace onex::weekly_report
