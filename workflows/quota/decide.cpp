#include "quota/decide.h"

#include "common/access.h"
#include "util/identifiers.h"

namespace onex::quota {

bool sees(const Actor& a, std::string_view institution_id, std::string_view province_code,
          std::string_view certificate_id) {
  if (a.role == "auditor") return true;
  if (access::institution_side(a))
    return a.institution_id == institution_id && access::in_certificate_scope(a, certificate_id);
  return a.role == "province" && !a.province_code.empty() && a.province_code == province_code;
}

std::string id_of(const Adjust& in) {
  if (!util::plain_id(in.institution_id) || !util::plain_id(in.certificate_id) || in.year < 2000 ||
      in.year > 2100)
    return {};
  return quota_id(in.institution_id, in.certificate_id, in.year);
}

Result<Decision> decide_adjust(const Machine& m, const Adjust& in, const Context& ctx) {
  const Actor& actor = ctx.actor;
  const int approved_trainees = in.approved_trainees;
  const std::string& reason = in.reason;
  if (auto s = engine::authorize(actor, {"province"}); !s) return s;
  const auto& q = m.data();
  if (m.phase() == Phase::none || q.province_code.empty() || q.province_code != actor.province_code)
    return not_found();
  std::vector<FieldError> errors;
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    errors.push_back({"reason", "required", "give the reason for the change"});
  else if (reason.size() > 1000)
    errors.push_back({"reason", "too_long", "at most 1000 bytes"});
  if (approved_trainees > 1'000'000)
    errors.push_back({"approved_trainees", "out_of_range", "at most 1000000"});
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the adjustment has invalid fields", errors);
  if (approved_trainees < q.used || approved_trainees < 0)
    return Status::unprocessable(
        "quota.below_used",
        "the quota cannot go below the " + std::to_string(q.used) + " trainees already used",
        {{"approved_trainees", "below_used",
          "at least the " + std::to_string(q.used) + " already used"}});
  Decision d;
  if (approved_trainees == q.approved_trainees) return d;
  d.events.push_back(Adjusted{q.institution_id, q.province_code, q.certificate_id, q.year,
                              approved_trainees, q.approved_trainees, reason});
  return d;
}

}  // namespace onex::quota
