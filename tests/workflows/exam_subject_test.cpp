// Exam subjects, pure: the machine's table row by row, who sees a subject, and the create rule
// (given the certificate, when an org creates, then the event and its claim, or the refusal).
#include <doctest/doctest.h>

#include "exam_subject/decide.h"
#include "support/decided.h"

namespace onex::exam_subject {
namespace {

const Timestamp kNow = *parse_time("2026-03-02T10:00:00+08:00");
const Actor kOrg{.account_id = "acc-o", .role = "org", .org_id = "org-1"};
const lookup::CertificateRef kCert{"cert-a", "CA", "证书 A", "org-1", {"junior", "intermediate"}};

ExamSubjectInput valid() {
  return {"cert-a", "junior", "S-01", "理论知识", "computer", 90, 10000, 6000, {"all"}};
}

}  // namespace

TEST_CASE("exam subject machine: none takes created, active takes nothing") {
  Machine m;
  CHECK(m.phase() == Phase::none);
  const Created created{"s-1", "org-1", "cert-a", "junior", "S-01", "理论知识", "computer", 90, 10000, 6000, {"all"}};
  REQUIRE(m.apply(created));
  CHECK(m.phase() == Phase::active);
  CHECK(m.state_name() == "active");
  CHECK(m.data().id == "s-1");
  CHECK(m.data().pass_score == 6000);
  CHECK_FALSE(m.apply(created));  // no second creation
  CHECK(m.phase() == Phase::active);
}

TEST_CASE("exam subject decides: an org creates a subject of its certificate, claiming its code per level") {
  const Machine none;
  auto made = decide_create(none, valid(), {kOrg, kNow, "s-1"}, {kCert});
  REQUIRE(made.is_ok());
  CHECK(testing::shown(made) == "created");
  const auto& e = std::get<Created>(made->events[0]);
  CHECK(e.subject_id == "s-1");
  CHECK(e.org_id == "org-1");
  CHECK(e.audience == std::vector<std::string>{"all"});
  REQUIRE(made->claims.size() == 1);
  CHECK(made->claims[0].key == "exam_subject/cert-a/junior/S-01");
  CHECK(made->claims[0].taken_code == "exam_subject.duplicate");
  auto named = valid();
  named.audience = {"在校生", "社会人员"};
  CHECK(testing::shown(decide_create(none, named, {kOrg, kNow, "s-2"}, {kCert})) == "created");
}

TEST_CASE("exam subject decides: who may create, and every field's rule") {
  const Machine none;
  const Actor province{.account_id = "acc-p", .role = "province", .province_code = "41"};
  CHECK(testing::shown(decide_create(none, valid(), {province, kNow, "s"}, {kCert})) == "refused auth.forbidden");
  auto fields_of = [&](const ExamSubjectInput& in, const Facts& facts) {
    auto d = decide_create(none, in, {kOrg, kNow, "s"}, facts);
    std::vector<std::string> out;
    if (!d) {
      const Status refused = d.status();
      CHECK(refused.code() == "validation.failed");
      for (const auto& f : refused.errors()) out.push_back(f.field + ":" + f.code);
    }
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(fields_of(valid(), {std::nullopt}) == V{"certificate_id:not_own"});
  auto other_org = kCert;
  other_org.org_id = "org-2";
  CHECK(fields_of(valid(), {other_org}) == V{"certificate_id:not_own"});
  auto in = valid();
  in.level = "senior";
  CHECK(fields_of(in, {kCert}) == V{"level:invalid_level"});
  in = valid();
  in.code = "S 01";
  in.name = "";
  in.exam_type = "oral";
  in.duration_minutes = 0;
  in.full_score = 100'001;
  in.pass_score = 0;
  in.audience = {"all", "在校生"};
  CHECK(fields_of(in, {kCert}) == V{"code:invalid", "name:required", "exam_type:invalid",
                                    "duration_minutes:out_of_range", "full_score:out_of_range",
                                    "pass_score:out_of_range", "audience:invalid"});
  in = valid();
  in.pass_score = in.full_score + 1;
  CHECK(fields_of(in, {kCert}) == V{"pass_score:out_of_range"});
  in = valid();
  in.audience = {};
  CHECK(fields_of(in, {kCert}) == V{"audience:invalid"});
}

TEST_CASE("exam subject access: its org, and institutions that pilot its certificate within their scope") {
  Machine m;
  REQUIRE(m.apply(Created{"s-1", "org-1", "cert-a", "junior", "S-01", "n", "computer", 90, 10000, 6000, {"all"}}));
  const auto& s = m.data();
  const Actor leader{.account_id = "acc-l", .role = "leader", .province_code = "41", .city_code = "4101",
                     .institution_id = "4141010001"};
  Actor staff = leader;
  staff.role = "staff";
  staff.certificates = {"cert-a"};
  staff.levels = {{"cert-a", "junior"}};
  Actor other_level = staff;
  other_level.levels = {{"cert-a", "senior"}};
  CHECK(sees(kOrg, s, false));
  CHECK_FALSE(sees(Actor{.role = "org", .org_id = "org-2"}, s, false));
  CHECK(sees(leader, s, true));
  CHECK_FALSE(sees(leader, s, false));
  CHECK(sees(staff, s, true));
  CHECK_FALSE(sees(other_level, s, true));
  CHECK_FALSE(sees(Actor{.role = "province", .province_code = "41"}, s, true));
  CHECK_FALSE(sees(leader, State{}, true));
}

}  // namespace onex::exam_subject
