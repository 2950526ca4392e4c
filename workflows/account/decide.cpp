#include "account/decide.h"

#include <algorithm>
#include <tuple>

#include "common/lookups.h"
#include "util/identifiers.h"
#include "onex/regions.h"

namespace onex::account {
namespace {

using util::plain_id;

Status invalid(std::string field, std::string code, std::string message) {
  return Status::unprocessable("validation.failed", "the account has invalid fields",
                               {{std::move(field), std::move(code), std::move(message)}});
}

Status check_scope(const std::vector<CertificateLevel>& scope) {
  if (scope.size() > 100) return invalid("scope", "too_many", "at most 100 certificate levels");
  for (const auto& s : scope) {
    if (!plain_id(s.certificate_id))
      return invalid("scope", "invalid_certificate", "not a certificate id");
    if (s.level != "junior" && s.level != "intermediate" && s.level != "senior")
      return invalid("scope", "invalid_level", "level is junior, intermediate or senior");
  }
  return {};
}

}  // namespace

std::string_view shown_status(const Machine& m) {
  return m.phase() == Phase::active && m.data().setup_required ? "provisioned" : engine::enum_name(m.phase());
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

Status check_managed(const Machine& m, const Actor& a) {
  const auto& t = m.data();
  return m.phase() != Phase::deleted && manages(a, t.role, t.province_code, t.institution_id) ? Status{}
                                                                                              : not_found();
}

std::string manager_scope(const Actor& a) {
  if (a.role == "operator") return "operator";
  if (a.role == "province") return "province:" + a.province_code;
  if (a.role == "leader") return "institution:" + a.institution_id;
  return "";
}

bool sees(const Actor& a, const Machine& m) {
  const auto& t = m.data();
  return m.phase() != Phase::none &&
         (t.id == a.account_id || manages(a, t.role, t.province_code, t.institution_id));
}

Actor actor_of(const State& s) {
  Actor a{.account_id = s.id, .role = s.role, .province_code = s.province_code,
          .city_code = s.city_code, .institution_id = s.institution_id, .org_id = s.org_id};
  if (s.role != "staff") return a;
  a.levels = s.scope;
  for (const auto& entry : s.scope)
    if (std::find(a.certificates.begin(), a.certificates.end(), entry.certificate_id) == a.certificates.end())
      a.certificates.push_back(entry.certificate_id);
  return a;
}

Result<NewAccount> managed_account(const NewAccount& input, const Actor& a) {
  // What a role may not do is 403 (API.md); a role that is none is a field at fault.
  if (a.role != "operator" && a.role != "province" && a.role != "leader")
    return Status::forbidden("auth.forbidden", "the role " + a.role + " manages no accounts");
  NewAccount in = input;
  if (a.role == "leader")
    std::tie(in.institution_id, in.province_code, in.city_code) = std::tie(a.institution_id, a.province_code, a.city_code);
  if (a.role == "province") in.province_code = a.province_code;
  if (in.role != "city" && in.role != "staff") in.city_code.clear();
  if (in.role == "province" || in.role == "org" || in.role == "auditor") in.institution_id.clear();
  if (std::find(std::begin(kRoles), std::end(kRoles), in.role) == std::end(kRoles))
    return invalid("role", "invalid", "operator, province, city, org, auditor, leader or staff");
  if (!manages(a, in.role, in.province_code, in.institution_id))
    return Status::forbidden("auth.forbidden",
                             "the role " + a.role + " may not create " + in.role + " accounts");
  if (!valid_account_name(in.account))
    return invalid("account", "invalid", "3 to 32 letters, digits and _ . @ -");
  if (in.role == "leader" && in.account.size() + kLeaderSuffix > 32)
    return invalid("account", "too_long", "at most 25 characters: onex adds 7 to a leader's");
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
    if (auto s = check_scope(in.scope); !s) return s;
  }
  return in;
}

Status check_sign_in(const Machine& m) {
  if (m.phase() == Phase::disabled)
    return Status::forbidden("account.disabled", "the account is disabled");
  if (m.phase() == Phase::locked)
    return Status::forbidden("account.locked",
                             "the account is locked until " + format_china(m.data().locked_until))
        .with("until", format_china(m.data().locked_until));
  return {};
}

bool captcha_due(const Machine& m) { return m.data().consecutive_failures >= kCaptchaAfter; }

Result<Decision> decide_create(const Machine&, const Create& create, const Context& ctx) {
  const NewAccount& in = create.account;
  Created c;
  engine::assign(c, in);  // name, role, places, scope
  c.account_id = std::string(ctx.id);
  c.password_hash = create.password_hash;
  c.issued_by = create.issued_by;
  c.pii.name = in.name;
  Decision d{{std::move(c)}};
  d.claims.push_back({lookup::account_name_key(in.account), "account.name_taken",
                      "the account name is in use; choose another"});
  // A registration that finds a leader there meets an institution that registered already.
  if (in.role == "leader")
    d.claims.push_back({lookup::leader_key(in.institution_id),
                        create.by == "self" ? "institution.already_registered"
                                            : "institution.leader_exists",
                        "the institution has a leader account already"});
  return d;
}

Result<Decision> decide_failure(const Machine& m, const Failure& in, const Context& ctx) {
  const Timestamp now = ctx.now;
  const int failures = m.data().consecutive_failures + 1;
  const int checked = m.data().checked_failures + (in.checked ? 1 : 0);
  Decision d{{LoginFailed{failures, checked}}};
  if (checked >= kDisableAfter)
    d.events.push_back(Disabled{"failures"});
  else if (failures == kLockAfter)
    d.events.push_back(Locked{format_utc(now + kLockFor)});
  return d;
}

Result<Decision> decide_unlock(const Machine& m, const Target&, const Context& ctx) {
  const Timestamp now = ctx.now;
  Decision d;
  if (m.phase() == Phase::locked && now >= m.data().locked_until) d.events.push_back(Unlocked{});
  return d;
}

Result<Decision> decide_login(const Machine&, const Login& in, const Context&) {
  return Decision{{LoginSucceeded{in.second_factor}}};
}

Result<Decision> decide_setup(const Machine& m, const Setup& in, const Context&) {
  if (!m.data().setup_required)
    return Status::conflict("account.setup_done", "the account is already set up");
  return Decision{{SetupCompleted{in.password_hash, Person{in.name, in.phone}}}};
}

Result<Decision> decide_disable(const Machine& m, const Target&, const Context& ctx) {
  if (auto s = check_managed(m, ctx.actor); !s) return s;
  if (m.phase() == Phase::disabled && m.data().disabled_by == "manager") return Decision{};
  return Decision{{Disabled{"manager"}}};
}

Result<Decision> decide_enable(const Machine& m, const Target&, const Context& ctx) {
  if (auto s = check_managed(m, ctx.actor); !s) return s;
  if (m.phase() == Phase::active) return Decision{};
  return Decision{{Enabled{}}};
}

Result<Decision> decide_edit(const Machine& m, const Edit& in, const Context& ctx) {
  const auto& [id, name, scope] = in;
  if (auto s = check_managed(m, ctx.actor); !s) return s;
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
  return Decision{{std::move(e)}};
}

Result<Decision> decide_delete(const Machine& m, const Target&, const Context& ctx) {
  if (auto s = check_managed(m, ctx.actor); !s) return s;
  if (m.phase() != Phase::disabled)
    return Status::conflict("account.not_disabled", "disable the account before deleting it");
  return Decision{{Deleted{}}};
}

Result<Decision> decide_reset_password(const Machine& m, const ResetPassword& in,
                                       const Context& ctx) {
  const bool reenable = m.phase() != Phase::disabled || m.data().disabled_by == "failures";
  return Decision{{PasswordReset{in.password_hash, in.by, m.phase() == Phase::disabled && reenable,
                           in.by == "manager" ? ctx.actor.account_id : std::string()}}};
}

Result<Decision> decide_reset_binding(const Machine& m, const Target&, const Context& ctx) {
  if (auto s = check_managed(m, ctx.actor); !s) return s;
  return Decision{{BindingReset{}}};
}

Result<Decision> decide_password_change(const Machine&, const NewPassword& in, const Context&) {
  return Decision{{PasswordChanged{in.password_hash}}};
}

Result<Decision> decide_profile(const Machine& m, const Profile& in, const Context&) {
  const auto& [id, name, email] = in;
  if (name && !valid_name(*name)) return invalid("name", "invalid", "the user's real name");
  if (email && !email->empty() && !valid_email(*email))
    return invalid("email", "invalid", "an e-mail address");
  ProfileChanged e{email.value_or(m.data().email), Person{name.value_or(m.data().name), ""}};
  if (e.email == m.data().email && e.pii.name == m.data().name) return Decision{};
  return Decision{{std::move(e)}};
}

Result<Decision> decide_phone(const Machine& m, const Phone& in, const Context&) {
  if (in.phone == m.data().phone) return Decision{};
  return Decision{{PhoneChanged{Person{"", in.phone}}}};
}

}  // namespace onex::account
