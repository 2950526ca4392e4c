// Invigilators (监考人员, SPEC.md §6, API.md "Exam organisation"): teachers an institution submits
// for the exams of certificates it pilots; the certificates' org certifies or rejects them, and
// only certified ones are assigned to rooms later. The library API; the REST server maps onto
// it one call per route.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onex/caller.h"
#include "onex/clock.h"
#include "onex/event_store.h"
#include "onex/page.h"
#include "onex/status.h"

namespace onex {

struct InvigilatorInput {
  std::string name, id_number, phone;
  std::vector<std::string> certificate_ids;  // of one org, each piloted by the institution
};

struct InvigilatorView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string institution_id, org_id;
  std::string name;
  std::string id_number;  // masked in lists ("370285*****5910"), whole in a record's view
  std::string phone;
  std::vector<std::string> certificate_ids;
  std::string status;  // "submitted", "certified", "rejected"
  std::string reason;  // of a rejection
};

struct InvigilatorReview {
  bool approve = false;
  std::string reason;  // required to reject
};

Result<InvigilatorInput> invigilator_input_of(const nlohmann::json& body);
Result<InvigilatorReview> invigilator_review_of(const nlohmann::json& body);
nlohmann::json json_of(const InvigilatorView& invigilator);
nlohmann::json invigilator_schemas();

struct InvigilatorQuery {
  std::string status, certificate_id;  // empty: any
  std::size_t page = 1, page_size = 10;
};

// Thread-safe. The store must have been opened with all_projections().
//
// An institution's accounts (a scoped staff within its certificates) submit teachers for
// certificates the institution pilots (validation.failed naming the field: a name, a GB 11643
// ID number, a mainland mobile phone, 1 to 20 certificates of one org that the institution
// holds a quota for). A person is one invigilator per org: while one is submitted or certified,
// submitting the same ID number to that org again is 409 invigilator.already_submitted (which
// does not say by whom); a rejection frees the person. The org of those certificates certifies
// or rejects (with a reason) each submitted one, once (invigilator.illegal_transition after).
// `secret_key` (32 bytes, the data directory's secret.key) keys the ID numbers' hashes: the
// same store needs the same key for ever. Who sees an invigilator: its
// institution's accounts (a scoped staff when a certificate is in its scope) and the org;
// anyone else gets invigilator.not_found.
class InvigilatorService {
 public:
  InvigilatorService(EventStore& store, const Clock& clock, std::string secret_key);
  ~InvigilatorService();
  Result<InvigilatorView> submit(const Caller& caller, const InvigilatorInput& input);
  Result<InvigilatorView> review(const Caller& caller, const std::string& id, const InvigilatorReview& review);
  Result<InvigilatorView> get(const Actor& actor, const std::string& id);
  // Oldest first, ID numbers masked; auth.forbidden for roles that see none.
  Result<Page<InvigilatorView>> list(const Actor& actor, const InvigilatorQuery& query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex
