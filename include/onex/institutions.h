// Institutions (试点院校, SPEC.md §4, API.md "Institutions and declarations"): self-registration
// against the institution registry, basic info, the principal seal and pilot years. The library
// API; the REST server maps onto it one call per route.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onex/accounts.h"
#include "onex/clock.h"
#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/sms_gateway.h"
#include "onex/status.h"

namespace onex {

// Basic info (基本信息). `type` is the institution's type as its leader states it.
struct InstitutionProfile {
  std::string type, credit_code, website, district, address;
  std::string contact_name, contact_phone, contact_email;
};

struct PilotYear {
  int year = 0;
  std::vector<std::string> certificates;  // certificate ids with an approved declaration, sorted
};

// An institution as its accounts, its city and province, the operator and auditors see it.
struct InstitutionView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string code, name, province_code, city_code, type;  // from the registry
  std::optional<InstitutionProfile> profile;
  bool profile_complete = false;
  std::vector<PilotYear> pilot_years;  // by year, ascending
  std::string leader_account_id;       // empty while it has no leader
};

struct SealInput {
  std::string file_id, principal_name, principal_title;
  bool agreement_accepted = false;
};

struct SealView {
  std::string file_id, sha256, principal_name, principal_title;
  Timestamp agreement_accepted_at{};
  std::uint64_t version = 0;  // the institution's stream version (If-Match on the next PUT)
};

struct RegistrationInput {
  std::string province_code, institution_code, institution_name, phone, sms_code;
};

// A self-registration's answer: the leader account's name and initial password, shown once
// (and sent by SMS to the registering phone).
struct Registration {
  std::string institution_id, account_id, account, initial_password;
};

// Thread-safe. Refusals are Status values with the codes of API.md: institution.not_in_registry
// and institution.name_mismatch (422 naming institution_code, province_code or
// institution_name), institution.already_registered (409), sms.code_invalid, sms.rate_limited,
// auth.captcha_required, validation.failed, file.not_usable, concurrency.version_conflict,
// institution.not_found (404: unknown, or outside the caller's scope), auth.forbidden.
class InstitutionService {
 public:
  // `accounts` issues the captchas and SMS codes of self-registration; it must outlive this.
  InstitutionService(EventStore& store, const Clock& clock, SmsGateway& sms,
                     AccountService& accounts);
  ~InstitutionService();

  // Public: sends a registration code to `phone` after the captcha (not needed with the captcha
  // off). Limited per phone and per client address.
  Result<CodeSent> send_registration_code(const std::string& phone, const std::string& captcha_id,
                                          const std::string& captcha_answer,
                                          const std::string& client_address);
  // Public: checks the input against the registry and the SMS code (consumed), then creates the
  // institution (institution.registered, institution.leader_assigned) and its leader account in
  // one atomic append, and sends the account name and initial password to the phone by SMS
  // (purpose "registration_credentials"). On a refusal nothing is stored.
  Result<Registration> register_institution(const RegistrationInput& input);

  Result<InstitutionView> get(const Actor& actor, const std::string& id);
  // The leader of the institution only (its staff: auth.forbidden; anyone else: not_found).
  Result<InstitutionView> update_profile(const Actor& actor, const std::string& id,
                                         const InstitutionProfile& profile,
                                         std::optional<std::uint64_t> if_match = {});
  Result<SealView> set_seal(const Actor& actor, const std::string& id, const SealInput& input,
                            std::optional<std::uint64_t> if_match = {});
  // The leader of the institution only; everyone else: not_found (also before a seal is set).
  Result<SealView> seal(const Actor& actor, const std::string& id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A profile's field errors (every bad field), for the REST layer and tests.
std::vector<FieldError> check_profile(const InstitutionProfile& profile);

}  // namespace onex
