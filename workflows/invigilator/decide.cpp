#include "invigilator/decide.h"

#include <algorithm>
#include <set>

#include "common/access.h"
#include "util/identifiers.h"

namespace onex::invigilator {

bool sees(const Actor& a, const State& s) {
  if (s.id.empty()) return false;
  if (a.role == "org") return !a.org_id.empty() && a.org_id == s.org_id;
  if (!access::institution_side(a) || a.institution_id != s.institution_id) return false;
  return std::any_of(s.certificate_ids.begin(), s.certificate_ids.end(),
                     [&](const std::string& c) { return access::in_certificate_scope(a, c); });
}

Result<Decision> decide_submit(const Machine&, const InvigilatorInput& in, const Context& ctx, const Facts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"leader", "staff"}); !s) return s;
  std::vector<FieldError> errors;
  if (!util::plain_text(in.name, 100)) errors.push_back({"name", "required", "1 to 100 bytes"});
  if (!util::valid_resident_id(in.id_number))
    errors.push_back({"id_number", "invalid", "an 18-character resident ID number (GB 11643) with its check character"});
  if (!util::valid_mobile(in.phone))
    errors.push_back({"phone", "invalid", "a mainland mobile number: 11 digits starting 13 to 19"});
  std::set<std::string> orgs;
  const std::set<std::string> distinct(in.certificate_ids.begin(), in.certificate_ids.end());
  if (in.certificate_ids.empty() || in.certificate_ids.size() > 20 || distinct.size() != in.certificate_ids.size())
    errors.push_back({"certificate_ids", "invalid", "1 to 20 distinct certificates"});
  for (std::size_t i = 0; i < in.certificate_ids.size(); ++i) {
    const auto& id = in.certificate_ids[i];
    const std::string field = "certificate_ids[" + std::to_string(i) + "]";
    auto c = facts.certificates.find(id);
    auto p = facts.piloted.find(id);
    if (c == facts.certificates.end() || p == facts.piloted.end() || !p->second ||
        !access::in_certificate_scope(ctx.actor, id))
      errors.push_back({field, "out_of_scope", "a certificate the institution pilots, within your scope"});
    else
      orgs.insert(c->second.org_id);
  }
  if (orgs.size() > 1) errors.push_back({"certificate_ids", "ambiguous", "certificates of one org: each org certifies its own"});
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the invigilator has invalid fields", std::move(errors));
  Submitted e;
  e.invigilator_id = std::string(ctx.id);
  e.institution_id = ctx.actor.institution_id;
  e.org_id = *orgs.begin();
  e.certificate_ids = in.certificate_ids;
  e.pii = {in.name, in.id_number, std::string(util::plain_mobile(in.phone))};
  e.person_key = facts.person_key;
  Decision d{{std::move(e)}};
  d.claims.push_back({person_claim(*orgs.begin(), facts.person_key), "invigilator.already_submitted",
                      "this person is already an invigilator submitted to this org"});
  return d;
}

std::string person_claim(std::string_view org_id, std::string_view person_key) {
  return "invigilator/" + std::string(org_id) + "/" + std::string(person_key);
}

Result<Decision> decide_review(const Machine& m, const Review& in, const Context& ctx) {
  if (m.phase() == Phase::none || !sees(ctx.actor, m.data())) return engine::not_found<Workflow>();
  if (ctx.actor.role != "org") return Status::forbidden("auth.forbidden", "only the org certifies invigilators");
  if (in.review.approve) return Decision{{Certified{in.review.reason}}};
  if (!util::plain_text(in.review.reason, 500))
    return Status::unprocessable("validation.failed", "say why", {{"reason", "required", "1 to 500 bytes"}});
  Decision d{{Rejected{in.review.reason}}};
  if (!m.data().person_key.empty()) d.releases.push_back(person_claim(m.data().org_id, m.data().person_key));
  return d;
}

}  // namespace onex::invigilator
