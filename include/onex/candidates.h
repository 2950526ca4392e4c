// Candidates (考生, SPEC.md §6, API.md "Exam organisation"): the people an institution enters
// for exams. A person is a candidate once, ever, platform-wide; entered one by one or by a
// template (XLSX or CSV, all rows or none), exported and updated in batch, given photos from a
// ZIP, and checked against their real name. The library API; the REST server maps onto it one
// call per route.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/caller.h"
#include "onex/clock.h"
#include "onex/event_store.h"
#include "onex/files.h"
#include "onex/page.h"
#include "onex/status.h"

namespace onex {

// A candidate as a form or a template row gives it.
struct CandidateInput {
  std::string kind;  // "student" (院校考生), "social" (社会考生)
  std::string name, name_pinyin, id_number, phone, major, major_level;
  int enrolment_year = 0;  // 0: not given
};

// A PATCH: the members named in `members` change to their `values`, the others stay.
struct CandidatePatch {
  CandidateInput values;
  std::vector<std::string> members;  // "phone", "major", ...
};

struct CandidateView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string institution_id;
  std::string kind, name, name_pinyin;
  std::string id_number;  // masked as lists show it ("370285*****5910") unless shown whole
  std::string phone, major, major_level;
  int enrolment_year = 0;
  std::string verification;   // "unverified", "verified", "failed", "confirmed"
  std::string photo_file_id;  // "" while it has none
  // Whether registration may take the candidate: verified or confirmed, with a photo.
  bool registrable = false;
};
// A request body as a candidate's input or patch, read strictly (422 validation.failed with an
// `unknown_field` error for each member it does not know, 400 request.wrong_type).
Result<CandidateInput> candidate_input_of(const nlohmann::json& body);
Result<CandidatePatch> candidate_patch_of(const nlohmann::json& body);
nlohmann::json json_of(const CandidateView& candidate);
// The OpenAPI schemas of the candidate's input, patch and view, from their descriptions.
nlohmann::json candidate_schemas();

struct CandidateQuery {
  std::string kind, verification;  // empty: any
  std::string q;                   // part of the name, the pinyin or the ID number
  std::size_t page = 1, page_size = 10;
};

// What an import or batch update did: rows written (API.md `imported` / `updated`).
struct CandidateBatch {
  std::size_t rows = 0;
};

// The photos of a ZIP: those matched to the institution's candidates and set, and each file
// refused with its code (photo.unknown_candidate, photo.bad_type, photo.too_large,
// photo.bad_dimensions, photo.bad_background, photo.bad_name, photo.duplicate).
struct PhotoError {
  std::string file, code;
};
struct PhotoUpload {
  std::size_t matched = 0;
  std::vector<PhotoError> errors;
};

// The real-name check (实名认证): whether the person on the photo is the one with this name and
// ID number. A deployment plugs in its provider; the default answers `unavailable`, so the
// institution confirms by hand.
class IdentityVerifier {
 public:
  enum class Answer { verified, failed, unavailable };
  virtual ~IdentityVerifier() = default;
  // Called outside any lock; may take its time. Never throws.
  virtual Answer verify(std::string_view name, std::string_view id_number, std::string_view photo) = 0;
};
std::shared_ptr<IdentityVerifier> unavailable_verifier();

struct CandidateOptions {
  // 32 bytes: the key of the ID numbers' keyed hashes (the data directory's secret.key). The
  // same store needs the same key for ever, or a person could be imported twice.
  std::string secret_key;
  std::shared_ptr<IdentityVerifier> verifier = unavailable_verifier();
  std::size_t max_rows = 10'000;  // rows of one import or batch update
};

// Thread-safe. The store must have been opened with all_projections(); the file service keeps
// the photos. Throws std::invalid_argument when the key is not 32 bytes.
//
// Only an institution's accounts (leader, staff) work on its candidates; anyone else, and
// another institution, gets candidate.not_found (lists: auth.forbidden for other roles).
// Refusals name the field (422 validation.failed): kind, a name, pinyin of letters and
// spaces, a GB 11643 ID number, a mainland mobile phone, an enrolment year between 1950 and
// next year; 409 candidate.already_exists for a person already imported by anyone (it says
// nothing about who).
class CandidateService {
 public:
  CandidateService(EventStore& store, const Clock& clock, FileService& files, CandidateOptions options);
  ~CandidateService();

  Result<CandidateView> create(const Caller& caller, const CandidateInput& input);
  Result<CandidateView> edit(const Caller& caller, const std::string& id, const CandidatePatch& patch);
  // The whole ID number to the candidate's institution.
  Result<CandidateView> get(const Actor& actor, const std::string& id);
  // The institution's candidates, oldest first, ID numbers masked.
  Result<Page<CandidateView>> list(const Actor& actor, const CandidateQuery& query);
  // After a failed or unavailable check: the institution confirms the person by hand
  // (409 candidate.photo_missing without a photo; candidate.illegal_transition when verified).
  Result<CandidateView> confirm_identity(const Caller& caller, const std::string& id);

  // The template (API.md: the header row exactly, first sheet), as XLSX.
  Result<std::string> template_xlsx() const;
  // An XLSX or CSV table → every row a new candidate, all or none: 422 candidate.invalid_rows
  // with an error {row, field, code, message} for each bad row (a duplicate inside the file, a
  // person imported already, a missing column, more than max_rows rows: row 0, field "file").
  Result<CandidateBatch> import(const Caller& caller, std::string_view table);
  // The institution's candidates as the template's columns plus 核验状态 and 照片.
  Result<std::string> export_xlsx(const Actor& actor);
  // An edited export (or template) → each row updates the candidate with that ID number, all
  // or none (candidate.invalid_rows; a row of a person the institution does not have:
  // candidate.not_found).
  Result<CandidateBatch> batch_update(const Caller& caller, std::string_view table);
  // A ZIP of <ID number>.jpg|png: each good photo of one of the institution's candidates is
  // stored and set (and checked by the verifier), each other file answered with its code.
  // 422 photo.unreadable_archive, photo.too_many_files for the archive as a whole.
  Result<PhotoUpload> upload_photos(const Caller& caller, std::string_view zip);
  // The same for a ZIP in a file (a body the server spooled to disk), mapped, not read whole.
  Result<PhotoUpload> upload_photos_file(const Caller& caller, const std::string& path);
  // Where a server spools large ZIPs: the file service's (FileService::spool_dir).
  Result<std::string> spool_dir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex
