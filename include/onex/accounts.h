// Accounts, sessions and the security around them (SPEC.md §2, API.md "Sessions and own
// account" and "Users"). The library API; the REST server maps onto it one call per route.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onex/caller.h"
#include "onex/clock.h"
#include "onex/event.h"
#include "onex/event_store.h"
#include "onex/sms_gateway.h"
#include "onex/status.h"

namespace onex {

// A staff scope entry: a certificate and one of its levels (onex/caller.h).
using ScopeEntry = CertificateLevel;

// An account as its user and its manager see it. Personal data appears masked.
struct AccountView {
  std::string id, stream;
  std::uint64_t version = 0;
  std::string account;  // the name people type
  std::string role;
  std::string status;  // "provisioned", "active", "locked", "disabled", "deleted"
  std::string name;    // real name
  std::string phone_masked;  // "138****1399", empty before setup
  std::string email;
  std::vector<ScopeEntry> scope;
  std::string province_code, city_code, institution_id, org_id;
  bool setup_required = false;
  std::optional<Timestamp> locked_until;
};

struct NewAccount {
  std::string account, name, role;
  std::string province_code, city_code, institution_id, org_id;
  std::vector<ScopeEntry> scope;
};

struct CreatedAccount {
  AccountView account;
  std::string initial_password;  // shown to the issuer; viewable again until first login
};

// A signed-in session, as `authenticate` resolves a bearer token.
struct Session {
  std::string id;  // not the token: the token is never stored
  Actor actor;     // the account and its scope
  bool setup_required = false;
};

struct SessionGranted {
  std::string token;
  Timestamp expires_at{};
  bool setup_required = false;
  AccountView account;
  std::string device_token;  // when the device was trusted just now
};

struct SmsChallenge {
  std::string challenge_id;
  std::string phone_tail;
};

// Either a session (no SMS step due) or an SMS challenge to answer.
struct LoginResult {
  std::optional<SessionGranted> session;
  std::optional<SmsChallenge> challenge;
};

struct LoginInput {
  std::string account, password, device_token, captcha_id, captcha_answer;
  std::string client_address;
};

struct CodeSent {
  std::string phone_tail;
  Timestamp expires_at{};
};

struct Captcha {
  std::string captcha_id;
  std::string png;  // the image, PNG bytes
};

struct AccountPage {
  std::vector<AccountView> items;
  std::size_t total = 0;
};

struct AccountOptions {
  bool captcha = true;                // false: no captcha anywhere (tests, local demos)
  std::string secret_key;             // 32 bytes: encrypts initial passwords at rest
  std::chrono::minutes session_idle{30};
  std::chrono::hours session_absolute{12};
  std::chrono::hours device_trust{24 * 7};
  // Where security notices go (sign-in attempts on unknown account names, with the client
  // address, never the typed name). Null: nowhere. Must be thread-safe.
  std::function<void(std::string_view)> log;
};

// Signing in (SPEC.md §2; API.md "Sessions and own account"): captchas, the password with its
// lockout, SMS challenges and trusted devices, sessions, the one-time codes of sensitive actions
// and self-registration, and the credentials an account proves itself with (its password and
// the phone its codes go to). AccountService::sign_in() gives the accounts'. Thread-safe.
class SignIn {
 public:
  using IfMatch = std::optional<std::uint64_t>;
  virtual ~SignIn() = default;

  // A captcha for `client_address` ("" for an embedding caller): auth.rate_limited (429) past
  // 30 a minute from one address, or when the pending captchas are at their bound and the
  // address has none of its own to replace (another's is never forgotten for it).
  virtual Result<Captcha> issue_captcha(const std::string& client_address) = 0;
  virtual Result<LoginResult> login(const LoginInput& input) = 0;
  virtual Result<SessionGranted> answer_challenge(const std::string& challenge_id,
                                                  const std::string& code, bool trust_device) = 0;
  // Unknown, expired or ended sessions: auth.unauthenticated.
  virtual Result<Session> authenticate(std::string_view token) = 0;
  // The same for the session `session_id` names (Session::id, never a client's input): what a
  // grant made for a session (a download token) checks when it is used.
  virtual Result<Session> resume(const std::string& session_id) = 0;
  virtual Status logout(const Session& session) = 0;

  // A code to bind the first phone (`purpose` "bind_phone", during setup) or a new one
  // ("change_phone"); a step-up code to the bound phone for a sensitive action.
  virtual Result<CodeSent> send_sms_code(const Session& session, const std::string& phone,
                                         const std::string& purpose,
                                         const std::string& client_address) = 0;
  virtual Result<CodeSent> send_step_up_code(const Session& session) = 0;
  // First-login setup: real name, the phone its code proves, a new password; ends the session.
  virtual Result<AccountView> complete_setup(const Session& session, const std::string& name,
                                             const std::string& phone, const std::string& sms_code,
                                             const std::string& new_password) = 0;
  virtual Status change_password(const Session& session, const std::string& old_password,
                                 const std::string& new_password,
                                 const std::string& verification_code, IfMatch if_match = {}) = 0;
  virtual Result<AccountView> change_phone(const Session& session, const std::string& new_phone,
                                           const std::string& sms_code,
                                           const std::string& verification_code,
                                           IfMatch if_match = {}) = 0;
  // Always ok (unless rate limited): says nothing about whether account and phone match.
  virtual Status request_password_reset(const std::string& account, const std::string& phone,
                                        const std::string& client_address) = 0;
  virtual Status confirm_password_reset(const std::string& account, const std::string& phone,
                                        const std::string& code, const std::string& new_password) = 0;

  // Public: a registration code to `phone` (purpose "registration") once the image captcha is
  // answered (auth.captcha_required otherwise; not needed when the captcha is off). Limited per
  // phone (sms.rate_limited: one a minute, ten a day) and per client address.
  virtual Result<CodeSent> send_registration_code(const std::string& phone,
                                                  const std::string& captcha_id,
                                                  const std::string& captcha_answer,
                                                  const std::string& client_address) = 0;
  // Checks and consumes the registration code sent to `phone`: sms.code_invalid otherwise.
  virtual Status check_registration_code(const std::string& phone, const std::string& code) = 0;

  // Sign-in attempts on account names that do not exist, since start (for metrics).
  virtual std::uint64_t unknown_name_attempts() const = 0;
  // For tests and demos: the answer of an issued captcha.
  virtual std::string captcha_answer_for_testing(const std::string& captcha_id) const = 0;
};

// Thread-safe. The store holds the account events and, outside the log, the secrets (session
// hashes, code hashes, the sealed initial passwords). Refusals are Status values with the codes
// of API.md: auth.invalid_credentials, auth.captcha_required, account.locked (its `until` in
// the detail), account.disabled, account.setup_required, auth.step_up_required,
// sms.code_invalid, sms.rate_limited, account.name_taken, account.not_disabled,
// account.password_already_changed, institution.leader_exists, validation.failed.
//
// A province creates the `leader` of a registry institution of its own province
// (institution_id = the 10-digit registry code; the leader's province and city come from the
// registry): the institution record is created with it when it does not exist yet, in the same
// append. A leader's staff take the leader's institution, province and city, and their scope
// names existing certificates at levels they have. An org account names an existing org.
class AccountService {
 public:
  // The version the caller last saw (If-Match) of the account a write changes: a stale one is
  // 409 concurrency.version_conflict.
  using IfMatch = std::optional<std::uint64_t>;
  AccountService(EventStore& store, const Clock& clock, SmsGateway& sms, AccountOptions options);
  ~AccountService();

  // `onex init`: the first operator account. Fails with account.name_taken when it exists.
  Result<CreatedAccount> create_operator(const std::string& account);

  // Signing in, sessions and one's credentials (the password, and the phone codes go to).
  SignIn& sign_in();

  // ---- own account ----
  Result<AccountView> me(const Session& session);
  Result<AccountView> update_profile(const Session& session, const std::optional<std::string>& name,
                                     const std::optional<std::string>& email,
                                     const std::string& verification_code, IfMatch if_match = {});

  // ---- users (managed accounts) ----
  Result<AccountPage> list_users(const Session& session, const std::string& status,
                                 std::size_t page, std::size_t page_size);
  Result<CreatedAccount> create_user(const Session& session, const NewAccount& input,
                                     const std::string& verification_code,
                                     const std::string& command_id = {});
  Result<AccountView> get_user(const Session& session, const std::string& id);
  Result<std::string> initial_password(const Session& session, const std::string& id);
  Result<AccountView> edit_user(const Session& session, const std::string& id,
                                const std::optional<std::string>& name,
                                const std::optional<std::vector<ScopeEntry>>& scope,
                                const std::string& verification_code,
                                std::optional<std::uint64_t> if_match = {});
  Result<AccountView> disable_user(const Session& session, const std::string& id,
                                   IfMatch if_match = {});
  Result<AccountView> enable_user(const Session& session, const std::string& id,
                                  IfMatch if_match = {});
  Status delete_user(const Session& session, const std::string& id, IfMatch if_match = {});
  Result<std::string> reset_password(const Session& session, const std::string& id,
                                     const std::string& verification_code, IfMatch if_match = {});
  Result<AccountView> reset_binding(const Session& session, const std::string& id,
                                    const std::string& verification_code, IfMatch if_match = {});

  // ---- institution self-registration (InstitutionService) and notices ----
  // The leader account of a registry institution that registered itself (`leader.role` is
  // "leader", its institution_id the registry code), with the institution record, in one
  // append; the initial password is the caller's to deliver. institution.already_registered
  // when the institution has a leader; account.name_taken.
  Result<CreatedAccount> register_leader(const NewAccount& leader);
  // An SMS (purpose "notice") with `text` to the account's bound phone; success and no message
  // when no phone is bound. account.not_found for an unknown id; sms.delivery_failed.
  Status notify(const std::string& account_id, const std::string& text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "13812341399" → "138****1399".
std::string mask_phone(std::string_view phone);

}  // namespace onex
