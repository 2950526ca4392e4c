#include "exam_subject/decide.h"

#include <algorithm>
#include <cctype>

#include "common/access.h"

namespace onex::exam_subject {

bool sees(const Actor& a, const State& s, bool pilots) {
  if (s.id.empty()) return false;
  if (a.role == "org") return !a.org_id.empty() && a.org_id == s.org_id;
  if (!access::institution_side(a) || !pilots) return false;
  return a.levels.empty() || std::any_of(a.levels.begin(), a.levels.end(), [&](const CertificateLevel& l) {
           return l.certificate_id == s.certificate_id && l.level == s.level;
         });
}

Result<Decision> decide_create(const Machine&, const ExamSubjectInput& in, const Context& ctx, const Facts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"org"}); !s) return s;
  std::vector<FieldError> errors;
  const auto& c = facts.certificate;
  if (!c || c->org_id != ctx.actor.org_id)
    errors.push_back({"certificate_id", "not_own", "a certificate of your org"});
  else if (std::find(c->levels.begin(), c->levels.end(), in.level) == c->levels.end())
    errors.push_back({"level", "invalid_level", "one of the certificate's levels"});
  const bool code_ok = !in.code.empty() && in.code.size() <= 32 &&
                       std::all_of(in.code.begin(), in.code.end(), [](unsigned char ch) {
                         return std::isalnum(ch) || ch == '-' || ch == '_';
                       });
  if (!code_ok) errors.push_back({"code", "invalid", "1 to 32 letters, digits, - and _"});
  if (in.name.empty() || in.name.size() > 200) errors.push_back({"name", "required", "1 to 200 bytes"});
  if (in.exam_type != "computer" && in.exam_type != "practical" && in.exam_type != "written")
    errors.push_back({"exam_type", "invalid", "computer, practical or written"});
  if (in.duration_minutes < 1 || in.duration_minutes > 24 * 60)
    errors.push_back({"duration_minutes", "out_of_range", "1 to 1440 minutes"});
  if (in.full_score < 1 || in.full_score > 100'000)
    errors.push_back({"full_score", "out_of_range", "1 to 100000 hundredths (1000.00)"});
  if (in.pass_score < 1 || in.pass_score > in.full_score)
    errors.push_back({"pass_score", "out_of_range", "1 hundredth up to the full score"});
  const bool all = in.audience.size() == 1 && in.audience.front() == "all";
  const bool named = !in.audience.empty() && in.audience.size() <= 20 &&
                     std::all_of(in.audience.begin(), in.audience.end(), [](const std::string& a) {
                       return !a.empty() && a.size() <= 64 && a != "all";
                     });
  if (!all && !named)
    errors.push_back({"audience", "invalid", "[\"all\"], or 1 to 20 candidate categories"});
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the subject has invalid fields", std::move(errors));
  Decision d{{Created{std::string(ctx.id), ctx.actor.org_id, in.certificate_id, in.level, in.code, in.name,
                      in.exam_type, in.duration_minutes, in.full_score, in.pass_score, in.audience}}};
  d.claims.push_back({"exam_subject/" + in.certificate_id + "/" + in.level + "/" + in.code,
                      "exam_subject.duplicate", "the certificate's level has a subject with this code"});
  return d;
}

}  // namespace onex::exam_subject
