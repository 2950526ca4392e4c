// AccountService: one's own account, and signing in (security::SignIn, lib/security/sign_in.h,
// on the account's rules; managed accounts: users.cpp). Every change is a command of the table
// in service_impl.h, run by engine::run_command.
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

// ---- signing in: the protocol is security::SignIn's ----

Result<Captcha> AccountService::issue_captcha(const std::string& client_address) {
  return impl_->sign_in.issue_captcha(client_address);
}
Result<LoginResult> AccountService::login(const LoginInput& in) { return impl_->sign_in.login(in); }
Result<SessionGranted> AccountService::answer_challenge(const std::string& challenge_id,
                                                        const std::string& code, bool trust_device) {
  return impl_->sign_in.answer_challenge(challenge_id, code, trust_device);
}
Result<Session> AccountService::authenticate(std::string_view token) {
  return impl_->sign_in.authenticate(token);
}
Result<Session> AccountService::resume(const std::string& id) { return impl_->sign_in.resume(id); }
Status AccountService::logout(const Session& session) { return impl_->sign_in.logout(session); }
Result<CodeSent> AccountService::send_sms_code(const Session& session, const std::string& phone,
                                               const std::string& purpose,
                                               const std::string& client_address) {
  return impl_->sign_in.send_phone_code(session, phone, purpose, client_address);
}
Result<CodeSent> AccountService::send_step_up_code(const Session& session) {
  return impl_->sign_in.send_step_up_code(session);
}
Status AccountService::request_password_reset(const std::string& account, const std::string& phone,
                                              const std::string& client_address) {
  return impl_->sign_in.request_password_reset(account, phone, client_address);
}
Status AccountService::confirm_password_reset(const std::string& account, const std::string& phone,
                                              const std::string& code,
                                              const std::string& new_password) {
  return impl_->sign_in.confirm_password_reset(account, phone, code, new_password);
}
std::uint64_t AccountService::unknown_name_attempts() const {
  return impl_->sign_in.unknown_name_attempts();
}
std::string AccountService::captcha_answer_for_testing(const std::string& id) const {
  return impl_->sign_in.captcha_answer_for_testing(id);
}

// ---- one's own account ----

Result<AccountView> AccountService::complete_setup(const Session& session, const std::string& name,
                                                   const std::string& phone,
                                                   const std::string& sms_code,
                                                   const std::string& new_password) {
  auto& I = *impl_;
  if (!session.setup_required)
    return Status::conflict("account.setup_done", "the account is already set up");
  std::vector<FieldError> errors;
  if (!valid_name(name)) errors.push_back({"name", "required", "your real name"});
  if (!valid_mobile(phone)) errors.push_back({"phone", "invalid", "a mainland mobile number"});
  if (auto s = security::check_password_rules(new_password); !s)
    errors.push_back(s.errors().front());
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the setup has invalid fields", errors);
  const std::string id = session.actor.account_id;
  if (auto s = I.sign_in.check_code("bind_phone", id, sms_code, normal_phone(phone)); !s) return s;
  const Setup in{id, name, normal_phone(phone), security::hash_password(new_password)};
  auto v = engine::run(I.accounts, I, kSetup, {.actor = session.actor}, in);
  if (!v) return v.status();
  (void)I.store.erase_secret("initial/" + id);
  (void)logout(session);  // completing setup ends the setup session
  return v;
}

Result<AccountView> AccountService::me(const Session& session) {
  return impl_->view(session.actor.account_id);
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

Status AccountService::change_password(const Session& session, const std::string& old_password,
                                       const std::string& new_password,
                                       const std::string& verification_code, IfMatch if_match) {
  auto& I = *impl_;
  if (auto s = I.sign_in.check_step_up(session, verification_code); !s) return s;
  if (auto s = security::check_password_rules(new_password); !s) return s;
  auto loaded = I.current(session.actor.account_id);
  if (!loaded) return loaded.status();
  if (!security::verify_password((*loaded)->machine.data().password_hash, old_password))
    return Status::unprocessable("validation.failed", "the current password is wrong",
                                 {{"old_password", "wrong", "the current password is wrong"}});
  return engine::run_command(I.accounts, I, kPasswordChange, {.actor = session.actor, .if_match = if_match},
                             {session.actor.account_id, security::hash_password(new_password)})
      .status();
}

Result<AccountView> AccountService::change_phone(const Session& session,
                                                 const std::string& new_phone,
                                                 const std::string& sms_code,
                                                 const std::string& verification_code,
                                                 IfMatch if_match) {
  auto& I = *impl_;
  if (auto s = I.sign_in.check_step_up(session, verification_code); !s) return s;
  if (auto s = security::check_mobile("new_phone", new_phone); !s) return s;
  const std::string phone = normal_phone(new_phone);
  if (auto s = I.sign_in.check_code("change_phone", session.actor.account_id, sms_code, phone); !s)
    return s;
  return engine::run(I.accounts, I, kPhone, {.actor = session.actor, .if_match = if_match},
                     {session.actor.account_id, phone});
}

}  // namespace onex
