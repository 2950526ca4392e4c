// Who calls: the one caller type every command and query of the library takes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onex {

// A certificate and one of its levels ("junior", "intermediate", "senior"): a staff scope entry.
struct CertificateLevel {
  std::string certificate_id{};
  std::string level{};
  bool operator==(const CertificateLevel&) const = default;
};

// Who acts. Only `account_id` and `role` are stored in events; the scope fields (province,
// city, institution, org, certificates) are what the access rules compare with a record's.
struct Actor {
  std::string account_id{};
  std::string role{};            // "operator", "province", "city", "org", "leader", "staff", ...
  std::string province_code{};   // GB/T 2260 two digits, for province-, city- and institution-side actors
  std::string city_code{};       // four digits, for city-side and institution-side actors
  std::string institution_id{};  // for leader and staff
  std::string org_id{};          // for org accounts
  // staff: the certificate ids of its scope; records of other certificates are outside it
  // (404). Empty for every other role, and for a staff without a scope (all certificates).
  std::vector<std::string> certificates = {};
  // staff: the scope as certificate × level (exam subjects are per level); `certificates` is
  // its certificate ids.
  std::vector<CertificateLevel> levels = {};
};

// A command's caller and how the call ties to others. Build it with designated initialisers:
//   onex::Caller{.actor = actor, .command_id = key, .if_match = 3}
struct Caller {
  Actor actor{};
  std::string command_id{};      // idempotency key (already scoped by the caller); empty: none
  std::string correlation_id{};  // ties the events of one user action together
  std::optional<std::uint64_t> if_match{};  // the version the caller last saw; stale → 409
};

// The name of Caller before 0.2, kept for one release.
using Request = Caller;

}  // namespace onex
