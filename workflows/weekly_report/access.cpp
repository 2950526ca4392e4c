// Who sees weekly reports (SPEC.md §5.4): a report its institution's leader and its province
// (staff have no weekly-report rights); the province's settings the province and its
// institutions.
#include "common/access.h"
#include "files/sniff.h"
#include "weekly_report/state.h"
#include "weekly_report/decide.h"

namespace onex::weekly_report {
namespace {

bool report_visible(const EventStore& store, const Actor& a, std::string_view id) {
  const auto first = access::first_data(store, "weekly_report-" + std::string(id));
  return !first.is_null() && sees_report(a, access::text_of(first, "institution_id"),
                                         access::text_of(first, "province_code"));
}

bool settings_visible(const EventStore& store, const Actor& a, std::string_view province) {
  return !access::first_data(store, "weekly_report_settings-" + std::string(province)).is_null() &&
         sees_settings(a, province);
}

Result<nlohmann::json> report_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<Workflow>(events);
  if (!m) return m.status();
  nlohmann::json record = m->data().report;
  return access::shown_record(stream, events, m->state_name(), std::move(record));
}

Result<nlohmann::json> settings_state(const std::string& stream,
    const std::vector<RecordedEvent>& events) {
  auto m = access::replay<SettingsWorkflow>(events);
  if (!m) return m.status();
  const auto& w = m->data();
  return access::shown_record(stream, events, m->state_name(),
               {{"province_code", w.province_code},
                {"cadence", w.cadence},
                {"outline_file_id", w.outline_file_id}});
}

}  // namespace

std::vector<RecordKind> record_kinds() {
  return {{.kind = "weekly_report", .visible = report_visible, .state = report_state},
          {.kind = "weekly_report_settings", .visible = settings_visible, .state = settings_state}};
}

std::vector<files::Purpose> file_purposes() {
  using files::Kind;
  return {{"weekly_report_attachment", 10 * files::kMiB, {Kind::pdf, Kind::jpeg, Kind::png}},
          {"weekly_report_outline", 10 * files::kMiB, {Kind::pdf, Kind::doc, Kind::docx}}};
}

}  // namespace onex::weekly_report
