#include "weekly_report/projection.h"

#include <fmt/format.h>

#include "weekly_report/state.h"

namespace onex::weekly_report {
namespace {

using nlohmann::json;

class SettingsProjection final : public Projection {
 public:
  std::string_view name() const override { return kSettings; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("weekly_report_settings-")) return;
    auto event = SettingsWorkflow::decode(e);
    if (!event) return;
    const auto& s = std::get<SettingsSet>(*event);
    json j = json::object();
    j["province_code"] = s.province_code;
    j["cadence"] = s.cadence;
    j["outline_file_id"] = s.outline_file_id;
    j["stream"] = e.stream;
    j["version"] = e.version;
    j["updated_at"] = format_utc(e.recorded_at);
    txn.put_json(s.province_code, std::move(j));
  }
};

class ReportsProjection final : public Projection {
 public:
  std::string_view name() const override { return kReports; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("weekly_report-")) return;
    auto event = Workflow::decode(e);
    if (!event) return;
    const auto& r = std::get<Submitted>(*event);
    WeeklyReportView v{r.report_id,
                       e.stream,
                       e.version,
                       r.institution_id,
                       r.province_code,
                       r.city_code,
                       r.cadence,
                       r.period_start,
                       r.period_end,
                       {r.sections.progress, r.sections.problems, r.sections.next_steps},
                       r.file_id,
                       e.actor_account_id,
                       e.recorded_at};
    const std::string seq = fmt::format("{:020}", e.position);
    const std::string text = to_json(v).dump();
    txn.put("p/" + r.province_code + "/" + seq, text);
    txn.put("i/" + r.institution_id + "/" + seq, text);
  }
};

}  // namespace

Projections projections() {
  return {std::make_shared<SettingsProjection>(), std::make_shared<ReportsProjection>()};
}

WeeklyReportView report_from_json(const json& j) {
  WeeklyReportView v;
  v.id = j.value("id", "");
  v.stream = j.value("stream", "");
  v.version = j.value("version", std::uint64_t{0});
  v.institution_id = j.value("institution_id", "");
  v.province_code = j.value("province_code", "");
  v.city_code = j.value("city_code", "");
  v.cadence = j.value("cadence", "");
  v.period_start = j.value("period_start", "");
  v.period_end = j.value("period_end", "");
  if (auto it = j.find("sections"); it != j.end() && it->is_object()) {
    v.sections.progress = it->value("progress", "");
    v.sections.problems = it->value("problems", "");
    v.sections.next_steps = it->value("next_steps", "");
  }
  v.file_id = j.value("file_id", "");
  v.submitted_by = j.value("submitted_by", "");
  if (auto t = parse_time(j.value("submitted_at", ""))) v.submitted_at = *t;
  return v;
}

json to_json(const WeeklyReportView& v) {
  json sections = json::object();
  sections["progress"] = v.sections.progress;
  sections["problems"] = v.sections.problems;
  sections["next_steps"] = v.sections.next_steps;
  json j = json::object();
  j["id"] = v.id;
  j["stream"] = v.stream;
  j["version"] = v.version;
  j["institution_id"] = v.institution_id;
  j["province_code"] = v.province_code;
  j["city_code"] = v.city_code;
  j["cadence"] = v.cadence;
  j["period_start"] = v.period_start;
  j["period_end"] = v.period_end;
  j["sections"] = std::move(sections);
  j["file_id"] = v.file_id;
  j["submitted_by"] = v.submitted_by;
  j["submitted_at"] = format_china(v.submitted_at);
  return j;
}

WeeklyReportSettingsView settings_from_json(const json& j) {
  WeeklyReportSettingsView v;
  v.province_code = j.value("province_code", "");
  v.cadence = j.value("cadence", "");
  v.outline_file_id = j.value("outline_file_id", "");
  v.stream = j.value("stream", "");
  v.version = j.value("version", std::uint64_t{0});
  if (auto t = parse_time(j.value("updated_at", ""))) v.updated_at = *t;
  return v;
}

json to_json(const WeeklyReportSettingsView& v) {
  json j = json::object();
  j["province_code"] = v.province_code;
  j["cadence"] = v.cadence;
  j["outline_file_id"] = v.outline_file_id;
  j["stream"] = v.stream;
  j["version"] = v.version;
  j["updated_at"] = format_china(v.updated_at);
  return j;
}

}  // namespace onex::weekly_report

namespace onex {

nlohmann::json json_of(const WeeklyReportView& report) { return weekly_report::to_json(report); }
nlohmann::json json_of(const WeeklyReportSettingsView& settings) {
  return weekly_report::to_json(settings);
}

}  // namespace onex
