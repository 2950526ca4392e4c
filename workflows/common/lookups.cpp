#include "common/lookups.h"

#include <algorithm>

#include <nlohmann/json.hpp>

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

std::vector<std::string> declared_certificates(const EventStore& store,
                                               std::string_view institution_id) {
  std::vector<std::string> out;
  auto index = store.read_model_scan("declarations", "i/" + std::string(institution_id) + "/");
  if (!index) return out;
  for (const auto& [key, id] : *index) {
    auto d = get(store, "declarations", "d/" + id);
    if (!d || text(*d, "status") == "deleted") continue;
    auto c = text(*d, "certificate_id");
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

bool institution_side(const Actor& a) { return a.role == "leader" || a.role == "staff"; }

// The first event's data of a stream: who owns the record (null when there is none).
json first_data(const EventStore& store, std::string_view stream) {
  auto first = store.read_stream(stream, 1, 1);
  if (!first || first->empty() || !first->front().data.is_object()) return nullptr;
  return first->front().data;
}

// The account managing rule of SPEC §2 (workflows/account check_manager), on stored data.
bool manages_account(const Actor& a, const json& account) {
  const auto role = text(account, "role");
  if (a.role == "operator")
    return role == "province" || role == "city" || role == "org" || role == "auditor";
  if (a.role == "province")
    return !a.province_code.empty() && text(account, "province_code") == a.province_code &&
           (role == "leader" || role == "city");
  if (a.role == "leader")
    return !a.institution_id.empty() && role == "staff" &&
           text(account, "institution_id") == a.institution_id;
  return false;
}

std::pair<std::string_view, std::string_view> split(std::string_view stream) {
  const auto dash = stream.find('-');
  if (dash == std::string_view::npos) return {stream, {}};
  return {stream.substr(0, dash), stream.substr(dash + 1)};
}

bool in_province(const Actor& a, const json& data) {
  const auto province = text(data, "province_code");
  return !province.empty() && a.province_code == province &&
         (a.role == "province" || a.role == "city" || institution_side(a));
}

}  // namespace

bool may_read(const EventStore& store, const Actor& a, std::string_view stream) {
  if (a.account_id.empty()) return false;
  if (a.role == "auditor") return true;
  const auto [kind, id] = split(stream);
  if (kind == "registry" || kind == "org" || kind == "certificate" || kind == "standard")
    return !first_data(store, stream).is_null();
  const json data = first_data(store, stream);
  if (data.is_null()) return false;
  if (kind == "account") return id == a.account_id || manages_account(a, data);
  if (kind == "institution") {
    if (institution_side(a)) return a.institution_id == id;
    if (a.role == "province") return a.province_code == text(data, "province_code");
    if (a.role == "city") return a.city_code == text(data, "city_code");
    return a.role == "operator";
  }
  if (kind == "declaration") {
    auto view = get(store, "declarations", "d/" + std::string(id));
    if (!view) return false;
    if (institution_side(a)) {
      if (a.institution_id != text(*view, "institution_id")) return false;
      // A staff with a scope sees only its certificates; without one, the whole institution.
      return a.role != "staff" || a.certificates.empty() ||
             std::find(a.certificates.begin(), a.certificates.end(),
                       text(*view, "certificate_id")) != a.certificates.end();
    }
    const auto status = text(*view, "status");
    if (status == "draft" || status == "deleted") return false;
    if (a.role == "province") return a.province_code == text(*view, "province_code");
    if (a.role == "city") return a.city_code == text(*view, "city_code");
    return false;
  }
  if (kind == "declaration_plan" || kind == "weekly_report_settings") {
    if (kind == "weekly_report_settings" && text(data, "province_code").empty())
      return a.province_code == id && (a.role == "province" || institution_side(a));
    return in_province(a, data) && a.role != "city";
  }
  if (kind == "quota" || kind == "weekly_report") {
    if (institution_side(a)) return a.institution_id == text(data, "institution_id");
    return a.role == "province" && a.province_code == text(data, "province_code");
  }
  if (kind == "file") {
    if (a.role == "operator") return true;
    return Party{text(data, "owner_kind"), text(data, "owner_id")} == party_of(a);
  }
  return false;
}

bool may_see_personal_data(const EventStore& store, const Actor& a, std::string_view stream) {
  const auto [kind, id] = split(stream);
  if (kind != "account" || a.account_id.empty()) return false;
  if (id == a.account_id) return true;
  const json data = first_data(store, stream);
  return !data.is_null() && manages_account(a, data);
}

}  // namespace onex::lookup
