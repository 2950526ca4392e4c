#include "onex/declaration.h"

#include <nlohmann/json.hpp>

#include "common/access.h"
#include "common/lookups.h"
#include "onex/page.h"
#include "quota/decide.h"
#include "quota/projection.h"
#include "util/identifiers.h"

namespace onex::quota {
namespace {

std::string stream_of(const std::string& institution_id, const std::string& certificate_id, int year) {
  return engine::stream_of<Workflow>(quota_id(institution_id, certificate_id, year));
}

QuotaView view_of(const nlohmann::json& j) {
  QuotaView v{j.value("institution_id", ""), j.value("certificate_id", ""), j.value("year", 0),
              j.value("approved_trainees", 0), j.value("used", 0), "", 0};
  v.stream = stream_of(v.institution_id, v.certificate_id, v.year);
  return v;
}

}  // namespace
}  // namespace onex::quota

namespace onex {

using namespace quota;

struct QuotaService::Impl {
  EventStore& store;
  engine::Engine<quota::Workflow> quotas;
};

QuotaService::QuotaService(EventStore& store, const Clock& clock)
    : impl_(new Impl{store, {store, clock}}) {}
QuotaService::~QuotaService() = default;

Result<QuotaView> QuotaService::get(const Actor& actor, const std::string& institution_id,
                                    const std::string& certificate_id, int year) {
  const EventStore& store = impl_->store;
  if (!util::plain_id(institution_id) || !util::plain_id(certificate_id))
    return not_found();
  auto row = store.read_model_get(
      kQuotas, "q/" + institution_id + "/" + certificate_id + "/" + std::to_string(year));
  if (!row) return row.status();
  // No grant yet: the institution's quota of that certificate and year is 0.
  QuotaView q{institution_id, certificate_id, year, 0, 0,
              stream_of(institution_id, certificate_id, year), 0};
  std::string province;
  if (*row) {
    auto j = nlohmann::json::parse(**row, nullptr, false);
    q.approved_trainees = j.value("approved_trainees", 0);
    q.used = j.value("used", 0);
    province = j.value("province_code", "");
  } else if (auto inst = lookup::institution(store, institution_id)) {
    province = inst->province_code;
  }
  if (!sees(actor, institution_id, province, certificate_id)) return not_found();
  if (auto head = store.stream_head(q.stream)) q.version = head->version;
  return q;
}

Result<QuotaPage> QuotaService::list(const Actor& actor, const QuotaQuery& query) {
  const EventStore& store = impl_->store;
  const bool own = access::institution_side(actor);
  if (!own && actor.role != "province")
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
  QuotaPage page;
  std::string prefix = "q/";
  if (own) {
    if (!query.institution_id.empty() && query.institution_id != actor.institution_id) return page;
    prefix += actor.institution_id + "/";
  } else if (!query.institution_id.empty()) {
    if (!util::plain_id(query.institution_id)) return page;
    prefix += query.institution_id + "/";
  }
  auto rows = store.read_model_scan(kQuotas, prefix);
  if (!rows) return rows.status();
  std::vector<QuotaView> matched;
  for (const auto& [key, value] : *rows) {
    auto j = nlohmann::json::parse(value, nullptr, false);
    if (!j.is_object()) continue;
    if (!sees(actor, j.value("institution_id", ""), j.value("province_code", ""),
              j.value("certificate_id", "")))
      continue;
    auto v = view_of(j);
    if (query.year == 0 || v.year == query.year) matched.push_back(std::move(v));
  }
  auto one = page_of(std::move(matched), {query.page, query.page_size});
  for (auto& v : one.items)
    if (auto head = store.stream_head(v.stream)) v.version = head->version;
  page.items = std::move(one.items);
  page.total = one.total;
  return page;
}

QuotaView quota::Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& q = m.data();
  return QuotaView{q.institution_id, q.certificate_id, q.year, q.approved_trainees, q.used,
                   stream_of(q.institution_id, q.certificate_id, q.year), version};
}

Result<QuotaView> QuotaService::adjust(const Caller& caller, const std::string& institution_id,
                                       const std::string& certificate_id, int year,
                                       int approved_trainees, const std::string& reason) {
  static const engine::Command<quota::Workflow, Impl, Adjust> kAdjust{
      .roles = {"province"}, .id = id_of, .decide = decide_adjust};
  return engine::run(impl_->quotas, *impl_, kAdjust, caller,
                     {institution_id, certificate_id, year, approved_trainees, reason});
}

}  // namespace onex
