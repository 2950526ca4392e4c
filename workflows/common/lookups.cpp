#include "common/lookups.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "util/identifiers.h"

namespace onex::lookup {
namespace {

using nlohmann::json;

// The read model's value at `key` as a JSON object; nullopt when absent or unreadable.
std::optional<json> get(const EventStore& store, std::string_view projection, std::string_view key) {
  auto value = store.read_model_get(projection, key);
  if (!value || !*value) return std::nullopt;
  auto j = json::parse(**value, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

std::string text(const json& j, const char* name) { return j.value(name, std::string()); }

}  // namespace

Party party_of(const Actor& a) {
  if (a.role == "leader" || a.role == "staff") return {"institution", a.institution_id};
  if (a.role == "org") return {"org", a.org_id};
  if (a.role == "province") return {"province", a.province_code};
  if (a.role == "city") return {"city", a.city_code};
  return {a.role, ""};
}

std::optional<FileRef> file(const EventStore& store, std::string_view file_id) {
  auto j = get(store, "files", file_id);
  if (!j) return std::nullopt;
  FileRef f;
  f.id = text(*j, "id");
  f.sha256 = text(*j, "sha256");
  f.content_type = text(*j, "content_type");
  f.purpose = text(*j, "purpose");
  f.size = j->value("size", std::uint64_t{0});
  f.owner = {text(*j, "owner_kind"), text(*j, "owner_id")};
  f.uploaded_by = text(*j, "uploaded_by");
  return f;
}

Result<FileRef> usable_file(const EventStore& store, std::string_view field,
                            std::string_view file_id, std::string_view purpose,
                            const Party& owner) {
  auto f = file(store, file_id);
  if (f && f->purpose == purpose && f->owner == owner) return *f;
  const std::string name(field);
  return Status::unprocessable(
      "file.not_usable", name + ": not a file of yours uploaded for " + std::string(purpose),
      {{name, "file.not_usable",
        "upload the file with purpose " + std::string(purpose) + " first"}});
}

std::optional<RegistryEntry> registry_entry(const EventStore& store, std::string_view code) {
  auto j = get(store, "registry", "code/" + std::string(code));
  if (!j) return std::nullopt;
  return RegistryEntry{text(*j, "code"), text(*j, "name"), text(*j, "province_code"),
                       text(*j, "city_code"), text(*j, "type")};
}

std::optional<OrgRef> org(const EventStore& store, std::string_view org_id) {
  auto j = get(store, "orgs", org_id);
  if (!j) return std::nullopt;
  return OrgRef{text(*j, "id"), text(*j, "code"), text(*j, "name")};
}

std::optional<CertificateRef> certificate(const EventStore& store, std::string_view certificate_id) {
  auto j = get(store, "certificates", certificate_id);
  if (!j) return std::nullopt;
  CertificateRef c{text(*j, "id"), text(*j, "code"), text(*j, "name"), text(*j, "org_id"), {}};
  if (auto it = j->find("levels"); it != j->end() && it->is_array())
    for (const auto& l : *it)
      if (l.is_string()) c.levels.push_back(l.get<std::string>());
  return c;
}

std::string account_name_key(std::string_view account) {
  std::string key = "account:";
  for (char c : account) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

std::string leader_key(std::string_view institution_id) {
  return "leader:" + std::string(institution_id);
}

std::string_view PlanRef::status(Timestamp now) const {
  using std::chrono::floor;
  using std::chrono::seconds;
  if (now < starts_at) return "not_started";
  if (floor<seconds>(now) > floor<seconds>(ends_at)) return "ended";
  return "open";
}

std::optional<PlanRef> plan(const EventStore& store, std::string_view plan_id) {
  if (!util::plain_id(plan_id)) return std::nullopt;
  auto first = store.read_stream("declaration_plan-" + std::string(plan_id), 1, 1);
  if (!first || first->empty() || first->front().type != "declaration_plan.published")
    return std::nullopt;
  const json& j = first->front().data;
  if (!j.is_object()) return std::nullopt;
  PlanRef p{text(j, "plan_id"), text(j, "province_code"), text(j, "batch_name"),
            j.value("year", 0)};
  // Stored by format_utc, so they parse; a failure leaves the epoch, which no window contains.
  if (auto t = parse_time(text(j, "starts_at"))) p.starts_at = *t;
  if (auto t = parse_time(text(j, "ends_at"))) p.ends_at = *t;
  p.majors_required = j.value("majors_required", false);
  p.city_review_required = j.value("city_review_required", false);
  return p;
}

std::optional<InstitutionRef> institution(const EventStore& store, std::string_view institution_id) {
  auto j = get(store, "institutions", institution_id);
  if (!j) return std::nullopt;
  return InstitutionRef{text(*j, "id"),
                        text(*j, "code"),
                        text(*j, "name"),
                        text(*j, "province_code"),
                        text(*j, "city_code"),
                        j->value("profile_complete", false),
                        text(*j, "leader_account_id")};
}

Status check_scope(const EventStore& store, const std::vector<CertificateLevel>& scope,
                   std::string_view field) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < scope.size(); ++i) {
    const std::string at = std::string(field) + "[" + std::to_string(i) + "]";
    const auto& [certificate_id, level] = scope[i];
    auto c = certificate(store, certificate_id);
    if (!c)
      errors.push_back({at + ".certificate_id", "certificate.not_found", "no such certificate"});
    else if (std::find(c->levels.begin(), c->levels.end(), level) == c->levels.end())
      errors.push_back({at + ".level", "invalid_level", "the certificate " + c->name + " has no level " + level});
  }
  if (errors.empty()) return {};
  return Status::unprocessable("validation.failed", "the scope names unknown certificates or levels",
                               std::move(errors));
}

std::vector<std::string> declared_certificates(const EventStore& store,
                                               std::string_view institution_id) {
  std::vector<std::string> out;
  auto index = store.read_model_scan("declaration_records", "i/" + std::string(institution_id) + "/");
  if (!index) return out;
  for (const auto& [key, id] : *index) {  // live declarations only
    auto d = get(store, "declaration_records", "r/" + id);
    if (!d) continue;
    auto c = text(d->value("state", json::object()), "certificate_id");
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool pilots(const EventStore& store, std::string_view institution_id, std::string_view certificate_id) {
  if (institution_id.empty() || certificate_id.empty()) return false;
  const std::string prefix = "quota-" + std::string(institution_id) + "-" + std::string(certificate_id) + "-";
  // Only the year may follow (another certificate's id may begin with this one's and a '-').
  auto found = store.list_streams(prefix, 0, 1, [&](std::string_view stream) {
    const auto year = stream.substr(prefix.size());
    return !year.empty() && std::all_of(year.begin(), year.end(), [](unsigned char c) { return std::isdigit(c); });
  });
  return found && found->total > 0;
}

bool pilots(const EventStore& store, std::string_view institution_id, std::string_view certificate_id, int year) {
  if (institution_id.empty() || certificate_id.empty()) return false;
  auto head = store.stream_head("quota-" + std::string(institution_id) + "-" + std::string(certificate_id) + "-" +
                                std::to_string(year));
  return head && head->version > 0;
}

std::optional<SubjectRef> exam_subject(const EventStore& store, std::string_view subject_id) {
  if (!util::plain_id(subject_id)) return std::nullopt;
  auto first = store.read_stream("exam_subject-" + std::string(subject_id), 1, 1);
  if (!first || first->empty() || first->front().type != "exam_subject.created") return std::nullopt;
  const auto& d = first->front().data;
  return SubjectRef{std::string(subject_id), d.value("org_id", ""), d.value("certificate_id", ""),
                    d.value("level", ""), d.value("full_score", 0)};
}

std::optional<ExamPlanRef> exam_plan(const EventStore& store, std::string_view plan_id) {
  if (!util::plain_id(plan_id)) return std::nullopt;
  auto first = store.read_stream("exam_plan-" + std::string(plan_id), 1, 1);
  if (!first || first->empty() || first->front().type != "exam_plan.created") return std::nullopt;
  const auto& d = first->front().data;
  return ExamPlanRef{std::string(plan_id), d.value("org_id", ""), d.value("certificate_id", ""), d.value("level", "")};
}

bool has_approved_site(const EventStore& store, std::string_view institution_id, std::string_view certificate_id) {
  auto found = store.read_model_scan("site_records", "a/" + std::string(institution_id) + "/" +
                                                         std::string(certificate_id) + "/");
  return found && !found->empty();
}

std::optional<SiteRef> site(const EventStore& store, std::string_view site_id) {
  if (!util::plain_id(site_id)) return std::nullopt;
  auto text = store.read_model_get("site_records", "r/" + std::string(site_id));
  if (!text || !*text) return std::nullopt;
  const auto row = nlohmann::json::parse(**text, nullptr, false);
  if (!row.is_object() || !row.contains("state") || !row["state"].is_object()) return std::nullopt;
  const auto& s = row["state"];
  SiteRef ref{std::string(site_id), s.value("institution_id", ""), {}, {}};
  for (const auto& p : s.value("parts", nlohmann::json::array()))
    if (p.value("status", "") == "approved") ref.approved.push_back(p.value("certificate_id", ""));
  for (const auto& l : s.value("loans", nlohmann::json::array()))
    ref.loans.emplace_back(l.value("exam_plan_id", ""), l.value("institution_id", ""));
  return ref;
}

bool SiteRef::serves(std::string_view institution, std::string_view plan_id, std::string_view certificate_id) const {
  if (std::find(approved.begin(), approved.end(), certificate_id) == approved.end()) return false;
  if (institution == institution_id) return true;
  return std::find(loans.begin(), loans.end(), std::pair{std::string(plan_id), std::string(institution)}) != loans.end();
}

std::string site_loan_key(std::string_view plan_id, std::string_view institution_id) {
  return "site_loan/" + std::string(plan_id) + "/" + std::string(institution_id);
}

}  // namespace onex::lookup
