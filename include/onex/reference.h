// Reference data (SPEC.md §3): the provinces, the institution registry (学校标识码) that the
// operator imports from CSV, training orgs (培训评价组织), certificates and the standards orgs
// publish. This is the library API an embedding platform calls; the REST server maps onto it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onex/clock.h"
#include "onex/caller.h"
#include "onex/page.h"
#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/status.h"

namespace onex {

struct ProvinceView {
  std::string code;  // GB/T 2260, two digits
  std::string name;
};

struct RegistryEntryView {
  std::string code, name, province_code, city_code, type;
};

// What an operator's CSV import did. When `errors` is not empty, nothing was imported.
struct RegistryImportError {
  std::size_t line = 0;  // as in the file: the header is line 1
  std::string field;     // "code", "name", "province_code", "city_code", "type"; "header",
                         // "line" (wrong number of fields) or "file" (malformed CSV)
  std::string code;      // "required", "invalid", "too_long", "province_mismatch", ...
  std::string message;
};
struct RegistryImport {
  std::size_t imported = 0;  // rows written
  std::string import_id, stream;  // "registry-<import id>"; empty when nothing was written
  std::vector<RegistryImportError> errors;  // at most kMaxImportErrors, in file order
  std::size_t error_count = 0;              // every error found, listed or not
};
inline constexpr std::size_t kMaxImportErrors = 1000;

struct RegistryQuery {
  std::string province;  // "" or a province code
  std::string city;      // "" or a city code
  std::string q;         // substring of the name or the code
};

struct OrgInput {
  std::string code, name, credit_code, contact_name, contact_phone;
};
struct OrgView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string code, name, credit_code, contact_name, contact_phone;
};

struct CertificateInput {
  std::string code, name;
  std::vector<std::string> levels;  // a non-empty subset of "junior", "intermediate", "senior"
  std::string org_id;
};
struct CertificateView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string code, name;
  std::vector<std::string> levels;  // in the order junior, intermediate, senior
  std::string org_id;
};

struct StandardInput {
  std::string code, name;
  std::string edition;  // the API's `version`: "2020版"
  std::string kind;     // "skill_level" | "site_construction"
  std::vector<std::string> certificate_ids;  // at least one, each a certificate of the org
  std::string file_id;  // "" for none; else a `standard_document` file uploaded by the org
  std::string status;   // "enabled" | "disabled"
};
// A revision: what is not given stays as it is. file_id "" removes the document.
struct StandardPatch {
  std::optional<std::string> name, edition, status, file_id;
  std::optional<std::vector<std::string>> certificate_ids;
};
struct StandardView {
  std::string id, stream;
  std::uint64_t version = 0;  // the stream version (the ETag), not the edition
  std::string org_id;
  std::string code, name, edition, kind;
  std::vector<std::string> certificate_ids;
  std::string file_id;
  std::string status;
};

// Commands and queries on reference data. Thread-safe. The store must have been opened with the
// projections of all_projections() (onex/workflows.h).
//
// Who sees what (SPEC.md §3): the operator, provinces, cities and auditors see every org and
// standard; an org account its own; leaders and staff those of the certificates their
// institution has declared (staff: within their scope); nobody else any. Certificates and the
// registry are visible to everyone.
//
// Failures are Status values: auth.forbidden (403, wrong role); org.not_found,
// standard.not_found (404, unknown or outside the caller's sight); org.duplicate,
// certificate.duplicate, concurrency.version_conflict (409); validation.failed (422 naming the
// fields, e.g. credit_code, org_id, certificate_ids[1]); file.not_usable (422); store errors.
// A refused command writes nothing.
class ReferenceService {
 public:
  ReferenceService(EventStore& store, const Clock& clock);
  ~ReferenceService();

  // The 34 provincial-level divisions, in code order.
  static std::vector<ProvinceView> provinces();

  // Operator: imports the registry from CSV text (UTF-8, optional BOM, RFC 4180 quoting; header
  // `code,name,province_code,city_code,type`). Every line is checked first; with any error
  // nothing is imported and the result lists the errors. Otherwise all rows are appended in one
  // atomic append (chunks of at most 500 rows per event); a code imported again replaces its
  // entry.
  Result<RegistryImport> import_registry(const Caller& request, std::string_view csv);
  // Anyone: registry entries by code order, filtered.
  Result<Page<RegistryEntryView>> registry(const RegistryQuery& query, PageRequest page) const;

  // Operator: creates a training org; org.duplicate when its code is taken.
  Result<OrgView> create_org(const Caller& request, const OrgInput& input);
  Result<OrgView> org(const Actor& actor, const std::string& id) const;
  // The orgs the actor may see, by code.
  Result<Page<OrgView>> orgs(const Actor& actor, PageRequest page) const;

  // Operator: creates a certificate of an existing org; certificate.duplicate when its code is
  // taken.
  Result<CertificateView> create_certificate(const Caller& request, const CertificateInput& input);
  // Every account: certificates by code, `q` a substring of the name or the code.
  Result<Page<CertificateView>> certificates(const Actor& actor, const std::string& q,
                                             PageRequest page) const;

  // Org: publishes a standard of its own certificates.
  Result<StandardView> publish_standard(const Caller& request, const StandardInput& input);
  // The owning org: revises a standard (request.if_match: the version it last saw).
  Result<StandardView> revise_standard(const Caller& request, const std::string& id,
                                       const StandardPatch& patch);
  // The standards the actor may see, by code then edition; `kind` "" for all.
  Result<Page<StandardView>> standards(const Actor& actor, const std::string& kind,
                                       PageRequest page) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex
