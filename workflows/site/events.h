// Events of assessment sites (考核站点, SPEC.md §6): an institution applies for a site serving the
// exams of certificates it pilots; each certificate's org approves or rejects its part; an org
// lends an approved site to an institution without one for an exam plan (借考).
//
// STORAGE FORMAT. These structs are how sites are kept for as long as the log lives. Add fields
// with defaults, add event types, or raise schema_version with an upcast; never change what a
// stored field means. The contact person is personal data (`pii`).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"
#include "onex/event.h"

namespace onex::site {

struct Contact {
  std::string contact_name, contact_phone;
};
BOOST_DESCRIBE_STRUCT(Contact, (), (contact_name, contact_phone))

// stream "site-<id>"
struct Applied {
  static constexpr std::string_view type = "site.applied";
  std::string site_id, institution_id;
  std::string name, province_code, city_code, district, address, introduction;
  std::vector<std::string> certificate_ids;
  std::vector<std::string> org_ids;  // each certificate's org, in the same order
  Contact pii;
  std::vector<std::string> file_ids;  // site_document files
};
BOOST_DESCRIBE_STRUCT(Applied, (), (site_id, institution_id, name, province_code, city_code, district, address,
                                    introduction, certificate_ids, org_ids, pii, file_ids))

struct Submitted {
  static constexpr std::string_view type = "site.submitted";
  std::string note;
};
BOOST_DESCRIBE_STRUCT(Submitted, (), (note))

// One certificate's part decided by its org. `pending`: the parts still undecided after it.
struct Reviewed {
  static constexpr std::string_view type = "site.reviewed";
  std::string certificate_id;
  bool approved = false;
  std::string reason;
  int pending = 0;
};
BOOST_DESCRIBE_STRUCT(Reviewed, (), (certificate_id, approved, reason, pending))

// The org lends the site (approved for the plan's certificate) to an institution for a plan.
struct Assigned {
  static constexpr std::string_view type = "site.assigned";
  std::string exam_plan_id, institution_id, certificate_id;
};
BOOST_DESCRIBE_STRUCT(Assigned, (), (exam_plan_id, institution_id, certificate_id))

using Event = std::variant<Applied, Submitted, Reviewed, Assigned>;

}  // namespace onex::site
