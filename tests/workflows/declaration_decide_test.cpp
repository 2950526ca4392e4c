// The rules of declarations, pure (declaration/decide.h): given the declaration's events, when
// a command, then its events or the refusal code. No store: the machine is built from events.
#include <doctest/doctest.h>

#include "declaration/decide.h"
#include "support/decided.h"

#include <climits>

namespace onex::declaration {
namespace {

const Actor kLeader{"acc-l", "leader", "41", "4101", "inst-a", ""};
const Actor kCity{"acc-c", "city", "41", "4101", "", ""};
const Actor kProvince{"acc-p", "province", "41", "", "", ""};
const Timestamp kNow = *parse_time("2020-04-02T10:00:00+08:00");

Machine given(const std::vector<Event>& events) {
  Machine m;
  for (const auto& e : events) REQUIRE(m.apply(e));
  return m;
}

Drafted drafted() {
  return {"d1", "p1", "inst-a", "41", "4101", "cert-a", 2020,
          {{"软件技术"}, 40, "<p>教师</p>", "<p>场地</p>", {}}};
}

DeclarationInput input() {
  return {{{"软件技术"}, 50, "<p>教师</p>", "<p>场地</p>", {}}, "p1", "cert-a"};
}

using testing::shown;

std::vector<std::string> fields_of(const Result<Decision>& d) {
  std::vector<std::string> out;
  if (d) return out;
  const Status refused = d.status();
  for (const auto& e : refused.errors()) out.push_back(e.field);
  return out;
}

}  // namespace

TEST_CASE("decide_edit: a draft takes a whole replacement, an omitted field is refused") {
  const Machine draft = given({drafted()});
  const Context ctx{kLeader, kNow};
  CHECK(shown(decide_edit(draft, {"d1", input()}, ctx, {})) == "edited");
  auto partial = input();
  partial.omitted = {"majors", "venue_html"};
  const auto refused = decide_edit(draft, {"d1", partial}, ctx, {});
  CHECK(shown(refused) == "refused validation.failed");
  CHECK(fields_of(refused) == std::vector<std::string>{"majors", "venue_html"});
  auto too_many = input();
  too_many.planned_trainees = 1'000'001;
  CHECK(fields_of(decide_edit(draft, {"d1", too_many}, ctx, {})) == std::vector<std::string>{"planned_trainees"});
  auto moved = input();
  moved.certificate_id = "cert-b";
  CHECK(fields_of(decide_edit(draft, {"d1", moved}, ctx, {})) == std::vector<std::string>{"certificate_id"});
  // Another institution, even with a whole body, finds nothing.
  CHECK(shown(decide_edit(draft, {"d1", input()}, {Actor{"acc-x", "leader", "41", "4102", "inst-b", ""}, kNow}, {})) ==
        "refused declaration.not_found");
}

TEST_CASE("decide_city_review and decide_province_review: a rejection needs a reason of at most 1000 bytes") {
  const Machine city = given({drafted(), Submitted{true}});
  CHECK(shown(decide_city_review(city, {"d1", true, ""}, {kCity, kNow})) == "city_approved");
  CHECK(shown(decide_city_review(city, {"d1", false, ""}, {kCity, kNow})) == "refused validation.failed");
  CHECK(shown(decide_city_review(city, {"d1", false, std::string(1001, 'x')}, {kCity, kNow})) ==
        "refused validation.failed");
  CHECK(shown(decide_city_review(city, {"d1", false, "场地不足"}, {kCity, kNow})) == "city_rejected");
  const Machine province = given({drafted(), Submitted{false}});
  CHECK(shown(decide_province_review(province, {"d1", true, 30, ""}, {kProvince, kNow})) == "approved");
  CHECK(shown(decide_province_review(province, {"d1", true, 41, ""}, {kProvince, kNow})) ==
        "refused declaration.approved_exceeds_planned");
  CHECK(shown(decide_province_review(province, {"d1", false, std::nullopt, std::string(1001, 'x')},
                                     {kProvince, kNow})) == "refused validation.failed");
  // A city that is not the institution's sees nothing to review.
  CHECK(shown(decide_city_review(city, {"d1", true, ""}, {Actor{"acc-c2", "city", "41", "4102", "", ""}, kNow})) ==
        "refused declaration.not_found");
}

}  // namespace onex::declaration

namespace onex {

TEST_CASE("listed_under: the tabs are the counts' members, either review is pending, deleted is under none") {
  CHECK(declaration::listed_under("all", "draft"));
  CHECK(declaration::listed_under("pending", "city_review"));
  CHECK(declaration::listed_under("pending", "province_review"));
  CHECK_FALSE(declaration::listed_under("pending", "draft"));
  CHECK(declaration::listed_under("approved", "approved"));
  CHECK_FALSE(declaration::listed_under("city_review", "city_review"));  // a state is not a tab
  int tabs_of_deleted = 0;
  boost::mp11::mp_for_each<engine::described_members<DeclarationCounts>>(
      [&](auto tab) { tabs_of_deleted += std::string_view(tab.name) != "all" && declaration::listed_under(tab.name, "deleted"); });
  CHECK(tabs_of_deleted == 0);
}

TEST_CASE("declaration_input_of reads a body by the fields' one description, strictly") {
  using nlohmann::json;
  // Given a create's body with every field, when it is read, then each field is there.
  auto in = declaration_input_of(json{{"plan_id", "p1"}, {"certificate_id", "cert-a"},
                                      {"majors", {"软件技术"}}, {"planned_trainees", 40},
                                      {"teachers_html", "<p>t</p>"}, {"venue_html", "<p>v</p>"},
                                      {"file_ids", json::array()}, {"submit", true}},
                                 true);
  REQUIRE(in.is_ok());
  CHECK(in->plan_id == "p1");
  CHECK(in->majors == std::vector<std::string>{"软件技术"});
  CHECK(in->planned_trainees == 40);
  CHECK(in->omitted.empty());
  // An unknown member is named, every one of them.
  auto unknown = declaration_input_of(json{{"a", 1}, {"b", 2}}, false);
  REQUIRE_FALSE(unknown.is_ok());
  CHECK(unknown.status().code() == "validation.failed");
  CHECK(unknown.status().errors().size() == 2);
  CHECK(unknown.status().errors().front().code == "unknown_field");
  // `submit` is a create's member, not an edit's.
  CHECK(declaration_input_of(json{{"submit", true}}, false).status().errors().front().field == "submit");
  // A wrong type is 400 naming it; a fraction is no integer.
  auto typed = declaration_input_of(json{{"planned_trainees", 4.5}}, false);
  CHECK(typed.status().code() == "request.wrong_type");
  CHECK(declaration_input_of(json{{"majors", {1}}}, false).status().code() == "request.wrong_type");
  // A number past an int reaches decide's range rule as the int's limit.
  auto huge = declaration_input_of(json{{"planned_trainees", 1'000'000'000'000LL}}, false);
  REQUIRE(huge.is_ok());
  CHECK(huge->planned_trainees == INT_MAX);
  // An edit lists what it left out (decide refuses each as required); plan and certificate may
  // be left out of an edit, never out of a create.
  auto partial = declaration_input_of(json{{"planned_trainees", 50}}, false);
  REQUIRE(partial.is_ok());
  CHECK(partial->omitted ==
        std::vector<std::string>{"majors", "teachers_html", "venue_html", "file_ids"});
  auto create = declaration_input_of(json{{"planned_trainees", 50}}, true);
  REQUIRE_FALSE(create.is_ok());
  CHECK(create.status().errors().size() == 2);
  CHECK(create.status().errors().front().code == "required");
}

}  // namespace onex
