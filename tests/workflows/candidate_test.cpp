// Candidates, pure: the machine's table row by row (its phase is the real-name verification),
// who sees a candidate, and each decide (given the record and facts, when a command, then the
// events, claims and releases, or the refusal).
#include <doctest/doctest.h>

#include "candidate/decide.h"
#include "support/decided.h"

namespace onex::candidate {
namespace {

const Timestamp kNow = *parse_time("2026-03-02T10:00:00+08:00");
const Actor kLeader{.account_id = "acc-l", .role = "leader", .institution_id = "inst-1"};
const Actor kStaff{.account_id = "acc-s", .role = "staff", .institution_id = "inst-1"};
const Actor kOther{.account_id = "acc-x", .role = "leader", .institution_id = "inst-2"};
const Actor kOrg{.account_id = "acc-o", .role = "org", .org_id = "org-1"};

CandidateInput valid() {
  return {"student", "张三", "Zhang San", "11010519491231002x", "+8613800138000", "软件技术", "高职专科", 2024};
}

Imported imported() {
  Imported e;
  static_cast<Details&>(e) = {"student", "Zhang San", "软件技术", "高职专科", 2024};
  e.candidate_id = "c-1", e.institution_id = "inst-1", e.person_key = "k1";
  e.pii = {"张三", "11010519491231002X", "13800138000"};
  return e;
}

// A candidate in `phase` (with a photo unless said otherwise).
Machine in_phase(Phase phase, bool photo = true) {
  Machine m;
  REQUIRE(m.apply(imported()));
  if (photo) REQUIRE(m.apply(PhotoSet{"f-1", "sha-1"}));
  if (phase == Phase::verified) REQUIRE(m.apply(IdentityChecked{"verified", "f-1"}));
  if (phase == Phase::failed) REQUIRE(m.apply(IdentityChecked{"failed", "f-1"}));
  if (phase == Phase::confirmed) REQUIRE(m.apply(IdentityConfirmed{"f-1"}));
  REQUIRE(m.phase() == phase);
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

TEST_CASE("candidate machine: every row of the table") {
  const std::vector<Phase> all = {Phase::none, Phase::unverified, Phase::verified, Phase::failed, Phase::confirmed};
  // What each event does from each phase (nullopt: no row).
  auto after = [](Phase from, const Event& e) -> std::optional<Phase> {
    return phase_after(from, e);
  };
  const Edited edited{{"social", "", "", "", 0}, "k1", {"张三", "11010519491231002X", ""}};
  for (Phase p : all) {
    CAPTURE(engine::enum_name(p));
    CHECK(after(p, imported()) == (p == Phase::none ? std::optional(Phase::unverified) : std::nullopt));
    CHECK(after(p, edited) == (p == Phase::none ? std::nullopt : std::optional(p)));
    CHECK(after(p, IdentityReset{"photo"}) == (p == Phase::none ? std::nullopt : std::optional(Phase::unverified)));
    CHECK(after(p, PhotoSet{"f", "s"}) == (p == Phase::unverified ? std::optional(p) : std::nullopt));
    const auto from_unverified = [&](Phase to) { return p == Phase::unverified ? std::optional(to) : std::nullopt; };
    CHECK(after(p, IdentityChecked{"verified", "f"}) == from_unverified(Phase::verified));
    CHECK(after(p, IdentityChecked{"failed", "f"}) == from_unverified(Phase::failed));
    CHECK(after(p, IdentityChecked{"unavailable", "f"}) == from_unverified(Phase::unverified));
    CHECK(after(p, IdentityChecked{"maybe", "f"}) == std::nullopt);
    CHECK(after(p, IdentityConfirmed{"f"}) == (p == Phase::unverified || p == Phase::failed
                                                   ? std::optional(Phase::confirmed) : std::nullopt));
  }
}

TEST_CASE("candidate rule: only the accounts of its institution see a candidate") {
  const auto m = in_phase(Phase::unverified);
  CHECK(sees(kLeader, m.data()));
  CHECK(sees(kStaff, m.data()));
  CHECK_FALSE(sees(kOther, m.data()));
  CHECK_FALSE(sees(kOrg, m.data()));
  CHECK_FALSE(sees(Actor{.role = "province", .province_code = "11"}, m.data()));
  CHECK_FALSE(sees(kLeader, Machine().data()));
}

TEST_CASE("candidate decides: an institution imports a person once, normalized, claiming the person") {
  const Machine none;
  auto made = decide_create(none, valid(), {kStaff, kNow, "c-1"}, {"key-1", false});
  REQUIRE(made.is_ok());
  CHECK(testing::shown(made) == "imported");
  const auto& e = std::get<Imported>(made->events[0]);
  CHECK(e.institution_id == "inst-1");
  CHECK(e.pii.id_number == "11010519491231002X");  // the check character upper-case
  CHECK(e.pii.phone == "13800138000");             // without +86
  CHECK(e.person_key == "key-1");
  REQUIRE(made->claims.size() == 1);
  CHECK(made->claims[0].key == "candidate/key-1");
  CHECK(made->claims[0].taken_code == "candidate.already_exists");
  CHECK(testing::shown(decide_create(none, valid(), {kStaff, kNow, "c-1"}, {"key-1", true})) ==
        "refused candidate.already_exists");
  CHECK(testing::shown(decide_create(none, valid(), {kOrg, kNow, "c-1"}, {"key-1", false})) == "refused auth.forbidden");
}

TEST_CASE("candidate decides: every field's rule") {
  const Machine none;
  auto in = valid();
  in.kind = "teacher";
  in.name = " ";
  in.name_pinyin = "张";
  in.id_number = "110105194912310021";  // wrong check character
  in.phone = "12800138000";
  in.enrolment_year = 2028;
  using V = std::vector<std::string>;
  CHECK(fields_of(decide_create(none, in, {kStaff, kNow, "c"}, {"k", false})) ==
        V{"kind:invalid", "name:required", "name_pinyin:invalid", "id_number:invalid", "phone:invalid",
          "enrolment_year:out_of_range"});
  // Only kind, name and ID number are needed (older records hold no more).
  CandidateInput bare;
  bare.kind = "social", bare.name = "李四", bare.id_number = "11010519491231002X";
  CHECK(testing::shown(decide_create(none, bare, {kStaff, kNow, "c"}, {"k", false})) == "imported");
  bare.enrolment_year = 2027;  // next year: a September intake announced now
  CHECK(testing::shown(decide_create(none, bare, {kStaff, kNow, "c"}, {"k", false})) == "imported");
}

TEST_CASE("candidate decides: edits, and when the real-name check must be asked again") {
  const auto verified = in_phase(Phase::verified);
  CandidatePatch phone{{}, {"phone"}};
  phone.values.phone = "13900139000";
  CHECK(testing::shown(decide_edit(verified, {"c-1", phone}, {kStaff, kNow}, {"k1", false})) == "edited");
  CandidatePatch same{{}, {"phone"}};
  same.values.phone = "13800138000";
  CHECK(testing::shown(decide_edit(verified, {"c-1", same}, {kStaff, kNow}, {"k1", false})) == "nothing");
  CandidatePatch name{{}, {"name"}};
  name.values.name = "张叁";
  CHECK(testing::shown(decide_edit(verified, {"c-1", name}, {kStaff, kNow}, {"k1", false})) == "edited identity_reset");
  // A new ID number moves the claim, unless another candidate holds that person.
  CandidatePatch id{{}, {"id_number"}};
  id.values.id_number = "11010519491231003X";
  CHECK(fields_of(decide_edit(verified, {"c-1", id}, {kStaff, kNow}, {"k2", false})) ==
        std::vector<std::string>{"id_number:invalid"});
  id.values.id_number = "110101199003070011";
  auto moved = decide_edit(verified, {"c-1", id}, {kStaff, kNow}, {"k2", false});
  REQUIRE(moved.is_ok());
  CHECK(testing::shown(moved) == "edited identity_reset");
  REQUIRE(moved->claims.size() == 1);
  CHECK(moved->claims[0].key == "candidate/k2");
  CHECK(moved->releases == std::vector<std::string>{"candidate/k1"});
  CHECK(testing::shown(decide_edit(verified, {"c-1", id}, {kStaff, kNow}, {"k2", true})) ==
        "refused candidate.already_exists");
  // Another institution, or nobody's record: not found.
  CHECK(testing::shown(decide_edit(verified, {"c-1", phone}, {kOther, kNow}, {"k1", false})) ==
        "refused candidate.not_found");
  CHECK(testing::shown(decide_edit(Machine(), {"c-1", phone}, {kStaff, kNow}, {"k1", false})) ==
        "refused candidate.not_found");
}

TEST_CASE("candidate decides: photos, the verifier's answers and the confirmation by hand") {
  auto bare = in_phase(Phase::unverified, false);
  CHECK(testing::shown(decide_confirm(bare, {"c-1"}, {kStaff, kNow})) == "refused candidate.photo_missing");
  CHECK(testing::shown(decide_photo(bare, {"c-1", "f-1", "sha-1"}, {kStaff, kNow})) == "photo_set");
  const auto unverified = in_phase(Phase::unverified);
  CHECK(testing::shown(decide_photo(unverified, {"c-1", "f-1", "sha-1"}, {kStaff, kNow})) == "nothing");
  CHECK(testing::shown(decide_photo(in_phase(Phase::verified), {"c-1", "f-2", "sha-2"}, {kStaff, kNow})) ==
        "identity_reset photo_set");
  CHECK(testing::shown(decide_check(unverified, {"c-1", "failed", "f-1"}, {kStaff, kNow})) == "identity_checked");
  CHECK(testing::shown(decide_check(unverified, {"c-1", "failed", "f-0"}, {kStaff, kNow})) == "nothing");  // stale
  CHECK(testing::shown(decide_check(in_phase(Phase::failed), {"c-1", "verified", "f-1"}, {kStaff, kNow})) == "nothing");
  CHECK(testing::shown(decide_confirm(in_phase(Phase::failed), {"c-1"}, {kStaff, kNow})) == "identity_confirmed");
  CHECK(testing::shown(decide_confirm(unverified, {"c-1"}, {kLeader, kNow})) == "identity_confirmed");
  CHECK(testing::shown(decide_confirm(unverified, {"c-1"}, {kOther, kNow})) == "refused candidate.not_found");
  CHECK_FALSE(registrable(unverified));
  CHECK(registrable(in_phase(Phase::verified)));
  CHECK(registrable(in_phase(Phase::confirmed)));
  CHECK_FALSE(registrable(in_phase(Phase::failed)));
}

}  // namespace onex::candidate
