#include <nlohmann/json.hpp>

#include "account/decide.h"
#include "account/projection.h"

#include "declaration/decide.h"
#include "declaration/projection.h"
#include "file/projection.h"
#include "file/state.h"
#include "institution/decide.h"
#include "institution/projection.h"
#include "onex/workflows.h"
#include "common/access.h"
#include "quota/projection.h"
#include "reference/projection.h"
#include "reference/state.h"
#include "quota/state.h"
#include "weekly_report/projection.h"
#include "weekly_report/state.h"

namespace onex {

// Each workflow's access rules (its access.cpp).
namespace account { std::vector<access::Rule> access_rules(); }
namespace institution { std::vector<access::Rule> access_rules(); }
namespace declaration { std::vector<access::Rule> access_rules(); }
namespace quota { std::vector<access::Rule> access_rules(); }
namespace weekly_report { std::vector<access::Rule> access_rules(); }
namespace reference { std::vector<access::Rule> access_rules(); }
namespace file { std::vector<access::Rule> access_rules(); }

const std::vector<access::Rule>& access::rules() {
  static const std::vector<access::Rule> all = [] {
    std::vector<access::Rule> out;
    for (auto list : {account::access_rules, institution::access_rules,
                      declaration::access_rules, quota::access_rules,
                      weekly_report::access_rules, reference::access_rules, file::access_rules})
      for (auto& r : list()) out.push_back(r);
    return out;
  }();
  return all;
}

bool may_see(const EventStore& store, const Actor& actor, std::string_view stream) {
  return access::visible(store, actor, stream);
}

Result<HistoryPage> read_history(const EventStore& store, const Actor& actor,
                                 std::string_view stream, std::uint64_t from, std::size_t limit) {
  if (!access::visible(store, actor, stream))
    return Status::not_found("stream.not_found", "no such record");
  auto head = store.stream_head(stream);
  if (!head) return head.status();
  auto events = store.read_stream(stream, from, limit);
  if (!events) return events.status();
  HistoryPage page;
  page.total = head->version;
  for (auto& e : *events) {
    HistoryEvent shown;
    e.data = access::shown_data(store, actor, stream, e, shown.redacted);
    shown.event = std::move(e);
    page.items.push_back(std::move(shown));
  }
  return page;
}

namespace {

template <class W>
Result<typename W::Machine> replay(const std::vector<RecordedEvent>& events) {
  typename W::Machine m;
  for (const auto& e : events) {
    auto event = W::decode(e);
    if (!event) return event.status();
    if (!m.apply(*event))
      return Status::corruption(e.stream + " v" + std::to_string(e.version) + ": " + e.type +
                                " is not a transition from " + std::string(m.state_name()));
  }
  return m;
}

nlohmann::json shown(const std::string& stream, const std::vector<RecordedEvent>& events,
                     std::string_view state, nlohmann::json record) {
  return {{"stream", stream},
          {"version", events.empty() ? 0 : events.back().version},
          {"state", state},
          {"record", std::move(record)}};
}

}  // namespace

Projections all_projections() {
  Projections all = declaration::projections();
  for (auto& p : quota::projections()) all.push_back(std::move(p));
  for (auto& p : account::projections()) all.push_back(std::move(p));
  for (auto& p : weekly_report::projections()) all.push_back(std::move(p));
  for (auto& p : reference::projections()) all.push_back(std::move(p));
  for (auto& p : institution::projections()) all.push_back(std::move(p));
  for (auto& p : file::projections()) all.push_back(std::move(p));
  return all;
}

Result<nlohmann::json> record_state(const std::string& stream,
                                    const std::vector<RecordedEvent>& events) {
  const std::string kind = stream.substr(0, stream.find('-'));
  if (kind == declaration::Workflow::kind) {
    auto m = replay<declaration::Workflow>(events);
    if (!m) return m.status();
    const auto& s = m->data();
    DeclarationView v{s.id, stream, 0, std::string(m->state_name()), s.plan_id, s.institution_id,
                      s.province_code, s.city_code, s.certificate_id, s.year, s.fields.majors,
                      s.fields.planned_trainees, s.fields.teachers_html, s.fields.venue_html,
                      s.fields.file_ids, s.approved_trainees, s.rejection_reason, s.rejected_by,
                      {}};
    auto record = declaration::to_json(v);
    record.erase("version");
    return shown(stream, events, m->state_name(), std::move(record));
  }
  if (kind == declaration::PlanWorkflow::kind) {
    auto m = replay<declaration::PlanWorkflow>(events);
    if (!m) return m.status();
    const auto& p = m->data();
    return shown(stream, events, m->state_name(),
                 {{"id", p.id},
                  {"province_code", p.province_code},
                  {"year", p.year},
                  {"batch_name", p.batch_name},
                  {"starts_at", format_china(p.starts_at)},
                  {"ends_at", format_china(p.ends_at)},
                  {"majors_required", p.majors_required},
                  {"city_review_required", p.city_review_required}});
  }
  if (kind == quota::Workflow::kind) {
    auto m = replay<quota::Workflow>(events);
    if (!m) return m.status();
    const auto& q = m->data();
    return shown(stream, events, m->state_name(),
                 {{"institution_id", q.institution_id},
                  {"province_code", q.province_code},
                  {"certificate_id", q.certificate_id},
                  {"year", q.year},
                  {"approved_trainees", q.approved_trainees},
                  {"used", q.used}});
  }
  if (kind == weekly_report::SettingsWorkflow::kind) {
    auto m = replay<weekly_report::SettingsWorkflow>(events);
    if (!m) return m.status();
    const auto& w = m->data();
    return shown(stream, events, m->state_name(),
                 {{"province_code", w.province_code},
                  {"cadence", w.cadence},
                  {"outline_file_id", w.outline_file_id}});
  }
  if (kind == weekly_report::Workflow::kind) {
    auto m = replay<weekly_report::Workflow>(events);
    if (!m) return m.status();
    nlohmann::json record = m->data().report;
    return shown(stream, events, m->state_name(), std::move(record));
  }
  if (kind == account::Workflow::kind) {
    auto m = replay<account::Workflow>(events);
    if (!m) return m.status();
    const auto& a = m->data();
    nlohmann::json scope = nlohmann::json::array();
    for (const auto& s : a.scope) scope.push_back({{"certificate_id", s.certificate_id}, {"level", s.level}});
    return shown(stream, events, account::shown_status(*m),
                 {{"id", a.id},
                  {"account", a.account},
                  {"role", a.role},
                  {"name", a.name},
                  {"phone_masked", mask_phone(a.phone)},
                  {"email", a.email},
                  {"scope", scope},
                  {"province_code", a.province_code},
                  {"city_code", a.city_code},
                  {"institution_id", a.institution_id},
                  {"org_id", a.org_id},
                  {"setup_required", a.setup_required},
                  {"consecutive_failures", a.consecutive_failures}});
  }
  if (kind == institution::Workflow::kind) {
    auto m = replay<institution::Workflow>(events);
    if (!m) return m.status();
    const auto& i = m->data();
    nlohmann::json profile = nullptr;
    if (i.profile)
      profile = {{"type", i.profile->kind},
                 {"credit_code", i.profile->credit_code},
                 {"website", i.profile->website},
                 {"district", i.profile->district},
                 {"address", i.profile->address},
                 {"contact_name", i.profile->contact.contact_name},
                 {"contact_phone", i.profile->contact.contact_phone},
                 {"contact_email", i.profile->contact.contact_email}};
    nlohmann::json seal = nullptr;
    if (i.seal)
      seal = {{"file_id", i.seal->file_id},
              {"sha256", i.seal->sha256},
              {"principal_name", i.seal->principal_name},
              {"principal_title", i.seal->principal_title},
              {"agreement_accepted_at", i.seal->agreement_accepted_at}};
    return shown(stream, events, m->state_name(),
                 {{"id", i.id},
                  {"code", i.code},
                  {"name", i.name},
                  {"province_code", i.province_code},
                  {"city_code", i.city_code},
                  {"type", i.institution_type},
                  {"registered_by", i.registered_by},
                  {"leader_account_id", i.leader_account_id},
                  {"profile", profile},
                  {"seal", seal}});
  }
  if (kind == reference::RegistryWorkflow::kind) {
    auto m = replay<reference::RegistryWorkflow>(events);
    if (!m) return m.status();
    const auto& r = m->data();
    return shown(stream, events, m->state_name(),
                 {{"import_id", r.import_id}, {"rows", r.rows}, {"chunks", r.chunks}});
  }
  if (kind == reference::OrgWorkflow::kind) {
    auto m = replay<reference::OrgWorkflow>(events);
    if (!m) return m.status();
    const auto& o = m->data().org;
    return shown(stream, events, m->state_name(),
                 {{"id", o.org_id},
                  {"code", o.code},
                  {"name", o.name},
                  {"credit_code", o.credit_code},
                  {"contact_name", o.contact_name},
                  {"contact_phone", o.contact_phone}});
  }
  if (kind == reference::CertificateWorkflow::kind) {
    auto m = replay<reference::CertificateWorkflow>(events);
    if (!m) return m.status();
    const auto& c = m->data().certificate;
    return shown(stream, events, m->state_name(),
                 {{"id", c.certificate_id},
                  {"code", c.code},
                  {"name", c.name},
                  {"levels", c.levels},
                  {"org_id", c.org_id}});
  }
  if (kind == reference::StandardWorkflow::kind) {
    auto m = replay<reference::StandardWorkflow>(events);
    if (!m) return m.status();
    const auto& s = m->data();
    return shown(stream, events, m->state_name(),
                 {{"id", s.id},
                  {"org_id", s.org_id},
                  {"code", s.fields.code},
                  {"name", s.fields.name},
                  {"version", s.fields.edition},
                  {"kind", s.fields.kind},
                  {"certificate_ids", s.fields.certificate_ids},
                  {"file_id", s.fields.file_id},
                  {"status", s.fields.status}});
  }
  if (kind == file::Workflow::kind) {
    auto m = replay<file::Workflow>(events);
    if (!m) return m.status();
    const auto& u = m->data().uploaded;
    return shown(stream, events, m->state_name(),
                 {{"id", u.file_id},
                  {"sha256", u.sha256},
                  {"size", u.size},
                  {"content_type", u.content_type},
                  {"purpose", u.purpose},
                  {"owner_kind", u.owner_kind},
                  {"owner_id", u.owner_id}});
  }
  return Status::not_found("workflow.unknown_kind", "no workflow owns stream " + stream);
}

}  // namespace onex
