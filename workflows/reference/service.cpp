// ReferenceService: commands through the engine, queries from the read models.
#include <algorithm>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "common/lookups.h"
#include "onex/regions.h"
#include "reference/decide.h"
#include "reference/projection.h"
#include "util/hash.h"

namespace onex {

using namespace reference;
using nlohmann::json;

namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// The certificates whose orgs and standards the actor sees: nullopt for all of them.
std::optional<std::set<std::string>> visible_certificates(const EventStore& store, const Actor& a) {
  if (a.role == "operator" || a.role == "province" || a.role == "city" || a.role == "auditor")
    return std::nullopt;
  std::set<std::string> out;
  if ((a.role == "leader" || a.role == "staff") && !a.institution_id.empty())
    for (auto& c : lookup::declared_certificates(store, a.institution_id))
      if (a.role == "leader" ||
          std::find(a.certificates.begin(), a.certificates.end(), c) != a.certificates.end())
        out.insert(std::move(c));
  return out;
}

}  // namespace

struct ReferenceService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<RegistryWorkflow> imports;
  engine::Engine<OrgWorkflow> orgs;
  engine::Engine<CertificateWorkflow> certificates;
  engine::Engine<StandardWorkflow> standards;

  Impl(EventStore& s, const Clock& c)
      : store(s), clock(c), imports(s, c), orgs(s, c), certificates(s, c), standards(s, c) {}

  // Every value of a read model whose key starts with `prefix`, parsed.
  Result<std::vector<json>> scan(std::string_view projection, std::string_view prefix) const {
    auto rows = store.read_model_scan(projection, prefix);
    if (!rows) return rows.status();
    std::vector<json> out;
    out.reserve(rows->size());
    for (const auto& [key, value] : *rows) {
      auto j = json::parse(value, nullptr, false);
      if (j.is_object()) out.push_back(std::move(j));
    }
    return out;
  }

  std::optional<json> get(std::string_view projection, std::string_view key) const {
    auto value = store.read_model_get(projection, key);
    if (!value || !*value) return std::nullopt;
    auto j = json::parse(**value, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    return j;
  }

  // Whether the actor sees the orgs and standards of certificate ids `ids` (any of them).
  static bool sees_any(const std::optional<std::set<std::string>>& visible,
                       const std::vector<std::string>& ids) {
    if (!visible) return true;
    return std::any_of(ids.begin(), ids.end(), [&](const auto& c) { return visible->count(c); });
  }

  bool sees_org(const Actor& a, const std::string& org_id,
                const std::optional<std::set<std::string>>& visible) const {
    if (!visible) return true;
    if (a.role == "org") return a.org_id == org_id;
    for (const auto& c : *visible)
      if (auto ref = lookup::certificate(store, c); ref && ref->org_id == org_id) return true;
    return false;
  }

  bool sees_standard(const Actor& a, const StandardView& s,
                     const std::optional<std::set<std::string>>& visible) const {
    if (!visible) return true;
    if (a.role == "org") return a.org_id == s.org_id;
    return s.status == "enabled" && sees_any(visible, s.certificate_ids);
  }

  StandardFacts facts(const std::vector<std::string>& certificate_ids, const std::string& file_id,
                      const std::string& org_id, bool check_file) const {
    StandardFacts f;
    for (const auto& id : certificate_ids) {
      std::optional<std::string> owner;
      if (plain_id(id))
        if (auto c = lookup::certificate(store, id)) owner = c->org_id;
      f.certificate_orgs.push_back(std::move(owner));
    }
    if (check_file && !file_id.empty()) {
      auto usable = lookup::usable_file(store, "file_id", file_id, "standard_document",
                                        lookup::Party{"org", org_id});
      if (!usable) f.file = usable.status();
    }
    return f;
  }

  Result<StandardView> standard_view(const std::string& id) {
    auto j = get(kStandards, id);
    if (!j) return Status::not_found("standard.not_found", "no such standard");
    return standard_from_json(*j);
  }
};

ReferenceService::ReferenceService(EventStore& store, const Clock& clock)
    : impl_(std::make_unique<Impl>(store, clock)) {}
ReferenceService::~ReferenceService() = default;

std::vector<ProvinceView> ReferenceService::provinces() {
  std::vector<ProvinceView> out;
  for (const auto& p : kProvinces) out.push_back({std::string(p.code), std::string(p.name)});
  return out;
}

// ---- registry ----

Result<RegistryImport> ReferenceService::import_registry(const Caller& request,
                                                         std::string_view csv) {
  if (auto s = engine::authorize(request.actor, {"operator"}); !s) return s;
  auto parsed = parse_registry_csv(csv);
  RegistryImport result;
  if (parsed.error_count > 0) {
    result.errors = std::move(parsed.errors);
    result.error_count = parsed.error_count;
    return result;
  }
  if (parsed.rows.empty()) return result;
  std::vector<RegistryRow> rows;
  rows.reserve(parsed.rows.size());
  for (auto& r : parsed.rows) rows.push_back(std::move(r.row));
  static const engine::Command<RegistryWorkflow, Impl, Import> kImport{.decide = decide_import};
  const std::size_t imported = rows.size();
  auto ran = engine::run_command(impl_->imports, *impl_, kImport, request, {std::move(rows)});
  if (!ran) return ran.status();
  result.import_id = ran->id;
  result.stream = engine::stream_of<RegistryWorkflow>(result.import_id);
  result.imported = imported;
  return result;
}

Result<Page<RegistryEntryView>> ReferenceService::registry(const RegistryQuery& query,
                                                           PageRequest page) const {
  const auto& I = *impl_;
  std::vector<RegistryEntryView> all;
  auto matches = [&](const RegistryEntryView& e) {
    return query.q.empty() || contains(e.name, query.q) || contains(e.code, query.q);
  };
  if (query.province.empty() && query.city.empty()) {
    auto rows = I.scan(kRegistry, "code/");
    if (!rows) return rows.status();
    for (const auto& j : *rows)
      if (auto e = registry_from_json(j); matches(e)) all.push_back(std::move(e));
  } else {
    const std::string province = query.province.empty() ? query.city.substr(0, 2) : query.province;
    if (!query.city.empty() && !query.city.starts_with(province)) return page_of(std::move(all), page);
    std::string prefix = "p/" + province + "/";
    if (!query.city.empty()) prefix += query.city + "/";
    auto index = I.store.read_model_scan(kRegistry, prefix);
    if (!index) return index.status();
    for (const auto& [key, unused] : *index) {
      auto j = I.get(kRegistry, "code/" + key.substr(key.rfind('/') + 1));
      if (!j) continue;
      if (auto e = registry_from_json(*j); matches(e)) all.push_back(std::move(e));
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  }
  return page_of(std::move(all), page);
}

// ---- orgs ----

Result<OrgView> ReferenceService::create_org(const Caller& request, const OrgInput& input) {
  static const engine::Command<OrgWorkflow, Impl, OrgInput> kCreate{.decide = decide_create_org};
  auto ran = engine::run_command(impl_->orgs, *impl_, kCreate, request, input);
  if (!ran) return ran.status();
  auto j = impl_->get(kOrgs, ran->id);
  if (!j) return Status::not_found("org.not_found", "no such org");
  return org_from_json(*j);
}

Result<OrgView> ReferenceService::org(const Actor& actor, const std::string& id) const {
  const auto none = Status::not_found("org.not_found", "no such org");
  if (!plain_id(id)) return none;
  auto j = impl_->get(kOrgs, id);
  if (!j) return none;
  if (!impl_->sees_org(actor, id, visible_certificates(impl_->store, actor))) return none;
  return org_from_json(*j);
}

Result<Page<OrgView>> ReferenceService::orgs(const Actor& actor, PageRequest page) const {
  const auto visible = visible_certificates(impl_->store, actor);
  std::vector<OrgView> all;
  if (!visible || !visible->empty() || actor.role == "org") {
    auto rows = impl_->scan(kOrgs, "");
    if (!rows) return rows.status();
    for (const auto& j : *rows) {
      auto o = org_from_json(j);
      if (impl_->sees_org(actor, o.id, visible)) all.push_back(std::move(o));
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  return page_of(std::move(all), page);
}

// ---- certificates ----

Result<CertificateView> ReferenceService::create_certificate(const Caller& request,
                                                             const CertificateInput& input) {
  static const engine::Command<CertificateWorkflow, Impl, CertificateInput, CertificateFacts> kCreate{
      .facts = [](Impl& I, const Caller&, const CertificateInput& in,
                  const CertificateMachine&) -> Result<CertificateFacts> {
        return CertificateFacts{plain_id(in.org_id) && lookup::org(I.store, in.org_id)};
      },
      .decide = decide_create_certificate};
  auto ran = engine::run_command(impl_->certificates, *impl_, kCreate, request, input);
  if (!ran) return ran.status();
  auto j = impl_->get(kCertificates, ran->id);
  if (!j) return Status::not_found("certificate.not_found", "no such certificate");
  return certificate_from_json(*j);
}

Result<Page<CertificateView>> ReferenceService::certificates(const Actor&, const std::string& q,
                                                             PageRequest page) const {
  auto rows = impl_->scan(kCertificates, "");
  if (!rows) return rows.status();
  std::vector<CertificateView> all;
  for (const auto& j : *rows) {
    auto c = certificate_from_json(j);
    if (q.empty() || contains(c.name, q) || contains(c.code, q)) all.push_back(std::move(c));
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  return page_of(std::move(all), page);
}

// ---- standards ----

Result<StandardView> ReferenceService::publish_standard(const Caller& request,
                                                        const StandardInput& input) {
  static const engine::Command<StandardWorkflow, Impl, StandardInput, StandardFacts> kPublish{
      .facts = [](Impl& I, const Caller& c, const StandardInput& in,
                  const StandardMachine&) -> Result<StandardFacts> {
        return I.facts(in.certificate_ids, in.file_id, c.actor.org_id, true);
      },
      .decide = decide_publish_standard};
  auto ran = engine::run_command(impl_->standards, *impl_, kPublish, request, input);
  if (!ran) return ran.status();
  return impl_->standard_view(ran->id);
}

Result<StandardView> ReferenceService::revise_standard(const Caller& request,
                                                       const std::string& id,
                                                       const StandardPatch& patch) {
  // The facts: the certificates and document the revised standard names (404 first for a
  // standard that is not the org's).
  static const engine::Command<StandardWorkflow, Impl, Revise, StandardFacts> kRevise{
      .roles = {"org"},
      .id = engine::input_id<Revise>,
      .facts = [](Impl& I, const Caller& c, const Revise& in,
                  const StandardMachine& m) -> Result<StandardFacts> {
        const auto& current = m.data();
        if (m.phase() == StandardPhase::none || current.org_id != c.actor.org_id)
          return engine::not_found<StandardWorkflow>();
        const auto wanted = patched(current.fields, in.patch);
        return I.facts(wanted.certificate_ids, wanted.file_id, current.org_id,
                       wanted.file_id != current.fields.file_id);
      },
      .decide = decide_revise_standard};
  auto ran = engine::run_command(impl_->standards, *impl_, kRevise, request, {id, patch});
  if (!ran) return ran.status();
  return impl_->standard_view(id);
}

Result<Page<StandardView>> ReferenceService::standards(const Actor& actor, const std::string& kind,
                                                       PageRequest page) const {
  const auto visible = visible_certificates(impl_->store, actor);
  std::vector<StandardView> all;
  if (!visible || !visible->empty() || actor.role == "org") {
    auto rows = impl_->scan(kStandards, "");
    if (!rows) return rows.status();
    for (const auto& j : *rows) {
      auto s = standard_from_json(j);
      if ((kind.empty() || s.kind == kind) && impl_->sees_standard(actor, s, visible))
        all.push_back(std::move(s));
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::tie(a.code, a.edition, a.id) < std::tie(b.code, b.edition, b.id);
  });
  return page_of(std::move(all), page);
}

}  // namespace onex
