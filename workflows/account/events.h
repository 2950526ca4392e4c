// Events of accounts (SPEC.md §2): creation, first-login setup, logins and lockout, management
// by the account's manager, and the user's own changes. The security history of an account.
//
// STORAGE FORMAT. Kept for as long as the log lives: add fields with defaults, add event types,
// or raise schema_version with an upcast; never change a stored meaning. Real names and phones
// are personal data and live in `pii`, which can be erased without breaking the hash chain.
// Events carry password hashes (argon2id), never passwords, codes or tokens.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/described.h"
#include "onex/caller.h"

namespace onex {
BOOST_DESCRIBE_STRUCT(CertificateLevel, (), (certificate_id, level))
}  // namespace onex

namespace onex::account {

struct Person {
  std::string name;   // real name (真实姓名)
  std::string phone;  // bound mobile phone, empty until setup
};
BOOST_DESCRIBE_STRUCT(Person, (), (name, phone))

struct Created {
  static constexpr std::string_view type = "account.created";
  std::string account_id;
  std::string account;  // the account name people type; unique platform-wide, never reused
  std::string role;
  std::string province_code, city_code, institution_id, org_id;
  std::vector<CertificateLevel> scope;
  std::string password_hash;  // of the initial password
  std::string issued_by;      // account id of the manager who created it ("" for onex init)
  Person pii;
};
BOOST_DESCRIBE_STRUCT(Created, (), (account_id, account, role, province_code, city_code,
                                    institution_id, org_id, scope, password_hash, issued_by, pii))

// First-login setup: name and phone bound (the phone proven by an SMS code), password set.
struct SetupCompleted {
  static constexpr std::string_view type = "account.setup_completed";
  std::string password_hash;
  Person pii;
};
BOOST_DESCRIBE_STRUCT(SetupCompleted, (), (password_hash, pii))

struct LoginSucceeded {
  static constexpr std::string_view type = "account.login_succeeded";
  std::string second_factor;  // "sms", "trusted_device" or "none" (first login)
};
BOOST_DESCRIBE_STRUCT(LoginSucceeded, (), (second_factor))

struct LoginFailed {
  static constexpr std::string_view type = "account.login_failed";
  int consecutive_failures = 0;
  // Of those, the ones that passed an image captcha (or were made with captchas off): only they
  // count toward disabling. -1 in events recorded before it: all of them.
  int checked_failures = -1;
};
BOOST_DESCRIBE_STRUCT(LoginFailed, (), (consecutive_failures, checked_failures))

struct Locked {
  static constexpr std::string_view type = "account.locked";
  std::string until;  // UTC, format_utc
};
BOOST_DESCRIBE_STRUCT(Locked, (), (until))

// An expired lock ends by this event, decided just before the login it allows.
struct Unlocked {
  static constexpr std::string_view type = "account.unlocked";
  std::string reason = "expired";
};
BOOST_DESCRIBE_STRUCT(Unlocked, (), (reason))

struct Disabled {
  static constexpr std::string_view type = "account.disabled";
  std::string by;  // "manager" or "failures"
};
BOOST_DESCRIBE_STRUCT(Disabled, (), (by))

struct Enabled {
  static constexpr std::string_view type = "account.enabled";
  bool enabled = true;
};
BOOST_DESCRIBE_STRUCT(Enabled, (), (enabled))

// The manager's edit of a disabled account: real name and scope.
struct Edited {
  static constexpr std::string_view type = "account.edited";
  std::vector<CertificateLevel> scope;
  Person pii;
};
BOOST_DESCRIBE_STRUCT(Edited, (), (scope, pii))

struct Deleted {
  static constexpr std::string_view type = "account.deleted";
  bool deleted = true;
};
BOOST_DESCRIBE_STRUCT(Deleted, (), (deleted))

// A new initial password, by the manager or by the user through an SMS code. Ends a lock, and
// re-enables an account that failures disabled (`reenable`); setup is required again when the
// manager reset it.
struct PasswordReset {
  static constexpr std::string_view type = "account.password_reset";
  std::string password_hash;
  std::string by;  // "manager" or "sms"
  bool reenable = false;
  // The manager who reset it and so issued the new initial password, the only one who may read
  // it again ("" for "sms", and in events recorded before this field: nobody may read those).
  std::string issued_by;
};
BOOST_DESCRIBE_STRUCT(PasswordReset, (), (password_hash, by, reenable, issued_by))

// The manager clears name and phone; the user binds them again at the next login.
struct BindingReset {
  static constexpr std::string_view type = "account.binding_reset";
  bool reset = true;
};
BOOST_DESCRIBE_STRUCT(BindingReset, (), (reset))

struct PasswordChanged {
  static constexpr std::string_view type = "account.password_changed";
  std::string password_hash;
};
BOOST_DESCRIBE_STRUCT(PasswordChanged, (), (password_hash))

struct ProfileChanged {
  static constexpr std::string_view type = "account.profile_changed";
  std::string email;
  Person pii;  // name; phone unchanged
};
BOOST_DESCRIBE_STRUCT(ProfileChanged, (), (email, pii))

struct PhoneChanged {
  static constexpr std::string_view type = "account.phone_changed";
  Person pii;  // phone; name unchanged
};
BOOST_DESCRIBE_STRUCT(PhoneChanged, (), (pii))

using Event = std::variant<Created, SetupCompleted, LoginSucceeded, LoginFailed, Locked, Unlocked,
                           Disabled, Enabled, Edited, Deleted, PasswordReset, BindingReset,
                           PasswordChanged, ProfileChanged, PhoneChanged>;

}  // namespace onex::account
