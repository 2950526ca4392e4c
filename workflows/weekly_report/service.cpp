// WeeklyReportService: the command table of reports and their settings (run by engine::run),
// queries from the read models.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/access.h"
#include "common/lookups.h"
#include "onex/page.h"
#include "util/hash.h"
#include "weekly_report/decide.h"
#include "weekly_report/projection.h"

namespace onex {

using namespace weekly_report;

namespace {

using access::institution_side;

std::vector<FieldError> file_errors(const EventStore& store, const char* field,
                                    const std::string& file_id, const char* purpose,
                                    const lookup::Party& owner) {
  if (file_id.empty()) return {{field, "required", std::string(field) + " is required"}};
  auto usable = lookup::usable_file(store, field, file_id, purpose, owner);
  if (usable) return {};
  const Status refused = usable.status();
  return refused.errors();
}

}  // namespace

namespace weekly_report {

// What the commands read besides their record.
struct Env {
  EventStore& store;
  const Clock& clock;
  engine::Engine<SettingsWorkflow> settings{store, clock};
  engine::Engine<Workflow> reports{store, clock};

  // The institution's province and city (the institutions read model; its account's otherwise).
  Where where_of(const Actor& a) const {
    Where w{a.institution_id, a.province_code, a.city_code};
    if (auto inst = lookup::institution(store, a.institution_id)) {
      w.province_code = inst->province_code;
      w.city_code = inst->city_code;
    }
    return w;
  }

  std::string province_of(const Actor& a) const {
    return institution_side(a) ? where_of(a).province_code : a.province_code;
  }
};

namespace {

Result<Facts> settings_facts(Env& env, const Caller& c, const Settings& in, const SettingsMachine&) {
  return Facts{file_errors(env.store, "outline_file_id", in.outline_file_id,
                           "weekly_report_outline", lookup::party_of(c.actor))};
}

Result<Facts> submit_facts(Env& env, const Caller& c, const WeeklyReportInput& in, const Machine&) {
  Facts f{file_errors(env.store, "file_id", in.file_id, "weekly_report_attachment",
                      lookup::Party{"institution", c.actor.institution_id})};
  f.where = env.where_of(c.actor);
  if (!f.where.province_code.empty()) {
    auto loaded = env.settings.load(engine::stream_of<SettingsWorkflow>(f.where.province_code));
    if (!loaded) return loaded.status();
    if (loaded->machine.phase() == SettingsPhase::configured) f.settings = loaded->machine.data();
  }
  return f;
}

const engine::Command<SettingsWorkflow, Env, Settings, Facts> kSetSettings{
    .roles = {"province"},
    .id = [](const Settings& in) { return in.province_code; },
    .facts = settings_facts,
    .decide = decide_settings};
const engine::Command<Workflow, Env, WeeklyReportInput, Facts> kSubmit{
    .roles = {"leader"}, .facts = submit_facts, .decide = decide_submit};

}  // namespace
}  // namespace weekly_report

struct WeeklyReportService::Impl : weekly_report::Env {};

WeeklyReportService::WeeklyReportService(EventStore& store, const Clock& clock)
    : impl_(new Impl{{store, clock}}) {}
WeeklyReportService::~WeeklyReportService() = default;

Result<WeeklyReportSettingsView> WeeklyReportService::set_settings(
    const Caller& request, const std::string& cadence, const std::string& outline_file_id) {
  auto ran = engine::run_command(impl_->settings, *impl_, kSetSettings, request,
                                 {request.actor.province_code, cadence, outline_file_id});
  if (!ran) return ran.status();
  return settings(request.actor);
}

Result<WeeklyReportSettingsView> WeeklyReportService::settings(const Actor& actor) {
  if (actor.role != "province" && !institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
  const std::string province = impl_->province_of(actor);
  auto row = province.empty() ? Result<std::optional<std::string>>(std::optional<std::string>{})
                              : impl_->store.read_model_get(kSettings, province);
  if (!row) return row.status();
  if (!*row)
    return Status::not_found("weekly_report_settings.not_found",
                             "the province has not set the weekly report cadence yet");
  return settings_from_json(nlohmann::json::parse(**row, nullptr, false));
}

Result<WeeklyReportView> WeeklyReportService::submit(const Caller& request,
                                                     const WeeklyReportInput& input) {
  auto ran = engine::run_command(impl_->reports, *impl_, kSubmit, request, input);
  if (!ran) return ran.status();
  const std::string& created = ran->id;
  auto events = impl_->store.read_stream(engine::stream_of<Workflow>(created));
  if (!events) return events.status();
  if (events->empty()) return Status::not_found("weekly_report.not_found", "no such report");
  const auto& e = events->front();
  auto decoded = Workflow::decode(e);
  if (!decoded) return decoded.status();
  const auto& r = std::get<Submitted>(*decoded);
  return WeeklyReportView{r.report_id,     e.stream,        e.version,   r.institution_id,
                          r.province_code, r.city_code,     r.cadence,   r.period_start,
                          r.period_end,
                          {r.sections.progress, r.sections.problems, r.sections.next_steps},
                          r.file_id,       e.actor_account_id, e.recorded_at};
}

Result<WeeklyReportPage> WeeklyReportService::list(const Actor& actor,
                                                   const WeeklyReportQuery& query) {
  std::string prefix;
  if (actor.role == "province" && !actor.province_code.empty())
    prefix = "p/" + actor.province_code + "/";
  else if (actor.role == "leader" && !actor.institution_id.empty())
    prefix = "i/" + actor.institution_id + "/";
  else
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
  auto rows = impl_->store.read_model_scan(kReports, prefix);
  if (!rows) return rows.status();
  WeeklyReportPage page;
  std::vector<WeeklyReportView> matched;
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
    auto v = report_from_json(nlohmann::json::parse(it->second, nullptr, false));
    if (!query.period_start.empty() && v.period_start != query.period_start) continue;
    if (!query.institution_id.empty() && v.institution_id != query.institution_id) continue;
    matched.push_back(std::move(v));
  }
  // Latest period first; reports of one period newest first (the scan's order).
  std::stable_sort(matched.begin(), matched.end(), [](const auto& a, const auto& b) {
    return a.period_start > b.period_start;
  });
  auto one = page_of(std::move(matched), {query.page, query.page_size});
  page.items = std::move(one.items);
  page.total = one.total;
  return page;
}

}  // namespace onex
