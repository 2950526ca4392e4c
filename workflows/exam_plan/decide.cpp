#include "exam_plan/decide.h"

#include <algorithm>
#include <set>

#include "common/access.h"

namespace onex::exam_plan {
namespace {

Timestamp at(const std::string& utc) {
  auto t = parse_time(utc);  // stored by format_utc, so it parses
  return t ? *t : Timestamp{};
}

// The first instant after a window whose `last` instant is included (its whole second).
Timestamp after(Timestamp last) {
  return std::chrono::floor<std::chrono::seconds>(last) + std::chrono::seconds(1);
}

}  // namespace

int year_of(const State& p) { return std::stoi(format_china(at(p.registration_opens_at)).substr(0, 4)); }

std::string_view phase_at(const Machine& m, Timestamp now) {
  return engine::enum_name([&] {
    if (m.phase() != Phase::published) return m.phase() == Phase::draft ? Period::draft : Period::none;
    const auto& p = m.data();
    Timestamp first = Timestamp::max(), last = Timestamp::min();
    for (const auto& s : p.sittings) {
      first = std::min(first, at(s.starts_at));
      last = std::max(last, at(s.ends_at));
    }
    if (now < after(at(p.registration_closes_at))) return Period::registering;
    if (now < first) return Period::awaiting_exam;
    if (now < after(last)) return Period::examining;
    if (now < after(at(p.score_entry_closes_at))) return Period::score_entry;
    if (now < after(at(p.publicity_ends_at))) return Period::publicity;
    return Period::finished;
  }());
}

bool sees(const Actor& a, const Machine& m, bool pilots) {
  const auto& p = m.data();
  if (m.phase() == Phase::none) return false;
  if (a.role == "org") return !a.org_id.empty() && a.org_id == p.org_id;
  if (!access::institution_side(a) || m.phase() != Phase::published || !pilots) return false;
  return a.levels.empty() || std::any_of(a.levels.begin(), a.levels.end(), [&](const CertificateLevel& l) {
           return l.certificate_id == p.certificate_id && l.level == p.level;
         });
}

Result<Decision> decide_create(const Machine&, const ExamPlanInput& in, const Context& ctx, const Facts& facts) {
  if (auto s = engine::authorize(ctx.actor, {"org"}); !s) return s;
  std::vector<FieldError> errors;
  auto refuse = [&](const std::string& field, const char* code, const char* message) {
    errors.push_back({field, code, message});
  };
  const auto& c = facts.certificate;
  if (!c || c->org_id != ctx.actor.org_id) refuse("certificate_id", "not_own", "a certificate of your org");
  else if (std::find(c->levels.begin(), c->levels.end(), in.level) == c->levels.end())
    refuse("level", "invalid_level", "one of the certificate's levels");
  if (in.name.empty() || in.name.size() > 200) refuse("name", "required", "1 to 200 bytes");
  // Its subjects: at least one, each once, each a subject of this certificate level.
  const std::set<std::string> chosen(in.subject_ids.begin(), in.subject_ids.end());
  if (in.subject_ids.empty() || in.subject_ids.size() > 50 || chosen.size() != in.subject_ids.size())
    refuse("subject_ids", "invalid", "1 to 50 different subjects");
  for (std::size_t i = 0; i < in.subject_ids.size(); ++i) {
    auto s = facts.subjects.find(in.subject_ids[i]);
    if (s == facts.subjects.end() || s->second.certificate_id != in.certificate_id || s->second.level != in.level)
      refuse("subject_ids[" + std::to_string(i) + "]", "not_found", "a subject of this certificate level");
  }
  // Windows in order: registration, then the sittings, then score entry, then publicity.
  if (in.registration_closes_at <= in.registration_opens_at)
    refuse("registration_closes_at", "before_start", "after registration opens");
  else if (in.registration_closes_at <= ctx.now)
    refuse("registration_closes_at", "in_the_past", "in the future");
  std::set<std::string> sat;
  Timestamp last = in.registration_closes_at;
  if (in.sittings.empty() || in.sittings.size() > 200) refuse("sittings", "invalid", "1 to 200 sittings");
  for (std::size_t i = 0; i < in.sittings.size(); ++i) {
    const auto& s = in.sittings[i];
    const std::string at = "sittings[" + std::to_string(i) + "]";
    if (!chosen.count(s.subject_id)) refuse(at + ".subject_id", "not_found", "one of the plan's subjects");
    if (s.ends_at <= s.starts_at) refuse(at + ".ends_at", "before_start", "after the sitting starts");
    if (s.starts_at <= in.registration_closes_at)
      refuse(at + ".starts_at", "out_of_range", "after registration closes");
    sat.insert(s.subject_id);
    last = std::max(last, s.ends_at);
  }
  for (const auto& id : chosen)
    if (!sat.count(id)) refuse("sittings", "incomplete", "every subject needs a sitting");
  if (in.score_entry_opens_at <= last)
    refuse("score_entry_opens_at", "out_of_range", "after the last sitting ends");
  if (in.score_entry_closes_at <= in.score_entry_opens_at)
    refuse("score_entry_closes_at", "before_start", "after score entry opens");
  if (in.publicity_starts_at <= in.score_entry_closes_at)
    refuse("publicity_starts_at", "out_of_range", "after score entry closes");
  if (in.publicity_ends_at <= in.publicity_starts_at)
    refuse("publicity_ends_at", "before_start", "after publicity starts");
  const auto& rule = in.pass_rule;
  if (std::ranges::find(kPassRules, rule.kind) == std::end(kPassRules))
    refuse("pass_rule.kind", "invalid", "every_subject or total");
  else if (rule.kind == "total") {
    int full = 0;
    for (const auto& id : chosen)
      if (auto s = facts.subjects.find(id); s != facts.subjects.end()) full += s->second.full_score;
    if (rule.total_pass.value_or(0) < 1 || *rule.total_pass > full)
      refuse("pass_rule.total_pass", "out_of_range", "1 hundredth up to the subjects' full scores");
  }
  if (std::ranges::find(kFeePer, in.fee.per) == std::end(kFeePer)) refuse("fee.per", "invalid", "certificate or subject");
  if (in.fee.amount_cents < 0 || in.fee.amount_cents > 100'000'00)
    refuse("fee.amount_cents", "out_of_range", "0 to 100000.00 yuan in cents");
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the plan has invalid fields", std::move(errors));
  Created e;
  engine::assign(e, in);  // name, certificate, level, subjects, windows and sittings (as UTC text)
  e.plan_id = std::string(ctx.id);
  e.org_id = ctx.actor.org_id;
  e.pass_rule = rule.kind;
  e.total_pass = rule.kind == "total" ? *rule.total_pass : 0;
  e.fee_on_platform = in.fee.collected_on_platform, e.fee_per = in.fee.per, e.fee_amount_cents = in.fee.amount_cents;
  return Decision{{std::move(e)}};
}

Result<Decision> decide_publish(const Machine& m, const Publish&, const Context& ctx) {
  if (auto s = engine::authorize(ctx.actor, {"org"}); !s) return s;
  if (!sees(ctx.actor, m, false)) return engine::not_found<Workflow>();
  if (m.phase() == Phase::draft && ctx.now >= after(at(m.data().registration_closes_at)))
    return Status::conflict("exam_plan.registration_closed", "registration has closed: plan again");
  return Decision{{Published{}}};
}

}  // namespace onex::exam_plan
