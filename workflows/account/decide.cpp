#include "account/decide.h"

#include <algorithm>

#include "onex/regions.h"

namespace onex::account {
namespace {

Status not_found() { return Status::not_found("account.not_found", "no such account"); }

Status invalid(std::string field, std::string code, std::string message) {
  return Status::unprocessable("validation.failed", "the account has invalid fields",
                               {{std::move(field), std::move(code), std::move(message)}});
}

bool plain_id(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

std::vector<ScopeItem> to_items(const std::vector<ScopeEntry>& scope) {
  std::vector<ScopeItem> items;
  for (const auto& s : scope) items.push_back({s.certificate_id, s.level});
  return items;
}

Status check_scope(const std::vector<ScopeItem>& scope) {
  if (scope.size() > 100) return invalid("scope", "too_many", "at most 100 certificate levels");
  for (const auto& s : scope) {
    if (!plain_id(s.certificate_id))
      return invalid("scope", "invalid_certificate", "not a certificate id");
    if (s.level != "junior" && s.level != "intermediate" && s.level != "senior")
      return invalid("scope", "invalid_level", "level is junior, intermediate or senior");
  }
  return {};
}

Decision one(Event e) {
  Decision d;
  d.events.push_back(std::move(e));
  return d;
}

}  // namespace

std::string name_key(std::string_view account) {
  std::string key = "account:";
  for (char c : account) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

std::string_view shown_status(Phase phase, bool setup_required) {
  if (phase == Phase::active && setup_required) return "provisioned";
  return phase_name(phase);
}

std::string_view shown_status(const Machine& m) {
  return shown_status(m.phase(), m.data().setup_required);
}

bool valid_phone(std::string_view phone) {
  if (phone.starts_with("+86")) phone.remove_prefix(3);
  return phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9' &&
         std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string normal_phone(std::string_view phone) {
  if (phone.starts_with("+86")) phone.remove_prefix(3);
  return std::string(phone);
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= 50 &&
         std::none_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

bool valid_account_name(std::string_view name) {
  return name.size() >= 3 && name.size() <= 32 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '.' || c == '@' || c == '-';
         });
}

bool valid_email(std::string_view email) {
  const auto at = email.find('@');
  return email.size() <= 254 && at != std::string_view::npos && at > 0 &&
         email.find('@', at + 1) == std::string_view::npos &&
         email.find('.', at) != std::string_view::npos && email.back() != '.' &&
         std::none_of(email.begin(), email.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

bool manages(const Actor& a, std::string_view role, std::string_view province_code,
             std::string_view institution_id) {
  if (a.role == "operator")
    return role == "province" || role == "city" || role == "org" || role == "auditor";
  if (a.role == "province")
    return !a.province_code.empty() && province_code == a.province_code &&
           (role == "leader" || role == "city");
  if (a.role == "leader")
    return !a.institution_id.empty() && role == "staff" && institution_id == a.institution_id;
  return false;
}

Status check_manager(const State& t, const Actor& a) {
  return manages(a, t.role, t.province_code, t.institution_id) ? Status{} : not_found();
}

Status check_new_account(const NewAccount& in, const Actor& a) {
  const bool may =
      (a.role == "operator" && (in.role == "province" || in.role == "city" || in.role == "org" ||
                                in.role == "auditor")) ||
      (a.role == "province" && (in.role == "leader" || in.role == "city")) ||
      (a.role == "leader" && in.role == "staff");
  if (!may) {
    if (a.role != "operator" && a.role != "province" && a.role != "leader")
      return Status::forbidden("auth.forbidden", "the role " + a.role + " manages no accounts");
    return invalid("role", "not_allowed", "you cannot create " + in.role + " accounts");
  }
  if (!valid_account_name(in.account))
    return invalid("account", "invalid", "3 to 32 letters, digits and _ . @ -");
  if (!valid_name(in.name)) return invalid("name", "required", "the user's real name");
  // Each role's scope comes from its manager, never from the request where it cannot differ.
  if (in.role == "province" && !is_province_code(in.province_code))
    return invalid("province_code", "invalid", "one of the 34 GB/T 2260 province codes");
  if (in.role == "city") {
    const auto& province = a.role == "province" ? a.province_code : in.province_code;
    if (!is_city_code_of(in.city_code, province))
      return invalid("city_code", "invalid", "four digits beginning with the province's code");
  }
  if (in.role == "org" && !plain_id(in.org_id)) return invalid("org_id", "required", "the org");
  if (in.role == "leader" && !plain_id(in.institution_id))
    return invalid("institution_id", "required", "the institution");
  if (!in.scope.empty()) {
    if (in.role != "staff") return invalid("scope", "not_allowed", "only staff accounts have a scope");
    if (auto s = check_scope(to_items(in.scope)); !s) return s;
  }
  return {};
}

Result<Decision> decide_create(const Machine& m, const std::string& id, const NewAccount& in,
                               const std::string& password_hash, const std::string& issued_by) {
  Created c;
  c.account_id = id;
  c.account = in.account;
  c.role = in.role;
  c.province_code = in.province_code;
  c.city_code = in.city_code;
  c.institution_id = in.institution_id;
  c.org_id = in.org_id;
  c.scope = to_items(in.scope);
  c.password_hash = password_hash;
  c.issued_by = issued_by;
  c.pii.name = in.name;
  Decision d = one(std::move(c));
  d.claims.push_back({name_key(in.account), "account.name_taken"});
  if (in.role == "leader")
    d.claims.push_back({"leader:" + in.institution_id, "institution.leader_exists"});
  return d;
}

Result<Decision> decide_failure(const Machine& m, Timestamp now) {
  const int failures = m.data().consecutive_failures + 1;
  Decision d = one(LoginFailed{failures});
  if (failures >= kDisableAfter)
    d.events.push_back(Disabled{"failures"});
  else if (failures == kLockAfter)
    d.events.push_back(Locked{format_utc(now + kLockFor)});
  return d;
}

Result<Decision> decide_unlock(const Machine& m, Timestamp now) {
  Decision d;
  if (m.phase() == Phase::locked && now >= m.data().locked_until) d.events.push_back(Unlocked{});
  return d;
}

Result<Decision> decide_login(const Machine& m, const std::string& second_factor) {
  return one(LoginSucceeded{second_factor});
}

Result<Decision> decide_setup(const Machine& m, const std::string& name, const std::string& phone,
                              const std::string& password_hash) {
  if (!m.data().setup_required)
    return Status::conflict("account.setup_done", "the account is already set up");
  return one(SetupCompleted{password_hash, Person{name, phone}});
}

Result<Decision> decide_disable(const Machine& m, const Actor& actor) {
  if (auto s = check_manager(m.data(), actor); !s) return s;
  if (m.phase() == Phase::disabled && m.data().disabled_by == "manager") return Decision{};
  return one(Disabled{"manager"});
}

Result<Decision> decide_enable(const Machine& m, const Actor& actor) {
  if (auto s = check_manager(m.data(), actor); !s) return s;
  if (m.phase() == Phase::active) return Decision{};
  return one(Enabled{});
}

Result<Decision> decide_edit(const Machine& m, const Actor& actor,
                             const std::optional<std::string>& name,
                             const std::optional<std::vector<ScopeItem>>& scope) {
  if (auto s = check_manager(m.data(), actor); !s) return s;
  if (m.phase() != Phase::disabled)
    return Status::conflict("account.not_disabled", "disable the account before editing it");
  if (name && !valid_name(*name)) return invalid("name", "invalid", "the user's real name");
  if (scope) {
    if (m.data().role != "staff" && !scope->empty())
      return invalid("scope", "not_allowed", "only staff accounts have a scope");
    if (auto s = check_scope(*scope); !s) return s;
  }
  Edited e{scope.value_or(m.data().scope), Person{name.value_or(m.data().name), ""}};
  if (e.scope == m.data().scope && e.pii.name == m.data().name) return Decision{};
  return one(std::move(e));
}

Result<Decision> decide_delete(const Machine& m, const Actor& actor) {
  if (auto s = check_manager(m.data(), actor); !s) return s;
  if (m.phase() != Phase::disabled)
    return Status::conflict("account.not_disabled", "disable the account before deleting it");
  return one(Deleted{});
}

Result<Decision> decide_reset_password(const Machine& m, const std::string& password_hash,
                                       const std::string& by, const std::string& issued_by) {
  const bool reenable = m.phase() != Phase::disabled || m.data().disabled_by == "failures";
  return one(PasswordReset{password_hash, by, m.phase() == Phase::disabled && reenable,
                           by == "manager" ? issued_by : std::string()});
}

Result<Decision> decide_reset_binding(const Machine& m, const Actor& actor) {
  if (auto s = check_manager(m.data(), actor); !s) return s;
  return one(BindingReset{});
}

Result<Decision> decide_password_change(const Machine& m, const std::string& password_hash) {
  return one(PasswordChanged{password_hash});
}

Result<Decision> decide_profile(const Machine& m, const std::optional<std::string>& name,
                                const std::optional<std::string>& email) {
  if (name && !valid_name(*name)) return invalid("name", "invalid", "the user's real name");
  if (email && !email->empty() && !valid_email(*email))
    return invalid("email", "invalid", "an e-mail address");
  ProfileChanged e{email.value_or(m.data().email), Person{name.value_or(m.data().name), ""}};
  if (e.email == m.data().email && e.pii.name == m.data().name) return Decision{};
  return one(std::move(e));
}

Result<Decision> decide_phone(const Machine& m, const std::string& phone) {
  if (phone == m.data().phone) return Decision{};
  return one(PhoneChanged{Person{"", phone}});
}

nlohmann::json Workflow::snapshot(const Machine& m) {
  const auto& s = m.data();
  return {{"phase", phase_name(m.phase())},
          {"state",
           {{"id", s.id}, {"account", s.account}, {"role", s.role},
            {"province_code", s.province_code}, {"city_code", s.city_code},
            {"institution_id", s.institution_id}, {"org_id", s.org_id},
            {"issued_by", s.issued_by}, {"scope", s.scope}, {"name", s.name}, {"phone", s.phone},
            {"email", s.email}, {"password_hash", s.password_hash},
            {"setup_required", s.setup_required},
            {"consecutive_failures", s.consecutive_failures},
            {"locked_until", s.locked_until.time_since_epoch().count()},
            {"disabled_by", s.disabled_by}, {"session_epoch", s.session_epoch}}}};
}

Result<Machine> Workflow::restore(const nlohmann::json& saved) {
  try {
    const auto& j = saved.at("state");
    Restored r;
    const std::string phase = saved.at("phase").get<std::string>();
    for (auto p : {Phase::active, Phase::locked, Phase::disabled, Phase::deleted})
      if (phase_name(p) == phase) r.phase = p;
    auto& s = r.data;
    s.id = j.at("id").get<std::string>();
    s.account = j.at("account").get<std::string>();
    s.role = j.at("role").get<std::string>();
    s.province_code = j.at("province_code").get<std::string>();
    s.city_code = j.at("city_code").get<std::string>();
    s.institution_id = j.at("institution_id").get<std::string>();
    s.org_id = j.at("org_id").get<std::string>();
    s.issued_by = j.at("issued_by").get<std::string>();
    s.scope = j.at("scope").get<std::vector<ScopeItem>>();
    s.name = j.at("name").get<std::string>();
    s.phone = j.at("phone").get<std::string>();
    s.email = j.at("email").get<std::string>();
    s.password_hash = j.at("password_hash").get<std::string>();
    s.setup_required = j.at("setup_required").get<bool>();
    s.consecutive_failures = j.at("consecutive_failures").get<int>();
    s.locked_until = Timestamp{std::chrono::milliseconds{j.at("locked_until").get<long long>()}};
    s.disabled_by = j.at("disabled_by").get<std::string>();
    s.session_epoch = j.at("session_epoch").get<int>();
    Machine m;
    if (!m.restore(r)) return Status::corruption("a snapshot with an unknown phase");
    return m;
  } catch (const nlohmann::json::exception& e) {
    return Status::corruption(std::string("unreadable snapshot: ") + e.what());
  }
}

}  // namespace onex::account
