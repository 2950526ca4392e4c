#include "institution/decide.h"

#include <algorithm>

#include "util/identifiers.h"

namespace onex::institution {
namespace {

using util::plain_text;
using util::valid_email;

constexpr std::size_t kMaxText = 200;

// A landline: area code 0 and 2 to 3 digits, '-', 7 or 8 digits, optional "-extension".
bool valid_landline(std::string_view p) {
  const auto dash = p.find('-');
  if (dash == std::string_view::npos || dash < 3 || dash > 4 || p[0] != '0') return false;
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(p.substr(0, dash))) return false;
  auto rest = p.substr(dash + 1);
  const auto ext = rest.find('-');
  auto number = rest.substr(0, ext);
  if (!digits(number) || number.size() < 7 || number.size() > 8) return false;
  return ext == std::string_view::npos ||
         (digits(rest.substr(ext + 1)) && rest.size() - ext - 1 <= 6);
}

bool valid_url(std::string_view u) {
  std::string_view rest;
  if (u.starts_with("https://")) rest = u.substr(8);
  else if (u.starts_with("http://")) rest = u.substr(7);
  else return false;
  const auto host = rest.substr(0, rest.find_first_of("/?#"));
  return u.size() <= 500 && !host.empty() && host.find('.') != std::string_view::npos &&
         std::all_of(u.begin(), u.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; }) &&
         std::all_of(host.begin(), host.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '.' || c == '-' || c == ':';
         });
}

}  // namespace

Status not_found() { return engine::not_found<Workflow>(); }

Result<std::vector<Event>> decide_leader(const Machine& m, const lookup::RegistryEntry& entry,
                                         const std::string& account_id, const std::string& account,
                                         const std::string& by) {
  std::vector<Event> events;
  if (m.phase() == Phase::none)
    events.push_back(Registered{entry.code, entry.code, entry.name, entry.province_code,
                                entry.city_code, entry.type, by});
  else if (!m.data().leader_account_id.empty())
    return by == "self" ? Status::conflict("institution.already_registered",
                                           "the institution is registered already")
                        : Status::conflict("institution.leader_exists",
                                           "the institution has a leader account already");
  events.push_back(LeaderAssigned{account_id, account});
  return events;
}

std::vector<Event> decide_leader_reset(const Machine& m, const std::string& account_id,
                                       const std::string& what) {
  if (m.phase() == Phase::none || m.data().leader_account_id != account_id) return {};
  return {LeaderReset{account_id, what}};
}

bool sees_institution(const Actor& a, std::string_view id, std::string_view province_code,
                      std::string_view city_code) {
  if (a.role == "leader" || a.role == "staff") return !a.institution_id.empty() && a.institution_id == id;
  if (a.role == "province") return !a.province_code.empty() && a.province_code == province_code;
  if (a.role == "city") return !a.city_code.empty() && a.city_code == city_code;
  return a.role == "operator" || a.role == "auditor";
}

bool sees_seal(const Actor& a, std::string_view id) {
  return (a.role == "leader" && !a.institution_id.empty() && a.institution_id == id) ||
         a.role == "auditor";
}

Status check_visible(const Machine& m, const Actor& a) {
  if (m.phase() == Phase::none) return not_found();
  const auto& s = m.data();
  return sees_institution(a, s.id, s.province_code, s.city_code) ? Status{} : not_found();
}

Status check_leader(const Machine& m, const Actor& a) {
  if (m.phase() == Phase::none || a.institution_id != m.data().id ||
      (a.role != "leader" && a.role != "staff"))
    return not_found();
  if (a.role != "leader")
    return Status::forbidden("auth.forbidden", "only the institution's leader may do this");
  return {};
}

bool profile_complete(const Profile& p) {
  InstitutionProfile in{p.kind, p.credit_code, p.website, p.district, p.address,
                        p.contact.contact_name, p.contact.contact_phone, p.contact.contact_email};
  return check_profile(in).empty();
}

Result<Decision> decide_profile(const Machine& m, const EditProfile& edit, const Context& ctx) {
  const InstitutionProfile& in = edit.profile;
  if (auto s = check_leader(m, ctx.actor); !s) return s;
  auto errors = check_profile(in);
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the basic info has invalid fields",
                                 std::move(errors));
  ProfileUpdated e{in.type, in.credit_code, in.website, in.district, in.address,
                   Contact{in.contact_name, std::string(util::plain_mobile(in.contact_phone)),
                           in.contact_email}};
  Decision d;
  const auto& current = m.data().profile;
  if (current && *current == Profile{e.kind, e.credit_code, e.website, e.district, e.address, e.pii})
    return d;  // nothing changes
  d.events.push_back(std::move(e));
  return d;
}

Result<Decision> decide_seal(const Machine& m, const SetSeal& set, const Context& ctx,
                             const SealFacts& facts) {
  const SealInput& in = set.seal;
  if (auto s = check_leader(m, ctx.actor); !s) return s;
  std::vector<FieldError> errors = facts.file_errors;
  auto text = [&](const char* field, const std::string& v, const char* what) {
    if (!plain_text(v, 100)) errors.push_back({field, "required", what});
  };
  text("principal_name", in.principal_name, "the principal's name, 1 to 100 bytes");
  text("principal_title", in.principal_title, "the principal's title, 1 to 100 bytes");
  if (!in.agreement_accepted)
    errors.push_back({"agreement_accepted", "required", "accept the authorisation agreement"});
  if (!facts.file && errors.size() == facts.file_errors.size() && !facts.refused.is_ok())
    return facts.refused;  // only the file is wrong: its own refusal
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the seal has invalid fields",
                                 std::move(errors));
  Decision d;
  d.events.push_back(SealSet{facts.file->id, facts.file->sha256, in.principal_name,
                             in.principal_title, format_utc(ctx.now)});
  return d;
}

}  // namespace onex::institution

namespace onex {

std::vector<FieldError> check_profile(const InstitutionProfile& p) {
  using namespace institution;
  std::vector<FieldError> errors;
  if (!plain_text(p.type, 100))
    errors.push_back({"type", "required", "the institution's type, 1 to 100 bytes"});
  if (!util::valid_credit_code(p.credit_code))
    errors.push_back({"credit_code", "invalid",
                      "an 18-character unified social credit code (GB 32100-2015)"});
  if (!p.website.empty() && !valid_url(p.website))
    errors.push_back({"website", "invalid", "an http:// or https:// address"});
  if (!plain_text(p.district, kMaxText))
    errors.push_back({"district", "required", "the district, 1 to 200 bytes"});
  if (!plain_text(p.address, 500))
    errors.push_back({"address", "required", "the address, 1 to 500 bytes"});
  if (!plain_text(p.contact_name, 50))
    errors.push_back({"contact_name", "required", "the contact person's name"});
  if (!util::valid_mobile(p.contact_phone) && !valid_landline(p.contact_phone))
    errors.push_back({"contact_phone", "invalid",
                      "a mobile number (1[3-9] and 9 digits) or a landline like 010-12345678"});
  if (!valid_email(p.contact_email))
    errors.push_back({"contact_email", "invalid", "an e-mail address"});
  return errors;
}

}  // namespace onex
