// Quotas (SPEC.md §5): the rules of quota/decide.h, pure (given events, when a command, then
// events or a refusal; no store), and every row of the quota machine.
#include <doctest/doctest.h>

#include "quota/decide.h"

namespace onex::quota {
namespace {

const Actor kProvince{"acc-p", "province", "41", "", "", ""};

Granted granted(int trainees) { return {"inst-a", "41", "cert-a", 2024, trainees, "decl-1"}; }

Machine given(const std::vector<Event>& events) {
  Machine m;
  for (const auto& e : events) REQUIRE(m.apply(e));
  return m;
}

// The decided events as short words: "adjusted(50←30)".
std::string shown(const Result<Decision>& d) {
  if (!d) return "refused " + d.status().code();
  std::string out;
  for (const auto& e : d->events) {
    if (!out.empty()) out += ' ';
    if (const auto* a = std::get_if<Adjusted>(&e))
      out += "adjusted(" + std::to_string(a->approved_trainees) + "<-" + std::to_string(a->previous) + ")";
    else
      out += "granted";
  }
  return out.empty() ? "nothing" : out;
}

// decide_adjust of the quota of inst-a, cert-a, 2024.
Result<Decision> adjust(const Machine& m, const Actor& actor, int trainees, std::string reason) {
  return decide_adjust(m, {"inst-a", "cert-a", 2024, trainees, std::move(reason)}, {actor, Timestamp{}});
}

}  // namespace

TEST_CASE("decide_adjust: the province sets a granted quota, with a reason, never below used") {
  const Machine open = given({granted(30)});
  CHECK(shown(adjust(open, kProvince, 50, "省级追加指标")) == "adjusted(50<-30)");
  CHECK(shown(adjust(open, kProvince, 10, "调减")) == "adjusted(10<-30)");
  // The same total again changes nothing.
  CHECK(shown(adjust(open, kProvince, 30, "不变")) == "nothing");
  // A reason is required, and bounded.
  CHECK(shown(adjust(open, kProvince, 50, " \t")) == "refused validation.failed");
  CHECK(shown(adjust(open, kProvince, 50, std::string(1001, 'x'))) == "refused validation.failed");
  CHECK(shown(adjust(open, kProvince, 1'000'001, "x")) == "refused validation.failed");
  CHECK(shown(adjust(open, kProvince, -1, "x")) == "refused quota.below_used");
}

TEST_CASE("decide_adjust: no quota from nothing, none of another province, none by other roles") {
  CHECK(shown(adjust(Machine{}, kProvince, 50, "追加")) == "refused quota.not_found");
  const Machine open = given({granted(30)});
  CHECK(shown(adjust(open, Actor{"acc-p11", "province", "11", "", "", ""}, 50, "x")) ==
        "refused quota.not_found");
  CHECK(shown(adjust(open, Actor{"acc-l", "leader", "41", "4101", "inst-a", ""}, 50, "x")) ==
        "refused auth.forbidden");
}

TEST_CASE("sees: its institution (a scoped staff only its certificates), its province, the auditor") {
  Actor staff{"acc-s", "staff", "41", "4101", "inst-a", ""};
  CHECK(sees(staff, "inst-a", "41", "cert-a"));
  staff.certificates = {"cert-a"};
  CHECK(sees(staff, "inst-a", "41", "cert-a"));
  CHECK_FALSE(sees(staff, "inst-a", "41", "cert-b"));
  CHECK_FALSE(sees(Actor{"acc-l", "leader", "41", "4101", "inst-b", ""}, "inst-a", "41", "cert-a"));
  CHECK(sees(kProvince, "inst-a", "41", "cert-a"));
  CHECK_FALSE(sees(kProvince, "inst-a", "11", "cert-a"));
  CHECK_FALSE(sees(Actor{"acc-c", "city", "41", "4101", "", ""}, "inst-a", "41", "cert-a"));
  CHECK_FALSE(sees(Actor{"acc-o", "operator"}, "inst-a", "41", "cert-a"));
  CHECK(sees(Actor{"acc-au", "auditor"}, "inst-a", "41", "cert-a"));
}

TEST_CASE("the quota machine, row by row") {
  // None → Open by a grant (and, for recorded histories only, by an adjustment).
  Machine m;
  CHECK(m.state_name() == "none");
  REQUIRE(m.apply(Event{granted(30)}));
  CHECK(m.state_name() == "open");
  CHECK(m.data().approved_trainees == 30);
  // Open → Open: grants add up, an adjustment sets the total.
  REQUIRE(m.apply(Event{granted(5)}));
  CHECK(m.data().approved_trainees == 35);
  REQUIRE(m.apply(Event{Adjusted{"inst-a", "41", "cert-a", 2024, 50, 35, "追加"}}));
  CHECK(m.state_name() == "open");
  CHECK(m.data().approved_trainees == 50);
  Machine legacy;
  REQUIRE(legacy.apply(Event{Adjusted{"inst-a", "41", "cert-b", 2024, 10, 0, "试点补充"}}));
  CHECK(legacy.state_name() == "open");
}

}  // namespace onex::quota
