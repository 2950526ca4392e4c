// Invigilators, pure: the machine's table row by row, who sees one, and the submit and review
// rules (given the facts, when a command, then the events or the refusal).
#include <doctest/doctest.h>

#include "invigilator/decide.h"
#include "support/decided.h"

namespace onex::invigilator {
namespace {

const Timestamp kNow = *parse_time("2026-03-02T10:00:00+08:00");
const Actor kLeader{.account_id = "acc-l", .role = "leader", .institution_id = "inst-1"};
const Actor kScoped{.account_id = "acc-s", .role = "staff", .institution_id = "inst-1", .certificates = {"cert-b"}};
const Actor kOrg{.account_id = "acc-o", .role = "org", .org_id = "org-1"};
const Actor kOtherOrg{.account_id = "acc-o2", .role = "org", .org_id = "org-2"};
const lookup::CertificateRef kA{"cert-a", "CA", "证书 A", "org-1", {"junior"}};
const lookup::CertificateRef kX{"cert-x", "CX", "证书 X", "org-2", {"junior"}};

Facts facts() { return {{{"cert-a", kA}, {"cert-x", kX}}, {{"cert-a", true}, {"cert-x", true}}, "key-1"}; }
InvigilatorInput valid() { return {"王老师", "11010519491231002X", "13800138000", {"cert-a"}}; }

Machine submitted() {
  Machine m;
  auto d = decide_submit(m, valid(), {kLeader, kNow, "v-1"}, facts());
  REQUIRE(d.is_ok());
  REQUIRE(m.apply(d->events[0]));
  return m;
}

std::vector<std::string> fields_of(const Result<Decision>& d) {
  std::vector<std::string> out;
  if (!d) {
    const Status refused = d.status();
    for (const auto& f : refused.errors()) out.push_back(f.field + ":" + f.code);
  }
  return out;
}

}  // namespace

TEST_CASE("invigilator machine: every row of the table") {
  const Submitted s{"v", "inst-1", "org-1", {"cert-a"}, {"王", "11010519491231002X", "13800138000"}};
  for (Phase p : {Phase::none, Phase::submitted, Phase::certified, Phase::rejected}) {
    CAPTURE(engine::enum_name(p));
    CHECK(phase_after(p, s) == (p == Phase::none ? std::optional(Phase::submitted) : std::nullopt));
    CHECK(phase_after(p, Certified{}) == (p == Phase::submitted ? std::optional(Phase::certified) : std::nullopt));
    CHECK(phase_after(p, Rejected{"r"}) == (p == Phase::submitted ? std::optional(Phase::rejected) : std::nullopt));
  }
}

TEST_CASE("invigilator decides: an institution submits a teacher for certificates it pilots, of one org") {
  const Machine none;
  auto made = decide_submit(none, valid(), {kLeader, kNow, "v-1"}, facts());
  REQUIRE(made.is_ok());
  const auto& e = std::get<Submitted>(made->events[0]);
  CHECK(e.org_id == "org-1");
  CHECK(e.institution_id == "inst-1");
  // The person is claimed once per org, by the keyed hash alone.
  REQUIRE(made->claims.size() == 1);
  CHECK(made->claims[0].key == "invigilator/org-1/key-1");
  CHECK(made->claims[0].taken_code == "invigilator.already_submitted");
  auto in = valid();
  in.certificate_ids = {"cert-a", "cert-x"};
  CHECK(fields_of(decide_submit(none, in, {kLeader, kNow, "v"}, facts())) ==
        std::vector<std::string>{"certificate_ids:ambiguous"});
  auto not_piloted = facts();
  not_piloted.piloted["cert-a"] = false;
  CHECK(fields_of(decide_submit(none, valid(), {kLeader, kNow, "v"}, not_piloted)) ==
        std::vector<std::string>{"certificate_ids[0]:out_of_scope"});
  CHECK(fields_of(decide_submit(none, valid(), {kScoped, kNow, "v"}, facts())) ==
        std::vector<std::string>{"certificate_ids[0]:out_of_scope"});
  in = valid();
  in.id_number = "110105194912310021";
  in.phone = "1380013800";
  in.name = "";
  in.certificate_ids = {};
  CHECK(fields_of(decide_submit(none, in, {kLeader, kNow, "v"}, facts())) ==
        std::vector<std::string>{"name:required", "id_number:invalid", "phone:invalid", "certificate_ids:invalid"});
  CHECK(testing::shown(decide_submit(none, valid(), {kOrg, kNow, "v"}, facts())) == "refused auth.forbidden");
}

TEST_CASE("invigilator decides: its org certifies or rejects with a reason, others do not see it") {
  const auto m = submitted();
  CHECK(sees(kLeader, m.data()));
  CHECK(sees(kOrg, m.data()));
  CHECK_FALSE(sees(kOtherOrg, m.data()));
  CHECK_FALSE(sees(kScoped, m.data()));  // its scope is cert-b only
  auto certified = decide_review(m, {"v-1", {true, ""}}, {kOrg, kNow});
  CHECK(testing::shown(certified) == "certified");
  CHECK(certified->releases.empty());  // a certified person stays claimed
  auto rejected = decide_review(m, {"v-1", {false, "资质不符"}}, {kOrg, kNow});
  CHECK(testing::shown(rejected) == "rejected");
  CHECK(rejected->releases == std::vector<std::string>{"invigilator/org-1/key-1"});  // may be submitted again
  CHECK(fields_of(decide_review(m, {"v-1", {false, ""}}, {kOrg, kNow})) == std::vector<std::string>{"reason:required"});
  CHECK(testing::shown(decide_review(m, {"v-1", {true, ""}}, {kOtherOrg, kNow})) == "refused invigilator.not_found");
  CHECK(testing::shown(decide_review(m, {"v-1", {true, ""}}, {kLeader, kNow})) == "refused auth.forbidden");
}

}  // namespace onex::invigilator
