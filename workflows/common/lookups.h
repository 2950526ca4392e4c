// What one workflow reads of another: the read models other workflows keep, behind small typed
// lookups. This file is the contract between them: each read model below is written by the
// projection named beside it, in exactly the JSON shown, and read only through these functions.
// Workflows never call each other's services; they read each other's facts here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/status.h"

namespace onex::lookup {

// The party an account acts for: who owns the files it uploads and the records it makes.
//   leader, staff → {"institution", institution_id}    org      → {"org", org_id}
//   province      → {"province", province_code}        city     → {"city", city_code}
//   operator      → {"operator", ""}                   auditor  → {"auditor", ""}
struct Party {
  std::string kind, id;
  bool operator==(const Party&) const = default;
};
Party party_of(const Actor& actor);

// ---- files (projection "files", workflows/file) ----
// key "<file_id>" → {"id","sha256","size","content_type","purpose","owner_kind","owner_id",
//                    "uploaded_by","uploaded_at"}
struct FileRef {
  std::string id, sha256, content_type, purpose;
  std::uint64_t size = 0;
  Party owner;
  std::string uploaded_by;  // account id
};
std::optional<FileRef> file(const EventStore& store, std::string_view file_id);
// A file a record of `owner` may refer to for `purpose`: uploaded by that party for that
// purpose. Otherwise 422 file.not_usable naming `field` ("file_ids[1]", "file_id").
Result<FileRef> usable_file(const EventStore& store, std::string_view field,
                            std::string_view file_id, std::string_view purpose,
                            const Party& owner);

// ---- institution registry (projection "registry", workflows/reference) ----
// key "code/<code>" → {"code","name","province_code","city_code","type"}
struct RegistryEntry {
  std::string code, name, province_code, city_code, type;
};
std::optional<RegistryEntry> registry_entry(const EventStore& store, std::string_view code);

// ---- orgs and certificates (projections "orgs", "certificates", workflows/reference) ----
// "orgs":         key "<org_id>" → {"id","code","name","credit_code","contact_name","contact_phone"}
// "certificates": key "<certificate_id>" → {"id","code","name","levels":[...],"org_id"}
struct OrgRef {
  std::string id, code, name;
};
std::optional<OrgRef> org(const EventStore& store, std::string_view org_id);
struct CertificateRef {
  std::string id, code, name, org_id;
  std::vector<std::string> levels;  // "junior", "intermediate", "senior"
};
std::optional<CertificateRef> certificate(const EventStore& store, std::string_view certificate_id);
// A staff scope's certificates as they are: each must exist and have the level; otherwise
// validation.failed naming `field`[i].
Status check_scope(const EventStore& store, const std::vector<CertificateLevel>& scope,
                   std::string_view field = "scope");

// ---- institutions (projection "institutions", workflows/institution) ----
// key "<institution_id>" → {"id","code","name","province_code","city_code",
//                           "profile_complete":bool,"leader_account_id", ...}
// An institution's id is its 10-digit registry code; its stream is "institution-<code>".
struct InstitutionRef {
  std::string id, code, name, province_code, city_code;
  bool profile_complete = false;
  std::string leader_account_id;  // empty while it has no leader
};
std::optional<InstitutionRef> institution(const EventStore& store, std::string_view institution_id);

// ---- claims (the store's unique keys) that other workflows read ----
// "account:<name, lower case>" → the account stream that holds the name (workflows/account);
// "leader:<institution id>" → the account stream of the institution's leader.
std::string account_name_key(std::string_view account_name);
std::string leader_key(std::string_view institution_id);

// ---- declaration plans (the plan's own stream, workflows/declaration_plan) ----
// A plan is one event, "declaration_plan.published" (plan_id, province_code, year, batch_name,
// starts_at, ends_at as UTC text, majors_required, city_review_required), in the stream
// "declaration_plan-<id>"; a plan never changes once published. This is also the plan's state.
struct PlanRef {
  std::string id{}, province_code{}, batch_name{};
  int year = 0;
  Timestamp starts_at{}, ends_at{};
  bool majors_required = false, city_review_required = false;
  // "not_started", "open" or "ended" at `now`: the window is open from starts_at to the end of
  // the second of ends_at.
  std::string_view status(Timestamp now) const;
};
std::optional<PlanRef> plan(const EventStore& store, std::string_view plan_id);

// The certificates an institution has declared (any declaration not deleted), from the
// read model "declaration_records" (its "i/<institution_id>/" index of live declarations and
// the "r/<id>" rows' state, engine/records.h): the
// visibility rule of SPEC §3 (an institution sees the orgs and standards of these).
std::vector<std::string> declared_certificates(const EventStore& store,
                                               std::string_view institution_id);

// ---- quotas (workflows/quota): one stream per institution × certificate × year,
// "quota-<institution_id>-<certificate_id>-<year>", made by a province's approval ----
// Whether the institution pilots the certificate: it holds a quota for it (of any year).
bool pilots(const EventStore& store, std::string_view institution_id, std::string_view certificate_id);
// The same in one year: the stream of that year's quota exists.
bool pilots(const EventStore& store, std::string_view institution_id, std::string_view certificate_id, int year);

// ---- exam subjects (workflows/exam_subject): one event "exam_subject.created" (subject_id,
// org_id, certificate_id, level, code, name, exam_type, duration_minutes, full_score,
// pass_score, audience) in the stream "exam_subject-<id>" ----
struct SubjectRef {
  std::string id, org_id, certificate_id, level;
  int full_score = 0;
};
std::optional<SubjectRef> exam_subject(const EventStore& store, std::string_view subject_id);

// ---- exam plans (workflows/exam_plan): "exam_plan.created" (plan_id, org_id, certificate_id,
// level, …) first in the stream "exam_plan-<id>" ----
struct ExamPlanRef {
  std::string id, org_id, certificate_id, level;
};
std::optional<ExamPlanRef> exam_plan(const EventStore& store, std::string_view plan_id);

// ---- assessment sites (workflows/site) ----
// read model "site_records" (engine/records.h): "a/<institution>/<certificate>/<seq>" → the id
// of each site of the institution approved for the certificate.
bool has_approved_site(const EventStore& store, std::string_view institution_id, std::string_view certificate_id);
// The claim "site_loan/<plan>/<institution>" → the site stream lent to the institution for the
// plan (one loan per institution and plan).
std::string site_loan_key(std::string_view plan_id, std::string_view institution_id);
// "r/<site_id>" → {"phase", "state": {"institution_id", "parts": [{"certificate_id", "org_id",
// "status", "reason"}], "loans": [{"exam_plan_id", "institution_id", "certificate_id"}], …}}.
struct SiteRef {
  std::string id, institution_id;
  std::vector<std::string> approved;  // certificates whose part is approved
  std::vector<std::pair<std::string, std::string>> loans;  // (exam plan, institution)
  // Whether the site serves `institution_id` for a plan of `certificate_id`: its own site
  // approved for the certificate, or lent to it for that plan.
  bool serves(std::string_view institution_id, std::string_view plan_id, std::string_view certificate_id) const;
};
std::optional<SiteRef> site(const EventStore& store, std::string_view site_id);

}  // namespace onex::lookup
