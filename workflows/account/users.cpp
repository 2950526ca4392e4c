// AccountService: the accounts a manager manages (SPEC.md §2 user management), the leaders of
// self-registered institutions, and notices.
#include "account/service_impl.h"
#include "engine/records.h"
#include "onex/page.h"
#include "onex/schemas.h"

namespace onex {

using namespace account;

// ---- users ----

Result<AccountPage> AccountService::list_users(const Session& session, const std::string& status,
                                               std::size_t page, std::size_t page_size) {
  const std::string scope = manager_scope(session.actor);
  if (scope.empty())
    return Status::forbidden("auth.forbidden", "the role " + session.actor.role + " manages no accounts");
  static const auto statuses = account_schemas()["AccountStatus"]["enum"];  // shown_status's words
  if (!status.empty() && std::find(statuses.begin(), statuses.end(), status) == statuses.end())
    return Status::unprocessable("validation.failed", "unknown status", {{"status", "invalid", "one of " + statuses.dump()}});
  auto all = engine::views<Workflow>(impl_->store, "by/" + scope + "/", [&](const Machine& m) {
    const auto shown = shown_status(m);
    return status.empty() ? shown != "deleted" : shown == status;
  });
  if (!all) return all.status();
  auto one = page_of(std::move(*all), {page, page_size});
  return AccountPage{std::move(one.items), one.total};
}

Result<CreatedAccount> AccountService::create_user(const Session& session, const NewAccount& input,
                                                   const std::string& verification_code,
                                                   const std::string& command_id) {
  auto& I = *impl_;
  const auto& a = session.actor;
  auto managed = managed_account(input, a);
  if (!managed) return managed.status();
  NewAccount& in = *managed;
  if (in.role == "leader") in.account += "-" + security::random_letters(kLeaderSuffix - 1);  // see kLeaderSuffix
  // What other workflows know: the registry institution a leader leads (its province and city
  // come from the registry), the certificates of a staff scope, an org account's org.
  std::optional<lookup::RegistryEntry> entry;
  if (in.role == "leader") {
    if (util::valid_institution_code(in.institution_id))
      entry = lookup::registry_entry(I.store, in.institution_id);
    if (!entry || entry->province_code != a.province_code)
      return Status::unprocessable(
          "institution.not_in_registry", "no institution with this code in your province's registry",
          {{"institution_id", "institution.not_in_registry",
            "the 10-digit registry code of an institution of your province"}});
    in.institution_id = entry->code;
    in.province_code = entry->province_code;
    in.city_code = entry->city_code;
  }
  if (in.role == "staff")
    if (auto s = lookup::check_scope(I.store, in.scope); !s) return s;
  if (in.role == "org" && !lookup::org(I.store, in.org_id))
    return Status::unprocessable("validation.failed", "no such org",
                                 {{"org_id", "org.not_found", "no org with this id"}});
  if (auto s = I.sign_in.check_step_up(session, verification_code); !s) return s;

  const std::string password = security::random_password();
  auto ran = engine::run_command(I.accounts, I, kCreate, {.actor = a, .command_id = command_id},
                                 {in, security::hash_password(password), a.account_id});
  if (!ran) return ran.status();
  if (!ran->outcome.replayed)
    if (auto s = I.sign_in.keep_initial_password(ran->id, password); !s) return s;
  auto shown = initial_password(session, ran->id);
  return CreatedAccount{Workflow::view(ran->record.machine, ran->record.version),
                        shown ? *shown : std::string()};
}

Result<AccountView> AccountService::get_user(const Session& session, const std::string& id) {
  auto loaded = engine::existing(impl_->accounts, id);
  if (!loaded) return loaded.status();
  if (auto s = check_managed((*loaded)->machine, session.actor); !s) return s;
  return Workflow::view((*loaded)->machine, (*loaded)->version);
}

Result<std::string> AccountService::initial_password(const Session& session, const std::string& id) {
  auto& I = *impl_;
  auto loaded = engine::existing(I.accounts, id);
  if (!loaded) return loaded.status();
  const auto& s = (*loaded)->machine.data();
  if (auto st = check_managed((*loaded)->machine, session.actor); !st) return st;
  // Only its issuer reads an initial password again (API.md): another manager of the account
  // is told nothing more than that there is none for it.
  if (s.issued_by.empty() || s.issued_by != session.actor.account_id) return not_found();
  auto kept = I.sign_in.initial_password(id);
  if (!kept) return kept.status();
  if (!s.setup_required || !*kept)
    return Status::conflict("account.password_already_changed", "the user has replaced the initial password");
  return std::move(**kept);
}

Result<AccountView> AccountService::edit_user(const Session& session, const std::string& id,
                                              const std::optional<std::string>& name,
                                              const std::optional<std::vector<ScopeEntry>>& scope,
                                              const std::string& verification_code,
                                              std::optional<std::uint64_t> if_match) {
  auto& I = *impl_;
  auto target = get_user(session, id);
  if (!target) return target.status();
  if (auto s = I.sign_in.check_step_up(session, verification_code); !s) return s;
  // Other roles have no scope at all: decide_edit refuses it naming "scope".
  if (scope && target->role == "staff")
    if (auto s = lookup::check_scope(I.store, *scope); !s) return s;
  return engine::run(I.accounts, I, kEdit, {.actor = session.actor, .if_match = if_match},
                     {id, name, scope});
}

Result<AccountView> AccountService::disable_user(const Session& session, const std::string& id,
                                                 IfMatch if_match) {
  return engine::run(impl_->accounts, *impl_, kDisable, {.actor = session.actor, .if_match = if_match}, {id});
}

Result<AccountView> AccountService::enable_user(const Session& session, const std::string& id,
                                                IfMatch if_match) {
  return engine::run(impl_->accounts, *impl_, kEnable, {.actor = session.actor, .if_match = if_match}, {id});
}

Status AccountService::delete_user(const Session& session, const std::string& id, IfMatch if_match) {
  return engine::run_command(impl_->accounts, *impl_, kDelete, {.actor = session.actor, .if_match = if_match}, {id})
      .status();
}

Result<std::string> AccountService::reset_password(const Session& session, const std::string& id,
                                                   const std::string& verification_code,
                                                   IfMatch if_match) {
  auto& I = *impl_;
  if (auto s = get_user(session, id); !s) return s.status();
  if (auto s = I.sign_in.check_step_up(session, verification_code); !s) return s;
  const std::string password = security::random_password();
  auto ran = engine::run_command(I.accounts, I, kResetPassword, {.actor = session.actor, .if_match = if_match},
                                 {id, security::hash_password(password), "manager"});
  if (!ran) return ran.status();
  if (auto s = I.sign_in.keep_initial_password(id, password); !s) return s;
  return password;
}

Result<AccountView> AccountService::reset_binding(const Session& session, const std::string& id,
                                                  const std::string& verification_code,
                                                  IfMatch if_match) {
  auto& I = *impl_;
  if (auto s = get_user(session, id); !s) return s.status();
  if (auto s = I.sign_in.check_step_up(session, verification_code); !s) return s;
  return engine::run(I.accounts, I, kResetBinding, {.actor = session.actor, .if_match = if_match}, {id});
}

// ---- institution self-registration and notices ----

Result<CreatedAccount> AccountService::register_leader(const NewAccount& leader) {
  if (leader.role != "leader" || !util::valid_institution_code(leader.institution_id))
    return Status::unprocessable("validation.failed", "not a leader of a registry institution",
                                 {{"institution_id", "invalid", "the 10-digit institution code"}});
  const std::string password = security::random_password();
  // An anonymous public request: the events name no account as their actor.
  auto v = engine::run(impl_->accounts, *impl_, kCreate, {.actor = {.role = "public"}},
                       {leader, security::hash_password(password), "", "self"});
  if (!v) return v.status();
  return CreatedAccount{*v, password};
}

Status AccountService::notify(const std::string& account_id, const std::string& text) {
  auto& I = *impl_;
  auto loaded = engine::existing(I.accounts, account_id);
  if (!loaded) return loaded.status();
  const auto& phone = (*loaded)->machine.data().phone;
  if (phone.empty() || (*loaded)->machine.phase() == Phase::deleted) return {};
  return I.sms.send(SmsMessage{I.clock.now(), phone, "notice", "", text});
}

}  // namespace onex
