// InstitutionService: self-registration (the leader account and the institution in one append),
// the institution's page, basic info and seal through the engine.
#include <nlohmann/json.hpp>

#include "institution/decide.h"
#include "institution/projection.h"
#include "onex/regions.h"
#include "security/secrets.h"
#include "util/hash.h"
#include "util/identifiers.h"

namespace onex {

using namespace institution;

namespace {

Status registry_error(const char* field, std::string code, std::string message) {
  return Status::unprocessable(code, message, {{field, code, message}});
}

}  // namespace

struct InstitutionService::Impl {
  EventStore& store;
  const Clock& clock;
  SmsGateway& sms;
  AccountService& accounts;
  engine::Engine<Workflow> institutions;

  Impl(EventStore& s, const Clock& c, SmsGateway& g, AccountService& a)
      : store(s), clock(c), sms(g), accounts(a), institutions(s, c) {}

  Result<engine::Engine<Workflow>::Loaded> load(const std::string& id) {
    if (!util::valid_institution_code(id)) return not_found();
    return institutions.load(engine::stream_of<Workflow>(id));
  }

  InstitutionView view(const Machine& m, std::uint64_t version) {
    const auto& s = m.data();
    InstitutionView v;
    v.id = s.id;
    v.stream = engine::stream_of<Workflow>(s.id);
    v.version = version;
    v.code = s.code;
    v.name = s.name;
    v.province_code = s.province_code;
    v.city_code = s.city_code;
    v.type = s.institution_type;
    if (s.profile) {
      const auto& p = *s.profile;
      v.profile = InstitutionProfile{p.kind,    p.credit_code,          p.website,
                                     p.district, p.address,            p.contact.contact_name,
                                     p.contact.contact_phone, p.contact.contact_email};
      v.profile_complete = profile_complete(p);
    }
    v.leader_account_id = s.leader_account_id;
    auto pilot = store.read_model_get(kInstitutions, "pilot/" + s.id);
    if (pilot && *pilot)
      v.pilot_years = pilot_years_from_json(nlohmann::json::parse(**pilot, nullptr, false));
    return v;
  }

  Result<InstitutionView> after(const std::string& id, const Result<engine::Outcome>& outcome) {
    if (!outcome) return outcome.status();
    auto loaded = load(id);
    if (!loaded) return loaded.status();
    return view(loaded->machine, loaded->version);
  }

  static SealView seal_view(const Seal& s) {
    SealView v{s.file_id, s.sha256, s.principal_name, s.principal_title, {}};
    if (auto t = parse_time(s.agreement_accepted_at)) v.agreement_accepted_at = *t;
    return v;
  }

  // The leader's account name: "L", the institution code and six random letters and digits
  // ("L4111010028-k7m3qx"), so that nobody can derive it from the public code and lock the
  // leader out by trying passwords on it.
  Result<std::string> leader_account_name(const std::string& code) {
    for (int n = 1; n < 10; ++n) {
      std::string name = "L" + code + "-" + security::random_letters(6);
      auto owner = store.claim_owner(lookup::account_name_key(name));
      if (!owner) return owner.status();
      if (!*owner) return name;
    }
    return Status::conflict("account.name_taken", "no free account name for the leader");
  }
};

InstitutionService::InstitutionService(EventStore& store, const Clock& clock, SmsGateway& sms,
                                       AccountService& accounts)
    : impl_(std::make_unique<Impl>(store, clock, sms, accounts)) {}
InstitutionService::~InstitutionService() = default;

Result<CodeSent> InstitutionService::send_registration_code(const std::string& phone,
                                                            const std::string& captcha_id,
                                                            const std::string& captcha_answer,
                                                            const std::string& client_address) {
  return impl_->accounts.sign_in().send_registration_code(phone, captcha_id, captcha_answer, client_address);
}

Result<Registration> InstitutionService::register_institution(const RegistrationInput& in) {
  auto& I = *impl_;
  std::vector<FieldError> errors;
  if (!is_province_code(in.province_code))
    errors.push_back({"province_code", "invalid", "one of the 34 GB/T 2260 province codes"});
  if (!util::valid_institution_code(in.institution_code))
    errors.push_back({"institution_code", "invalid", "the 10-digit institution code"});
  if (in.institution_name.empty() || in.institution_name.size() > 200)
    errors.push_back({"institution_name", "required", "the institution's name as registered"});
  if (!util::valid_mobile(in.phone))
    errors.push_back({"phone", "invalid", "a mainland mobile number, 1[3-9] and 9 digits"});
  if (in.sms_code.empty()) errors.push_back({"sms_code", "required", "the code sent to the phone"});
  if (!errors.empty())
    return Status::unprocessable("validation.failed", "the registration has invalid fields",
                                 std::move(errors));

  auto entry = lookup::registry_entry(I.store, in.institution_code);
  if (!entry)
    return registry_error("institution_code", "institution.not_in_registry",
                          "no institution with this code in the registry");
  if (entry->province_code != in.province_code)
    return registry_error("province_code", "institution.not_in_registry",
                          "the registry has this institution in another province");
  if (entry->name != in.institution_name)
    return registry_error("institution_name", "institution.name_mismatch",
                          "the name differs from the registry's; enter it exactly as registered");
  const std::string code = entry->code;
  {
    auto leader = I.store.claim_owner(leader_key(code));
    if (!leader) return leader.status();
    if (*leader)
      return Status::conflict("institution.already_registered",
                              "the institution is registered already");
  }
  const std::string phone(util::plain_mobile(in.phone));
  if (auto s = I.accounts.sign_in().check_registration_code(phone, in.sms_code); !s) return s;

  auto name = I.leader_account_name(code);
  if (!name) return name.status();
  NewAccount leader;
  leader.account = *name;
  leader.role = "leader";
  leader.province_code = entry->province_code;
  leader.city_code = entry->city_code;
  leader.institution_id = code;
  auto created = I.accounts.register_leader(leader);
  if (!created) return created.status();
  const std::string& password = created->initial_password;
  // The credentials go to the phone that proved itself; the answer shows them once as well.
  (void)I.sms.send(SmsMessage{I.clock.now(), phone, "registration_credentials", "",
                              "【onex】" + entry->name + " 已注册。负责人账号 " + *name +
                                  "，初始密码 " + password + "。首次登录请绑定姓名和手机并修改密码。"});
  return Registration{code, created->account.id, *name, password};
}

Result<InstitutionView> InstitutionService::get(const Actor& actor, const std::string& id) {
  auto loaded = impl_->load(id);
  if (!loaded) return loaded.status();
  if (auto s = check_visible(loaded->machine, actor); !s) return s;
  return impl_->view(loaded->machine, loaded->version);
}

Result<InstitutionView> InstitutionService::update_profile(const Actor& actor,
                                                           const std::string& id,
                                                           const InstitutionProfile& profile,
                                                           std::optional<std::uint64_t> if_match) {
  using Impl = InstitutionService::Impl;
  static const engine::Command<Workflow, Impl, EditProfile> kEdit{
      .id = engine::input_id<EditProfile>, .decide = decide_profile};
  auto ran = engine::run_command(impl_->institutions, *impl_, kEdit,
                                 {.actor = actor, .if_match = if_match}, {id, profile});
  if (!ran) return ran.status();
  return impl_->view(ran->record.machine, ran->record.version);
}

Result<SealView> InstitutionService::set_seal(const Actor& actor, const std::string& id,
                                              const SealInput& in,
                                              std::optional<std::uint64_t> if_match) {
  using Impl = InstitutionService::Impl;
  // The facts: the leader's own seal file (404 / 403 first for anyone else).
  static const engine::Command<Workflow, Impl, SetSeal, SealFacts> kSeal{
      .id = engine::input_id<SetSeal>,
      .facts = [](Impl& I, const Caller& c, const SetSeal& in, const Machine& m) -> Result<SealFacts> {
        if (auto s = check_leader(m, c.actor); !s) return s;
        SealFacts f;
        auto file = lookup::usable_file(I.store, "file_id", in.seal.file_id, "seal",
                                        lookup::party_of(c.actor));
        if (file)
          f.file = *file;
        else
          f.refused = file.status(), f.file_errors = f.refused.errors();
        return f;
      },
      .decide = decide_seal};
  auto ran = engine::run_command(impl_->institutions, *impl_, kSeal,
                                 {.actor = actor, .if_match = if_match}, {id, in});
  if (!ran) return ran.status();
  return seal(actor, id);
}

Result<SealView> InstitutionService::seal(const Actor& actor, const std::string& id) {
  auto loaded = impl_->load(id);
  if (!loaded) return loaded.status();
  if (auto s = check_leader(loaded->machine, actor); !s) return not_found();
  const auto& seal = loaded->machine.data().seal;
  if (!seal) return Status::not_found("institution.seal_not_found", "no seal has been set");
  auto v = Impl::seal_view(*seal);
  v.version = loaded->version;
  return v;
}

}  // namespace onex
