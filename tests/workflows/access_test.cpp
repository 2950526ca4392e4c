// The access rules (workflows/*/access.cpp and the rules of each decide.h): who sees which
// record, pure, for every role. The HTTP suites check the same rules through get, list,
// history and files.
#include <doctest/doctest.h>

#include <algorithm>

#include "account/decide.h"
#include "common/purposes.h"
#include "declaration/decide.h"
#include "institution/decide.h"
#include "weekly_report/decide.h"

namespace onex {
namespace {

const Actor kLeader{"acc-l", "leader", "41", "4101", "inst-a", ""};
const Actor kStaff{"acc-s", "staff", "41", "4101", "inst-a", "", {"cert-a"}};
const Actor kProvince{"acc-p", "province", "41", "", "", ""};
const Actor kCity{"acc-c", "city", "41", "4101", "", ""};
const Actor kOperator{"acc-o", "operator"};
const Actor kAuditor{"acc-au", "auditor"};

// A declaration's machine in `phase` (the read model's rows are such machines).
declaration::Machine declaration_in(declaration::Phase phase, const std::string& certificate) {
  declaration::State s;
  s.institution_id = "inst-a";
  s.certificate_id = certificate;
  s.province_code = "41";
  s.city_code = "4101";
  declaration::Machine m;
  if (phase != declaration::Phase::none) REQUIRE(m.restore(declaration::Restored{phase, s}));
  return m;
}

}  // namespace

TEST_CASE("a declaration: its institution (a scoped staff only its certificates), its city and "
          "province once submitted, the auditor, never once deleted") {
  using declaration::sees;
  using declaration::Phase;
  const auto draft = declaration_in(Phase::draft, "cert-a");
  const auto review = declaration_in(Phase::province_review, "cert-b");
  CHECK(sees(kLeader, draft));
  CHECK(sees(kStaff, draft));
  CHECK_FALSE(sees(kStaff, review));  // cert-b is outside its scope
  CHECK_FALSE(sees(kProvince, draft));
  CHECK_FALSE(sees(kCity, draft));
  CHECK(sees(kProvince, review));
  CHECK(sees(kCity, review));
  CHECK_FALSE(sees(Actor{"acc-c2", "city", "41", "4102", "", ""}, review));
  CHECK_FALSE(sees(kOperator, review));
  CHECK(sees(kAuditor, review));
  for (const Phase gone : {Phase::deleted, Phase::none}) {
    const auto d = declaration_in(gone, "cert-a");
    CHECK_FALSE(sees(kLeader, d));
    CHECK_FALSE(sees(kAuditor, d));
  }
}

TEST_CASE("an institution: its accounts, province, city, the operator, its seal its leader only") {
  using institution::sees_institution;
  using institution::sees_seal;
  for (const Actor* a : {&kLeader, &kStaff, &kProvince, &kCity, &kOperator, &kAuditor})
    CHECK(sees_institution(*a, "inst-a", "41", "4101"));
  CHECK_FALSE(sees_institution(kLeader, "inst-b", "41", "4101"));
  CHECK_FALSE(sees_institution(kProvince, "inst-a", "11", "1101"));
  CHECK(sees_seal(kLeader, "inst-a"));
  CHECK(sees_seal(kAuditor, "inst-a"));
  for (const Actor* a : {&kStaff, &kProvince, &kCity, &kOperator}) CHECK_FALSE(sees_seal(*a, "inst-a"));
  CHECK_FALSE(sees_seal(kLeader, "inst-b"));
}

TEST_CASE("weekly reports: the leader and the province, never staff") {
  CHECK(weekly_report::sees_report(kLeader, "inst-a", "41"));
  CHECK(weekly_report::sees_report(kProvince, "inst-a", "41"));
  CHECK_FALSE(weekly_report::sees_report(kStaff, "inst-a", "41"));
  CHECK_FALSE(weekly_report::sees_report(kCity, "inst-a", "41"));
  CHECK_FALSE(weekly_report::sees_report(Actor{"acc-l2", "leader", "41", "4101", "inst-b", ""}, "inst-a", "41"));
  CHECK(weekly_report::sees_settings(kStaff, "41"));
  CHECK_FALSE(weekly_report::sees_settings(kStaff, "11"));
  CHECK_FALSE(weekly_report::sees_settings(kCity, "41"));
}

TEST_CASE("an account: its manager by role, province and institution") {
  CHECK(account::manages(kOperator, "province", "41", ""));
  CHECK_FALSE(account::manages(kOperator, "leader", "41", "inst-a"));
  CHECK(account::manages(kProvince, "leader", "41", "inst-a"));
  CHECK(account::manages(kProvince, "city", "41", ""));
  CHECK_FALSE(account::manages(kProvince, "leader", "11", "inst-x"));
  CHECK(account::manages(kLeader, "staff", "41", "inst-a"));
  CHECK_FALSE(account::manages(kLeader, "staff", "41", "inst-b"));
  CHECK_FALSE(account::manages(kStaff, "staff", "41", "inst-a"));
}

TEST_CASE("purposes take their types up to their limits, as API.md lists them (each registered "
          "by its workflow, in API.md's order)") {
  using files::Kind;
  const auto* seal = find_file_purpose("seal");
  REQUIRE(seal);
  CHECK(seal->limit == (1u << 20));
  CHECK(seal->kinds == std::vector<Kind>{Kind::png});
  CHECK(seal->transparent_square);
  const auto* archive = find_file_purpose("photo_archive");
  REQUIRE(archive);
  CHECK(archive->limit == (std::size_t{512} << 20));
  std::size_t largest = 0;
  for (const auto& p : file_purposes()) largest = std::max(largest, p.limit);
  CHECK(largest == archive->limit);
  CHECK(find_file_purpose("import_sheet")->kinds == std::vector<Kind>{Kind::xlsx, Kind::csv});
  CHECK(find_file_purpose("selfie") == nullptr);
  std::vector<std::string> names;
  for (const auto& p : file_purposes()) names.emplace_back(p.name);
  CHECK(names == std::vector<std::string>{"declaration_attachment", "weekly_report_attachment",
                                          "weekly_report_outline", "standard_document", "seal",
                                          "candidate_photo", "photo_archive", "import_sheet",
                                          "signature", "site_document"});
}

}  // namespace onex
