// Assessment sites, pure: the machine's table row by row, who sees a site, and each decide
// (apply, submit, review per certificate, lending for an exam plan).
#include <doctest/doctest.h>

#include "site/decide.h"
#include "support/decided.h"

namespace onex::site {
namespace {

const Timestamp kNow = *parse_time("2026-03-02T10:00:00+08:00");
const Actor kLeader{.account_id = "acc-l", .role = "leader", .institution_id = "inst-1"};
const Actor kBorrower{.account_id = "acc-b", .role = "leader", .institution_id = "inst-2"};
const Actor kOrg1{.account_id = "acc-o", .role = "org", .org_id = "org-1"};
const Actor kOrg2{.account_id = "acc-o2", .role = "org", .org_id = "org-2"};
const lookup::CertificateRef kA{"cert-a", "CA", "证书 A", "org-1", {"junior"}};
const lookup::CertificateRef kX{"cert-x", "CX", "证书 X", "org-2", {"junior"}};

SiteInput valid() {
  return {"番禺考点", "44", "4401", "番禺区", "市良路 1342 号", "机房 3 间", {"cert-a", "cert-x"}, "李老师", "13800138000", {}};
}
Facts facts() { return {{{"cert-a", kA}, {"cert-x", kX}}, {{"cert-a", true}, {"cert-x", true}}, {}}; }

void apply(Machine& m, const Result<Decision>& d) {
  REQUIRE(d.is_ok());
  for (const auto& e : d->events) REQUIRE(m.apply(e));
}

Machine submitted() {
  Machine m;
  apply(m, decide_apply(m, valid(), {kLeader, kNow, "s-1"}, facts()));
  apply(m, decide_submit(m, {"s-1"}, {kLeader, kNow}));
  return m;
}

}  // namespace

TEST_CASE("site machine: every row of the table") {
  const Applied applied{};
  for (Phase p : {Phase::none, Phase::draft, Phase::under_review, Phase::decided}) {
    CAPTURE(engine::enum_name(p));
    CHECK(phase_after(p, applied) == (p == Phase::none ? std::optional(Phase::draft) : std::nullopt));
    CHECK(phase_after(p, Submitted{}) == (p == Phase::draft ? std::optional(Phase::under_review) : std::nullopt));
    CHECK(phase_after(p, Reviewed{"c", true, "", 1}) ==
          (p == Phase::under_review ? std::optional(Phase::under_review) : std::nullopt));
    CHECK(phase_after(p, Reviewed{"c", true, "", 0}) ==
          (p == Phase::under_review ? std::optional(Phase::decided) : std::nullopt));
    const bool lends = p == Phase::under_review || p == Phase::decided;
    CHECK(phase_after(p, Assigned{"p", "i", "c"}) == (lends ? std::optional(p) : std::nullopt));
  }
}

TEST_CASE("site decides: an institution applies for certificates it pilots, each part reviewed by its org") {
  Machine m;
  auto bad = valid();
  bad.city_code = "4501";
  bad.contact_phone = "123";
  bad.certificate_ids = {"cert-a", "cert-z"};
  auto refused = decide_apply(m, bad, {kLeader, kNow, "s"}, facts());
  REQUIRE_FALSE(refused.is_ok());
  std::vector<std::string> fields;
  const Status status = refused.status();
  for (const auto& f : status.errors()) fields.push_back(f.field);
  CHECK(fields == std::vector<std::string>{"city_code", "contact_phone", "certificate_ids[1]"});
  CHECK(testing::shown(decide_apply(m, valid(), {kOrg1, kNow, "s"}, facts())) == "refused auth.forbidden");
  // Files: at most 10, each one the institution may use (the facts say which it may not).
  auto many = valid();
  many.file_ids.assign(11, "f");
  CHECK(testing::shown(decide_apply(m, many, {kLeader, kNow, "s"}, facts())) == "refused validation.failed");
  auto foreign = facts();
  foreign.file_errors.push_back({"file_ids[0]", "file.not_usable", "not yours"});
  CHECK(testing::shown(decide_apply(m, valid(), {kLeader, kNow, "s"}, foreign)) == "refused file.not_usable");

  apply(m, decide_apply(m, valid(), {kLeader, kNow, "s-1"}, facts()));
  CHECK_FALSE(sees(kOrg1, m));  // a draft is the institution's own
  apply(m, decide_submit(m, {"s-1"}, {kLeader, kNow}));
  CHECK(sees(kOrg1, m));
  CHECK(sees(kOrg2, m));
  CHECK_FALSE(sees(kBorrower, m));
  // Each org decides its own part once; the last decision closes the review.
  CHECK(testing::shown(decide_review(m, {"s-1", {"cert-x", true, ""}}, {kOrg1, kNow})) == "refused validation.failed");
  CHECK(testing::shown(decide_review(m, {"s-1", {"cert-a", false, ""}}, {kOrg1, kNow})) == "refused validation.failed");
  apply(m, decide_review(m, {"s-1", {"cert-a", true, ""}}, {kOrg1, kNow}));
  CHECK(m.phase() == Phase::under_review);
  CHECK(testing::shown(decide_review(m, {"s-1", {"cert-a", true, ""}}, {kOrg1, kNow})) == "refused site.part_decided");
  apply(m, decide_review(m, {"s-1", {"cert-x", false, "场地不足"}}, {kOrg2, kNow}));
  CHECK(m.phase() == Phase::decided);
  CHECK(m.data().part("cert-x")->status == "rejected");
}

TEST_CASE("site decides: an org lends a site approved for its plan's certificate to an institution without one") {
  Machine m = submitted();
  const LoanFacts plan{lookup::ExamPlanRef{"p-1", "org-1", "cert-a", "junior"}, false};
  const SiteAssignment loan{"inst-2", "s-1", "p-1"};
  CHECK(testing::shown(decide_assign(m, loan, {kOrg1, kNow}, plan)) == "refused site.not_approved");
  apply(m, decide_review(m, {"s-1", {"cert-a", true, ""}}, {kOrg1, kNow}));
  CHECK(testing::shown(decide_assign(m, loan, {kOrg1, kNow}, {plan.plan, true})) == "refused site.has_own_site");
  CHECK(testing::shown(decide_assign(m, {"inst-1", "s-1", "p-1"}, {kOrg1, kNow}, plan)) == "refused site.has_own_site");
  CHECK(testing::shown(decide_assign(m, loan, {kOrg2, kNow}, plan)) == "refused validation.failed");  // not its plan
  CHECK(testing::shown(decide_assign(m, loan, {kLeader, kNow}, plan)) == "refused auth.forbidden");
  auto lent = decide_assign(m, loan, {kOrg1, kNow}, plan);
  REQUIRE(lent.is_ok());
  CHECK(lent->claims.at(0).key == "site_loan/p-1/inst-2");
  apply(m, lent);
  CHECK(sees(kBorrower, m));
  CHECK(testing::shown(decide_assign(m, loan, {kOrg1, kNow}, plan)) == "refused site.already_assigned");
}

}  // namespace onex::site
