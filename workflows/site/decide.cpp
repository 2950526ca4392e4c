#include "site/decide.h"

#include <algorithm>
#include <set>

#include "common/access.h"
#include "onex/regions.h"
#include "util/identifiers.h"

namespace onex::site {
namespace {

bool of_org(const State& s, std::string_view org_id) {
  return std::any_of(s.parts.begin(), s.parts.end(), [&](const Part& p) { return p.org_id == org_id; });
}

}  // namespace

bool sees(const Actor& a, const Machine& m) {
  const auto& s = m.data();
  if (m.phase() == Phase::none) return false;
  if (a.role == "org") return m.phase() != Phase::draft && !a.org_id.empty() && of_org(s, a.org_id);
  if (!access::institution_side(a)) return false;
  if (a.institution_id == s.institution_id)
    return std::any_of(s.parts.begin(), s.parts.end(),
                       [&](const Part& p) { return access::in_certificate_scope(a, p.certificate_id); });
  return std::any_of(s.loans.begin(), s.loans.end(), [&](const Loan& l) {
    return l.institution_id == a.institution_id && access::in_certificate_scope(a, l.certificate_id);
  });
}

Result<Decision> decide_apply(const Machine&, const SiteInput& in, const Context& ctx, const Facts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"leader", "staff"}); !s) return s;
  std::vector<FieldError> errors;
  if (!util::plain_text(in.name, 200)) errors.push_back({"name", "required", "1 to 200 bytes"});
  if (!is_province_code(in.province_code)) errors.push_back({"province_code", "invalid", "a GB/T 2260 province code"});
  else if (!is_city_code_of(in.city_code, in.province_code))
    errors.push_back({"city_code", "invalid", "a city of the province"});
  if (!in.district.empty() && !util::plain_text(in.district, 100)) errors.push_back({"district", "invalid", "at most 100 bytes"});
  if (!util::plain_text(in.address, 300)) errors.push_back({"address", "required", "1 to 300 bytes"});
  if (in.introduction.size() > 5000) errors.push_back({"introduction", "too_long", "at most 5000 bytes"});
  if (!util::plain_text(in.contact_name, 100)) errors.push_back({"contact_name", "required", "1 to 100 bytes"});
  if (!util::valid_mobile(in.contact_phone))
    errors.push_back({"contact_phone", "invalid", "a mainland mobile number: 11 digits starting 13 to 19"});
  const std::set<std::string> distinct(in.certificate_ids.begin(), in.certificate_ids.end());
  if (in.certificate_ids.empty() || in.certificate_ids.size() > 20 || distinct.size() != in.certificate_ids.size())
    errors.push_back({"certificate_ids", "invalid", "1 to 20 distinct certificates"});
  Applied e;
  for (std::size_t i = 0; i < in.certificate_ids.size(); ++i) {
    const auto& id = in.certificate_ids[i];
    auto c = facts.certificates.find(id);
    auto p = facts.piloted.find(id);
    if (c == facts.certificates.end() || p == facts.piloted.end() || !p->second ||
        !access::in_certificate_scope(ctx.actor, id))
      errors.push_back({"certificate_ids[" + std::to_string(i) + "]", "out_of_scope",
                        "a certificate the institution pilots, within your scope"});
    else
      e.org_ids.push_back(c->second.org_id);
  }
  if (in.file_ids.size() > 10) errors.push_back({"file_ids", "too_many", "at most 10 files"});
  for (const auto& f : facts.file_errors) errors.push_back(f);
  if (!errors.empty()) {
    const bool only_files = std::all_of(errors.begin(), errors.end(),
                                        [](const FieldError& f) { return f.code == "file.not_usable"; });
    return Status::unprocessable(only_files ? "file.not_usable" : "validation.failed",
                                 "the site has invalid fields", std::move(errors));
  }
  engine::assign(e, in);  // name, region, address, introduction, certificates, files
  e.site_id = std::string(ctx.id);
  e.institution_id = ctx.actor.institution_id;
  e.pii = {in.contact_name, std::string(util::plain_mobile(in.contact_phone))};
  return Decision{{std::move(e)}};
}

Result<Decision> decide_submit(const Machine& m, const Submit&, const Context& ctx) {
  if (!access::institution_side(ctx.actor) || !sees(ctx.actor, m) || ctx.actor.institution_id != m.data().institution_id)
    return engine::not_found<Workflow>();
  return Decision{{Submitted{}}};
}

Result<Decision> decide_review(const Machine& m, const Review& in, const Context& ctx) {
  if (ctx.actor.role != "org" || !sees(ctx.actor, m)) return engine::not_found<Workflow>();
  const Part* part = m.data().part(in.review.certificate_id);
  if (!part || part->org_id != ctx.actor.org_id)
    return Status::unprocessable("validation.failed", "not a part of this site your org reviews",
                                 {{"certificate_id", "not_own", "one of your org's certificates in this site"}});
  if (part->status != "pending")
    return Status::conflict("site.part_decided", "this certificate's part is decided already");
  if (!in.review.approve && !util::plain_text(in.review.reason, 500))
    return Status::unprocessable("validation.failed", "say why", {{"reason", "required", "1 to 500 bytes"}});
  const auto pending = std::count_if(m.data().parts.begin(), m.data().parts.end(),
                                     [](const Part& p) { return p.status == "pending"; });
  return Decision{{Reviewed{in.review.certificate_id, in.review.approve, in.review.reason, int(pending) - 1}}};
}

Result<Decision> decide_assign(const Machine& m, const SiteAssignment& in, const Context& ctx, const LoanFacts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"org"}); !s) return s;
  if (!sees(ctx.actor, m)) return engine::not_found<Workflow>();
  if (!facts.plan || facts.plan->org_id != ctx.actor.org_id)
    return Status::unprocessable("validation.failed", "no such plan of your org",
                                 {{"exam_plan_id", "not_own", "an exam plan of your org"}});
  const Part* part = m.data().part(facts.plan->certificate_id);
  if (!part || part->status != "approved")
    return Status::conflict("site.not_approved", "the site is not approved for the plan's certificate");
  if (in.institution_id == m.data().institution_id || facts.borrower_has_site)
    return Status::conflict("site.has_own_site", "the institution has an approved site for this certificate");
  const auto& loans = m.data().loans;
  if (std::any_of(loans.begin(), loans.end(), [&](const Loan& l) {
        return l.exam_plan_id == in.exam_plan_id && l.institution_id == in.institution_id;
      }))
    return Status::conflict("site.already_assigned", "the institution has a site for this plan already");
  Decision d{{Assigned{in.exam_plan_id, in.institution_id, facts.plan->certificate_id}}};
  d.claims.push_back({lookup::site_loan_key(in.exam_plan_id, in.institution_id), "site.already_assigned",
                      "the institution has a site for this plan already"});
  return d;
}

}  // namespace onex::site
