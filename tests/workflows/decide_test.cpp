// The rules of accounts, institutions' seals, plans, reference data and files, pure: given a
// record's events, when a command (as the runner hands it: input and context), then its events
// or the refusal code. No store. (Declarations, quotas and weekly reports have suites of their
// own.)
#include <doctest/doctest.h>

#include "account/decide.h"
#include "declaration_plan/decide.h"
#include "file/decide.h"
#include "institution/decide.h"
#include "reference/decide.h"
#include "support/decided.h"

namespace onex {
namespace {

const Timestamp kNow = *parse_time("2026-03-02T10:00:00+08:00");

template <class M>
M given(const std::vector<typename M::Event>& events) {
  M m;
  for (const auto& e : events) REQUIRE(m.apply(e));
  return m;
}

using testing::shown;

}  // namespace

// ---- accounts ----

namespace account {
namespace {

const Actor kProvince{"acc-p", "province", "41"};
const Actor kOtherProvince{"acc-p2", "province", "42"};
const Actor kSelf{"acc-1", "leader", "41", "4101", "4141010001"};

Created leader() {
  return {"acc-1", "L4141010001", "leader", "41", "4101", "4141010001", "", {}, "hash-0", "acc-p",
          {"", ""}};
}
Created staff() {
  return {"acc-2", "staff-a", "staff", "41", "4101", "4141010001", "", {}, "hash-0", "acc-1",
          {"张三", ""}};
}

}  // namespace

TEST_CASE("account decides: creation claims the name (and the leader slot), its code by who asks") {
  const Machine none;
  const NewAccount in{"L4141010001", "王五", "leader", "41", "4101", "4141010001", "", {}};
  auto by_province = decide_create(none, {in, "hash", "acc-p"}, {kProvince, kNow, "acc-1"});
  REQUIRE(by_province.is_ok());
  CHECK(shown(by_province) == "created");
  CHECK(std::get<Created>(by_province->events[0]).account_id == "acc-1");
  REQUIRE(by_province->claims.size() == 2);
  CHECK(by_province->claims[0].key == "account:l4141010001");
  CHECK(by_province->claims[1].taken_code == "institution.leader_exists");
  auto by_self = decide_create(none, {in, "hash", "", "self"}, {Actor{.role = "public"}, kNow, "acc-1"});
  REQUIRE(by_self.is_ok());
  CHECK(by_self->claims[1].taken_code == "institution.already_registered");
}

TEST_CASE("account decides: what a manager's own scope fixes, the request cannot choose") {
  // Given a leader of institution 4141010001, when it creates a staff naming another
  // institution and province, then the staff is of the leader's own institution and places.
  const NewAccount staff{"staff-a", "张三", "staff", "11", "1101", "4199999999", "", {}};
  auto made = managed_account(staff, kSelf);
  REQUIRE(made.is_ok());
  CHECK(std::tie(made->institution_id, made->province_code, made->city_code) ==
        std::tie(kSelf.institution_id, kSelf.province_code, kSelf.city_code));
  // A province's city account is of its province; a province account has no city or institution.
  auto city = managed_account({"zz-city", "李四", "city", "11", "4101", "", "", {}}, kProvince);
  REQUIRE(city.is_ok());
  CHECK(city->province_code == "41");
  auto province = managed_account({"henan", "王五", "province", "41", "4101", "4141010001", "", {}},
                                  Actor{.role = "operator"});
  REQUIRE(province.is_ok());
  CHECK(province->city_code.empty());
  CHECK(province->institution_id.empty());
  // Outside the rule of `manages`: 403; a role that is none, or a scope on a non-staff: 422.
  CHECK(managed_account(staff, kProvince).status().code() == "auth.forbidden");
  CHECK(managed_account(staff, Actor{.role = "staff"}).status().code() == "auth.forbidden");
  auto bad_role = managed_account({"x-user", "赵六", "root", "", "", "", "", {}}, kProvince);
  CHECK(bad_role.status().errors().front().field == "role");
  auto scoped = managed_account({"c-user", "钱七", "city", "", "4101", "", "", {{"cert", "junior"}}}, kProvince);
  CHECK(scoped.status().errors().front().field == "scope");
}

TEST_CASE("account decides: failures lock at 3 and disable at 5, an expired lock ends by itself") {
  Machine m = given<Machine>({leader(), LoginFailed{1}});
  CHECK(shown(decide_failure(m, {"acc-1"}, {kSelf, kNow})) == "login_failed");
  m = given<Machine>({leader(), LoginFailed{1}, LoginFailed{2}});
  CHECK(shown(decide_failure(m, {"acc-1"}, {kSelf, kNow})) == "login_failed locked");
  m = given<Machine>({leader(), LoginFailed{1}, LoginFailed{2}, LoginFailed{3},
                      Locked{format_utc(kNow + std::chrono::minutes(15))}, Unlocked{},
                      LoginFailed{4}});
  CHECK(shown(decide_failure(m, {"acc-1"}, {kSelf, kNow})) == "login_failed disabled");
  // Failures made without a captcha (a stranger's first two) do not count toward disabling.
  m = given<Machine>({leader(), LoginFailed{1, 0}, LoginFailed{2, 0}, LoginFailed{3, 1},
                      Locked{format_utc(kNow)}, Unlocked{}, LoginFailed{4, 2}, LoginFailed{5, 3}});
  CHECK(shown(decide_failure(m, {"acc-1", false}, {kSelf, kNow})) == "login_failed");
  CHECK(shown(decide_failure(m, {"acc-1", true}, {kSelf, kNow})) == "login_failed");
  m = given<Machine>({leader(), LoginFailed{6, 4}});
  CHECK(shown(decide_failure(m, {"acc-1", true}, {kSelf, kNow})) == "login_failed disabled");
  const Machine locked = given<Machine>({leader(), LoginFailed{3}, Locked{format_utc(kNow)}});
  CHECK(shown(decide_unlock(locked, {"acc-1"}, {kSelf, kNow - std::chrono::minutes(1)})) == "nothing");
  CHECK(shown(decide_unlock(locked, {"acc-1"}, {kSelf, kNow})) == "unlocked");
  CHECK(shown(decide_login(m, {"acc-1", "sms"}, {kSelf, kNow})) == "login_succeeded");
  // The gate before the password: disabled, locked; a captcha after two failures.
  CHECK(check_sign_in(given<Machine>({leader()})).is_ok());
  CHECK(check_sign_in(locked).code() == "account.locked");
  // The lock's end is a member of the refusal, not text to parse out of its message.
  using Members = std::vector<std::pair<std::string, std::string>>;
  CHECK(check_sign_in(locked).members() == Members{{"until", format_china(kNow)}});
  CHECK(check_sign_in(given<Machine>({leader(), Disabled{"manager"}})).code() == "account.disabled");
  CHECK_FALSE(captcha_due(given<Machine>({leader(), LoginFailed{1}})));
  CHECK(captcha_due(given<Machine>({leader(), LoginFailed{1}, LoginFailed{2}})));
}

TEST_CASE("account decides: setup once, the user's own profile, phone and password") {
  const Machine fresh = given<Machine>({leader()});
  CHECK(shown(decide_setup(fresh, {"acc-1", "王五", "13812341234", "h"}, {kSelf, kNow})) ==
        "setup_completed");
  const Machine set = given<Machine>({leader(), SetupCompleted{"h", {"王五", "13812341234"}}});
  CHECK(shown(decide_setup(set, {"acc-1", "王五", "13812341234", "h"}, {kSelf, kNow})) ==
        "refused account.setup_done");
  CHECK(shown(decide_profile(set, {"acc-1", "王六", "w@example.cn"}, {kSelf, kNow})) ==
        "profile_changed");
  CHECK(shown(decide_profile(set, {"acc-1", "王五", std::nullopt}, {kSelf, kNow})) == "nothing");
  CHECK(shown(decide_profile(set, {"acc-1", std::nullopt, "not-an-address"}, {kSelf, kNow})) ==
        "refused validation.failed");
  CHECK(shown(decide_phone(set, {"acc-1", "13812341234"}, {kSelf, kNow})) == "nothing");
  CHECK(shown(decide_phone(set, {"acc-1", "13912341234"}, {kSelf, kNow})) == "phone_changed");
  CHECK(shown(decide_password_change(set, {"acc-1", "h2"}, {kSelf, kNow})) == "password_changed");
}

TEST_CASE("account decides: only its manager disables, edits, deletes and resets, edits and "
          "deletes need a disabled account") {
  const Machine active = given<Machine>({leader()});
  CHECK(shown(decide_disable(active, {"acc-1"}, {kOtherProvince, kNow})) == "refused account.not_found");
  CHECK(shown(decide_disable(active, {"acc-1"}, {kProvince, kNow})) == "disabled");
  CHECK(shown(decide_edit(active, {"acc-1", "王六"}, {kProvince, kNow})) ==
        "refused account.not_disabled");
  CHECK(shown(decide_delete(active, {"acc-1"}, {kProvince, kNow})) == "refused account.not_disabled");
  CHECK(shown(decide_enable(active, {"acc-1"}, {kProvince, kNow})) == "nothing");
  const Machine disabled = given<Machine>({leader(), Disabled{"manager"}});
  CHECK(shown(decide_disable(disabled, {"acc-1"}, {kProvince, kNow})) == "nothing");
  CHECK(shown(decide_edit(disabled, {"acc-1", "王六"}, {kProvince, kNow})) == "edited");
  CHECK(shown(decide_edit(disabled, {"acc-1", std::nullopt, std::vector<CertificateLevel>{{"c", "junior"}}},
                          {kProvince, kNow})) == "refused validation.failed");  // a leader has no scope
  CHECK(shown(decide_delete(disabled, {"acc-1"}, {kProvince, kNow})) == "deleted");
  CHECK(shown(decide_enable(disabled, {"acc-1"}, {kProvince, kNow})) == "enabled");
  CHECK(shown(decide_reset_binding(active, {"acc-1"}, {kOtherProvince, kNow})) ==
        "refused account.not_found");
  CHECK(shown(decide_reset_binding(active, {"acc-1"}, {kProvince, kNow})) == "binding_reset");
  // A manager's reset is the manager's to read again; a reset by SMS is nobody's.
  auto by_manager = decide_reset_password(active, {"acc-1", "h", "manager"}, {kProvince, kNow});
  REQUIRE(by_manager.is_ok());
  CHECK(std::get<PasswordReset>(by_manager->events[0]).issued_by == "acc-p");
  auto by_sms = decide_reset_password(active, {"acc-1", "h", "sms"}, {kSelf, kNow});
  REQUIRE(by_sms.is_ok());
  CHECK(std::get<PasswordReset>(by_sms->events[0]).issued_by.empty());
  // A leader manages its staff, and a staff's scope names certificate levels.
  const Machine staff_disabled = given<Machine>({staff(), Disabled{"manager"}});
  CHECK(shown(decide_edit(staff_disabled,
                          {"acc-2", std::nullopt, std::vector<CertificateLevel>{{"cert-a", "senior"}}},
                          {kSelf, kNow})) == "edited");
  CHECK(shown(decide_edit(staff_disabled,
                          {"acc-2", std::nullopt, std::vector<CertificateLevel>{{"cert-a", "master"}}},
                          {kSelf, kNow})) == "refused validation.failed");
}

}  // namespace account

// ---- an institution's seal ----

namespace institution {

TEST_CASE("decide_seal: the leader's, with a usable file, the principal and the agreement") {
  const Machine m = given<Machine>({Registered{"4141010001", "4141010001", "郑州职业学院", "41", "4101", "高职", "province"},
                                    LeaderAssigned{"acc-1", "L4141010001"}});
  const Actor leader{"acc-1", "leader", "41", "4101", "4141010001"};
  const Actor staff{"acc-2", "staff", "41", "4101", "4141010001"};
  const SealFacts usable{lookup::FileRef{"f1", "abc", "image/png", "seal", 10, {}, "acc-1"}};
  const SealInput seal{"f1", "张三", "校长", true};
  CHECK(shown(decide_seal(m, {"4141010001", seal}, {leader, kNow}, usable)) == "seal_set");
  CHECK(shown(decide_seal(m, {"4141010001", seal}, {staff, kNow}, usable)) == "refused auth.forbidden");
  CHECK(shown(decide_seal(m, {"4141010001", seal}, {Actor{"acc-9", "leader", "41", "4101", "4141010009"}, kNow},
                          usable)) == "refused institution.not_found");
  auto unsigned_seal = seal;
  unsigned_seal.agreement_accepted = false;
  unsigned_seal.principal_name = std::string(101, 'x');
  auto refused = decide_seal(m, {"4141010001", unsigned_seal}, {leader, kNow}, usable);
  REQUIRE_FALSE(refused.is_ok());
  const Status s = refused.status();
  REQUIRE(s.errors().size() == 2);
  CHECK(s.errors()[0].field == "principal_name");
  CHECK(s.errors()[1].field == "agreement_accepted");
  // Only the file is wrong: its own refusal.
  SealFacts not_usable;
  not_usable.refused = Status::unprocessable("file.not_usable", "no", {{"file_id", "file.not_usable", "no"}});
  not_usable.file_errors = not_usable.refused.errors();
  CHECK(shown(decide_seal(m, {"4141010001", seal}, {leader, kNow}, not_usable)) ==
        "refused file.not_usable");
}

}  // namespace institution

// ---- plans ----

namespace declaration_plan {

TEST_CASE("decide_publish: a province publishes a plan of its own province with a window") {
  const Machine none;
  const Actor province{"acc-p", "province", "41"};
  const PlanInput in{2026, "2026年第一次", kNow, kNow + std::chrono::hours(24 * 30), true, false};
  auto d = decide_publish(none, in, {province, kNow, "plan-1"});
  REQUIRE(d.is_ok());
  CHECK(std::get<Published>(d->events[0]).plan_id == "plan-1");
  CHECK(std::get<Published>(d->events[0]).province_code == "41");
  CHECK(shown(decide_publish(none, in, {Actor{"acc-c", "city", "41", "4101"}, kNow, "p"})) ==
        "refused auth.forbidden");
  auto backwards = in;
  backwards.ends_at = in.starts_at;
  backwards.year = 1999;
  CHECK(shown(decide_publish(none, backwards, {province, kNow, "p"})) == "refused validation.failed");
  CHECK(sees(Actor{"acc-l", "leader", "41", "4101", "4141010001"}, "41"));
  CHECK_FALSE(sees(Actor{"acc-l", "leader", "42", "4201", "4242010001"}, "41"));
  CHECK_FALSE(sees(Actor{"acc-o", "org", "", "", "", "org-1"}, "41"));
}

}  // namespace declaration_plan

// ---- reference data ----

namespace reference {

TEST_CASE("reference decides: the operator creates orgs and certificates, an org publishes and "
          "revises its standards") {
  const Actor op{"acc-o", "operator"};
  const OrgInput org{"ORG-1", "某评价组织", "91110000101623741K", "李四", "13812341234"};
  CHECK(shown(decide_create_org(OrgMachine{}, org, {op, kNow, "org-1"})) == "created");
  CHECK(shown(decide_create_org(OrgMachine{}, org, {Actor{"acc-p", "province", "41"}, kNow, "o"})) ==
        "refused auth.forbidden");
  auto bad_org = org;
  bad_org.credit_code = "x";
  CHECK(shown(decide_create_org(OrgMachine{}, bad_org, {op, kNow, "o"})) == "refused validation.failed");

  const CertificateInput cert{"CERT-1", "Web 前端开发", {"senior", "junior"}, "org-1"};
  auto c = decide_create_certificate(CertificateMachine{}, cert, {op, kNow, "cert-1"}, {true});
  REQUIRE(c.is_ok());
  CHECK(std::get<CertificateCreated>(c->events[0]).levels ==
        std::vector<std::string>{"junior", "senior"});
  CHECK(shown(decide_create_certificate(CertificateMachine{}, cert, {op, kNow, "c"}, {false})) ==
        "refused validation.failed");

  CHECK(shown(decide_import(RegistryMachine{}, {{RegistryRow{"4141010001", "郑州职业学院", "41", "4101", "高职"}}},
                            {op, kNow, "imp-1"})) == "rows_imported");

  const Actor org_account{"acc-g", "org", "", "", "", "org-1"};
  const StandardInput standard{"STD-1", "职业技能等级标准", "2020版", "skill_level", {"cert-1"}, "", "enabled"};
  const StandardFacts facts{{std::optional<std::string>("org-1")}, {}};
  auto published = decide_publish_standard(StandardMachine{}, standard, {org_account, kNow, "std-1"}, facts);
  REQUIRE(published.is_ok());
  CHECK(shown(published) == "published");
  const StandardFacts foreign{{std::optional<std::string>("org-2")}, {}};
  CHECK(shown(decide_publish_standard(StandardMachine{}, standard, {org_account, kNow, "s"}, foreign)) ==
        "refused validation.failed");
  StandardMachine m;
  REQUIRE(m.apply(published->events[0]));
  CHECK(shown(decide_revise_standard(m, {"std-1", {.name = "新名称"}}, {org_account, kNow}, facts)) ==
        "revised");
  CHECK(shown(decide_revise_standard(m, {"std-1", {}}, {org_account, kNow}, facts)) == "nothing");
  CHECK(shown(decide_revise_standard(m, {"std-1", {.name = "x"}},
                                     {Actor{"acc-h", "org", "", "", "", "org-2"}, kNow}, facts)) ==
        "refused standard.not_found");
}

}  // namespace reference

// ---- files ----

namespace file {

TEST_CASE("decide_upload: a file of a registered purpose, of its kinds and size, owned by the "
          "uploader's party") {
  const Actor leader{"acc-1", "leader", "41", "4101", "4141010001"};
  const Upload pdf{"declaration_attachment", "application/pdf", 1000, files::Kind::pdf, "abc"};
  auto d = decide_upload(Machine{}, pdf, {leader, kNow, "file-1"});
  REQUIRE(d.is_ok());
  const auto& u = std::get<Uploaded>(d->events[0]);
  CHECK(u.file_id == "file-1");
  CHECK(u.owner_kind == "institution");
  CHECK(u.owner_id == "4141010001");
  CHECK(u.content_type == "application/pdf");
  auto png_as_pdf = pdf;
  png_as_pdf.kind = files::Kind::png;
  CHECK(shown(decide_upload(Machine{}, png_as_pdf, {leader, kNow, "f"})) == "refused file.type_mismatch");
  auto unknown = pdf;
  unknown.purpose = "anything";
  CHECK(shown(decide_upload(Machine{}, unknown, {leader, kNow, "f"})) == "refused file.unknown_purpose");
  auto empty = pdf;
  empty.size = 0;
  CHECK(shown(decide_upload(Machine{}, empty, {leader, kNow, "f"})) == "refused file.empty");
  auto huge = pdf;
  huge.size = 10 * files::kMiB + 1;
  CHECK(shown(decide_upload(Machine{}, huge, {leader, kNow, "f"})) == "refused file.too_large");
  CHECK(shown(decide_upload(Machine{}, pdf, {Actor{}, kNow, "f"})) == "refused auth.unauthenticated");
}

}  // namespace file
}  // namespace onex

// ---- reactions: workflows meet through events ----

#include "account/events.h"
#include "common/reactions.h"
#include "declaration/events.h"
#include "onex/workflows.h"
#include "support/temp_dir.h"

namespace onex {
namespace {

template <class E>
NewEvent ev(const E& e) {
  return NewEvent{std::string(E::type), engine::schema_version_of<E>, nlohmann::json(e)};
}

}  // namespace

TEST_CASE("reactions: an approval grants its quota, a manager's reset of a leader is kept by the "
          "institution, a reset by SMS is not") {
  testing::TempDir dir;
  StoreOptions o;
  o.path = dir.str();
  o.sync = false;
  o.inline_projections = all_projections();
  auto store = open_store(o);
  REQUIRE(store.is_ok());
  ManualClock clock(kNow);
  auto append = [&](const std::string& stream, std::vector<NewEvent> events) {
    AppendRequest req;
    req.streams.push_back({stream, ExpectedVersion::any(), std::move(events)});
    REQUIRE((*store)->append(std::move(req)).is_ok());
  };
  // Given a submitted declaration, when the province approves 30 trainees, then the quota of its
  // institution × certificate × year is granted 30, in an append staged with the approval.
  append("declaration-d1", {ev(declaration::Drafted{"d1", "p1", "4141010001", "41", "4101", "cert-a", 2026, {}}),
                            ev(declaration::Submitted{false})});
  auto granted = react(**store, clock, "declaration-d1", {ev(declaration::Approved{30})});
  REQUIRE(granted.is_ok());
  REQUIRE(granted->size() == 1);
  CHECK(granted->at(0).stream == "quota-4141010001-cert-a-2026");
  CHECK(granted->at(0).events.at(0).type == "quota.granted");
  CHECK(granted->at(0).events.at(0).data.value("trainees", 0) == 30);
  // Nothing reacts to a submission.
  auto none = react(**store, clock, "declaration-d1", {ev(declaration::Submitted{false})});
  REQUIRE(none.is_ok());
  CHECK(none->empty());

  // Given a leader account of a registered institution.
  append("institution-4141010001",
         {ev(institution::Registered{"4141010001", "4141010001", "郑州职业学院", "41", "4101", "高职", "self"}),
          ev(institution::LeaderAssigned{"acc-1", "L4141010001"})});
  append("account-acc-1", {ev(account::Created{"acc-1", "L4141010001", "leader", "41", "4101",
                                               "4141010001", "", {}, "h", "", {"", ""}})});
  auto by_manager = react(**store, clock, "account-acc-1",
                          {ev(account::PasswordReset{"h2", "manager", false, "acc-p"})});
  REQUIRE(by_manager.is_ok());
  REQUIRE(by_manager->size() == 1);
  CHECK(by_manager->at(0).stream == "institution-4141010001");
  CHECK(by_manager->at(0).events.at(0).type == "institution.leader_reset");
  auto by_sms = react(**store, clock, "account-acc-1", {ev(account::PasswordReset{"h2", "sms", false, ""})});
  REQUIRE(by_sms.is_ok());
  CHECK(by_sms->empty());
}

}  // namespace onex
