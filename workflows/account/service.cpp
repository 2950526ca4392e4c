// AccountService: one's own account (signing in and credentials: security::SignInOf,
// lib/security/sign_in.h, on the account's rules; managed accounts: users.cpp). Every change is
// a command of the table in service_impl.h, run by engine::run_command.
#include "account/service_impl.h"

namespace onex {

using namespace account;

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.empty() ? "" : "****");
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

AccountService::AccountService(EventStore& store, const Clock& clock, SmsGateway& sms,
                               AccountOptions options)
    : impl_(nullptr) {
  // A library caller without a key gets one for this process (initial passwords and codes kept
  // before a restart cannot be read after it).
  if (options.secret_key.size() != 32) options.secret_key = security::random_key();
  impl_.reset(new Impl{{store, clock, sms, std::move(options)}});
}
AccountService::~AccountService() = default;

Result<CreatedAccount> AccountService::create_operator(const std::string& name) {
  if (!valid_account_name(name))
    return Status::unprocessable("validation.failed", "not an account name",
                                 {{"operator", "invalid", "3 to 32 letters, digits and _ . @ -"}});
  const std::string password = security::random_password();
  const Create in{{name, "platform operator", "operator", "", "", "", "", {}},
                  security::hash_password(password)};
  auto v = engine::run(impl_->accounts, *impl_, kCreate, {.actor = {.role = "system"}}, in);
  if (!v) return v.status();
  return CreatedAccount{*v, password};
}

SignIn& AccountService::sign_in() { return impl_->sign_in; }

// ---- one's own account ----

Result<AccountView> AccountService::me(const Session& session) {
  auto loaded = engine::existing(impl_->accounts, session.actor.account_id);
  if (!loaded) return loaded.status();
  return Workflow::view((*loaded)->machine, (*loaded)->version);
}

Result<AccountView> AccountService::update_profile(const Session& session,
                                                   const std::optional<std::string>& name,
                                                   const std::optional<std::string>& email,
                                                   const std::string& verification_code,
                                                   IfMatch if_match) {
  if (auto s = impl_->sign_in.check_step_up(session, verification_code); !s) return s;
  return engine::run(impl_->accounts, *impl_, kProfile, {.actor = session.actor, .if_match = if_match},
                     {session.actor.account_id, name, email});
}

}  // namespace onex
