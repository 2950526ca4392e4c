// Institutions at the library level: every row of the machine, who may see and change an
// institution, the basic-info checks, and the pilot years the read model derives from
// declaration events (also when rebuilt from the log).
#include <doctest/doctest.h>

#include "declaration/events.h"
#include "institution/decide.h"
#include "institution/projection.h"
#include "onex/rebuild.h"
#include "onex/workflows.h"
#include "support/temp_dir.h"

using namespace onex;
using namespace onex::institution;

namespace {

const Registered kRegistered{"4141010001", "4141010001", "郑州示范职业学院", "41", "4101", "高职", "self"};

Machine registered_with_leader(const std::string& leader = "acc-1") {
  Machine m;
  REQUIRE(m.apply(kRegistered));
  REQUIRE(m.apply(LeaderAssigned{leader, "L4141010001"}));
  return m;
}

InstitutionProfile good_profile() {
  return {"高等职业学校", "91110000101623741K", "https://www.example.edu.cn", "金水区", "文化路 1 号",
          "王老师", "0371-12345678", "office@example.edu.cn"};
}

std::vector<std::string> fields_of(const Status& s) {
  std::vector<std::string> out;
  for (const auto& e : s.errors()) out.push_back(e.field);
  return out;
}

}  // namespace

TEST_CASE("the institution machine: registered once, one leader, then profile, seal and resets") {
  Machine none;
  // Nothing but registration starts a record.
  for (const Event& e : std::vector<Event>{LeaderAssigned{"a", "x"}, ProfileUpdated{}, SealSet{},
                                           LeaderReset{"a", "binding"}}) {
    Machine m = none;
    CHECK_FALSE(m.apply(e));
    CHECK(m.phase() == Phase::none);
  }
  Machine m = none;
  REQUIRE(m.apply(kRegistered));
  CHECK(m.state_name() == "registered");
  CHECK_FALSE(m.apply(kRegistered));  // registered once
  REQUIRE(m.apply(LeaderAssigned{"acc-1", "L4141010001"}));
  CHECK_FALSE(m.apply(LeaderAssigned{"acc-2", "other"}));  // one leader
  CHECK(m.data().leader_account_id == "acc-1");
  CHECK(m.apply(ProfileUpdated{"高职", "91110000101623741K", "", "", "", {}}));
  CHECK(m.apply(SealSet{"f1", "abc", "张三", "校长", "2026-01-05T01:00:00Z"}));
  CHECK(m.apply(LeaderReset{"acc-1", "binding"}));
  CHECK_FALSE(m.apply(LeaderReset{"acc-2", "binding"}));  // not its leader
  CHECK(m.data().seal->file_id == "f1");
  CHECK(m.data().profile->credit_code == "91110000101623741K");
}

TEST_CASE("giving an institution its leader: the record is made with it, and a second leader is "
          "refused with the caller's code") {
  const lookup::RegistryEntry entry{"4141010003", "郑州第二职业学院", "41", "4101", "本科"};
  Machine none;
  auto first = decide_leader(none, entry, "acc-1", "leader-c", "province");
  REQUIRE(first.is_ok());
  REQUIRE(first->size() == 2);
  CHECK(std::get<Registered>(first->at(0)).by == "province");
  CHECK(std::get<Registered>(first->at(0)).city_code == "4101");
  Machine m = none;
  for (const auto& e : *first) REQUIRE(m.apply(e));
  CHECK(decide_leader(m, entry, "acc-2", "x", "province").status().code() == "institution.leader_exists");
  CHECK(decide_leader(m, entry, "acc-2", "x", "self").status().code() ==
        "institution.already_registered");
  CHECK(decide_leader_reset(m, "acc-1", "password").size() == 1);
  CHECK(decide_leader_reset(m, "acc-2", "password").empty());
  CHECK(decide_leader_reset(none, "acc-1", "password").empty());
}

TEST_CASE("who sees an institution and who edits it") {
  const Machine m = registered_with_leader();
  struct Case {
    Actor actor;
    bool sees;
    std::string edits;  // "" ok, else the refusal's code
  };
  const std::vector<Case> cases = {
      {{"acc-1", "leader", "41", "4101", "4141010001"}, true, ""},
      {{"acc-2", "staff", "41", "4101", "4141010001"}, true, "auth.forbidden"},
      {{"acc-3", "leader", "41", "4102", "4141020002"}, false, "institution.not_found"},
      {{"acc-4", "province", "41"}, true, "institution.not_found"},
      {{"acc-5", "province", "42"}, false, "institution.not_found"},
      {{"acc-6", "city", "41", "4101"}, true, "institution.not_found"},
      {{"acc-7", "city", "41", "4102"}, false, "institution.not_found"},
      {{"acc-8", "operator"}, true, "institution.not_found"},
      {{"acc-9", "auditor"}, true, "institution.not_found"},
      {{"acc-10", "org", "", "", "", "org-1"}, false, "institution.not_found"},
  };
  for (const auto& c : cases) {
    INFO(c.actor.role << " " << c.actor.account_id);
    CHECK(check_visible(m, c.actor).is_ok() == c.sees);
    if (!c.sees) CHECK(check_visible(m, c.actor).code() == "institution.not_found");
    auto d = decide_profile(m, {"4141010001", good_profile()}, {c.actor, Timestamp{}});
    CHECK((d.is_ok() ? std::string() : d.status().code()) == c.edits);
  }
  CHECK(check_visible(Machine{}, Actor{"acc-8", "operator"}).code() == "institution.not_found");
}

TEST_CASE("basic info: every bad field is named, a valid profile is complete, the same again is "
          "no event") {
  const Actor leader{"acc-1", "leader", "41", "4101", "4141010001"};
  Machine m = registered_with_leader();
  InstitutionProfile bad{"", "91110000101623741J", "javascript:alert(1)", "", "x",
                         "", "12345", "no-at-sign"};
  auto refused = decide_profile(m, {"4141010001", bad}, {leader, Timestamp{}});
  REQUIRE_FALSE(refused.is_ok());
  CHECK(fields_of(refused.status()) ==
        std::vector<std::string>{"type", "credit_code", "website", "district", "contact_name",
                                 "contact_phone", "contact_email"});
  for (const char* phone : {"13812341234", "+8613812341234", "010-12345678", "0371-1234567",
                            "0371-12345678-123"}) {
    auto p = good_profile();
    p.contact_phone = phone;
    CHECK_MESSAGE(check_profile(p).empty(), phone);
  }
  for (const char* phone : {"12812341234", "10-12345678", "0371-123456", "037112345678"}) {
    auto p = good_profile();
    p.contact_phone = phone;
    CHECK_MESSAGE(fields_of(Status::unprocessable("x", "x", check_profile(p))) ==
                      std::vector<std::string>{"contact_phone"},
                  phone);
  }
  auto p = good_profile();
  p.website = "";
  CHECK(check_profile(p).empty());  // the website is optional
  auto ok = decide_profile(m, {"4141010001", good_profile()}, {leader, Timestamp{}});
  REQUIRE(ok.is_ok());
  REQUIRE(ok->events.size() == 1);
  REQUIRE(m.apply(ok->events[0]));
  CHECK(profile_complete(*m.data().profile));
  auto again = decide_profile(m, {"4141010001", good_profile()}, {leader, Timestamp{}});
  REQUIRE(again.is_ok());
  CHECK(again->events.empty());
}

TEST_CASE("pilot years come from approved declarations, and a rebuild gives the same read model") {
  onex::testing::TempDir dir;
  StoreOptions o;
  o.path = dir.str();
  o.sync = false;
  o.inline_projections = all_projections();
  auto store = open_store(o);
  REQUIRE(store.is_ok());
  auto append = [&](const std::string& stream, std::vector<NewEvent> events) {
    AppendRequest req;
    req.streams.push_back({stream, ExpectedVersion::any(), std::move(events)});
    req.actor = Actor{"acc-1", "leader"};
    auto r = (*store)->append(std::move(req));
    REQUIRE_MESSAGE(r.is_ok(), r.status().to_string());
  };
  auto ev = [](const auto& e) {
    using T = std::decay_t<decltype(e)>;
    return NewEvent{std::string(T::type), engine::schema_version_of<T>, nlohmann::json(e)};
  };
  // Given a declaration approved before the institution has a record, and one after.
  append("declaration-d1", {ev(declaration::Drafted{"d1", "p", "4141010001", "41", "4101", "cert-b", 2024, {}}),
                            ev(declaration::Submitted{}), ev(declaration::Approved{5})});
  append("institution-4141010001", {ev(kRegistered), ev(LeaderAssigned{"acc-1", "L4141010001"})});
  append("declaration-d2", {ev(declaration::Drafted{"d2", "p", "4141010001", "41", "4101", "cert-a", 2024, {}}),
                            ev(declaration::Submitted{})});
  append("declaration-d3", {ev(declaration::Drafted{"d3", "p", "4141010001", "41", "4101", "cert-a", 2023, {}}),
                            ev(declaration::Submitted{}), ev(declaration::Rejected{"no"})});
  auto pilot = [&] {
    auto v = (*store)->read_model_get(kInstitutions, "pilot/4141010001");
    REQUIRE(v.is_ok());
    return v->value_or("");
  };
  CHECK(pilot() == R"([{"certificates":["cert-b"],"year":2024}])");
  // When the second is approved, its certificate joins the year, sorted.
  append("declaration-d2", {ev(declaration::Approved{3})});
  CHECK(pilot() == R"([{"certificates":["cert-a","cert-b"],"year":2024}])");
  auto ref = lookup::institution(**store, "4141010001");
  REQUIRE(ref.has_value());
  CHECK(ref->leader_account_id == "acc-1");
  CHECK(ref->city_code == "4101");
  CHECK_FALSE(ref->profile_complete);
  // A rebuild from the log gives the live read model.
  const Projections mine = institution::projections();
  auto rebuilt = rebuild_read_models(**store, mine);
  auto live = live_read_models(**store, mine);
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  CHECK(rebuilt->at("institutions").size() == 5);  // the institution, its pilot years, 3 declarations
  for (const auto& d : compare_read_models(*rebuilt, *live)) FAIL_CHECK(d);
  // The state as `onex audit as-of` shows it.
  auto events = (*store)->read_stream("institution-4141010001");
  auto shown = record_state("institution-4141010001", *events);
  REQUIRE(shown.is_ok());
  CHECK((*shown)["state"] == "registered");
  CHECK((*shown)["record"]["leader_account_id"] == "acc-1");
}
