// A rebuild from the log gives exactly the live read models, whatever mix of commands (accepted
// and refused, from every role) made the log.
#include <random>

#include "workflows/declaration_world.h"

using namespace onex;
using namespace onex::testing;

TEST_CASE("rebuild equals the live read models after a random mix of commands") {
  DeclarationWorld w;
  std::mt19937 rng(20200401);
  auto pick = [&](auto& v) -> auto& { return v[rng() % v.size()]; };
  std::vector<std::string> plans{w.publish_plan(true), w.publish_plan(false),
                                 w.publish_plan(false, true, 2021)};
  std::vector<Actor> institutions{w.leader, w.staff, w.leader_b};
  std::vector<std::string> certificates{"cert-1", "cert-2", "cert-3", "cert-4"};
  std::vector<std::string> ids;
  int accepted = 0;
  for (int i = 0; i < 600; ++i) {
    const auto& who = pick(institutions);
    bool ok = false;
    switch (ids.empty() ? 0 : rng() % 7) {
      case 0: {
        auto in = w.complete(pick(plans), pick(certificates));
        if (rng() % 3 == 0) in.venue_html.clear();
        auto r = w.service->create(w.as(who), in, rng() % 2 == 0);
        if ((ok = r.is_ok())) ids.push_back(r->id);
        break;
      }
      case 1: {
        auto in = w.complete("", "");
        in.planned_trainees = 1 + static_cast<int>(rng() % 60);
        ok = w.service->edit(w.as(who), pick(ids), in).is_ok();
        break;
      }
      case 2: ok = w.service->submit(w.as(who), pick(ids)).is_ok(); break;
      case 3: ok = w.service->remove(w.as(who), pick(ids)).is_ok(); break;
      case 4:
        ok = w.service->city_review(w.as(rng() % 2 ? w.city : w.other_city), pick(ids),
                                    rng() % 2, "理由").is_ok();
        break;
      default:
        ok = w.service
                 ->province_review(w.as(w.province), pick(ids), rng() % 3 != 0,
                                   std::optional<int>(1 + rng() % 50), "理由")
                 .is_ok();
        break;
    }
    accepted += ok;
  }
  INFO("accepted commands: " << accepted << ", events: " << w.store->head_position());
  CHECK(accepted > 50);

  auto rebuilt = rebuild_read_models(*w.store, all_projections());
  auto live = live_read_models(*w.store, all_projections());
  REQUIRE(rebuilt.is_ok());
  REQUIRE(live.is_ok());
  CHECK(rebuilt->at("declaration_records").size() > 10);
  CHECK(rebuilt->at("quotas").size() > 0);
  auto differences = compare_read_models(*rebuilt, *live);
  for (const auto& d : differences) FAIL_CHECK(d);
  CHECK(differences.empty());

  // and after reopening, the live read models are still those
  w.open();
  auto reopened = live_read_models(*w.store, all_projections());
  REQUIRE(reopened.is_ok());
  CHECK(compare_read_models(*rebuilt, *reopened).empty());
}

TEST_CASE("a changed read model is reported by the comparison") {
  DeclarationWorld w;
  w.draft(w.publish_plan(), w.leader);
  auto rebuilt = rebuild_read_models(*w.store, all_projections());
  REQUIRE(rebuilt.is_ok());
  auto live = *rebuilt;
  live["declaration_records"].begin()->second = "{}";
  auto differences = compare_read_models(*rebuilt, live);
  REQUIRE(differences.size() == 1);
  CHECK(differences[0].find("declaration_records: key ") == 0);
}
