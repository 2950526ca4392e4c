// The rules of accounts (SPEC.md §2) as pure functions: state + command + now → events or a
// refusal. Secrets (codes, sessions) are checked by signing in (security::SignInOf); what they
// allow is decided here.
#pragma once

#include "account/state.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "util/identifiers.h"
#include "onex/accounts.h"

namespace onex {
// The members of an account's view and of a new account, listed once.
BOOST_DESCRIBE_STRUCT(AccountView, (), (id, stream, version, account, role, status, name, phone_masked, email,
                                        scope, province_code, city_code, institution_id, org_id, setup_required,
                                        locked_until))
BOOST_DESCRIBE_STRUCT(NewAccount, (), (account, name, role, province_code, city_code, institution_id, org_id, scope))
}  // namespace onex

namespace onex::account {

struct Workflow : engine::Codec<account::Event> {
  static constexpr std::string_view kind = "account";
  using Event = account::Event;
  using Machine = account::Machine;
  // Logins grow an account's stream without bound: loading replays at most 50 events.
  static constexpr std::uint64_t snapshot_every = 50;
  using View = AccountView;
  // The read model (engine/records.h) and its list keys; the view (projection.cpp).
  static constexpr std::string_view read_model = "account_records";
  static std::vector<std::string> index(const Machine& m, std::string_view seq);
  static AccountView view(const Machine& m, std::uint64_t version);
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;
inline Status not_found() { return engine::not_found<Workflow>(); }

inline constexpr int kLockAfter = 3;     // consecutive failures that lock for 15 minutes
// Consecutive failures past a captcha that disable: failures a stranger makes without solving
// the captcha (the two before it is asked for) do not count.
inline constexpr int kDisableAfter = 5;
inline constexpr int kCaptchaAfter = 2;  // consecutive failures after which a captcha is needed
inline constexpr auto kLockFor = std::chrono::minutes(15);
// What onex adds to a leader's account name: "-" and six random letters, so that nobody can
// derive the name from public data (the institution code) to try passwords on it.
inline constexpr std::size_t kLeaderSuffix = 7;

// The roles of accounts (SPEC.md §1); every one but the operator is created by its manager.
inline constexpr std::string_view kRoles[] = {"operator", "province", "city", "org", "auditor", "leader", "staff"};

// "provisioned" for an active account whose setup is pending; otherwise the phase.
std::string_view shown_status(const Machine& m);

// THE rule of who manages an account of `role` (in `province_code`, of `institution_id`):
// the operator province, city, org and auditor accounts; a province its leader and city
// accounts; a leader its institution's staff.
bool manages(const Actor& actor, std::string_view role, std::string_view province_code,
             std::string_view institution_id);
// The rule on an account as its manager finds it (others: account.not_found). A deleted account
// is gone for its manager too (it stays in the log and in lists of status=deleted).
Status check_managed(const Machine& target, const Actor& actor);
// The name under which `actor` lists the accounts it manages ("operator", "province:<code>",
// "institution:<id>"; Workflow::index lists each account under its managers'); "" for a role
// that manages none.
std::string manager_scope(const Actor& actor);
// Who sees an account, its history and its personal data: the account itself and its manager.
bool sees(const Actor& actor, const Machine& account);
// The account as a caller: its role and places, and a staff account's scope.
Actor actor_of(const State& account);

// The account `actor` creates from `input`: what the manager's own scope fixes (a leader's
// staff are of its institution, a province's accounts of its province), the request cannot
// choose. auth.forbidden outside the rule of `manages`; field errors as validation.failed.
Result<NewAccount> managed_account(const NewAccount& input, const Actor& actor);

// The commands, as their decides take them. Every one names its account (`id`); a creation
// drafts under the context's id. Passwords arrive hashed: decide never sees one.
struct Target {  // unlock, disable, enable, delete, binding reset
  std::string id;
};
struct Failure {  // a wrong password
  std::string id;
  bool checked = true;  // past an image captcha, or captchas are off: it counts toward disabling
};
struct Create {
  NewAccount account;
  std::string password_hash;
  std::string issued_by{};  // the manager's account id ("" for onex init and self-registration)
  std::string by = "manager";  // "self": a leader from the institution's own registration
};
struct Login {
  std::string id, second_factor;  // "sms", "trusted_device" or "none"
};
struct Setup {
  std::string id, name, phone, password_hash;
};
struct Edit {
  std::string id;
  std::optional<std::string> name{};
  std::optional<std::vector<CertificateLevel>> scope{};
};
struct ResetPassword {
  std::string id, password_hash;
  std::string by;  // "manager" (setup required again; ctx.actor issued it) or "sms"
};
struct NewPassword {
  std::string id, password_hash;
};
struct Profile {
  std::string id;
  std::optional<std::string> name{}, email{};
};
struct Phone {
  std::string id, phone;
};

// Whether a sign-in may try its password, once an expired lock has ended (decide_unlock):
// account.disabled, account.locked (until when), or ok. After kCaptchaAfter failures a captcha
// is due as well (captcha_due), checked by the caller only then, as checking uses it up.
// Real accounts and unknown names (on machines of their own) go through the same gate.
Status check_sign_in(const Machine& m);
bool captcha_due(const Machine& m);

Result<Decision> decide_create(const Machine& m, const Create& in, const Context& ctx);
// A wrong password: the count goes on; 3 locks for 15 minutes, 5 past a captcha disable.
Result<Decision> decide_failure(const Machine& m, const Failure& in, const Context& ctx);
// Ends a lock that has run out (no events when there is none).
Result<Decision> decide_unlock(const Machine& m, const Target& in, const Context& ctx);
Result<Decision> decide_login(const Machine& m, const Login& in, const Context& ctx);
Result<Decision> decide_setup(const Machine& m, const Setup& in, const Context& ctx);
Result<Decision> decide_disable(const Machine& m, const Target& in, const Context& ctx);
Result<Decision> decide_enable(const Machine& m, const Target& in, const Context& ctx);
Result<Decision> decide_edit(const Machine& m, const Edit& in, const Context& ctx);
Result<Decision> decide_delete(const Machine& m, const Target& in, const Context& ctx);
Result<Decision> decide_reset_password(const Machine& m, const ResetPassword& in,
                                       const Context& ctx);
Result<Decision> decide_reset_binding(const Machine& m, const Target& in, const Context& ctx);
Result<Decision> decide_password_change(const Machine& m, const NewPassword& in,
                                        const Context& ctx);
Result<Decision> decide_profile(const Machine& m, const Profile& in, const Context& ctx);
Result<Decision> decide_phone(const Machine& m, const Phone& in, const Context& ctx);

// Field checks shared by commands.
using util::valid_email;
using util::valid_account_name;
// A person's name: 1 to 50 bytes, not blank, no control characters.
inline bool valid_name(std::string_view name) { return util::plain_text(name, 50); }

}  // namespace onex::account
