// ExamService: the command table of exam subjects (run by engine::run), and their queries.
// Exam plans are ExamPlanService's (workflows/exam_plan/service.cpp).
#include "common/access.h"
#include "engine/records.h"
#include "exam_subject/decide.h"

namespace onex {

using exam_subject::Workflow;

struct ExamService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<Workflow> subjects{store, clock};
  static Result<exam_subject::Facts> facts(Impl& env, const Caller&, const ExamSubjectInput& in,
                                           const exam_subject::Machine&) {
    return exam_subject::Facts{lookup::certificate(env.store, in.certificate_id)};
  }

  bool sees(const Actor& a, const exam_subject::Machine& m) const {
    const auto& s = m.data();
    return exam_subject::sees(
        a, s, access::institution_side(a) && lookup::pilots(store, a.institution_id, s.certificate_id));
  }
};

ExamService::ExamService(EventStore& store, const Clock& clock)
    : impl_(new Impl{store, clock}), plans_(store, clock) {}
ExamService::~ExamService() = default;

Result<ExamSubjectView> ExamService::create_subject(const Caller& caller, const ExamSubjectInput& input) {
  static const engine::Command<Workflow, Impl, ExamSubjectInput, exam_subject::Facts> kCreate{
      .facts = Impl::facts, .decide = exam_subject::decide_create};
  return engine::run(impl_->subjects, *impl_, kCreate, caller, input);
}

Result<ExamSubjectView> ExamService::subject(const Actor& actor, const std::string& id) {
  if (!util::plain_id(id)) return engine::not_found<Workflow>();
  auto loaded = impl_->subjects.load(engine::stream_of<Workflow>(id));
  if (!loaded) return loaded.status();
  if (loaded->machine.phase() == exam_subject::Phase::none || !impl_->sees(actor, loaded->machine))
    return engine::not_found<Workflow>();
  return Workflow::view(loaded->machine, loaded->version);
}

Result<Page<ExamSubjectView>> ExamService::subjects(const Actor& actor, const ExamSubjectQuery& q) {
  if (actor.role != "org" && !access::institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " sees no exam subjects");
  // An org's own subjects, or one certificate's; the access rule keeps what the caller sees.
  const std::string prefix = !q.certificate_id.empty() ? "c/" + q.certificate_id + "/"
                             : actor.role == "org"     ? "o/" + actor.org_id + "/"
                                                       : "c/";
  auto all = engine::views<Workflow>(impl_->store, prefix, [&](const exam_subject::Machine& m) {
    return (q.level.empty() || m.data().level == q.level) && impl_->sees(actor, m);
  });
  if (!all) return all.status();
  return page_of(std::move(*all), {q.page, q.page_size});
}

}  // namespace onex
