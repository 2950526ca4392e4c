// The declaration machine's table, pure: every state × every event, accepted where SPEC.md §5
// has a row and refused everywhere else. The projection's status words come from the same table
// (declaration::phase_after), so this is also the test of every status the read model shows.
#include <doctest/doctest.h>

#include <map>

#include "declaration/state.h"

namespace onex::declaration {

TEST_CASE("every state × event of the declaration machine: its row, or no transition") {
  const std::vector<std::pair<std::string, Event>> events = {
      {"drafted", Drafted{}},           {"edited", Edited{}},
      {"deleted", Deleted{}},           {"submitted(city)", Submitted{true}},
      {"submitted(province)", Submitted{false}}, {"city_approved", CityApproved{}},
      {"city_rejected", CityRejected{"r"}}, {"approved", Approved{10}},
      {"rejected", Rejected{"r"}}};
  // from → event → to; every pair not listed is refused.
  const std::map<Phase, std::map<std::string, Phase>> rows = {
      {Phase::none, {{"drafted", Phase::draft}}},
      {Phase::draft,
       {{"edited", Phase::draft},
        {"deleted", Phase::deleted},
        {"submitted(city)", Phase::city_review},
        {"submitted(province)", Phase::province_review}}},
      {Phase::city_review,
       {{"city_approved", Phase::province_review}, {"city_rejected", Phase::rejected}}},
      {Phase::province_review, {{"approved", Phase::approved}, {"rejected", Phase::rejected}}},
      {Phase::approved, {}},
      {Phase::rejected, {{"edited", Phase::draft}}},
      {Phase::deleted, {}},
  };
  int accepted = 0;
  for (const auto& [from, allowed] : rows)
    for (const auto& [name, event] : events) {
      CAPTURE(phase_name(from));
      CAPTURE(name);
      const auto to = phase_after(from, event);
      auto row = allowed.find(name);
      if (row == allowed.end()) {
        CHECK_FALSE(to.has_value());
      } else {
        REQUIRE(to.has_value());
        CHECK(*to == row->second);
        ++accepted;
      }
    }
  CHECK(accepted == 10);  // the ten rows of machine.h
}

TEST_CASE("phase words round-trip, and an unknown word is none") {
  for (auto p : {Phase::none, Phase::draft, Phase::city_review, Phase::province_review,
                 Phase::approved, Phase::rejected, Phase::deleted})
    CHECK(phase_named(phase_name(p)) == p);
  CHECK_FALSE(phase_named("pending").has_value());
}

}  // namespace onex::declaration
