#include "account/projection.h"

#include <fmt/format.h>

#include "account/decide.h"

namespace onex::account {
namespace {

using nlohmann::json;

json scope_json(const std::vector<ScopeItem>& scope) {
  json out = json::array();
  for (const auto& s : scope) out.push_back({{"certificate_id", s.certificate_id}, {"level", s.level}});
  return out;
}


class AccountsProjection final : public Projection {
 public:
  std::string_view name() const override { return kAccounts; }

  void apply(const RecordedEvent& e, ReadModelTxn& txn) const override {
    if (!e.stream.starts_with("account-")) return;
    auto event = Workflow::decode(e);
    if (!event) return;
    const std::string id = e.stream.substr(8);
    const std::string key = "a/" + id;
    json created;  // where a Created event's view is built
    json* v = &created;
    const bool creates = std::holds_alternative<Created>(*event);
    if (!creates) {
      v = txn.find_json(key);
      if (!v || !v->is_object()) return;
    }
    // The phase is the machine's: the one its table reaches by this event.
    const auto from = creates ? std::optional<Phase>(Phase::none)
                              : phase_named(v->value("phase", ""));
    const auto to = from ? phase_after(*from, *event) : std::nullopt;
    if (!to) return;  // no transition: the engine never appends such an event
    if (const auto* c = std::get_if<Created>(&*event)) {
      created = {{"id", id},           {"stream", e.stream},         {"account", c->account},
                 {"role", c->role},    {"name", c->pii.name},        {"phone_masked", ""},
                 {"email", ""},        {"scope", scope_json(c->scope)},
                 {"province_code", c->province_code}, {"city_code", c->city_code},
                 {"institution_id", c->institution_id}, {"org_id", c->org_id},
                 {"setup_required", true}, {"locked_until", ""}};
      for (const auto& scope : manager_scopes(c->role, c->province_code, c->institution_id))
        txn.put(fmt::format("by/{}/{:020}", scope, e.position), id);
    } else {
      std::visit([&](const auto& ev) { fold(*v, ev); }, *event);
    }
    (*v)["phase"] = phase_name(*to);
    (*v)["status"] = shown_status(*to, v->value("setup_required", false));
    (*v)["version"] = e.version;
    txn.put_json(key, std::move(*v));
  }

 private:
  static void fold(json&, const Created&) {}
  static void fold(json& v, const SetupCompleted& e) {
    v["name"] = e.pii.name;
    v["phone_masked"] = mask_phone(e.pii.phone);
    v["setup_required"] = false;
  }
  static void fold(json&, const LoginSucceeded&) {}
  static void fold(json&, const LoginFailed&) {}
  static void fold(json& v, const Locked& e) { v["locked_until"] = e.until; }
  static void fold(json& v, const Unlocked&) { v["locked_until"] = ""; }
  static void fold(json& v, const Disabled&) { v["locked_until"] = ""; }
  static void fold(json&, const Enabled&) {}
  static void fold(json& v, const Edited& e) {
    v["scope"] = scope_json(e.scope);
    if (!e.pii.name.empty()) v["name"] = e.pii.name;
  }
  static void fold(json&, const Deleted&) {}
  static void fold(json& v, const PasswordReset& e) {
    v["locked_until"] = "";
    if (e.by == "manager") v["setup_required"] = true;
  }
  static void fold(json& v, const BindingReset&) {
    v["name"] = "";
    v["phone_masked"] = "";
    v["setup_required"] = true;
  }
  static void fold(json&, const PasswordChanged&) {}
  static void fold(json& v, const ProfileChanged& e) {
    if (!e.pii.name.empty()) v["name"] = e.pii.name;
    v["email"] = e.email;
  }
  static void fold(json& v, const PhoneChanged& e) { v["phone_masked"] = mask_phone(e.pii.phone); }
};

}  // namespace

std::vector<std::string> manager_scopes(std::string_view role, std::string_view province_code,
                                        std::string_view institution_id) {
  std::vector<std::string> scopes;
  if (role == "province" || role == "city" || role == "org" || role == "auditor")
    scopes.push_back("operator");
  if (role == "leader" || role == "city") scopes.push_back("province:" + std::string(province_code));
  if (role == "staff") scopes.push_back("institution:" + std::string(institution_id));
  return scopes;
}

Projections projections() { return {std::make_shared<AccountsProjection>()}; }

AccountView Workflow::view(const Machine& m, std::uint64_t version) {
  const auto& s = m.data();
  AccountView v;
  v.id = s.id;
  v.stream = engine::stream_of<Workflow>(s.id);
  v.version = version;
  v.account = s.account;
  v.role = s.role;
  v.status = std::string(shown_status(m));
  v.name = s.name;
  v.phone_masked = mask_phone(s.phone);
  v.email = s.email;
  for (const auto& i : s.scope) v.scope.push_back({i.certificate_id, i.level});
  v.province_code = s.province_code;
  v.city_code = s.city_code;
  v.institution_id = s.institution_id;
  v.org_id = s.org_id;
  v.setup_required = s.setup_required;
  if (m.phase() == Phase::locked) v.locked_until = s.locked_until;
  return v;
}

AccountView view_from_json(const json& j) {
  AccountView v;
  v.id = j.value("id", "");
  v.stream = j.value("stream", "");
  v.version = j.value("version", std::uint64_t{0});
  v.account = j.value("account", "");
  v.role = j.value("role", "");
  v.status = j.value("status", "");
  v.name = j.value("name", "");
  v.phone_masked = j.value("phone_masked", "");
  v.email = j.value("email", "");
  for (const auto& s : j.value("scope", json::array()))
    v.scope.push_back({s.value("certificate_id", ""), s.value("level", "")});
  v.province_code = j.value("province_code", "");
  v.city_code = j.value("city_code", "");
  v.institution_id = j.value("institution_id", "");
  v.org_id = j.value("org_id", "");
  v.setup_required = j.value("setup_required", false);
  if (auto t = parse_time(j.value("locked_until", ""))) v.locked_until = *t;
  return v;
}

}  // namespace onex::account
