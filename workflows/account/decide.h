// The rules of accounts (SPEC.md §2) as pure functions: state + command + now → events or a
// refusal. Secrets (codes, sessions) are checked by the service; what they allow is decided here.
#pragma once

#include "account/state.h"
#include "engine/codec.h"
#include "engine/engine.h"
#include "onex/accounts.h"

namespace onex::account {

struct Workflow {
  static constexpr std::string_view kind = "account";
  using Event = account::Event;
  using Machine = account::Machine;
  static Result<Event> decode(const RecordedEvent& e) { return engine::decode_event<Event>(e); }
  static NewEvent encode(const Event& e) { return engine::encode_event(e); }
  // Logins grow an account's stream without bound: loading replays at most 50 events.
  static constexpr std::uint64_t snapshot_every = 50;
  static nlohmann::json snapshot(const Machine& m);
  static Result<Machine> restore(const nlohmann::json& saved);
};

using Decision = engine::Decision<Workflow>;

inline constexpr int kLockAfter = 3;     // consecutive failures that lock for 15 minutes
inline constexpr int kDisableAfter = 5;  // consecutive failures that disable
inline constexpr int kCaptchaAfter = 2;  // consecutive failures after which a captcha is needed
inline constexpr auto kLockFor = std::chrono::minutes(15);

// The unique, never released key of an account name.
std::string name_key(std::string_view account);

// "provisioned" for an active account whose setup is pending; otherwise the phase.
std::string_view shown_status(const Machine& m);
std::string_view shown_status(Phase phase, bool setup_required);

// THE rule of who manages an account of `role` (in `province_code`, of `institution_id`):
// the operator province, city, org and auditor accounts; a province its leader and city
// accounts; a leader its institution's staff. check_manager: the rule on an account's state
// (others: account.not_found).
bool manages(const Actor& actor, std::string_view role, std::string_view province_code,
             std::string_view institution_id);
Status check_manager(const State& target, const Actor& actor);

// May `actor` create `input`? Field errors as validation.failed.
Status check_new_account(const NewAccount& input, const Actor& actor);

Result<Decision> decide_create(const Machine& m, const std::string& id, const NewAccount& input,
                               const std::string& password_hash, const std::string& issued_by);

// A wrong password: the count goes on; 3 locks for 15 minutes, 5 disables.
Result<Decision> decide_failure(const Machine& m, Timestamp now);
// Ends a lock that has run out (no events when there is none).
Result<Decision> decide_unlock(const Machine& m, Timestamp now);
Result<Decision> decide_login(const Machine& m, const std::string& second_factor);

Result<Decision> decide_setup(const Machine& m, const std::string& name, const std::string& phone,
                              const std::string& password_hash);
Result<Decision> decide_disable(const Machine& m, const Actor& actor);
Result<Decision> decide_enable(const Machine& m, const Actor& actor);
Result<Decision> decide_edit(const Machine& m, const Actor& actor,
                             const std::optional<std::string>& name,
                             const std::optional<std::vector<ScopeItem>>& scope);
Result<Decision> decide_delete(const Machine& m, const Actor& actor);
// by: "manager" (setup required again; `issued_by` the manager's account id, the only one who
// may read the new initial password again) or "sms".
Result<Decision> decide_reset_password(const Machine& m, const std::string& password_hash,
                                       const std::string& by, const std::string& issued_by = {});
Result<Decision> decide_reset_binding(const Machine& m, const Actor& actor);
Result<Decision> decide_password_change(const Machine& m, const std::string& password_hash);
Result<Decision> decide_profile(const Machine& m, const std::optional<std::string>& name,
                                const std::optional<std::string>& email);
Result<Decision> decide_phone(const Machine& m, const std::string& phone);

// Field checks shared by commands.
bool valid_phone(std::string_view phone);        // ^1[3-9]\d{9}$, optional +86
std::string normal_phone(std::string_view phone);  // without +86
bool valid_name(std::string_view name);          // a person's name: 1..50 bytes, no controls
bool valid_account_name(std::string_view name);  // 3..32 of [A-Za-z0-9_.@-]
bool valid_email(std::string_view email);

}  // namespace onex::account
