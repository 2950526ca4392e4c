#include "institution/projection.h"

#include <algorithm>

#include "declaration/events.h"
#include "institution/decide.h"

namespace onex::institution {
namespace {

using nlohmann::json;

json profile_json(const Profile& p) {
  json j = json::object();
  j["type"] = p.kind;
  j["credit_code"] = p.credit_code;
  j["website"] = p.website;
  j["district"] = p.district;
  j["address"] = p.address;
  j["contact_name"] = p.contact.contact_name;
  j["contact_phone"] = p.contact.contact_phone;
  j["contact_email"] = p.contact.contact_email;
  return j;
}

class InstitutionsProjection final : public Projection {
 public:
  std::string_view name() const override { return kInstitutions; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (e.stream.starts_with("institution-")) return institution(e, txn);
    if (e.stream.starts_with("declaration-")) return declaration(e, txn);
  }

 private:
  static void institution(const RecordedEvent& e, ReadModelTxn& txn) {
    auto event = Workflow::decode(e);
    if (!event) return;
    const std::string id = e.stream.substr(std::string_view("institution-").size());
    json created;
    json* v = &created;
    if (const auto* r = std::get_if<Registered>(&*event)) {
      created = json::object();
      created["id"] = id;
      created["stream"] = e.stream;
      created["code"] = r->code;
      created["name"] = r->name;
      created["province_code"] = r->province_code;
      created["city_code"] = r->city_code;
      created["type"] = r->institution_type;
      created["registered_by"] = r->by;
      created["profile"] = nullptr;
      created["profile_complete"] = false;
      created["leader_account_id"] = "";
    } else {
      v = txn.find_json(id);
      if (!v || !v->is_object()) return;
      if (const auto* l = std::get_if<LeaderAssigned>(&*event)) {
        (*v)["leader_account_id"] = l->account_id;
      } else if (const auto* p = std::get_if<ProfileUpdated>(&*event)) {
        const Profile profile{p->kind, p->credit_code, p->website, p->district, p->address, p->pii};
        (*v)["profile"] = profile_json(profile);
        (*v)["profile_complete"] = profile_complete(profile);
      }
    }
    (*v)["version"] = e.version;
    txn.put_json(id, std::move(*v));
  }

  static void declaration(const RecordedEvent& e, ReadModelTxn& txn) {
    const std::string declaration_id = e.stream.substr(std::string_view("declaration-").size());
    const std::string key = "decl/" + declaration_id;
    try {
      if (e.type == declaration::Drafted::type) {
        const auto d = e.data.get<declaration::Drafted>();
        txn.put_json(key, json{{"institution_id", d.institution_id},
                               {"year", d.year},
                               {"certificate_id", d.certificate_id}});
        return;
      }
      if (e.type != declaration::Approved::type) return;
    } catch (const json::exception&) {
      return;
    }
    const json* found = txn.find_json(key);
    if (!found || !found->is_object()) return;
    const std::string institution_id = found->value("institution_id", "");
    const int year = found->value("year", 0);
    const std::string certificate = found->value("certificate_id", "");
    const std::string pilot_key = "pilot/" + institution_id;
    json* pilot = txn.find_json(pilot_key);
    json years = pilot && pilot->is_array() ? std::move(*pilot) : json::array();
    auto it = std::find_if(years.begin(), years.end(),
                           [&](const json& y) { return y.value("year", 0) == year; });
    if (it == years.end()) {
      auto at = std::find_if(years.begin(), years.end(),
                             [&](const json& y) { return y.value("year", 0) > year; });
      it = years.insert(at, json{{"year", year}, {"certificates", json::array()}});
    }
    auto& certificates = (*it)["certificates"];
    std::vector<std::string> list = certificates.get<std::vector<std::string>>();
    if (std::find(list.begin(), list.end(), certificate) == list.end()) {
      list.push_back(certificate);
      std::sort(list.begin(), list.end());
      certificates = list;
    }
    txn.put_json(pilot_key, std::move(years));
  }
};

}  // namespace

Projections projections() { return {std::make_shared<InstitutionsProjection>()}; }

std::vector<PilotYear> pilot_years_from_json(const json& j) {
  std::vector<PilotYear> out;
  if (!j.is_array()) return out;
  for (const auto& y : j) {
    if (!y.is_object()) continue;
    PilotYear p;
    p.year = y.value("year", 0);
    if (auto c = y.find("certificates"); c != y.end() && c->is_array())
      for (const auto& id : *c)
        if (id.is_string()) p.certificates.push_back(id.get<std::string>());
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace onex::institution
