// Weekly reports (周报, SPEC.md §5 "Weekly reports", the manual's §1.8): a province sets the
// cadence (weekly or half-monthly) and publishes the outline document; each of its institutions'
// leaders submits one report per period (the outline's sections and a signed, scanned
// attachment); staff cannot; the province reads every report of its province.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "onex/clock.h"
#include "onex/caller.h"
#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/status.h"

namespace onex {

struct WeeklyReportSettingsView {
  std::string province_code;
  std::string cadence;          // "weekly" or "half_monthly"
  std::string outline_file_id;  // a weekly_report_outline file of the province
  std::string stream;           // "weekly_report_settings-<province>"
  std::uint64_t version = 0;
  Timestamp updated_at{};
};

// Plain text sections of the outline; each required, at most kMaxSection bytes.
struct WeeklyReportSections {
  std::string progress, problems, next_steps;
};

struct WeeklyReportInput {
  std::string period_start;  // "YYYY-MM-DD", China calendar: a Monday (weekly), the 1st or the
                             // 16th (half-monthly)
  WeeklyReportSections sections;
  std::string file_id;       // a weekly_report_attachment file of the institution
};

struct WeeklyReportView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string institution_id, province_code, city_code;
  std::string cadence;
  std::string period_start, period_end;  // "YYYY-MM-DD", both included
  WeeklyReportSections sections;
  std::string file_id;
  std::string submitted_by;  // account id
  Timestamp submitted_at{};
};

struct WeeklyReportQuery {
  std::string period_start;    // empty: any
  std::string institution_id;  // empty: any the caller sees
  std::size_t page = 1, page_size = 10;
};

struct WeeklyReportPage {
  std::vector<WeeklyReportView> items;  // latest period first
  std::size_t total = 0;
};

// Thread-safe. The store must have been opened with all_projections(). Refusals are Status
// values: auth.forbidden (403: wrong role; staff never submit reports),
// weekly_report_settings.not_found (404), weekly_report.not_configured (409: the province has set
// no cadence), weekly_report.duplicate (409: one report per institution and period),
// concurrency.version_conflict (409), validation.failed and file.not_usable (422, naming the
// field); store errors. A refused command writes nothing.
class WeeklyReportService {
 public:
  static constexpr std::size_t kMaxSection = 20'000;

  WeeklyReportService(EventStore& store, const Clock& clock);
  ~WeeklyReportService();

  // Province: sets its cadence and outline document (again: replaces them).
  Result<WeeklyReportSettingsView> set_settings(const Caller& request, const std::string& cadence,
                                                const std::string& outline_file_id);
  // Province, and the accounts of its institutions.
  Result<WeeklyReportSettingsView> settings(const Actor& actor);
  // Leader: the institution's report for a period that has begun.
  Result<WeeklyReportView> submit(const Caller& request, const WeeklyReportInput& input);
  // Province: every report of its province; leader: its institution's.
  Result<WeeklyReportPage> list(const Actor& actor, const WeeklyReportQuery& query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A report and the settings as the REST API shows them.
nlohmann::json json_of(const WeeklyReportView& report);
nlohmann::json json_of(const WeeklyReportSettingsView& settings);

}  // namespace onex
