#include "exam_room/decide.h"

#include <algorithm>
#include <set>

#include "common/access.h"
#include "onex/regions.h"
#include "util/identifiers.h"

namespace onex::exam_room {
namespace {

constexpr const char* kDuplicate = "the site has a room of this name in the plan";
Status duplicate() { return Status::conflict("exam_room.duplicate", kDuplicate); }
Claim name_of(std::string_view plan, std::string_view site, std::string_view name) {
  return {name_claim(plan, site, name), "exam_room.duplicate", kDuplicate};
}

// The fields' rules on the plan and site the room is for.
std::vector<FieldError> check(const ExamRoomFields& in, const lookup::ExamPlanRef& plan, const lookup::SiteRef& site) {
  std::vector<FieldError> errors;
  if (!util::plain_text(in.name, 100)) errors.push_back({"name", "required", "1 to 100 bytes"});
  if (in.room_type != "computer" && in.room_type != "practical" && in.room_type != "written")
    errors.push_back({"room_type", "invalid", "computer, practical or written"});
  if (in.seats < 1 || in.seats > 500) errors.push_back({"seats", "out_of_range", "1 to 500"});
  if (!is_province_code(in.province_code)) errors.push_back({"province_code", "invalid", "a GB/T 2260 province code"});
  if (!util::plain_text(in.city, 100)) errors.push_back({"city", "required", "1 to 100 bytes"});
  if (!in.district.empty() && !util::plain_text(in.district, 100)) errors.push_back({"district", "invalid", "at most 100 bytes"});
  if (!util::plain_text(in.address, 300)) errors.push_back({"address", "required", "1 to 300 bytes"});
  const std::set<std::string> distinct(in.certificate_ids.begin(), in.certificate_ids.end());
  if (distinct.size() != in.certificate_ids.size() || !distinct.count(plan.certificate_id))
    errors.push_back({"certificate_ids", "invalid", "distinct certificates, the plan's among them"});
  for (std::size_t i = 0; i < in.certificate_ids.size(); ++i)
    if (std::find(site.approved.begin(), site.approved.end(), in.certificate_ids[i]) == site.approved.end())
      errors.push_back({"certificate_ids[" + std::to_string(i) + "]", "out_of_scope", "a certificate the site is approved for"});
  return errors;
}

}  // namespace

std::string name_claim(std::string_view plan, std::string_view site, std::string_view name) {
  return "exam_room/" + std::string(plan) + "/" + std::string(site) + "/" + std::string(name);
}

bool sees(const Actor& a, const Machine& m) {
  if (m.phase() != Phase::active) return false;
  const auto& s = m.data();
  if (a.role == "org") return !a.org_id.empty() && a.org_id == s.org_id;
  // A scoped staff within its certificates: a room's certificates hold its plan's.
  return access::institution_side(a) && a.institution_id == s.institution_id &&
         std::any_of(s.certificate_ids.begin(), s.certificate_ids.end(),
                     [&](const std::string& c) { return access::in_certificate_scope(a, c); });
}

Result<Decision> decide_create(const Machine&, const ExamRoomInput& in, const Context& ctx, const Facts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"leader", "staff"}); !s) return s;
  if (!facts.plan)
    return Status::unprocessable("validation.failed", "no such exam plan", {{"exam_plan_id", "not_found", "an exam plan"}});
  if (!facts.site || !facts.site->serves(ctx.actor.institution_id, facts.plan->id, facts.plan->certificate_id) ||
      !access::in_certificate_scope(ctx.actor, facts.plan->certificate_id))
    return Status::unprocessable("validation.failed", "not a site of yours for this plan",
                                 {{"site_id", "out_of_scope", "a site approved for the plan's certificate: yours or lent to you"}});
  if (auto errors = check(in, *facts.plan, *facts.site); !errors.empty())
    return Status::unprocessable("validation.failed", "the room has invalid fields", std::move(errors));
  if (facts.name_taken) return duplicate();
  Created e;
  engine::assign(e, in);  // fields, plan, site
  e.room_id = std::string(ctx.id);
  e.institution_id = ctx.actor.institution_id;
  e.org_id = facts.plan->org_id;
  Decision d{{std::move(e)}};
  d.claims.push_back(name_of(in.exam_plan_id, in.site_id, in.name));
  return d;
}

Result<Decision> decide_edit(const Machine& m, const Edit& in, const Context& ctx, const Facts& facts) {
  if (!sees(ctx.actor, m) || !access::institution_side(ctx.actor)) return engine::not_found<Workflow>();
  const auto& s = m.data();
  if (!facts.plan || !facts.site) return engine::not_found<Workflow>();
  if (auto errors = check(in.fields, *facts.plan, *facts.site); !errors.empty())
    return Status::unprocessable("validation.failed", "the room has invalid fields", std::move(errors));
  Edited e;
  engine::assign(static_cast<Fields&>(e), in.fields);
  if (nlohmann::json(static_cast<const Fields&>(e)) == nlohmann::json(static_cast<const Fields&>(s))) return Decision{};
  Decision d{{std::move(e)}};
  if (in.fields.name != s.name) {
    if (facts.name_taken) return duplicate();
    d.claims.push_back(name_of(s.exam_plan_id, s.site_id, in.fields.name));
    d.releases.push_back(name_claim(s.exam_plan_id, s.site_id, s.name));
  }
  return d;
}

Result<Decision> decide_delete(const Machine& m, const Delete&, const Context& ctx) {
  if (!sees(ctx.actor, m) || !access::institution_side(ctx.actor)) return engine::not_found<Workflow>();
  Decision d{{Deleted{}}};
  d.releases.push_back(name_claim(m.data().exam_plan_id, m.data().site_id, m.data().name));
  return d;
}

}  // namespace onex::exam_room
