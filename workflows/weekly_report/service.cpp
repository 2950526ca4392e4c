// WeeklyReportService: commands through the engine, queries from the read models.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/lookups.h"
#include "onex/page.h"
#include "util/hash.h"
#include "weekly_report/decide.h"
#include "weekly_report/projection.h"

namespace onex {

using namespace weekly_report;

namespace {

bool institution_side(const Actor& a) {
  return (a.role == "leader" || a.role == "staff") && !a.institution_id.empty();
}

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

struct WeeklyReportService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<SettingsWorkflow> settings;
  engine::Engine<Workflow> reports;

  Impl(EventStore& s, const Clock& c) : store(s), clock(c), settings(s, c), reports(s, c) {}

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

WeeklyReportService::WeeklyReportService(EventStore& store, const Clock& clock)
    : impl_(std::make_unique<Impl>(store, clock)) {}
WeeklyReportService::~WeeklyReportService() = default;

Result<WeeklyReportSettingsView> WeeklyReportService::set_settings(
    const Caller& request, const std::string& cadence, const std::string& outline_file_id) {
  if (auto s = engine::authorize(request.actor, {"province"}); !s) return s;
  if (request.actor.province_code.empty())
    return Status::forbidden("auth.forbidden", "the account has no province");
  auto errors = file_errors(impl_->store, "outline_file_id", outline_file_id,
                            "weekly_report_outline", lookup::party_of(request.actor));
  const std::string stream = engine::stream_of<SettingsWorkflow>(request.actor.province_code);
  auto outcome = impl_->settings.execute(
      stream,
      engine::CommandMeta::of(request),
      [&](const SettingsMachine& m, std::uint64_t, Timestamp) {
        return decide_settings(m, request.actor, cadence, outline_file_id, errors);
      });
  if (!outcome) return outcome.status();
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
  if (auto s = engine::authorize(request.actor, {"leader"}); !s) return s;
  if (request.actor.institution_id.empty())
    return Status::forbidden("auth.forbidden", "the account belongs to no institution");
  const Where where = impl_->where_of(request.actor);
  std::optional<SettingsState> settings;
  if (!where.province_code.empty()) {
    auto loaded = impl_->settings.load(engine::stream_of<SettingsWorkflow>(where.province_code));
    if (!loaded) return loaded.status();
    if (loaded->machine.phase() == SettingsPhase::configured) settings = loaded->machine.data();
  }
  auto errors = file_errors(impl_->store, "file_id", input.file_id, "weekly_report_attachment",
                            lookup::Party{"institution", request.actor.institution_id});
  const std::string id = util::random_id();
  auto outcome = impl_->reports.execute(
      engine::stream_of<Workflow>(id),
      engine::CommandMeta::of(request, id),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_submit(m, settings ? &*settings : nullptr, id, input, where, now, errors);
      });
  if (!outcome) return outcome.status();
  const std::string created = outcome->replayed ? outcome->outcome : id;
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
