// Declarations, row by row of SPEC.md §5, and every refusal: given / when / then against the
// public DeclarationService on a real store.
#include <mutex>
#include <thread>

#include "weekly_report/decide.h"
#include "workflows/declaration_world.h"

using namespace onex;
using namespace onex::testing;

TEST_SUITE("declaration machine rows") {
  TEST_CASE("— drafted → Draft: an institution drafts in an open plan") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto d = w.service->create(w.as(w.leader), w.complete(plan));
    REQUIRE(d.is_ok());
    CHECK(d->status == "draft");
    CHECK(d->version == 1);
    CHECK(d->stream == "declaration-" + d->id);
    CHECK(d->institution_id == "inst-a");
    CHECK(d->year == 2020);
    CHECK(w.history(d->id) == "drafted@1");
  }

  TEST_CASE("Draft edited → Draft, by staff of the same institution") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    auto in = w.complete("", "");
    in.planned_trainees = 55;
    auto d = w.service->edit(w.as(w.staff), id, in);
    REQUIRE(d.is_ok());
    CHECK(d->status == "draft");
    CHECK(d->planned_trainees == 55);
    CHECK(w.history(id) == "drafted@1 edited@2");
  }

  TEST_CASE("Draft deleted → Deleted, and the slot is free again") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto id = w.draft(plan, w.leader);
    REQUIRE(w.service->remove(w.as(w.leader), id).is_ok());
    CHECK(w.history(id) == "drafted@1 deleted@2");
    CHECK(w.service->get(w.leader, id).status().code() == "declaration.not_found");
    // then the same institution × plan × certificate can be declared again
    auto again = w.service->create(w.as(w.leader), w.complete(plan));
    CHECK(again.is_ok());
  }

  TEST_CASE("Draft submitted → CityReview when the plan asks for city review") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(/*city_review=*/true), w.leader);
    auto d = w.service->submit(w.as(w.leader), id);
    REQUIRE(d.is_ok());
    CHECK(d->status == "city_review");
    CHECK(w.history(id) == "drafted@1 submitted@2");
  }

  TEST_CASE("Draft submitted → ProvinceReview when the plan does not") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(false), w.leader);
    auto d = w.service->submit(w.as(w.staff), id);
    REQUIRE(d.is_ok());
    CHECK(d->status == "province_review");
  }

  TEST_CASE("CityReview city approved → ProvinceReview") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    auto d = w.service->city_review(w.as(w.city), id, true);
    REQUIRE(d.is_ok());
    CHECK(d->status == "province_review");
    CHECK(w.history(id) == "drafted@1 submitted@2 city_approved@3");
  }

  TEST_CASE("CityReview city rejected (reason) → Rejected") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    auto d = w.service->city_review(w.as(w.city), id, false, "师资不足");
    REQUIRE(d.is_ok());
    CHECK(d->status == "rejected");
    CHECK(d->rejection_reason == "师资不足");
    CHECK(d->rejected_by == "city");
  }

  TEST_CASE("ProvinceReview approved → Approved, granting the quota") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    auto d = w.service->province_review(w.as(w.province), id, true, 30);
    REQUIRE(d.is_ok());
    CHECK(d->status == "approved");
    CHECK(d->approved_trainees == 30);
    auto q = w.service->quota(w.leader, "inst-a", "cert-600002", 2020);
    REQUIRE(q.is_ok());
    CHECK(q->approved_trainees == 30);
    // the approval and the quota grant are one atomic append
    auto quota_events = w.store->read_stream("quota-inst-a-cert-600002-2020");
    REQUIRE(quota_events.is_ok());
    REQUIRE(quota_events->size() == 1);
    auto decl_events = w.store->read_stream("declaration-" + id);
    CHECK(quota_events->front().position == decl_events->back().position + 1);
  }

  TEST_CASE("ProvinceReview approved without a number approves the planned trainees") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    auto d = w.service->province_review(w.as(w.province), id, true);
    REQUIRE(d.is_ok());
    CHECK(d->approved_trainees == 40);
  }

  TEST_CASE("ProvinceReview rejected (reason) → Rejected") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    auto d = w.service->province_review(w.as(w.province), id, false, std::nullopt, "场地不符");
    REQUIRE(d.is_ok());
    CHECK(d->status == "rejected");
    CHECK(d->rejected_by == "province");
  }

  TEST_CASE("Rejected edited → Draft, then resubmitted and approved") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), id, false, {}, "场地不符").is_ok());
    auto in = w.complete("", "");
    in.venue_html = "<p>新建实训基地</p>";
    auto d = w.service->edit(w.as(w.leader), id, in);
    REQUIRE(d.is_ok());
    CHECK(d->status == "draft");
    CHECK(d->rejection_reason == "场地不符");  // kept until resubmitted
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), id, true).is_ok());
    CHECK(w.history(id) ==
          "drafted@1 submitted@2 rejected@3 edited@4 submitted@5 approved@6");
  }

  TEST_CASE("create with submit drafts and submits in one append") {
    DeclarationWorld w;
    auto plan = w.publish_plan(true);
    auto d = w.service->create(w.as(w.leader), w.complete(plan), true);
    REQUIRE(d.is_ok());
    CHECK(d->status == "city_review");
    CHECK(w.history(d->id) == "drafted@1 submitted@2");
  }
}

TEST_SUITE("declaration window") {
  TEST_CASE("drafting before the window opens is refused") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    w.clock.set(at("2020-03-31T23:59:59.999+08:00"));
    CHECK_REFUSED(w, w.service->create(w.as(w.leader), w.complete(plan)),
                  "declaration.window_closed");
  }

  TEST_CASE("the end minute is included to its last second") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    w.clock.set(at("2020-04-04T23:59:59.999+08:00"));
    auto d = w.service->create(w.as(w.leader), w.complete(plan), true);
    CHECK(d.is_ok());
    auto p = w.service->plan(w.leader, plan);
    REQUIRE(p.is_ok());
    CHECK(p->status == "open");
  }

  TEST_CASE("drafting and submitting after the window ended are refused") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto id = w.draft(plan, w.leader);
    w.clock.set(at("2020-04-05T00:00:00+08:00"));
    CHECK_REFUSED(w, w.service->create(w.as(w.leader_b), w.complete(plan)),
                  "declaration.window_closed");
    CHECK_REFUSED(w, w.service->submit(w.as(w.leader), id), "declaration.window_closed");
    auto p = w.service->plan(w.leader, plan);
    CHECK(p->status == "ended");
    // a draft may still be edited: only drafting and submitting depend on the window
    CHECK(w.service->edit(w.as(w.leader), id, w.complete("", "")).is_ok());
  }

  TEST_CASE("a plan's status follows the clock") {
    DeclarationWorld w;
    w.clock.set(at("2020-03-01T00:00:00+08:00"));
    auto plan = w.publish_plan();
    CHECK(w.service->plan(w.province, plan)->status == "not_started");
    w.clock.set(at("2020-04-01T00:00:00+08:00"));
    CHECK(w.service->plan(w.province, plan)->status == "open");
    auto listed = w.service->plans(w.leader);
    REQUIRE(listed.is_ok());
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().status == "open");
    CHECK(w.service->plans(w.other_province)->empty());
  }

  TEST_CASE("an institution declares only in its own province's plans") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    Actor beijing_leader{"acc-bj", "leader", "11", "1101", "inst-bj", ""};
    CHECK_REFUSED(w, w.service->create(w.as(beijing_leader), w.complete(plan)),
                  "declaration_plan.not_found");
  }
}

TEST_SUITE("declaration refusals") {
  TEST_CASE("an incomplete submission names each missing field") {
    DeclarationWorld w;
    auto plan = w.publish_plan(false, /*majors_required=*/true);
    DeclarationInput in{{{}, 0, "", "  ", {}}, plan, "cert-600002"};
    auto d = w.service->create(w.as(w.leader), in);
    REQUIRE(d.is_ok());  // a draft may be incomplete
    const auto before = w.store->head_position();
    auto s = w.service->submit(w.as(w.leader), d->id);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.status().code() == "declaration.incomplete");
    CHECK(s.status().kind() == StatusKind::unprocessable);
    std::vector<std::string> fields;
    const auto status = s.status();
    for (const auto& e : status.errors()) fields.push_back(e.field);
    CHECK(fields == std::vector<std::string>{"majors", "planned_trainees", "teachers_html",
                                             "venue_html"});
    CHECK(w.store->head_position() == before);
  }

  TEST_CASE("create-and-submit of an incomplete declaration writes nothing and keeps the slot free") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto in = w.complete(plan);
    in.teachers_html.clear();
    CHECK_REFUSED(w, w.service->create(w.as(w.leader), in, true), "declaration.incomplete");
    CHECK(w.service->create(w.as(w.leader), w.complete(plan)).is_ok());
  }

  TEST_CASE("invalid fields are refused even in a draft, with the field") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto in = w.complete(plan);
    in.planned_trainees = -3;
    const auto before = w.store->head_position();
    auto d = w.service->create(w.as(w.leader), in);
    REQUIRE_FALSE(d.is_ok());
    CHECK(d.status().code() == "validation.failed");
    REQUIRE(d.status().errors().size() == 1);
    CHECK(d.status().errors()[0].field == "planned_trainees");
    CHECK(w.store->head_position() == before);
    in = w.complete(plan, "");
    CHECK_REFUSED(w, w.service->create(w.as(w.leader), in), "validation.failed");
  }

  TEST_CASE("a second live declaration for the same certificate and plan is a duplicate") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    w.draft(plan, w.leader);
    CHECK_REFUSED(w, w.service->create(w.as(w.staff), w.complete(plan)), "declaration.duplicate");
    // another certificate, or another institution, is not a duplicate
    CHECK(w.service->create(w.as(w.leader), w.complete(plan, "cert-590001")).is_ok());
    CHECK(w.service->create(w.as(w.leader_b), w.complete(plan)).is_ok());
  }

  TEST_CASE("a rejected declaration still holds its slot") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto id = w.draft(plan, w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), id, false, {}, "no").is_ok());
    CHECK_REFUSED(w, w.service->create(w.as(w.leader), w.complete(plan)), "declaration.duplicate");
  }

  TEST_CASE("edit after submit is an illegal transition naming the state") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    auto r = w.service->edit(w.as(w.leader), id, w.complete("", ""));
    CHECK(r.status().code() == "declaration.illegal_transition");
    CHECK(r.status().kind() == StatusKind::conflict);
    CHECK(r.status().message().find("province_review") != std::string::npos);
    CHECK(w.history(id) == "drafted@1 submitted@2");
  }

  TEST_CASE("delete after submit is an illegal transition") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    CHECK_REFUSED(w, w.service->remove(w.as(w.leader), id), "declaration.illegal_transition");
  }

  TEST_CASE("submitting twice is an illegal transition") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    CHECK_REFUSED(w, w.service->submit(w.as(w.leader), id), "declaration.illegal_transition");
  }

  TEST_CASE("approving more trainees than planned is refused") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    CHECK_REFUSED(w, w.service->province_review(w.as(w.province), id, true, 41),
                  "declaration.approved_exceeds_planned");
    CHECK_REFUSED(w, w.service->province_review(w.as(w.province), id, true, 0),
                  "validation.failed");
  }

  TEST_CASE("a rejection needs a reason") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    CHECK_REFUSED(w, w.service->city_review(w.as(w.city), id, false, ""), "validation.failed");
  }

  TEST_CASE("review by the wrong role is forbidden") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    CHECK_REFUSED(w, w.service->city_review(w.as(w.leader), id, true), "auth.forbidden");
    CHECK_REFUSED(w, w.service->city_review(w.as(w.province), id, true), "auth.forbidden");
    CHECK_REFUSED(w, w.service->province_review(w.as(w.city), id, true), "auth.forbidden");
    CHECK_REFUSED(w, w.service->province_review(w.as(w.org), id, true), "auth.forbidden");
    CHECK_REFUSED(w, w.service->submit(w.as(w.city), id), "auth.forbidden");
    CHECK_REFUSED(w, w.service->publish_plan(w.as(w.leader), PlanInput{}), "auth.forbidden");
  }

  TEST_CASE("review by a city or province that is not the institution's finds nothing") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    CHECK_REFUSED(w, w.service->city_review(w.as(w.other_city), id, true), "declaration.not_found");
    REQUIRE(w.service->city_review(w.as(w.city), id, true).is_ok());
    CHECK_REFUSED(w, w.service->province_review(w.as(w.other_province), id, true),
                  "declaration.not_found");
  }

  TEST_CASE("another institution cannot see or change a declaration") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    CHECK(w.service->get(w.leader_b, id).status().code() == "declaration.not_found");
    CHECK_REFUSED(w, w.service->edit(w.as(w.leader_b), id, w.complete("", "")),
                  "declaration.not_found");
    CHECK_REFUSED(w, w.service->remove(w.as(w.leader_b), id), "declaration.not_found");
    CHECK_REFUSED(w, w.service->submit(w.as(w.leader_b), id), "declaration.not_found");
  }

  TEST_CASE("hostile ids find nothing and write nothing") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto id = w.draft(plan, w.leader);
    for (std::string bad : {std::string("../") + id, id + std::string(1, '\0'), std::string(""),
                            std::string(200, 'a'), id + "/x", std::string("声明")}) {
      CHECK(w.service->get(w.leader, bad).status().code() == "declaration.not_found");
      CHECK_REFUSED(w, w.service->submit(w.as(w.leader), bad), "declaration.not_found");
      auto in = w.complete(bad);
      CHECK_REFUSED(w, w.service->create(w.as(w.leader), in), "declaration_plan.not_found");
      CHECK(w.service->list_by_institution(w.province, bad).status().code() ==
            "institution.not_found");
    }
  }

  TEST_CASE("reviewers do not see drafts") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    CHECK(w.service->get(w.city, id).status().code() == "declaration.not_found");
    CHECK(w.service->get(w.province, id).status().code() == "declaration.not_found");
    CHECK_REFUSED(w, w.service->city_review(w.as(w.city), id, true), "declaration.not_found");
  }

  TEST_CASE("city review of a plan without city review is an illegal transition") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(false), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    CHECK_REFUSED(w, w.service->city_review(w.as(w.city), id, true),
                  "declaration.illegal_transition");
  }

  TEST_CASE("a plan or certificate cannot change on edit") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto id = w.draft(plan, w.leader);
    CHECK_REFUSED(w, w.service->edit(w.as(w.leader), id, w.complete(plan, "cert-other")),
                  "validation.failed");
  }

  TEST_CASE("a stale If-Match version is a version conflict") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    auto r = w.as(w.leader);
    r.if_match = 0;
    CHECK_REFUSED(w, w.service->edit(r, id, w.complete("", "")), "concurrency.version_conflict");
    r.if_match = 1;
    CHECK(w.service->edit(r, id, w.complete("", "")).is_ok());
  }
}

TEST_SUITE("declaration decisions repeated") {
  TEST_CASE("a repeated identical approval changes nothing") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), id, true, 30).is_ok());
    const auto before = w.store->head_position();
    auto again = w.service->province_review(w.as(w.province), id, true, 30);
    REQUIRE(again.is_ok());
    CHECK(again->status == "approved");
    CHECK(w.store->head_position() == before);
    CHECK(w.service->quota(w.leader, "inst-a", "cert-600002", 2020)->approved_trainees == 30);
  }

  TEST_CASE("a different decision on a decided declaration is refused") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), id, true, 30).is_ok());
    CHECK_REFUSED(w, w.service->province_review(w.as(w.province), id, true, 20),
                  "declaration.already_decided");
    CHECK_REFUSED(w, w.service->province_review(w.as(w.province), id, false, {}, "no"),
                  "declaration.already_decided");
  }

  TEST_CASE("a repeated rejection changes nothing, approving it afterwards is refused") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->city_review(w.as(w.city), id, false, "no").is_ok());
    const auto before = w.store->head_position();
    CHECK(w.service->city_review(w.as(w.city), id, false, "no").is_ok());
    CHECK(w.store->head_position() == before);
    CHECK_REFUSED(w, w.service->city_review(w.as(w.city), id, true), "declaration.already_decided");
  }

  TEST_CASE("a repeated city approval changes nothing") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(true), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->city_review(w.as(w.city), id, true).is_ok());
    const auto before = w.store->head_position();
    CHECK(w.service->city_review(w.as(w.city), id, true).is_ok());
    CHECK(w.store->head_position() == before);
    CHECK_REFUSED(w, w.service->city_review(w.as(w.city), id, false, "late"),
                  "declaration.already_decided");
  }

  TEST_CASE("editing a draft with the same fields changes nothing") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto id = w.draft(plan, w.leader);
    const auto before = w.store->head_position();
    CHECK(w.service->edit(w.as(w.leader), id, w.complete(plan)).is_ok());
    CHECK(w.store->head_position() == before);
  }

  TEST_CASE("a command retried with its command id creates one declaration") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto r = w.as(w.leader);
    r.command_id = "leader-a:retry-1";
    auto first = w.service->create(r, w.complete(plan));
    REQUIRE(first.is_ok());
    const auto before = w.store->head_position();
    auto second = w.service->create(r, w.complete(plan));
    REQUIRE(second.is_ok());
    CHECK(second->id == first->id);
    CHECK(w.store->head_position() == before);
  }
}

TEST_SUITE("quotas and lists") {
  TEST_CASE("approvals from several plans of one year add up") {
    DeclarationWorld w;
    auto first = w.publish_plan();
    auto second = w.publish_plan();
    auto a = w.draft(first, w.leader);
    auto b = w.draft(second, w.leader);
    for (auto id : {a, b}) REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), a, true, 30).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), b, true, 12).is_ok());
    auto q = w.service->quota(w.province, "inst-a", "cert-600002", 2020);
    REQUIRE(q.is_ok());
    CHECK(q->approved_trainees == 42);
    CHECK(w.service->quota(w.leader, "inst-a", "cert-600002", 2021)->approved_trainees == 0);
    CHECK(w.service->quota(w.leader_b, "inst-a", "cert-600002", 2020).status().code() ==
          "quota.not_found");
    CHECK(w.service->quota(w.other_province, "inst-a", "cert-600002", 2020).status().code() ==
          "quota.not_found");
  }

  TEST_CASE("concurrent approvals on one quota all count (the engine retries conflicts)") {
    DeclarationWorld w;
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
      auto plan = w.publish_plan();
      ids.push_back(w.draft(plan, w.leader));
      REQUIRE(w.service->submit(w.as(w.leader), ids.back()).is_ok());
    }
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (const auto& id : ids)
      threads.emplace_back([&, id] {
        if (w.service->province_review(w.as(w.province), id, true, 10).is_ok()) ++ok;
      });
    for (auto& t : threads) t.join();
    CHECK(ok == 4);
    CHECK(w.service->quota(w.leader, "inst-a", "cert-600002", 2020)->approved_trainees == 40);
  }

  TEST_CASE("concurrent edits of one declaration all go through, one version each") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          auto in = w.complete("", "");
          in.planned_trainees = 1 + t * 10 + i;  // every edit changes something
          if (w.service->edit(w.as(w.leader), id, in).is_ok()) ++ok;
        }
      });
    for (auto& t : threads) t.join();
    CHECK(ok == 80);
    CHECK(w.store->stream_head("declaration-" + id)->version == 81);
  }

  TEST_CASE("an institution's list shows its declarations with counts by status") {
    DeclarationWorld w;
    auto plan = w.publish_plan(true);
    auto drafted = w.draft(plan, w.leader, "cert-1");
    auto pending = w.draft(plan, w.leader, "cert-2");
    auto approved = w.draft(plan, w.leader, "cert-3");
    auto rejected = w.draft(plan, w.leader, "cert-4");
    auto deleted = w.draft(plan, w.leader, "cert-5");
    w.draft(plan, w.leader_b, "cert-1");
    for (auto id : {pending, approved, rejected})
      REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->city_review(w.as(w.city), approved, true).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), approved, true).is_ok());
    REQUIRE(w.service->city_review(w.as(w.city), rejected, false, "no").is_ok());
    REQUIRE(w.service->remove(w.as(w.leader), deleted).is_ok());

    auto list = w.service->list_by_institution(w.leader, "inst-a");
    REQUIRE(list.is_ok());
    CHECK(list->counts == DeclarationCounts{4, 1, 1, 1, 1});
    REQUIRE(list->items.size() == 4);
    CHECK(list->items[0].id == drafted);  // in creation order
    CHECK(list->items[3].id == rejected);
    CHECK(list->items[2].status == "approved");

    // the city sees only submitted ones of its own city
    auto city_view = w.service->list_by_institution(w.city, "inst-a");
    REQUIRE(city_view.is_ok());
    CHECK(city_view->counts == DeclarationCounts{3, 0, 1, 1, 1});
    CHECK(w.service->list_by_institution(w.other_city, "inst-a")->items.empty());
    CHECK(w.service->list_by_institution(w.leader_b, "inst-a").status().code() ==
          "institution.not_found");
  }
}

TEST_SUITE("declaration rules that read other workflows") {
  TEST_CASE("the institution's province and city come from the institutions read model") {
    DeclarationWorld w;
    seed_institution(*w.store, "inst-moved", "41", "4102", "acc-leader-m");
    // The account says city 4101; the registry says 4102, which decides who reviews it.
    Actor leader{"acc-leader-m", "leader", "41", "4101", "inst-moved", "", {}};
    auto d = w.service->create(w.as(leader), w.complete(w.publish_plan(true)), true);
    REQUIRE_MESSAGE(d.is_ok(), d.status().to_string());
    CHECK(d->city_code == "4102");
    CHECK(w.service->get(w.other_city, d->id).is_ok());
    CHECK(w.service->get(w.city, d->id).status().code() == "declaration.not_found");
  }

  TEST_CASE("submission needs the institution's basic info, a draft does not") {
    DeclarationWorld w;
    seed_institution(*w.store, "inst-new", "41", "4101", "acc-leader-n", false);
    Actor leader{"acc-leader-n", "leader", "41", "4101", "inst-new", "", {}};
    auto plan = w.publish_plan();
    CHECK_REFUSED(w, w.service->create(w.as(leader), w.complete(plan), true),
                  "institution.profile_incomplete");
    auto d = w.service->create(w.as(leader), w.complete(plan));
    REQUIRE(d.is_ok());
    CHECK_REFUSED(w, w.service->submit(w.as(leader), d->id), "institution.profile_incomplete");
    seed_events(*w.store, "institution-inst-new", {complete_profile_event()});
    CHECK(w.service->submit(w.as(leader), d->id).is_ok());
  }

  TEST_CASE("an unknown certificate and another institution's file are refused with their fields") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    auto in = w.complete(plan, "cert-nowhere");
    in.file_ids = {"file-1"};
    auto refused = w.service->create(w.as(w.leader), in);
    REQUIRE_FALSE(refused.is_ok());
    CHECK(refused.status().code() == "validation.failed");
    REQUIRE(refused.status().errors().size() == 2);
    CHECK(refused.status().errors()[0].field == "certificate_id");
    CHECK(refused.status().errors()[1].field == "file_ids[0]");
    CHECK(refused.status().errors()[1].code == "file.not_usable");
  }

  TEST_CASE("a staff scoped to certificates declares and sees only those") {
    DeclarationWorld w;
    auto plan = w.publish_plan();
    Actor scoped = w.staff;
    scoped.certificates = {"cert-1"};
    auto own = w.service->create(w.as(scoped), w.complete(plan, "cert-1"));
    REQUIRE(own.is_ok());
    auto other = w.draft(plan, w.leader, "cert-2");
    CHECK_REFUSED(w, w.service->create(w.as(scoped), w.complete(plan, "cert-3")), "validation.failed");
    CHECK(w.service->get(scoped, other).status().code() == "declaration.not_found");
    CHECK_REFUSED(w, w.service->submit(w.as(scoped), other), "declaration.not_found");
    auto page = w.service->list(scoped, {});
    REQUIRE(page.is_ok());
    REQUIRE(page->items.size() == 1);
    CHECK(page->items[0].id == own->id);
    // An unscoped staff sees all of its institution's.
    CHECK(w.service->list(w.staff, {})->total == 2);
  }

  TEST_CASE("rich text is stored sanitised") {
    DeclarationWorld w;
    auto in = w.complete(w.publish_plan());
    in.teachers_html = "<p onclick=x>十二名<script>alert(1)</script></p>";
    auto d = w.service->create(w.as(w.leader), in);
    REQUIRE(d.is_ok());
    CHECK(d->teachers_html == "<p>十二名</p>");
    auto events = w.store->read_stream("declaration-" + d->id);
    CHECK(events->front().data["fields"]["teachers_html"] == "<p>十二名</p>");
  }

  TEST_CASE("a decision notifies the institution's leader and the submitter, after it committed") {
    DeclarationWorld w;
    std::vector<std::pair<std::string, std::string>> sent;
    std::mutex m;
    DeclarationService service(*w.store, w.clock, [&](const std::string& a, const std::string& t) {
      std::lock_guard lock(m);
      sent.emplace_back(a, t);
    });
    auto plan = w.publish_plan();
    auto d = service.create(w.as(w.staff), w.complete(plan), true);
    REQUIRE(d.is_ok());
    CHECK(sent.empty());
    REQUIRE(service.province_review(w.as(w.province), d->id, true, 12).is_ok());
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].first == "acc-leader-a");
    CHECK(sent[1].first == "acc-staff-a");
    CHECK(sent[0].second.find("12") != std::string::npos);
    // The same approval again sends nothing; a refused command sends nothing.
    REQUIRE(service.province_review(w.as(w.province), d->id, true, 12).is_ok());
    CHECK_FALSE(service.province_review(w.as(w.province), d->id, false, {}, "x").is_ok());
    CHECK(sent.size() == 2);
  }

  TEST_CASE("the province adjusts a quota with a reason, never below zero used, others cannot") {
    DeclarationWorld w;
    auto id = w.draft(w.publish_plan(), w.leader);
    REQUIRE(w.service->submit(w.as(w.leader), id).is_ok());
    REQUIRE(w.service->province_review(w.as(w.province), id, true, 30).is_ok());
    CHECK_REFUSED(w, w.service->adjust_quota(w.as(w.province), "inst-a", "cert-600002", 2020, -1, "x"),
                  "quota.below_used");
    CHECK_REFUSED(w, w.service->adjust_quota(w.as(w.province), "inst-a", "cert-600002", 2020, 40, " "),
                  "validation.failed");
    CHECK_REFUSED(w, w.service->adjust_quota(w.as(w.other_province), "inst-a", "cert-600002", 2020, 40, "x"),
                  "quota.not_found");
    CHECK_REFUSED(w, w.service->adjust_quota(w.as(w.leader), "inst-a", "cert-600002", 2020, 40, "x"),
                  "auth.forbidden");
    auto q = w.service->adjust_quota(w.as(w.province), "inst-a", "cert-600002", 2020, 40, "追加");
    REQUIRE(q.is_ok());
    CHECK(q->approved_trainees == 40);
    CHECK(q->version == 2);
    // the same value again changes nothing
    const auto head = w.store->head_position();
    CHECK(w.service->adjust_quota(w.as(w.province), "inst-a", "cert-600002", 2020, 40, "追加").is_ok());
    CHECK(w.store->head_position() == head);
    // a later approval adds to the adjusted total
    auto page = w.service->quotas(w.province, {2020, "", 1, 10});
    REQUIRE(page.is_ok());
    REQUIRE(page->total == 1);
    CHECK(page->items[0].approved_trainees == 40);
    CHECK(w.service->quotas(w.leader_b, {})->total == 0);
  }
}

TEST_SUITE("weekly report periods") {
  TEST_CASE("a weekly period starts on a Monday and ends the Sunday after") {
    using weekly_report::period_of;
    CHECK(period_of("weekly", "2024-03-04") == std::pair<std::string, std::string>{"2024-03-04", "2024-03-10"});
    CHECK(period_of("weekly", "2024-12-30") == std::pair<std::string, std::string>{"2024-12-30", "2025-01-05"});
    for (const char* bad : {"2024-03-05", "2024-03-10", "2024-3-4", "2024-03-04 ", "20240304", "",
                            "2024-02-30", "abcd-ef-gh", "1999-03-01"})
      CHECK_MESSAGE(!period_of("weekly", bad), bad);
  }
  TEST_CASE("a half-monthly period is the 1st to the 15th or the 16th to the month's end") {
    using weekly_report::period_of;
    CHECK(period_of("half_monthly", "2024-02-01") == std::pair<std::string, std::string>{"2024-02-01", "2024-02-15"});
    CHECK(period_of("half_monthly", "2024-02-16") == std::pair<std::string, std::string>{"2024-02-16", "2024-02-29"});
    CHECK(period_of("half_monthly", "2023-02-16") == std::pair<std::string, std::string>{"2023-02-16", "2023-02-28"});
    CHECK(period_of("half_monthly", "2024-04-16")->second == "2024-04-30");
    CHECK(!period_of("half_monthly", "2024-02-02"));
    CHECK(!period_of("half_monthly", "2024-02-15"));
    CHECK(!period_of("monthly", "2024-02-01"));
  }
  TEST_CASE("today is counted in China time") {
    CHECK(weekly_report::china_date(at("2024-03-03T16:00:00Z")) == "2024-03-04");
    CHECK(weekly_report::china_date(at("2024-03-03T15:59:59Z")) == "2024-03-03");
  }
}
