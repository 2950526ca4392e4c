// Exam rooms, pure: the machine's table row by row, who sees a room, and each decide (given the
// plan and site, when a command, then the events, claims and releases, or the refusal).
#include <doctest/doctest.h>

#include "exam_room/decide.h"
#include "support/decided.h"

namespace onex::exam_room {
namespace {

const Timestamp kNow = *parse_time("2026-03-02T10:00:00+08:00");
const Actor kLeader{.account_id = "acc-l", .role = "leader", .institution_id = "inst-1"};
const Actor kBorrower{.account_id = "acc-b", .role = "leader", .institution_id = "inst-2"};
const Actor kOther{.account_id = "acc-c", .role = "leader", .institution_id = "inst-3"};
const Actor kOrg{.account_id = "acc-o", .role = "org", .org_id = "org-1"};
const lookup::ExamPlanRef kPlan{"p-1", "org-1", "cert-a", "junior"};
const lookup::SiteRef kSite{"s-1", "inst-1", {"cert-a"}, {{"p-1", "inst-2"}}};

ExamRoomInput valid() {
  ExamRoomInput in;
  in.name = "第一考场", in.room_type = "computer", in.seats = 40, in.province_code = "44", in.city = "广州市";
  in.district = "番禺区", in.address = "实训楼 301", in.certificate_ids = {"cert-a"};
  in.exam_plan_id = "p-1", in.site_id = "s-1";
  return in;
}

Machine made(const Actor& by = kLeader) {
  Machine m;
  auto d = decide_create(m, valid(), {by, kNow, "r-1"}, {kPlan, kSite});
  REQUIRE(d.is_ok());
  REQUIRE(m.apply(d->events[0]));
  return m;
}

}  // namespace

TEST_CASE("exam room machine: every row of the table") {
  for (Phase p : {Phase::none, Phase::active, Phase::deleted}) {
    CAPTURE(engine::enum_name(p));
    CHECK(phase_after(p, Created{}) == (p == Phase::none ? std::optional(Phase::active) : std::nullopt));
    CHECK(phase_after(p, Edited{}) == (p == Phase::active ? std::optional(Phase::active) : std::nullopt));
    CHECK(phase_after(p, Deleted{}) == (p == Phase::active ? std::optional(Phase::deleted) : std::nullopt));
  }
}

TEST_CASE("exam room decides: only on a site that serves the institution for the plan's certificate") {
  const Machine none;
  auto d = decide_create(none, valid(), {kLeader, kNow, "r-1"}, {kPlan, kSite});
  REQUIRE(d.is_ok());
  CHECK(std::get<Created>(d->events[0]).org_id == "org-1");
  CHECK(d->claims.at(0).key == "exam_room/p-1/s-1/第一考场");
  CHECK(testing::shown(decide_create(none, valid(), {kLeader, kNow, "r"}, {kPlan, kSite, true})) ==
        "refused exam_room.duplicate");
  CHECK(testing::shown(decide_create(none, valid(), {kBorrower, kNow, "r"}, {kPlan, kSite})) == "created");  // lent
  CHECK(testing::shown(decide_create(none, valid(), {kOther, kNow, "r"}, {kPlan, kSite})) == "refused validation.failed");
  CHECK(testing::shown(decide_create(none, valid(), {kLeader, kNow, "r"}, {kPlan, std::nullopt})) ==
        "refused validation.failed");
  CHECK(testing::shown(decide_create(none, valid(), {kOrg, kNow, "r"}, {kPlan, kSite})) == "refused auth.forbidden");
  auto bad = valid();
  bad.room_type = "oral", bad.seats = 0, bad.certificate_ids = {"cert-a", "cert-b"};
  auto refused = decide_create(none, bad, {kLeader, kNow, "r"}, {kPlan, kSite});
  REQUIRE_FALSE(refused.is_ok());
  const Status status = refused.status();
  std::vector<std::string> fields;
  for (const auto& f : status.errors()) fields.push_back(f.field);
  CHECK(fields == std::vector<std::string>{"room_type", "seats", "certificate_ids[1]"});
}

TEST_CASE("exam room decides: edits move the name's claim, deletion frees it, others see nothing") {
  const auto m = made();
  CHECK(sees(kLeader, m));
  CHECK(sees(kOrg, m));
  CHECK_FALSE(sees(kOther, m));
  // A staff scoped to another certificate sees none of its institution's rooms of this one.
  const Actor kScoped{.account_id = "acc-s", .role = "staff", .institution_id = "inst-1", .certificates = {"cert-b"}};
  CHECK_FALSE(sees(kScoped, m));
  CHECK(sees(Actor{.account_id = "acc-s", .role = "staff", .institution_id = "inst-1", .certificates = {"cert-a"}}, m));
  CHECK_FALSE(sees(Actor{.role = "org", .org_id = "org-2"}, m));
  Edit same{"r-1", valid()};
  CHECK(testing::shown(decide_edit(m, same, {kLeader, kNow}, {kPlan, kSite})) == "nothing");
  Edit renamed{"r-1", valid()};
  renamed.fields.name = "第二考场";
  auto d = decide_edit(m, renamed, {kLeader, kNow}, {kPlan, kSite});
  REQUIRE(d.is_ok());
  CHECK(d->claims.at(0).key == "exam_room/p-1/s-1/第二考场");
  CHECK(d->releases == std::vector<std::string>{"exam_room/p-1/s-1/第一考场"});
  CHECK(testing::shown(decide_edit(m, renamed, {kOther, kNow}, {kPlan, kSite})) == "refused exam_room.not_found");
  auto gone = decide_delete(m, {"r-1"}, {kLeader, kNow});
  REQUIRE(gone.is_ok());
  CHECK(gone->releases == std::vector<std::string>{"exam_room/p-1/s-1/第一考场"});
  CHECK(testing::shown(decide_delete(m, {"r-1"}, {kOrg, kNow})) == "refused exam_room.not_found");
}

}  // namespace onex::exam_room
