// InvigilatorService: the command table of invigilators (run by engine::run), and their queries.
#include <stdexcept>

#include "common/access.h"
#include "engine/records.h"
#include "invigilator/decide.h"
#include "security/secrets.h"

namespace onex {

using invigilator::Workflow;

struct InvigilatorService::Impl {
  EventStore& store;
  const Clock& clock;
  std::string secret_key;
  engine::Engine<Workflow> invigilators{store, clock};

  static Result<invigilator::Facts> facts(Impl& env, const Caller& caller, const InvigilatorInput& in,
                                          const invigilator::Machine&) {
    invigilator::Facts f;
    for (const auto& id : in.certificate_ids) {
      if (auto c = lookup::certificate(env.store, id)) f.certificates.emplace(id, *c);
      f.piloted[id] = lookup::pilots(env.store, caller.actor.institution_id, id);
    }
    // A valid ID number is in its one form ('X' upper case), so one person has one key.
    f.person_key = security::keyed_digest(env.secret_key, in.id_number);
    return f;
  }

  Result<InvigilatorView> whole(const Actor& actor, const std::string& id) {
    if (!util::plain_id(id)) return engine::not_found<Workflow>();
    auto loaded = invigilators.load(engine::stream_of<Workflow>(id));
    if (!loaded) return loaded.status();
    if (!invigilator::sees(actor, loaded->machine.data())) return engine::not_found<Workflow>();
    auto v = Workflow::view(loaded->machine, loaded->version);
    v.id_number = loaded->machine.data().id_number;  // whole to those who see the record
    return v;
  }
};

InvigilatorService::InvigilatorService(EventStore& store, const Clock& clock, std::string secret_key)
    : impl_(new Impl{store, clock, std::move(secret_key)}) {
  if (impl_->secret_key.size() != 32) throw std::invalid_argument("InvigilatorService: the secret key must be 32 bytes");
}
InvigilatorService::~InvigilatorService() = default;

Result<InvigilatorView> InvigilatorService::submit(const Caller& caller, const InvigilatorInput& input) {
  static const engine::Command<Workflow, Impl, InvigilatorInput, invigilator::Facts> kSubmit{
      .roles = {"leader", "staff"}, .facts = Impl::facts, .decide = invigilator::decide_submit};
  auto ran = engine::run_command(impl_->invigilators, *impl_, kSubmit, caller, input);
  if (!ran) return ran.status();
  return impl_->whole(caller.actor, ran->id);
}

Result<InvigilatorView> InvigilatorService::review(const Caller& caller, const std::string& id,
                                                   const InvigilatorReview& review) {
  static const engine::Command<Workflow, Impl, invigilator::Review> kReview{
      .id = [](const invigilator::Review& r) { return r.id; }, .decide = invigilator::decide_review};
  auto ran = engine::run_command(impl_->invigilators, *impl_, kReview, caller, {id, review});
  if (!ran) return ran.status();
  return impl_->whole(caller.actor, id);
}

Result<InvigilatorView> InvigilatorService::get(const Actor& actor, const std::string& id) {
  return impl_->whole(actor, id);
}

Result<Page<InvigilatorView>> InvigilatorService::list(const Actor& actor, const InvigilatorQuery& q) {
  if (actor.role != "org" && !access::institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " sees no invigilators");
  const std::string prefix = actor.role == "org" ? "o/" + actor.org_id + "/" : "i/" + actor.institution_id + "/";
  auto all = engine::views<Workflow>(impl_->store, prefix, [&](const invigilator::Machine& m) {
    const auto& s = m.data();
    return invigilator::sees(actor, s) && (q.status.empty() || m.state_name() == q.status) &&
           (q.certificate_id.empty() ||
            std::find(s.certificate_ids.begin(), s.certificate_ids.end(), q.certificate_id) != s.certificate_ids.end());
  });
  if (!all) return all.status();
  return page_of(std::move(*all), {q.page, q.page_size});
}

}  // namespace onex
