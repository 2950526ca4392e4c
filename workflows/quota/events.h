// Events of quotas (指标): trainees an institution may train for a certificate in a year.
//
// STORAGE FORMAT: add fields with defaults and new event types; never change a stored meaning.
#pragma once

#include <string>
#include <variant>

#include "engine/described.h"

namespace onex::quota {

// An approved declaration grants trainees; approvals from several plans of a year add up.
struct Granted {
  static constexpr std::string_view type = "quota.granted";
  std::string institution_id;
  std::string province_code;  // the institution's
  std::string certificate_id;
  int year = 0;
  int trainees = 0;
  std::string declaration_id;
};
BOOST_DESCRIBE_STRUCT(Granted, (), (institution_id, province_code, certificate_id, year, trainees,
                                    declaration_id))

// The province set the quota to `approved_trainees` (raised or lowered, never below what is
// used), with its reason. Carries the quota's identity, as a quota may start with it.
struct Adjusted {
  static constexpr std::string_view type = "quota.adjusted";
  std::string institution_id;
  std::string province_code;
  std::string certificate_id;
  int year = 0;
  int approved_trainees = 0;  // the new total
  int previous = 0;           // the total before
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(Adjusted, (), (institution_id, province_code, certificate_id, year,
                                     approved_trainees, previous, reason))

using Event = std::variant<Granted, Adjusted>;

// The quota stream's id: one per institution × certificate × year.
inline std::string quota_id(std::string_view institution_id, std::string_view certificate_id,
                            int year) {
  return std::string(institution_id) + "-" + std::string(certificate_id) + "-" +
         std::to_string(year);
}

}  // namespace onex::quota
