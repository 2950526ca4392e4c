// Exam plans, pure: the machine's table row by row, the create rule (windows in order, every
// subject sat inside the exam period), publishing, the phase by the clock and who sees a plan.
#include <doctest/doctest.h>

#include "exam_plan/decide.h"
#include "support/decided.h"

namespace onex::exam_plan {
namespace {

Timestamp at(const char* t) { return *parse_time(t); }
const Timestamp kNow = at("2026-03-02T10:00:00+08:00");
const Actor kOrg{.account_id = "acc-o", .role = "org", .org_id = "org-1"};
const lookup::CertificateRef kCert{"cert-a", "CA", "证书 A", "org-1", {"junior", "intermediate"}};

Facts facts() {
  Facts f{kCert, {}};
  f.subjects["s-1"] = {"s-1", "org-1", "cert-a", "junior", 10000};
  f.subjects["s-2"] = {"s-2", "org-1", "cert-a", "junior", 10000};
  f.subjects["s-x"] = {"s-x", "org-1", "cert-a", "intermediate", 10000};
  return f;
}

ExamPlanInput valid() {
  ExamPlanInput in;
  in.name = "2026年第一次";
  in.certificate_id = "cert-a";
  in.level = "junior";
  in.subject_ids = {"s-1", "s-2"};
  in.registration_opens_at = at("2026-03-01T00:00:00+08:00");
  in.registration_closes_at = at("2026-03-31T23:59:59+08:00");
  in.sittings = {{"s-1", at("2026-04-10T09:00:00+08:00"), at("2026-04-10T10:30:00+08:00")},
                 {"s-2", at("2026-04-10T14:00:00+08:00"), at("2026-04-10T16:00:00+08:00")}};
  in.score_entry_opens_at = at("2026-04-11T00:00:00+08:00");
  in.score_entry_closes_at = at("2026-04-20T23:59:59+08:00");
  in.publicity_starts_at = at("2026-04-21T00:00:00+08:00");
  in.publicity_ends_at = at("2026-04-27T23:59:59+08:00");
  return in;
}

std::vector<std::string> fields_of(const ExamPlanInput& in, const Facts& f = facts()) {
  auto d = decide_create(Machine{}, in, {kOrg, kNow, "p-1"}, f);
  std::vector<std::string> out;
  if (!d) {
    const Status refused = d.status();
    CHECK(refused.code() == "validation.failed");
    for (const auto& e : refused.errors()) out.push_back(e.field + ":" + e.code);
  }
  return out;
}

Machine made(bool published) {
  auto d = decide_create(Machine{}, valid(), {kOrg, kNow, "p-1"}, facts());
  REQUIRE(d.is_ok());
  Machine m;
  REQUIRE(m.apply(d->events[0]));
  if (published) REQUIRE(m.apply(Published{}));
  return m;
}

}  // namespace

TEST_CASE("exam plan machine: none → draft by created, draft → published, nothing else") {
  Machine m;
  CHECK_FALSE(m.apply(Published{}));
  REQUIRE(m.apply(Created{}));
  CHECK(m.phase() == Phase::draft);
  CHECK_FALSE(m.apply(Created{}));
  REQUIRE(m.apply(Published{}));
  CHECK(m.phase() == Phase::published);
  CHECK_FALSE(m.apply(Published{}));
  CHECK_FALSE(m.apply(Created{}));
}

TEST_CASE("exam plan decides: an org plans one of its certificate levels, windows in order") {
  auto d = decide_create(Machine{}, valid(), {kOrg, kNow, "p-1"}, facts());
  REQUIRE(d.is_ok());
  CHECK(testing::shown(d) == "created");
  const auto& e = std::get<Created>(d->events[0]);
  CHECK(e.plan_id == "p-1");
  CHECK(e.org_id == "org-1");
  CHECK(e.sittings.size() == 2);
  CHECK(e.registration_closes_at == "2026-03-31T15:59:59.000Z");
  CHECK(testing::shown(decide_create(Machine{}, valid(), {Actor{.role = "province"}, kNow, "p"}, facts())) ==
        "refused auth.forbidden");
  using V = std::vector<std::string>;
  auto in = valid();
  in.subject_ids = {"s-1", "s-x"};
  in.sittings[1].subject_id = "s-x";
  CHECK(fields_of(in) == V{"subject_ids[1]:not_found"});
  in = valid();
  in.sittings.pop_back();
  CHECK(fields_of(in) == V{"sittings:incomplete"});
  in = valid();
  in.sittings[0].starts_at = in.registration_closes_at;
  CHECK(fields_of(in) == V{"sittings[0].starts_at:out_of_range"});
  in = valid();
  in.score_entry_opens_at = in.sittings[1].ends_at;
  CHECK(fields_of(in) == V{"score_entry_opens_at:out_of_range"});
  in = valid();
  in.publicity_starts_at = in.score_entry_closes_at;
  in.publicity_ends_at = in.publicity_starts_at;
  CHECK(fields_of(in) == V{"publicity_starts_at:out_of_range", "publicity_ends_at:before_start"});
  in = valid();
  in.registration_closes_at = at("2026-03-01T00:00:00+08:00");
  CHECK(fields_of(in) == V{"registration_closes_at:before_start"});
  in = valid();
  in.pass_rule.kind = "total";
  in.pass_rule.total_pass = 20001;
  in.fee.per = "exam";
  CHECK(fields_of(in) == V{"pass_rule.total_pass:out_of_range", "fee.per:invalid"});
  in.pass_rule.total_pass = 12000;
  in.fee.per = "subject";
  CHECK(fields_of(in).empty());
  auto other = facts();
  other.certificate->org_id = "org-2";
  CHECK(fields_of(valid(), other) == V{"certificate_id:not_own"});
}

TEST_CASE("exam plan decides: published while registration is open, once") {
  const Machine draft = made(false);
  CHECK(testing::shown(decide_publish(draft, {"p-1"}, {kOrg, kNow, "p-1"})) == "published");
  CHECK(testing::shown(decide_publish(draft, {"p-1"}, {kOrg, at("2026-04-01T00:00:00+08:00"), "p-1"})) ==
        "refused exam_plan.registration_closed");
  CHECK(testing::shown(decide_publish(draft, {"p-1"}, {Actor{.role = "org", .org_id = "org-2"}, kNow, "p-1"})) ==
        "refused exam_plan.not_found");
}

TEST_CASE("exam plan phase by the clock, from draft to finished") {
  CHECK(phase_at(made(false), kNow) == "draft");
  const Machine m = made(true);
  CHECK(phase_at(m, at("2026-02-01T00:00:00+08:00")) == "registering");
  CHECK(phase_at(m, at("2026-03-31T23:59:59.500+08:00")) == "registering");
  CHECK(phase_at(m, at("2026-04-01T00:00:00+08:00")) == "awaiting_exam");
  CHECK(phase_at(m, at("2026-04-10T09:00:00+08:00")) == "examining");
  CHECK(phase_at(m, at("2026-04-10T16:00:00.900+08:00")) == "examining");
  CHECK(phase_at(m, at("2026-04-10T16:00:01+08:00")) == "score_entry");
  CHECK(phase_at(m, at("2026-04-21T00:00:00+08:00")) == "publicity");
  CHECK(phase_at(m, at("2026-04-28T00:00:00+08:00")) == "finished");
  CHECK(year_of(m.data()) == 2026);
}

TEST_CASE("exam plan access: its org (drafts too), institutions with a quota that year see it published") {
  const Actor leader{.account_id = "acc-l", .role = "leader", .province_code = "41", .city_code = "4101",
                     .institution_id = "4141010001"};
  Actor staff = leader;
  staff.role = "staff";
  staff.levels = {{"cert-a", "intermediate"}};
  CHECK(sees(kOrg, made(false), false));
  CHECK_FALSE(sees(Actor{.role = "org", .org_id = "org-2"}, made(true), false));
  CHECK_FALSE(sees(leader, made(false), true));
  CHECK(sees(leader, made(true), true));
  CHECK_FALSE(sees(leader, made(true), false));
  CHECK_FALSE(sees(staff, made(true), true));
  CHECK_FALSE(sees(Actor{.role = "city", .province_code = "41", .city_code = "4101"}, made(true), true));
}

}  // namespace onex::exam_plan
