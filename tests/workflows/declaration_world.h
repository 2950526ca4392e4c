// A small world for declaration tests: a real store in a temporary directory, a settable clock,
// a province (41 河南省) with two cities, two institutions and their accounts, and a plan.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "onex/declaration.h"
#include "onex/workflows.h"
#include "support/temp_dir.h"

namespace onex::testing {

inline Timestamp at(const char* rfc3339) { return *parse_time(rfc3339); }

// Appends events as another workflow would have, for the read models its projection keeps (the
// certificate catalogue, institutions): declarations read them through workflows/common/lookups.h.
inline void seed_events(EventStore& store, const std::string& stream, std::vector<NewEvent> events) {
  AppendRequest request;
  request.streams.push_back({stream, ExpectedVersion::any(), std::move(events)});
  request.actor = Actor{"acc-seed", "operator", "", "", "", "", {}};
  request.recorded_at = at("2020-03-01T00:00:00+08:00");
  auto appended = store.append(std::move(request));
  REQUIRE_MESSAGE(appended.is_ok(), appended.status().to_string());
}

// A certificate of the catalogue (certificate.created, as the reference workflow writes it).
inline void seed_certificate(EventStore& store, const std::string& id,
                             const std::string& name = "") {
  seed_events(store, "certificate-" + id,
              {{"certificate.created", 1,
                {{"certificate_id", id}, {"code", id}, {"name", name.empty() ? "证书 " + id : name},
                 {"levels", {"junior", "intermediate", "senior"}}, {"org_id", "org-1"}}}});
}

// A complete basic-info profile (institution.profile_updated).
inline NewEvent complete_profile_event() {
  return {"institution.profile_updated", 1,
          {{"kind", "高等职业学校"}, {"credit_code", "91110000101623741K"},
           {"website", "https://www.example.edu.cn"}, {"district", "金水区"},
           {"address", "文化路 80 号"},
           {"pii", {{"contact_name", "联系人"}, {"contact_phone", "13800000000"},
                    {"contact_email", "contact@example.edu.cn"}}}}};
}

// An institution in the registry's province and city, with its leader and (when `profile`) a
// complete basic-info profile (institution.* events, as the institution workflow writes them).
inline void seed_institution(EventStore& store, const std::string& id, const std::string& province,
                             const std::string& city, const std::string& leader_account_id,
                             bool profile = true) {
  std::vector<NewEvent> events;
  events.push_back({"institution.registered", 1,
                    {{"institution_id", id}, {"code", id}, {"name", "院校 " + id},
                     {"province_code", province}, {"city_code", city},
                     {"institution_type", "高职"}, {"by", "province"}}});
  if (!leader_account_id.empty())
    events.push_back({"institution.leader_assigned", 1,
                      {{"account_id", leader_account_id}, {"account", "leader-" + id}}});
  if (profile) events.push_back(complete_profile_event());
  seed_events(store, "institution-" + id, std::move(events));
}


struct DeclarationWorld {
  TempDir dir;
  ManualClock clock{at("2020-04-02T10:00:00+08:00")};
  std::unique_ptr<EventStore> store;
  std::unique_ptr<DeclarationService> service;

  Actor province{"acc-province-41", "province", "41", "", "", ""};
  Actor other_province{"acc-province-11", "province", "11", "", "", ""};
  Actor city{"acc-city-4101", "city", "41", "4101", "", ""};
  Actor other_city{"acc-city-4102", "city", "41", "4102", "", ""};
  Actor leader{"acc-leader-a", "leader", "41", "4101", "inst-a", ""};
  Actor staff{"acc-staff-a", "staff", "41", "4101", "inst-a", ""};
  Actor leader_b{"acc-leader-b", "leader", "41", "4102", "inst-b", ""};
  Actor org{"acc-org", "org", "", "", "", "org-1"};

  explicit DeclarationWorld(bool sync = false) { open(sync); }

  void open(bool sync = false) {
    service.reset();
    store.reset();
    StoreOptions options;
    options.path = dir.str();
    options.sync = sync;
    options.inline_projections = all_projections();
    auto s = open_store(options);
    REQUIRE_MESSAGE(s.is_ok(), s.status().to_string());
    store = std::move(*s);
    service = std::make_unique<DeclarationService>(*store, clock);
    if (store->head_position() == 0) seed();
  }

  // The certificates the tests declare, and the institutions of the accounts above.
  void seed() {
    for (const char* c : {"cert-600002", "cert-1", "cert-2", "cert-3", "cert-4", "cert-5",
                          "cert-590001", "cert-other", "cert-deleted", "cert-city-approved",
                          "cert-city-rejected"})
      seed_certificate(*store, c);
    seed_institution(*store, "inst-a", "41", "4101", "acc-leader-a");
    seed_institution(*store, "inst-b", "41", "4102", "acc-leader-b");
  }

  static Request as(const Actor& a) { return Request{a, "", "", std::nullopt}; }

  // A plan of province 41 open 2020-04-01 00:00 to 2020-04-04 23:59:59 China time.
  std::string publish_plan(bool city_review = false, bool majors_required = false,
                           int year = 2020) {
    PlanInput in{year,
                 std::to_string(year) + "年第一次",
                 at("2020-04-01T00:00:00+08:00"),
                 at("2020-04-04T23:59:59+08:00"),
                 majors_required,
                 city_review};
    auto p = service->publish_plan(as(province), in);
    REQUIRE_MESSAGE(p.is_ok(), p.status().to_string());
    return p->id;
  }

  static DeclarationInput complete(const std::string& plan_id,
                                   const std::string& certificate = "cert-600002") {
    return DeclarationInput{
        {{"新能源汽车技术"}, 40, "<p>12 名双师型教师</p>", "<p>实训中心 2 号楼</p>", {}},
        plan_id,
        certificate};
  }

  std::string draft(const std::string& plan_id, const Actor& who,
                    const std::string& certificate = "cert-600002") {
    auto d = service->create(as(who), complete(plan_id, certificate));
    REQUIRE_MESSAGE(d.is_ok(), d.status().to_string());
    return d->id;
  }

  // The stream's events as short words: "drafted@1 submitted@2".
  std::string history(const std::string& id) {
    auto events = store->read_stream("declaration-" + id);
    REQUIRE(events.is_ok());
    std::string out;
    for (const auto& e : *events) {
      if (!out.empty()) out += ' ';
      out += e.type.substr(e.type.find('.') + 1) + "@" + std::to_string(e.version);
    }
    return out;
  }

  std::string status(const std::string& id) {
    auto v = service->get(leader, id);
    if (!v) v = service->get(leader_b, id);
    REQUIRE_MESSAGE(v.is_ok(), v.status().to_string());
    return v->status;
  }
};

inline Status status_of(const Status& s) { return s; }
template <class T>
Status status_of(const Result<T>& r) {
  return r.status();
}

// A refused command: its code, and nothing written.
#define CHECK_REFUSED(world, expr, expected_code)                          \
  do {                                                                     \
    const auto before_ = (world).store->head_position();                   \
    const auto result_ = (expr);                                           \
    CHECK_FALSE(result_.is_ok());                                          \
    CHECK_EQ(::onex::testing::status_of(result_).code(),                   \
             std::string(expected_code));                                  \
    CHECK_EQ((world).store->head_position(), before_);                     \
  } while (0)

}  // namespace onex::testing
