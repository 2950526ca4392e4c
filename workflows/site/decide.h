// The rules of assessment sites (SPEC.md §6): who applies and for what, who reviews which part,
// when a site may be lent for an exam plan, and who sees a site. Pure functions; no I/O, no
// clock but the context's `now`.
#pragma once

#include <map>
#include <optional>

#include "common/lookups.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "onex/sites.h"
#include "site/state.h"

namespace onex {

BOOST_DESCRIBE_STRUCT(SiteInput, (), (name, province_code, city_code, district, address, introduction,
                                      certificate_ids, contact_name, contact_phone, file_ids))
BOOST_DESCRIBE_STRUCT(SiteView, (SiteInput), (id, stream, version, institution_id, status, parts, loans))
BOOST_DESCRIBE_STRUCT(SiteReview, (), (certificate_id, approve, reason))
BOOST_DESCRIBE_STRUCT(SiteAssignment, (), (institution_id, site_id, exam_plan_id))

}  // namespace onex

namespace onex::site {

struct Workflow : engine::Codec<site::Event> {
  static constexpr std::string_view kind = "site";
  using Event = site::Event;
  using Machine = site::Machine;
  using View = SiteView;
  // The read model (engine/records.h): i/<institution>/<seq> (its own), o/<org>/<seq> (each
  // org of its certificates, once submitted), b/<institution>/<seq> (lent to), and
  // a/<institution>/<certificate>/<seq> for each approved part (lookup::has_approved_site).
  static constexpr std::string_view read_model = "site_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  static SiteView view(const Machine& m, std::uint64_t version);  // projection.cpp
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// THE rule of who sees a site, for get, list, history and lookups: its institution's accounts
// (a scoped staff when one of its certificates is in scope); once submitted, the org of any of
// its certificates; the institutions it is lent to.
bool sees(const Actor& actor, const Machine& site);

// What applying reads besides the command: each certificate named (those that exist),
// whether the institution pilots it, and the refusals of files it may not use.
struct Facts {
  std::map<std::string, lookup::CertificateRef> certificates;
  std::map<std::string, bool> piloted;
  std::vector<FieldError> file_errors;  // file.not_usable, naming "file_ids[i]"
};
Result<Decision> decide_apply(const Machine& site, const SiteInput& input, const Context& ctx, const Facts& facts);
struct Submit {
  std::string id;
};
Result<Decision> decide_submit(const Machine& site, const Submit& input, const Context& ctx);
struct Review {
  std::string id;
  SiteReview review;
};
Result<Decision> decide_review(const Machine& site, const Review& input, const Context& ctx);
// What lending reads: the plan, and whether the borrower has an approved site of its own.
struct LoanFacts {
  std::optional<lookup::ExamPlanRef> plan;
  bool borrower_has_site = false;
};
Result<Decision> decide_assign(const Machine& site, const SiteAssignment& input, const Context& ctx,
                               const LoanFacts& facts);

}  // namespace onex::site
