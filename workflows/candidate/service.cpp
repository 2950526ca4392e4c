// CandidateService, records: the single-candidate commands (run by engine::run) and the queries.
// Tables are sheet.cpp's, photos photos.cpp's.
#include <stdexcept>

#include "candidate/service_impl.h"
#include "common/access.h"
#include "security/secrets.h"

namespace onex {

using candidate::Workflow;

namespace {

class Unavailable final : public IdentityVerifier {
 public:
  Answer verify(std::string_view, std::string_view, std::string_view) override { return Answer::unavailable; }
};

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

std::shared_ptr<IdentityVerifier> unavailable_verifier() { return std::make_shared<Unavailable>(); }

std::string CandidateService::Impl::person_key(std::string_view id_number) const {
  return security::keyed_digest(options.secret_key, candidate::normal_id_number(id_number));
}

std::string CandidateService::Impl::holder(std::string_view id_number) const {
  auto owner = store.claim_owner(candidate::person_claim(person_key(id_number)));
  if (!owner || !*owner) return {};
  const std::string prefix = engine::stream_of<Workflow>("");
  return (*owner)->starts_with(prefix) ? (*owner)->substr(prefix.size()) : std::string();
}

Result<candidate::Facts> CandidateService::Impl::create_facts(Impl& env, const Caller&, const CandidateInput& in,
                                                              const candidate::Machine&) {
  return candidate::Facts{env.person_key(in.id_number), !env.holder(in.id_number).empty()};
}

Result<candidate::Facts> CandidateService::Impl::edit_facts(Impl& env, const Caller&, const candidate::Edit& in,
                                                            const candidate::Machine& m) {
  const auto id_number = candidate::patched(m.data(), in.patch).id_number;
  const auto held_by = env.holder(id_number);
  return candidate::Facts{env.person_key(id_number), !held_by.empty() && held_by != in.id};
}

CandidateService::CandidateService(EventStore& store, const Clock& clock, FileService& files,
                                   CandidateOptions options)
    : impl_(new Impl{store, clock, files, std::move(options)}) {
  if (impl_->options.secret_key.size() != 32)
    throw std::invalid_argument("CandidateService: the secret key must be 32 bytes");
  if (!impl_->options.verifier) impl_->options.verifier = unavailable_verifier();
}
CandidateService::~CandidateService() = default;

Result<CandidateView> CandidateService::create(const Caller& caller, const CandidateInput& input) {
  auto ran = engine::run_command(impl_->candidates, *impl_, Impl::kCreate, caller, input);
  if (!ran) return ran.status();
  return get(caller.actor, ran->id);  // as its institution sees it
}

Result<CandidateView> CandidateService::edit(const Caller& caller, const std::string& id, const CandidatePatch& patch) {
  auto ran = engine::run_command(impl_->candidates, *impl_, Impl::kEdit, caller, {id, patch});
  if (!ran) return ran.status();
  if (ran->record.machine.phase() == candidate::Phase::unverified) impl_->check_identity(caller, id);
  return get(caller.actor, id);
}

Result<CandidateView> CandidateService::get(const Actor& actor, const std::string& id) {
  if (!util::plain_id(id)) return engine::not_found<Workflow>();
  auto loaded = impl_->candidates.load(engine::stream_of<Workflow>(id));
  if (!loaded) return loaded.status();
  const auto& m = loaded->machine;
  if (m.phase() == candidate::Phase::none || !candidate::sees(actor, m.data())) return engine::not_found<Workflow>();
  auto v = Workflow::view(m, loaded->version);
  v.id_number = m.data().id_number;  // whole, to the candidate's institution (the rule above)
  return v;
}

Result<Page<CandidateView>> CandidateService::list(const Actor& actor, const CandidateQuery& q) {
  if (!access::institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " keeps no candidates");
  auto all = engine::views<Workflow>(impl_->store, "i/" + actor.institution_id + "/", [&](const candidate::Machine& m) {
    const auto& c = m.data();
    return candidate::sees(actor, c) && (q.kind.empty() || c.kind == q.kind) &&
           (q.verification.empty() || m.state_name() == q.verification) &&
           (q.q.empty() || contains(c.name, q.q) || contains(c.name_pinyin, q.q) || contains(c.id_number, q.q));
  });
  if (!all) return all.status();
  return page_of(std::move(*all), {q.page, q.page_size});
}

Result<CandidateView> CandidateService::confirm_identity(const Caller& caller, const std::string& id) {
  static const engine::Command<Workflow, Impl, candidate::Confirm> kConfirm{
      .id = engine::input_id<candidate::Confirm>, .decide = candidate::decide_confirm};
  auto ran = engine::run_command(impl_->candidates, *impl_, kConfirm, caller, {id});
  if (!ran) return ran.status();
  return get(caller.actor, id);
}

}  // namespace onex
