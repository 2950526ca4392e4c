// SiteService: the command table of assessment sites (run by engine::run), and their queries.
#include "common/access.h"
#include "engine/records.h"
#include "site/decide.h"

namespace onex {

using site::Workflow;

struct SiteService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<Workflow> sites{store, clock};

  static Result<site::Facts> facts(Impl& env, const Caller& caller, const SiteInput& in, const site::Machine&) {
    site::Facts f;
    for (const auto& id : in.certificate_ids) {
      if (auto c = lookup::certificate(env.store, id)) f.certificates.emplace(id, *c);
      f.piloted[id] = lookup::pilots(env.store, caller.actor.institution_id, id);
    }
    const lookup::Party owner{"institution", caller.actor.institution_id};
    for (std::size_t i = 0; i < in.file_ids.size() && i < 10; ++i) {
      auto usable = lookup::usable_file(env.store, "file_ids[" + std::to_string(i) + "]", in.file_ids[i],
                                        "site_document", owner);
      if (usable) continue;
      const Status refused = usable.status();
      for (const auto& e : refused.errors()) f.file_errors.push_back(e);
    }
    return f;
  }
  static Result<site::LoanFacts> loan_facts(Impl& env, const Caller&, const SiteAssignment& in, const site::Machine&) {
    site::LoanFacts f{lookup::exam_plan(env.store, in.exam_plan_id), false};
    if (f.plan) f.borrower_has_site = lookup::has_approved_site(env.store, in.institution_id, f.plan->certificate_id);
    return f;
  }
};

SiteService::SiteService(EventStore& store, const Clock& clock) : impl_(new Impl{store, clock}) {}
SiteService::~SiteService() = default;

Result<SiteView> SiteService::apply(const Caller& caller, const SiteInput& input) {
  static const engine::Command<Workflow, Impl, SiteInput, site::Facts> kApply{
      .roles = {"leader", "staff"}, .facts = Impl::facts, .decide = site::decide_apply};
  return engine::run(impl_->sites, *impl_, kApply, caller, input);
}

Result<SiteView> SiteService::submit(const Caller& caller, const std::string& id) {
  static const engine::Command<Workflow, Impl, site::Submit> kSubmit{
      .id = engine::input_id<site::Submit>, .decide = site::decide_submit};
  return engine::run(impl_->sites, *impl_, kSubmit, caller, {id});
}

Result<SiteView> SiteService::review(const Caller& caller, const std::string& id, const SiteReview& review) {
  static const engine::Command<Workflow, Impl, site::Review> kReview{
      .id = engine::input_id<site::Review>, .decide = site::decide_review};
  return engine::run(impl_->sites, *impl_, kReview, caller, {id, review});
}

Result<SiteView> SiteService::assign(const Caller& caller, const SiteAssignment& assignment) {
  static const engine::Command<Workflow, Impl, SiteAssignment, site::LoanFacts> kAssign{
      .roles = {"org"}, .id = [](const SiteAssignment& a) { return a.site_id; }, .facts = Impl::loan_facts,
      .decide = site::decide_assign};
  return engine::run(impl_->sites, *impl_, kAssign, caller, assignment);
}

Result<SiteView> SiteService::get(const Actor& actor, const std::string& id) {
  if (!util::plain_id(id)) return engine::not_found<Workflow>();
  auto loaded = impl_->sites.load(engine::stream_of<Workflow>(id));
  if (!loaded) return loaded.status();
  if (!site::sees(actor, loaded->machine)) return engine::not_found<Workflow>();
  return Workflow::view(loaded->machine, loaded->version);
}

Result<Page<SiteView>> SiteService::list(const Actor& actor, const SiteQuery& q) {
  if (actor.role != "org" && !access::institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " sees no sites");
  auto keep = [&](const site::Machine& m) {
    const auto& s = m.data();
    return site::sees(actor, m) && (q.status.empty() || m.state_name() == q.status) &&
           (q.certificate_id.empty() || s.part(q.certificate_id) != nullptr);
  };
  if (actor.role == "org") {
    auto all = engine::views<Workflow>(impl_->store, "o/" + actor.org_id + "/", keep);
    if (!all) return all.status();
    return page_of(std::move(*all), {q.page, q.page_size});
  }
  // An institution's own sites, then those lent to it.
  auto own = engine::views<Workflow>(impl_->store, "i/" + actor.institution_id + "/", keep);
  if (!own) return own.status();
  auto lent = engine::views<Workflow>(impl_->store, "b/" + actor.institution_id + "/", keep);
  if (!lent) return lent.status();
  for (auto& v : *lent) own->push_back(std::move(v));
  return page_of(std::move(*own), {q.page, q.page_size});
}

}  // namespace onex
