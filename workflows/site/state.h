// What a site knows after replaying its events, and its machine (machine.cpp).
#pragma once

#include "engine/described.h"
#include "engine/machine.h"
#include "onex/sites.h"
#include "site/events.h"

namespace onex {

BOOST_DESCRIBE_STRUCT(SitePart, (), (certificate_id, org_id, status, reason))
BOOST_DESCRIBE_STRUCT(SiteLoan, (), (exam_plan_id, institution_id, certificate_id))

}  // namespace onex

namespace onex::site {

enum class Phase { none, draft, under_review, decided };
BOOST_DESCRIBE_ENUM(Phase, none, draft, under_review, decided)

using Part = SitePart;
using Loan = SiteLoan;

struct State {
  std::string id, institution_id, name, province_code, city_code, district, address, introduction;
  std::string contact_name, contact_phone;  // personal data: empty once erased
  std::vector<std::string> file_ids;
  std::vector<Part> parts;
  std::vector<Loan> loans;
  void apply(const Applied& e);
  void apply(const Submitted&) {}
  void apply(const Reviewed& e);
  void apply(const Assigned& e) { loans.push_back({e.exam_plan_id, e.institution_id, e.certificate_id}); }
  const Part* part(std::string_view certificate_id) const;
};
BOOST_DESCRIBE_STRUCT(State, (), (id, institution_id, name, province_code, city_code, district, address, introduction,
                                  contact_name, contact_phone, file_ids, parts, loans))

using Restored = engine::Restored<Phase, State>;  // machine-only (engine/machine.h)

struct Traits {
  using Event = site::Event;
  using Data = State;
  using Phase = site::Phase;
  static std::string_view name(Phase p) { return engine::enum_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

// The phase `event` leads to from `from`, by the machine's table; nullopt when it has no row.
std::optional<Phase> phase_after(Phase from, const Event& event);

}  // namespace onex::site
