#include "declaration/decide.h"

#include <algorithm>

#include "common/access.h"
#include "html/sanitize.h"
#include "util/identifiers.h"

namespace onex::declaration {
namespace {

constexpr std::size_t kMaxHtml = 64 * 1024;
constexpr std::size_t kMaxMajors = 50;
constexpr std::size_t kMaxFiles = 20;
constexpr std::size_t kMaxText = 200;
constexpr int kMaxTrainees = 1'000'000;

// What may be wrong with the fields whatever the state: a draft may be incomplete, never invalid.
std::vector<FieldError> invalid_fields(const DeclarationInput& in) {
  std::vector<FieldError> errors;
  if (in.planned_trainees < 0)
    errors.push_back({"planned_trainees", "must_be_positive", "planned trainees must be more than 0"});
  else if (in.planned_trainees > kMaxTrainees)
    errors.push_back({"planned_trainees", "out_of_range", "between 0 and 1000000"});
  if (in.majors.size() > kMaxMajors)
    errors.push_back({"majors", "too_many", "at most 50 majors"});
  for (const auto& m : in.majors)
    if (m.empty() || m.size() > kMaxText) {
      errors.push_back({"majors", "invalid", "each major is a name of 1 to 200 bytes"});
      break;
    }
  if (in.teachers_html.size() > kMaxHtml)
    errors.push_back({"teachers_html", "too_long", "at most 64 KiB"});
  if (in.venue_html.size() > kMaxHtml)
    errors.push_back({"venue_html", "too_long", "at most 64 KiB"});
  if (in.file_ids.size() > kMaxFiles) errors.push_back({"file_ids", "too_many", "at most 20 files"});
  for (const auto& f : in.file_ids)
    if (!plain_id(f)) {
      errors.push_back({"file_ids", "invalid", "not a file id"});
      break;
    }
  return errors;
}

// Every field a submission still lacks.
std::vector<FieldError> missing_fields(const Fields& f, const lookup::PlanRef& plan) {
  std::vector<FieldError> missing;
  if (plan.majors_required && f.majors.empty())
    missing.push_back({"majors", "required", "this plan requires the majors"});
  if (f.planned_trainees <= 0)
    missing.push_back({"planned_trainees", "required", "planned trainees are required"});
  if (util::blank(f.teachers_html) || !html::has_content(f.teachers_html))
    missing.push_back({"teachers_html", "required", "the teachers description is required"});
  if (util::blank(f.venue_html) || !html::has_content(f.venue_html))
    missing.push_back({"venue_html", "required", "the venue description is required"});
  return missing;
}

Fields fields_of(const DeclarationInput& in) {
  Fields f = in;
  f.teachers_html = html::sanitize(in.teachers_html);
  f.venue_html = html::sanitize(in.venue_html);
  return f;
}

Status invalid(std::vector<FieldError> errors) {
  const bool only_files = std::all_of(errors.begin(), errors.end(), [](const FieldError& e) {
    return e.code == "file.not_usable";
  });
  return Status::unprocessable(only_files ? "file.not_usable" : "validation.failed",
                               "the declaration has invalid fields", std::move(errors));
}

Status check_window(const lookup::PlanRef& plan, Timestamp now) {
  if (plan.status(now) == "open") return {};
  return Status::conflict("declaration.window_closed",
                          "the plan's declaration window is " +
                              std::string(plan.status(now) == "ended" ? "over" : "not open yet") +
                              " (" + format_china(plan.starts_at) + " to " +
                              format_china(plan.ends_at) + ")");
}

// What a submission needs: the window open, every field, and the institution's basic info.
Status check_submittable(const Fields& f, const Facts& facts, Timestamp now) {
  if (auto s = check_window(facts.plan, now); !s) return s;
  if (auto missing = missing_fields(f, facts.plan); !missing.empty())
    return Status::unprocessable("declaration.incomplete", "the declaration is incomplete", missing);
  if (facts.profile_complete) return {};
  return Status::conflict("institution.profile_incomplete",
                          "the institution's basic info must be complete before it submits a declaration");
}

// The institution's own accounts act on the declarations they see (sees); others may not.
Status check_owner(const Machine& m, const Actor& actor) {
  if (auto s = engine::authorize(actor, {"leader", "staff"}); !s) return s;
  return check_visible(m, actor);
}

Status already_decided(const Machine& m) {
  return Status::conflict("declaration.already_decided",
                          "the declaration is already " + std::string(m.state_name()));
}

constexpr std::size_t kMaxReason = 1000;

// A rejection's reason: given, at most 1000 bytes.
Status check_reason(const std::string& reason) {
  if (reason.empty())
    return Status::unprocessable("validation.failed", "a rejection needs a reason",
                                 {{"reason", "required", "give the reason for the rejection"}});
  if (reason.size() > kMaxReason)
    return Status::unprocessable("validation.failed", "reason is too long",
                                 {{"reason", "too_long", "at most 1000 bytes"}});
  return {};
}

Submitted submission(const lookup::PlanRef& plan) { return Submitted{plan.city_review_required}; }

}  // namespace

std::string slot_key(const State& s) {
  return "declaration/" + s.institution_id + "/" + s.plan_id + "/" + s.certificate_id;
}

bool sees(const Actor& a, const Machine& m) {
  const auto& d = m.data();
  if (m.phase() == Phase::none || m.phase() == Phase::deleted) return false;
  if (a.role == "auditor") return true;
  if (access::institution_side(a))
    return d.institution_id == a.institution_id && access::in_certificate_scope(a, d.certificate_id);
  if (m.phase() == Phase::draft) return false;
  if (a.role == "city") return !a.city_code.empty() && d.city_code == a.city_code;
  if (a.role == "province") return !a.province_code.empty() && d.province_code == a.province_code;
  return false;
}

bool listed_under(std::string_view tab, std::string_view status) {
  const auto p = phase_named(status);
  const bool review = p == Phase::city_review || p == Phase::province_review;
  return tab == "all" || tab == (review ? "pending" : status);
}

Status check_visible(const Machine& m, const Actor& actor) {
  return sees(actor, m) ? Status{} : engine::not_found<Workflow>();
}

std::string notice(const Machine& m, std::string_view certificate) {
  const auto& s = m.data();
  const std::string what = "您单位的证书试点申报（" + std::string(certificate) + "，" + std::to_string(s.year) + "年）";
  if (m.phase() == Phase::approved)
    return what + "已通过省级审核，批准培训 " + std::to_string(s.approved_trainees) + " 人。";
  if (m.phase() == Phase::rejected)
    return what + "未通过" + (s.rejected_by == "city" ? "市级" : "省级") + "审核，原因：" + s.rejection_reason;
  return "";
}

Result<Decision> decide_create(const Machine&, const Create& create, const Context& ctx,
                               const Facts& facts) {
  const auto& [in, submit] = create;
  const auto& plan = facts.plan;
  if (auto s = engine::authorize(ctx.actor, {"leader", "staff"}); !s) return s;
  if (!access::institution_side(ctx.actor))
    return Status::forbidden("auth.forbidden", "the account belongs to no institution");
  if (plan.province_code != facts.province_code)
    return Status::not_found("declaration_plan.not_found", "no such declaration plan");
  auto errors = invalid_fields(in);
  if (!plain_id(in.certificate_id))
    errors.insert(errors.begin(), {"certificate_id", "required", "choose the certificate"});
  else if (!access::in_certificate_scope(ctx.actor, in.certificate_id))
    errors.insert(errors.begin(),
                  {"certificate_id", "out_of_scope", "the certificate is outside your scope"});
  errors.insert(errors.end(), facts.reference_errors.begin(), facts.reference_errors.end());
  if (!errors.empty()) return invalid(std::move(errors));
  if (auto s = check_window(plan, ctx.now); !s) return s;

  Drafted drafted{std::string(ctx.id), plan.id, ctx.actor.institution_id, facts.province_code,
                  facts.city_code, in.certificate_id, plan.year, fields_of(in)};
  if (submit)
    if (auto s = check_submittable(drafted.fields, facts, ctx.now); !s) return s;
  State probe;
  probe.apply(drafted);
  Decision d{.claims = {{slot_key(probe), "declaration.duplicate",
                                "the institution has declared this certificate in this plan"}}};
  d.events.push_back(std::move(drafted));
  if (submit) d.events.push_back(submission(plan));
  return d;
}

Result<Decision> decide_edit(const Machine& m, const Edit& edit, const Context& ctx,
                             const Facts& facts) {
  const DeclarationInput& in = edit.form;
  if (auto s = check_owner(m, ctx.actor); !s) return s;
  if (!in.omitted.empty()) {
    std::vector<FieldError> missing;
    for (const auto& f : in.omitted) missing.push_back({f, "required", f + " is required: an edit replaces every field"});
    return invalid(std::move(missing));
  }
  const auto& st = m.data();
  if ((!in.plan_id.empty() && in.plan_id != st.plan_id) ||
      (!in.certificate_id.empty() && in.certificate_id != st.certificate_id))
    return Status::unprocessable(
        "validation.failed", "the plan and certificate of a declaration cannot change",
        {{in.plan_id != st.plan_id ? "plan_id" : "certificate_id", "immutable",
          "declare again for another plan or certificate"}});
  auto errors = invalid_fields(in);
  errors.insert(errors.end(), facts.reference_errors.begin(), facts.reference_errors.end());
  if (!errors.empty()) return invalid(std::move(errors));
  auto fields = fields_of(in);
  if (m.phase() == Phase::draft && fields == st.fields) return Decision{};  // nothing to change
  return Decision{{Edited{std::move(fields)}}};
}

Result<Decision> decide_delete(const Machine& m, const Target&, const Context& ctx) {
  if (auto s = check_owner(m, ctx.actor); !s) return s;
  return Decision{.events = {Deleted{}}, .releases = {slot_key(m.data())}};
}

Result<Decision> decide_submit(const Machine& m, const Target&, const Context& ctx,
                               const Facts& facts) {
  if (auto s = check_owner(m, ctx.actor); !s) return s;
  // Out of a draft, the machine names the state that refuses.
  if (m.phase() != Phase::draft) return Decision{{submission(facts.plan)}};
  if (auto s = check_submittable(m.data().fields, facts, ctx.now); !s) return s;
  return Decision{{submission(facts.plan)}};
}

Result<Decision> decide_city_review(const Machine& m, const CityReview& in, const Context& ctx) {
  const auto& [id, approve, reason] = in;
  if (auto s = engine::authorize(ctx.actor, {"city"}); !s) return s;
  if (auto s = check_visible(m, ctx.actor); !s) return s;
  const auto& st = m.data();
  const bool city_said_yes = st.city_approved && m.phase() != Phase::city_review;
  const bool city_said_no = m.phase() == Phase::rejected && st.rejected_by == "city";
  if (city_said_yes || city_said_no) {
    if (approve == city_said_yes) return Decision{};  // the same decision again changes nothing
    return already_decided(m);
  }
  if (approve) return Decision{{CityApproved{}}};
  if (auto s = check_reason(reason); !s) return s;
  return Decision{{CityRejected{reason}}};
}

Result<Decision> decide_province_review(const Machine& m, const ProvinceReview& in,
                                        const Context& ctx) {
  const auto& [id, approve, approved_trainees, reason] = in;
  if (auto s = engine::authorize(ctx.actor, {"province"}); !s) return s;
  if (auto s = check_visible(m, ctx.actor); !s) return s;
  const auto& st = m.data();
  const int planned = st.fields.planned_trainees;
  const int trainees = approved_trainees.value_or(planned);
  if (m.phase() == Phase::approved) {
    if (approve && trainees == st.approved_trainees) return Decision{};
    return already_decided(m);
  }
  if (m.phase() == Phase::rejected && st.rejected_by == "province") {
    if (!approve) return Decision{};
    return already_decided(m);
  }
  if (!approve) {
    if (auto s = check_reason(reason); !s) return s;
    return Decision{{Rejected{reason}}};
  }
  if (trainees <= 0)
    return Status::unprocessable("validation.failed", "approved trainees must be more than 0",
                                 {{"approved_trainees", "must_be_positive", "more than 0"}});
  if (trainees > planned)
    return Status::unprocessable(
        "declaration.approved_exceeds_planned",
        "approved trainees exceed the planned " + std::to_string(planned),
        {{"approved_trainees", "exceeds_planned", "at most the planned " + std::to_string(planned)}});
  return Decision{{Approved{trainees}}};
}

}  // namespace onex::declaration
