// DeclarationService: the command table of declarations (run by engine::run), and queries from
// the read model. Plans and quotas are their own workflows (PlanService, QuotaService, whose
// calls the public class forwards).
#include <algorithm>

#include "common/access.h"
#include "common/reactions.h"
#include "declaration/decide.h"
#include "engine/records.h"
#include "onex/page.h"

namespace onex {

using namespace declaration;

namespace declaration {

// What the commands read and write besides their record.
struct Env {
  EventStore& store;
  const Clock& clock;
  Notifier notify;
  engine::Engine<Workflow> declarations{store, clock};
};

namespace {

template <class In, class F = engine::NoFacts>
using Command = engine::Command<Workflow, Env, In, F>;

// The plan of a declaration of `institution_id`, where the institution is and whether its basic
// info is complete (an institution the read model does not know yet is where its account says).
Result<Facts> placed(const EventStore& store, const std::string& plan_id,
                     const std::string& institution_id, const Actor& actor) {
  Facts f;
  auto plan = lookup::plan(store, plan_id);
  if (!plan) return Status::not_found("declaration_plan.not_found", "no such declaration plan");
  f.plan = std::move(*plan);
  if (auto inst = lookup::institution(store, institution_id))
    std::tie(f.province_code, f.city_code, f.profile_complete) =
        std::tuple{inst->province_code, inst->city_code, inst->profile_complete};
  else if (actor.institution_id == institution_id)
    std::tie(f.province_code, f.city_code) = std::tuple{actor.province_code, actor.city_code};
  return f;
}

// The field errors of a certificate that does not exist and of files the institution may not
// attach (declaration_attachment files it uploaded).
void check_references(Facts& f, const EventStore& store, const Actor& actor,
                      const std::string* certificate_id, const std::vector<std::string>& file_ids) {
  if (certificate_id && plain_id(*certificate_id) && access::in_certificate_scope(actor, *certificate_id) &&
      !lookup::certificate(store, *certificate_id))
    f.reference_errors.push_back({"certificate_id", "not_found", "no such certificate"});
  const lookup::Party owner{"institution", actor.institution_id};
  for (std::size_t i = 0; i < file_ids.size() && i < 20; ++i) {
    if (!plain_id(file_ids[i])) continue;  // refused as invalid by decide
    auto usable = lookup::usable_file(store, "file_ids[" + std::to_string(i) + "]", file_ids[i],
                                      "declaration_attachment", owner);
    if (usable) continue;
    const Status refused = usable.status();
    for (const auto& e : refused.errors()) f.reference_errors.push_back(e);
  }
}

Result<Facts> create_facts(Env& I, const Caller& c, const Create& in, const Machine&) {
  auto f = placed(I.store, in.form.plan_id, c.actor.institution_id, c.actor);
  if (f) check_references(*f, I.store, c.actor, &in.form.certificate_id, in.form.file_ids);
  return f;
}

Result<Facts> edit_facts(Env& I, const Caller& c, const Edit& in, const Machine&) {
  Facts f;
  check_references(f, I.store, c.actor, nullptr, in.form.file_ids);
  return f;
}

Result<Facts> submit_facts(Env& I, const Caller& c, const Target&, const Machine& m) {
  if (auto s = check_visible(m, c.actor); !s) return s;
  return placed(I.store, m.data().plan_id, m.data().institution_id, c.actor);
}

// SMS notices of a decision (decide's `notice`), once it has committed: to the institution's
// leader and to the account that submitted last, when that is another one.
void notify_decision(Env& I, const std::string& id) {
  auto loaded = I.declarations.load(engine::stream_of<Workflow>(id));
  auto events = I.store.read_stream(engine::stream_of<Workflow>(id));
  if (!I.notify || !loaded || !events) return;
  const auto& s = loaded->machine.data();
  const auto certificate = lookup::certificate(I.store, s.certificate_id);
  const std::string text = notice(loaded->machine, certificate ? certificate->name : s.certificate_id);
  std::vector<std::string> to{"", ""};  // the leader, the submitter
  if (auto inst = lookup::institution(I.store, s.institution_id)) to[0] = inst->leader_account_id;
  for (const auto& e : *events)
    if (e.type == Submitted::type) to[1] = e.actor_account_id;
  if (to[1] == to[0]) to[1].clear();
  for (const auto& account : to)
    if (!account.empty() && !text.empty()) I.notify(account, text);
}

// The command table: which record, which facts, which rule, what else commits, what follows.
const Command<Create, Facts> kCreate{.roles = {"leader", "staff"}, .facts = create_facts,
                                     .decide = decide_create};
const Command<Edit, Facts> kEdit{.id = engine::input_id<Edit>, .facts = edit_facts, .decide = decide_edit};
const Command<Target> kDelete{.id = engine::input_id<Target>, .decide = decide_delete};
const Command<Target, Facts> kSubmit{.id = engine::input_id<Target>, .facts = submit_facts,
                                     .decide = decide_submit};
const Command<CityReview> kCityReview{.id = engine::input_id<CityReview>, .decide = decide_city_review,
                                      .committed = notify_decision};
const Command<ProvinceReview> kProvinceReview{.id = engine::input_id<ProvinceReview>,
                                              .decide = decide_province_review,
                                              .stage = reactions::stage<Workflow, Env>,
                                              .committed = notify_decision};

using Tabs = engine::described_members<DeclarationCounts>;

// Counts by tab (deleted ones are never counted: the rule hides them).
void count(DeclarationCounts& c, std::string_view status) {
  boost::mp11::mp_for_each<Tabs>([&](auto tab) { c.*tab.pointer += listed_under(tab.name, status); });
}

// The declarations the read model lists under `prefix` that `actor` sees, oldest first.
auto seen(const EventStore& store, const Actor& actor, const std::string& prefix) {
  return engine::views<Workflow>(store, prefix, [&](const Machine& m) { return sees(actor, m); });
}

}  // namespace
}  // namespace declaration

struct DeclarationService::Impl : declaration::Env {};

DeclarationService::DeclarationService(EventStore& store, const Clock& clock, Notifier notify)
    : plans_(store, clock), quotas_(store, clock), impl_(new Impl{{store, clock, std::move(notify)}}) {}
DeclarationService::~DeclarationService() = default;

Result<DeclarationView> DeclarationService::create(const Caller& caller,
                                                   const DeclarationInput& input, bool submit) {
  return engine::run(impl_->declarations, *impl_, kCreate, caller, Create{input, submit});
}
Result<DeclarationView> DeclarationService::edit(const Caller& caller, const std::string& id,
                                                 const DeclarationInput& input) {
  return engine::run(impl_->declarations, *impl_, kEdit, caller, Edit{id, input});
}
Status DeclarationService::remove(const Caller& caller, const std::string& id) {
  return engine::run(impl_->declarations, *impl_, kDelete, caller, Target{id}).status();
}
Result<DeclarationView> DeclarationService::submit(const Caller& caller, const std::string& id) {
  return engine::run(impl_->declarations, *impl_, kSubmit, caller, Target{id});
}
Result<DeclarationView> DeclarationService::city_review(const Caller& caller,
                                                        const std::string& id, bool approve,
                                                        const std::string& reason) {
  return engine::run(impl_->declarations, *impl_, kCityReview, caller,
                     CityReview{id, approve, reason});
}
Result<DeclarationView> DeclarationService::province_review(const Caller& caller,
                                                            const std::string& id, bool approve,
                                                            std::optional<int> approved_trainees,
                                                            const std::string& reason) {
  return engine::run(impl_->declarations, *impl_, kProvinceReview, caller,
                     ProvinceReview{id, approve, approved_trainees, reason});
}

Result<DeclarationView> DeclarationService::get(const Actor& actor, const std::string& id) {
  if (!plain_id(id)) return engine::not_found<Workflow>();
  auto loaded = impl_->declarations.load(engine::stream_of<Workflow>(id));
  if (!loaded) return loaded.status();
  if (auto s = check_visible(loaded->machine, actor); !s) return s;
  auto v = Workflow::view(loaded->machine, loaded->version);
  auto events = impl_->store.read_stream(v.stream, 1);
  if (!events) return events.status();
  for (const auto& e : *events)
    if (e.version <= loaded->version)
      v.history.push_back({e.version, e.type, e.recorded_at, e.actor_role});
  return v;
}

Result<DeclarationPage> DeclarationService::list(const Actor& actor, const DeclarationQuery& q) {
  bool known = q.status.empty();
  boost::mp11::mp_for_each<Tabs>([&](auto tab) { known |= q.status == tab.name; });
  if (!known)
    return Status::unprocessable("validation.failed", "unknown status filter",
                                 {{"status", "invalid",
                                   "all, draft, pending, approved or rejected"}});
  std::string prefix;
  if (access::institution_side(actor))
    prefix = "i/" + actor.institution_id + "/";
  else if (actor.role == "city" && !actor.city_code.empty())
    prefix = "c/" + actor.city_code + "/";
  else if (actor.role == "province" && !actor.province_code.empty())
    prefix = "p/" + actor.province_code + "/";
  else
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
  auto rows = seen(impl_->store, actor, prefix);
  if (!rows) return rows.status();
  DeclarationPage page;
  std::vector<DeclarationView> matched;
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) {  // newest first
    auto& v = *it;
    if ((!q.plan_id.empty() && v.plan_id != q.plan_id) ||
        (!q.institution_id.empty() && v.institution_id != q.institution_id) ||
        (!q.certificate_id.empty() && v.certificate_id != q.certificate_id) ||
        (q.year != 0 && v.year != q.year))
      continue;
    count(page.counts, v.status);
    if (q.status.empty() || listed_under(q.status, v.status))
      matched.push_back(std::move(v));
  }
  auto one = page_of(std::move(matched), {q.page, q.page_size});
  page.items = std::move(one.items);
  page.total = one.total;
  return page;
}

Result<DeclarationList> DeclarationService::list_by_institution(const Actor& actor,
                                                                const std::string& institution_id) {
  const bool own = access::institution_side(actor) && actor.institution_id == institution_id;
  const bool reviewer = actor.role == "city" || actor.role == "province" || actor.role == "auditor";
  if ((!own && !reviewer) || !plain_id(institution_id))
    return Status::not_found("institution.not_found", "no such institution");
  auto rows = seen(impl_->store, actor, "i/" + institution_id + "/");
  if (!rows) return rows.status();
  DeclarationList list;
  for (const auto& v : *rows) count(list.counts, v.status);
  list.items = std::move(*rows);
  return list;
}

}  // namespace onex
