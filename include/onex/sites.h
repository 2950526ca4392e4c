// Assessment sites (考核站点, SPEC.md §6, API.md "Exam organisation"): an institution applies for a
// site serving the exams of certificates it pilots; each certificate's org approves or rejects
// its part with a reason; an org lends an approved site to an institution without one for an
// exam plan (借考). The library API; the REST server maps onto it one call per route.
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

struct SiteInput {
  std::string name, province_code, city_code, district, address, introduction;
  std::vector<std::string> certificate_ids;  // 1 to 20, each piloted by the institution
  std::string contact_name, contact_phone;
  // Optional: up to 10 `site_document` files the institution uploaded (site photos, floor
  // plans, equipment lists); whoever sees the site may download them.
  std::vector<std::string> file_ids;
};

// One certificate's part of a site and its org's decision: "pending", "approved", "rejected".
struct SitePart {
  std::string certificate_id, org_id, status = "pending", reason;
};
// A loan (借考): the site serves `institution_id` for one exam plan of `certificate_id`.
struct SiteLoan {
  std::string exam_plan_id, institution_id, certificate_id;
};

struct SiteView : SiteInput {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string institution_id;
  std::string status;  // "draft", "under_review", "decided"
  std::vector<SitePart> parts;
  std::vector<SiteLoan> loans;
};

struct SiteReview {
  std::string certificate_id;  // the org's own certificate in the site
  bool approve = false;
  std::string reason;          // required to reject
};
struct SiteAssignment {
  std::string institution_id, site_id, exam_plan_id;
};

Result<SiteInput> site_input_of(const nlohmann::json& body);
Result<SiteReview> site_review_of(const nlohmann::json& body);
Result<SiteAssignment> site_assignment_of(const nlohmann::json& body);
nlohmann::json json_of(const SiteView& site);
nlohmann::json site_schemas();

struct SiteQuery {
  std::string certificate_id, status;  // empty: any
  std::size_t page = 1, page_size = 10;
};

// Thread-safe. The store must have been opened with all_projections().
//
// An institution's accounts apply (a draft) and submit; validation.failed names the field (a
// name, a province and one of its cities, an address, 1 to 20 certificates the institution
// pilots within the caller's scope, a contact and a mainland mobile phone, at most 10 files;
// file.not_usable when a file is not the institution's own `site_document`). Each certificate's
// org reviews its part once (site.part_decided after; a rejection needs a reason). The org of
// an exam plan lends a site approved for the plan's certificate to an institution that has no
// approved site for it (site.not_approved, site.has_own_site; site.already_assigned when the
// institution has a site for that plan already). Who sees a site: its institution's accounts
// (a scoped staff when a certificate is in scope), the orgs of its certificates once
// submitted, and the institutions it is lent to; anyone else gets site.not_found.
class SiteService {
 public:
  SiteService(EventStore& store, const Clock& clock);
  ~SiteService();
  Result<SiteView> apply(const Caller& caller, const SiteInput& input);
  Result<SiteView> submit(const Caller& caller, const std::string& id);
  Result<SiteView> review(const Caller& caller, const std::string& id, const SiteReview& review);
  Result<SiteView> assign(const Caller& caller, const SiteAssignment& assignment);
  Result<SiteView> get(const Actor& actor, const std::string& id);
  Result<Page<SiteView>> list(const Actor& actor, const SiteQuery& query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onex
