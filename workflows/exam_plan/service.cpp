// ExamPlanService: the command table of exam plans (run by engine::run), and their queries.
#include "common/access.h"
#include "engine/records.h"
#include "exam_plan/decide.h"

namespace onex {

using exam_plan::Workflow;

struct ExamPlanService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<Workflow> plans{store, clock};

  static Result<exam_plan::Facts> facts(Impl& env, const Caller&, const ExamPlanInput& in,
                                        const exam_plan::Machine&) {
    exam_plan::Facts f{lookup::certificate(env.store, in.certificate_id), {}};
    for (const auto& id : in.subject_ids)
      if (auto s = lookup::exam_subject(env.store, id)) f.subjects.emplace(id, *s);
    return f;
  }

  // The view with its phase by the clock.
  ExamPlanView view(const exam_plan::Machine& m, std::uint64_t version) const {
    auto v = Workflow::view(m, version);
    v.phase = std::string(exam_plan::phase_at(m, clock.now()));
    return v;
  }

  bool sees(const Actor& a, const exam_plan::Machine& m) const {
    return exam_plan::sees(a, m, exam_plan::pilots_for(store, a, m));
  }
};

ExamPlanService::ExamPlanService(EventStore& store, const Clock& clock) : impl_(new Impl{store, clock}) {}
ExamPlanService::~ExamPlanService() = default;

Result<ExamPlanView> ExamPlanService::create(const Caller& caller, const ExamPlanInput& input) {
  static const engine::Command<Workflow, Impl, ExamPlanInput, exam_plan::Facts> kCreate{
      .facts = Impl::facts, .decide = exam_plan::decide_create};
  auto ran = engine::run_command(impl_->plans, *impl_, kCreate, caller, input);
  if (!ran) return ran.status();
  return impl_->view(ran->record.machine, ran->record.version);
}

Result<ExamPlanView> ExamPlanService::publish(const Caller& caller, const std::string& id) {
  static const engine::Command<Workflow, Impl, exam_plan::Publish> kPublish{
      .id = engine::input_id<exam_plan::Publish>, .decide = exam_plan::decide_publish};
  auto ran = engine::run_command(impl_->plans, *impl_, kPublish, caller, {id});
  if (!ran) return ran.status();
  return impl_->view(ran->record.machine, ran->record.version);
}

Result<ExamPlanView> ExamPlanService::get(const Actor& actor, const std::string& id) {
  if (!util::plain_id(id)) return engine::not_found<Workflow>();
  auto loaded = impl_->plans.load(engine::stream_of<Workflow>(id));
  if (!loaded) return loaded.status();
  if (!impl_->sees(actor, loaded->machine)) return engine::not_found<Workflow>();
  return impl_->view(loaded->machine, loaded->version);
}

Result<Page<ExamPlanView>> ExamPlanService::list(const Actor& actor, const ExamPlanQuery& q) {
  if (actor.role != "org" && !access::institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " sees no exam plans");
  const std::string prefix = !q.certificate_id.empty() ? "c/" + q.certificate_id + "/"
                             : actor.role == "org"     ? "o/" + actor.org_id + "/"
                                                       : "c/";
  // The phase is the clock's: taken from each kept machine, in the order views keeps them.
  std::vector<std::string> phases;
  auto all = engine::views<Workflow>(impl_->store, prefix, [&](const exam_plan::Machine& m) {
    if (!impl_->sees(actor, m)) return false;
    phases.emplace_back(exam_plan::phase_at(m, impl_->clock.now()));
    return true;
  });
  if (!all) return all.status();
  for (std::size_t i = 0; i < all->size(); ++i) (*all)[i].phase = phases[i];
  return page_of(std::move(*all), {q.page, q.page_size});
}

}  // namespace onex
