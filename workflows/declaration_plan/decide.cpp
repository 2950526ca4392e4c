#include "declaration_plan/decide.h"

#include "common/access.h"

namespace onex::declaration_plan {

bool sees(const Actor& a, std::string_view province_code) {
  if (province_code.empty() || a.province_code != province_code) return false;
  return a.role == "province" || a.role == "city" || access::institution_side(a);
}

Result<Decision> decide_publish(const Machine&, const PlanInput& in, const Context& ctx) {
  if (auto s = engine::authorize(ctx.actor, {"province"}); !s) return s;
  std::vector<FieldError> errors;
  if (in.year < 2000 || in.year > 2100)
    errors.push_back({"year", "out_of_range", "a year between 2000 and 2100"});
  if (in.batch_name.empty() || in.batch_name.size() > 200)
    errors.push_back({"batch_name", "required", "a batch name of 1 to 200 bytes"});
  if (in.ends_at <= in.starts_at)
    errors.push_back({"ends_at", "before_start", "the window must end after it starts"});
  else if (in.ends_at <= ctx.now)  // nobody could ever declare in it
    errors.push_back({"ends_at", "in_the_past", "the window must end in the future"});
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the plan has invalid fields", errors);
  if (ctx.actor.province_code.empty())
    return Status::forbidden("auth.forbidden", "the account has no province");
  Decision d;
  d.events.push_back(Published{std::string(ctx.id), ctx.actor.province_code, in.year,
                               in.batch_name, format_utc(in.starts_at), format_utc(in.ends_at),
                               in.majors_required, in.city_review_required});
  return d;
}

}  // namespace onex::declaration_plan
