#include "reference/projection.h"

#include "reference/state.h"

namespace onex::reference {
namespace {

using nlohmann::json;

std::string id_of(const RecordedEvent& e, std::string_view kind) {
  return e.stream.substr(kind.size() + 1);
}

class RegistryProjection final : public Projection {
 public:
  std::string_view name() const override { return kRegistry; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("registry-")) return;
    auto event = RegistryWorkflow::decode(e);
    if (!event) return;
    for (const auto& r : std::get<RowsImported>(*event).rows) {
      const std::string key = "code/" + r.code;
      if (auto old = txn.get(key)) {  // re-imported: its old place in the index goes
        auto j = json::parse(*old, nullptr, false);
        if (j.is_object())
          txn.erase("p/" + j.value("province_code", "") + "/" + j.value("city_code", "") + "/" +
                    r.code);
      }
      json j = json::object();
      j["code"] = r.code;
      j["name"] = r.name;
      j["province_code"] = r.province_code;
      j["city_code"] = r.city_code;
      j["type"] = r.type;
      txn.put(key, j.dump());
      txn.put("p/" + r.province_code + "/" + r.city_code + "/" + r.code, "");
    }
  }
};

class OrgsProjection final : public Projection {
 public:
  std::string_view name() const override { return kOrgs; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("org-")) return;
    auto event = OrgWorkflow::decode(e);
    if (!event) return;
    const auto& o = std::get<OrgCreated>(*event);
    json j = json::object();
    j["id"] = o.org_id;
    j["code"] = o.code;
    j["name"] = o.name;
    j["credit_code"] = o.credit_code;
    j["contact_name"] = o.contact_name;
    j["contact_phone"] = o.contact_phone;
    txn.put(id_of(e, OrgWorkflow::kind), j.dump());
  }
};

class CertificatesProjection final : public Projection {
 public:
  std::string_view name() const override { return kCertificates; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("certificate-")) return;
    auto event = CertificateWorkflow::decode(e);
    if (!event) return;
    const auto& c = std::get<CertificateCreated>(*event);
    json j = json::object();
    j["id"] = c.certificate_id;
    j["code"] = c.code;
    j["name"] = c.name;
    j["levels"] = c.levels;
    j["org_id"] = c.org_id;
    txn.put(id_of(e, CertificateWorkflow::kind), j.dump());
  }
};

class StandardsProjection final : public Projection {
 public:
  std::string_view name() const override { return kStandards; }
  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("standard-")) return;
    auto event = StandardWorkflow::decode(e);
    if (!event) return;
    const std::string key = id_of(e, StandardWorkflow::kind);
    json j;
    const StandardFields* f = nullptr;
    if (auto* p = std::get_if<StandardPublished>(&*event)) {
      j = json::object();
      j["id"] = p->standard_id;
      j["stream"] = e.stream;
      j["org_id"] = p->org_id;
      f = &p->fields;
    } else {
      auto old = txn.get(key);
      if (!old) return;  // a revision of a standard the model never saw
      j = json::parse(*old, nullptr, false);
      if (!j.is_object()) return;
      f = &std::get<StandardRevised>(*event).fields;
    }
    j["version"] = e.version;
    j["code"] = f->code;
    j["name"] = f->name;
    j["edition"] = f->edition;
    j["kind"] = f->kind;
    j["certificate_ids"] = f->certificate_ids;
    j["file_id"] = f->file_id;
    j["status"] = f->status;
    txn.put(key, j.dump());
  }
};

std::string text(const json& j, const char* name) { return j.value(name, std::string()); }

}  // namespace

Projections projections() {
  return {std::make_shared<RegistryProjection>(), std::make_shared<OrgsProjection>(),
          std::make_shared<CertificatesProjection>(), std::make_shared<StandardsProjection>()};
}

RegistryEntryView registry_from_json(const json& j) {
  return {text(j, "code"), text(j, "name"), text(j, "province_code"), text(j, "city_code"),
          text(j, "type")};
}

OrgView org_from_json(const json& j) {
  const std::string id = text(j, "id");
  return {id,
          std::string(OrgWorkflow::kind) + "-" + id,
          1,
          text(j, "code"),
          text(j, "name"),
          text(j, "credit_code"),
          text(j, "contact_name"),
          text(j, "contact_phone")};
}

CertificateView certificate_from_json(const json& j) {
  const std::string id = text(j, "id");
  return {id,
          std::string(CertificateWorkflow::kind) + "-" + id,
          1,
          text(j, "code"),
          text(j, "name"),
          j.value("levels", std::vector<std::string>{}),
          text(j, "org_id")};
}

StandardView standard_from_json(const json& j) {
  return {text(j, "id"),
          text(j, "stream"),
          j.value("version", std::uint64_t{0}),
          text(j, "org_id"),
          text(j, "code"),
          text(j, "name"),
          text(j, "edition"),
          text(j, "kind"),
          j.value("certificate_ids", std::vector<std::string>{}),
          text(j, "file_id"),
          text(j, "status")};
}

}  // namespace onex::reference
