// Who sees weekly reports (SPEC.md §5.4): a report its institution's leader and its province
// (staff have no weekly-report rights); the province's settings the province and its
// institutions.
#include "common/access.h"
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

}  // namespace

std::vector<access::Rule> access_rules() {
  return {{.kind = "weekly_report", .visible = report_visible},
          {.kind = "weekly_report_settings", .visible = settings_visible}};
}

}  // namespace onex::weekly_report
