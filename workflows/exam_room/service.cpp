// ExamRoomService: the command table of exam rooms (run by engine::run, a copy by
// engine::run_batch), and their queries.
#include "common/access.h"
#include "engine/records.h"
#include "exam_room/decide.h"

namespace onex {

using exam_room::Workflow;

struct ExamRoomService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<Workflow> rooms{store, clock};

  // Whether a room other than `id` holds the name in the plan and site.
  bool taken(const std::string& plan, const std::string& site, const std::string& name, const std::string& id) const {
    auto owner = store.claim_owner(exam_room::name_claim(plan, site, name));
    return owner && *owner && **owner != engine::stream_of<Workflow>(id);
  }
  static Result<exam_room::Facts> facts(Impl& env, const Caller&, const ExamRoomInput& in, const exam_room::Machine&) {
    return exam_room::Facts{lookup::exam_plan(env.store, in.exam_plan_id), lookup::site(env.store, in.site_id),
                            env.taken(in.exam_plan_id, in.site_id, in.name, "")};
  }
  static Result<exam_room::Facts> edit_facts(Impl& env, const Caller&, const exam_room::Edit& in,
                                             const exam_room::Machine& m) {
    const auto& s = m.data();
    return exam_room::Facts{lookup::exam_plan(env.store, s.exam_plan_id), lookup::site(env.store, s.site_id),
                            env.taken(s.exam_plan_id, s.site_id, in.fields.name, in.id)};
  }
  static inline const engine::Command<Workflow, Impl, ExamRoomInput, exam_room::Facts> kCreate{
      .roles = {"leader", "staff"}, .facts = facts, .decide = exam_room::decide_create};
};

ExamRoomService::ExamRoomService(EventStore& store, const Clock& clock) : impl_(new Impl{store, clock}) {}
ExamRoomService::~ExamRoomService() = default;

Result<ExamRoomView> ExamRoomService::create(const Caller& caller, const ExamRoomInput& input) {
  return engine::run(impl_->rooms, *impl_, Impl::kCreate, caller, input);
}

Result<ExamRoomView> ExamRoomService::edit(const Caller& caller, const std::string& id, const ExamRoomFields& fields) {
  static const engine::Command<Workflow, Impl, exam_room::Edit, exam_room::Facts> kEdit{
      .id = engine::input_id<exam_room::Edit>, .facts = Impl::edit_facts, .decide = exam_room::decide_edit};
  return engine::run(impl_->rooms, *impl_, kEdit, caller, {id, fields});
}

Status ExamRoomService::remove(const Caller& caller, const std::string& id) {
  static const engine::Command<Workflow, Impl, exam_room::Delete> kDelete{
      .id = engine::input_id<exam_room::Delete>, .decide = exam_room::decide_delete};
  return engine::run_command(impl_->rooms, *impl_, kDelete, caller, {id}).status();
}

Result<std::vector<ExamRoomView>> ExamRoomService::copy(const Caller& caller, const ExamRoomCopy& c) {
  if (auto s = engine::authorize(caller.actor, {"leader", "staff"}); !s) return s;
  // The institution's active rooms of `from` at the site, as inputs for `to`.
  std::vector<ExamRoomInput> inputs;
  auto from = engine::views<Workflow>(impl_->store, "p/" + c.from_exam_plan_id + "/", [&](const exam_room::Machine& m) {
    return exam_room::sees(caller.actor, m) && access::institution_side(caller.actor) && m.data().site_id == c.site_id;
  });
  if (!from) return from.status();
  if (from->empty())
    return Status::unprocessable("validation.failed", "no rooms to copy",
                                 {{"from_exam_plan_id", "not_found", "a plan with rooms of yours at the site"}});
  for (const auto& v : *from) {
    ExamRoomInput in;
    engine::assign(static_cast<ExamRoomFields&>(in), v);
    in.exam_plan_id = c.to_exam_plan_id, in.site_id = c.site_id;
    inputs.push_back(std::move(in));
  }
  auto ran = engine::run_batch(impl_->rooms, *impl_, Impl::kCreate, caller, inputs);
  if (!ran) return ran.status();
  if (!ran->outcome.refusals.empty()) {
    std::vector<FieldError> errors;
    for (const auto& r : ran->outcome.refusals) {
      const std::string room = "rooms[" + std::to_string(r.index) + "]";
      if (r.status.errors().empty()) errors.push_back({room, r.status.code(), (*from)[r.index].name + ": " + r.status.message()});
      for (const auto& e : r.status.errors()) errors.push_back({room + "." + e.field, e.code, (*from)[r.index].name + ": " + e.message});
    }
    return Status::unprocessable("exam_room.invalid_copy", "these rooms cannot be copied; nothing was", std::move(errors));
  }
  std::vector<ExamRoomView> out;
  for (const auto& id : ran->ids)
    if (auto v = get(caller.actor, id)) out.push_back(std::move(*v));
  return out;
}

Result<ExamRoomView> ExamRoomService::get(const Actor& actor, const std::string& id) {
  if (!util::plain_id(id)) return engine::not_found<Workflow>();
  auto loaded = impl_->rooms.load(engine::stream_of<Workflow>(id));
  if (!loaded) return loaded.status();
  if (!exam_room::sees(actor, loaded->machine)) return engine::not_found<Workflow>();
  return Workflow::view(loaded->machine, loaded->version);
}

Result<Page<ExamRoomView>> ExamRoomService::list(const Actor& actor, const ExamRoomQuery& q) {
  if (actor.role != "org" && !access::institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " sees no exam rooms");
  if (q.exam_plan_id.empty())
    return Status::unprocessable("validation.failed", "say which plan", {{"exam_plan_id", "required", "an exam plan's id"}});
  auto all = engine::views<Workflow>(impl_->store, "p/" + q.exam_plan_id + "/", [&](const exam_room::Machine& m) {
    return exam_room::sees(actor, m) && (q.site_id.empty() || m.data().site_id == q.site_id);
  });
  if (!all) return all.status();
  return page_of(std::move(*all), {q.page, q.page_size});
}

}  // namespace onex
