// Events of institutions (试点院校, SPEC.md §4): registration from the registry, the leader
// account, basic info (profile), the principal seal, and the province's reset of the leader.
//
// STORAGE FORMAT. Kept for as long as the log lives: add fields with defaults, add event types,
// or raise schema_version with an upcast; never change a stored meaning. Contact person data is
// personal data and lives in `pii`, which can be erased without breaking the hash chain.
#pragma once

#include <string>
#include <variant>

#include "engine/described.h"

namespace onex::institution {

// The institution as the registry knows it; its id is its 10-digit registry code.
struct Registered {
  static constexpr std::string_view type = "institution.registered";
  std::string institution_id;
  std::string code, name, province_code, city_code;
  std::string institution_type;  // the registry's type
  std::string by;                // "self" (self-registration) or "province"
};
BOOST_DESCRIBE_STRUCT(Registered, (), (institution_id, code, name, province_code, city_code,
                                       institution_type, by))

// The institution's one leader account (试点院校负责人).
struct LeaderAssigned {
  static constexpr std::string_view type = "institution.leader_assigned";
  std::string account_id;
  std::string account;  // the account name
};
BOOST_DESCRIBE_STRUCT(LeaderAssigned, (), (account_id, account))

struct Contact {
  std::string contact_name, contact_phone, contact_email;
  bool operator==(const Contact&) const = default;
};
BOOST_DESCRIBE_STRUCT(Contact, (), (contact_name, contact_phone, contact_email))

// Basic info (基本信息), set by the leader; the whole profile each time.
struct ProfileUpdated {
  static constexpr std::string_view type = "institution.profile_updated";
  std::string kind;  // the institution's type as the leader states it
  std::string credit_code, website, district, address;
  Contact pii;
};
BOOST_DESCRIBE_STRUCT(ProfileUpdated, (), (kind, credit_code, website, district, address, pii))

// The principal seal (考核站点负责人签章), with the authorisation agreement accepted.
struct SealSet {
  static constexpr std::string_view type = "institution.seal_set";
  std::string file_id, sha256;
  std::string principal_name, principal_title;
  std::string agreement_accepted_at;  // UTC, format_utc
};
BOOST_DESCRIBE_STRUCT(SealSet, (), (file_id, sha256, principal_name, principal_title,
                                    agreement_accepted_at))

// The province reset the leader account's binding or password (the remedy when the wrong person
// registered): kept in the institution's history too.
struct LeaderReset {
  static constexpr std::string_view type = "institution.leader_reset";
  std::string account_id;
  std::string what;  // "binding" or "password"
};
BOOST_DESCRIBE_STRUCT(LeaderReset, (), (account_id, what))

using Event = std::variant<Registered, LeaderAssigned, ProfileUpdated, SealSet, LeaderReset>;

}  // namespace onex::institution
