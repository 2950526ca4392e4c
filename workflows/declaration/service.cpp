// DeclarationService: commands through the engine, queries from machines and read models.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/access.h"
#include "common/lookups.h"
#include "declaration/decide.h"
#include "declaration/projection.h"
#include "onex/page.h"
#include "quota/service.h"
#include "util/hash.h"

namespace onex {

using namespace declaration;

namespace {

using access::institution_side;

// A declaration's view as the access rule reads it.
Seen seen(const DeclarationView& v) {
  return {v.status, v.institution_id, v.certificate_id, v.province_code, v.city_code};
}

// Counts by status (deleted ones are never counted: the rule hides them).
void count(DeclarationCounts& c, std::string_view status) {
  ++c.all;
  if (status == "draft") ++c.draft;
  else if (status == "city_review" || status == "province_review") ++c.pending;
  else if (status == "approved") ++c.approved;
  else if (status == "rejected") ++c.rejected;
}

}  // namespace

struct DeclarationService::Impl {
  EventStore& store;
  const Clock& clock;
  Notifier notify;
  engine::Engine<PlanWorkflow> plans;
  engine::Engine<Workflow> declarations;
  engine::Engine<quota::Workflow> quotas;

  Impl(EventStore& s, const Clock& c, Notifier n)
      : store(s), clock(c), notify(std::move(n)), plans(s, c), declarations(s, c), quotas(s, c) {}

  // Where an institution is and whether its basic info is complete, from the institutions read
  // model; an institution the read model does not know yet is placed where its account says.
  Facts facts_of(const std::string& institution_id, const Actor& actor) const {
    Facts f;
    if (auto inst = lookup::institution(store, institution_id)) {
      f.province_code = inst->province_code;
      f.city_code = inst->city_code;
      f.profile_complete = inst->profile_complete;
    } else if (actor.institution_id == institution_id) {
      f.province_code = actor.province_code;
      f.city_code = actor.city_code;
    }
    return f;
  }

  // The field errors of a certificate that does not exist and of files the institution may not
  // attach (declaration_attachment files it uploaded).
  void check_references(Facts& f, const Actor& actor, const std::string* certificate_id,
                        const std::vector<std::string>& file_ids) const {
    if (certificate_id && plain_id(*certificate_id) && in_scope(actor, *certificate_id) &&
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

  // SMS notices of a decision, once it has committed: to the institution's leader and to the
  // account that submitted, when that is another one.
  void notify_decision(const std::string& id) {
    if (!notify) return;
    auto loaded = declarations.load(engine::stream_of<Workflow>(id));
    if (!loaded) return;
    const auto& m = loaded->machine;
    const auto& s = m.data();
    std::string certificate = s.certificate_id;
    if (auto c = lookup::certificate(store, s.certificate_id)) certificate = c->name;
    std::string text;
    if (m.phase() == Phase::approved)
      text = "您单位的证书试点申报（" + certificate + "，" + std::to_string(s.year) +
             "年）已通过省级审核，批准培训 " + std::to_string(s.approved_trainees) + " 人。";
    else if (m.phase() == Phase::rejected)
      text = "您单位的证书试点申报（" + certificate + "，" + std::to_string(s.year) + "年）未通过" +
             (s.rejected_by == "city" ? "市级" : "省级") + "审核，原因：" + s.rejection_reason;
    else
      return;
    std::vector<std::string> to;
    if (auto inst = lookup::institution(store, s.institution_id); inst && !inst->leader_account_id.empty())
      to.push_back(inst->leader_account_id);
    auto events = store.read_stream(engine::stream_of<Workflow>(id));
    std::string submitter;
    if (events)
      for (const auto& e : *events)
        if (e.type == Submitted::type) submitter = e.actor_account_id;
    if (!submitter.empty() && std::find(to.begin(), to.end(), submitter) == to.end())
      to.push_back(submitter);
    for (const auto& account : to) notify(account, text);
  }

  Result<PlanState> load_plan(const std::string& plan_id) {
    if (!plain_id(plan_id))
      return Status::not_found("declaration_plan.not_found", "no such declaration plan");
    auto loaded = plans.load(engine::stream_of<PlanWorkflow>(plan_id));
    if (!loaded) return loaded.status();
    if (!loaded->machine.phase())
      return Status::not_found("declaration_plan.not_found", "no such declaration plan");
    return loaded->machine.data();
  }

  PlanView plan_view(const PlanState& p, std::uint64_t version) const {
    return plan_view_of(p, version, std::string(plan_status(p, clock.now())));
  }

  // The declaration as the command left it (or as it is, when nothing changed).
  Result<DeclarationView> after(const std::string& id, const Result<engine::Outcome>& outcome) {
    if (!outcome) return outcome.status();
    auto loaded = declarations.load(engine::stream_of<Workflow>(id));
    if (!loaded) return loaded.status();
    return view_of(loaded->machine, loaded->version);
  }

  // Loads a declaration for a command, with its plan (submission needs the window).
  Result<engine::Engine<Workflow>::Loaded> load(const std::string& id) {
    if (!plain_id(id))
      return Status::not_found("declaration.not_found", "no such declaration");
    return declarations.load(engine::stream_of<Workflow>(id));
  }

};

DeclarationService::DeclarationService(EventStore& store, const Clock& clock, Notifier notify)
    : impl_(std::make_unique<Impl>(store, clock, std::move(notify))) {}
DeclarationService::~DeclarationService() = default;

Result<PlanView> DeclarationService::publish_plan(const Caller& request, const PlanInput& input) {
  const std::string id = util::random_id();
  const std::string stream = engine::stream_of<PlanWorkflow>(id);
  auto outcome = impl_->plans.execute(
      stream, engine::CommandMeta::of(request, id),
      [&](const PlanMachine& m, std::uint64_t, Timestamp now) {
        return decide_publish(m, id, input, Context{request.actor, now});
      });
  if (!outcome) return outcome.status();
  const std::string plan_id = outcome->replayed ? outcome->outcome : id;
  auto plan = impl_->load_plan(plan_id);
  if (!plan) return plan.status();
  return impl_->plan_view(*plan, outcome->version);
}

Result<PlanView> DeclarationService::plan(const Actor& actor, const std::string& plan_id) {
  if (!plain_id(plan_id))
    return Status::not_found("declaration_plan.not_found", "no such declaration plan");
  auto loaded = impl_->plans.load(engine::stream_of<PlanWorkflow>(plan_id));
  if (!loaded) return loaded.status();
  const auto& p = loaded->machine.data();
  const bool visible = loaded->machine.phase() && sees_plan(actor, p.province_code);
  if (!visible) return Status::not_found("declaration_plan.not_found", "no such declaration plan");
  return impl_->plan_view(p, loaded->version);
}

Result<std::vector<PlanView>> DeclarationService::plans(const Actor& actor) {
  if (actor.role != "province" && !institution_side(actor))
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
  const std::string province = institution_side(actor)
                                   ? impl_->facts_of(actor.institution_id, actor).province_code
                                   : actor.province_code;
  if (province.empty()) return std::vector<PlanView>{};
  auto rows = impl_->store.read_model_scan(kPlans, "p/" + province + "/");
  if (!rows) return rows.status();
  std::vector<PlanView> out;
  for (const auto& [key, value] : *rows) {
    auto p = plan_from_json(nlohmann::json::parse(value, nullptr, false));
    p.status = [&] {
      PlanState s;
      s.starts_at = p.starts_at;
      s.ends_at = p.ends_at;
      return std::string(plan_status(s, impl_->clock.now()));
    }();
    out.push_back(std::move(p));
  }
  return out;
}

Result<DeclarationView> DeclarationService::create(const Caller& request,
                                                   const DeclarationInput& input, bool submit) {
  if (auto s = engine::authorize(request.actor, {"leader", "staff"}); !s) return s;
  auto plan = impl_->load_plan(input.plan_id);
  if (!plan) return plan.status();
  Facts facts = impl_->facts_of(request.actor.institution_id, request.actor);
  impl_->check_references(facts, request.actor, &input.certificate_id, input.file_ids);
  const std::string id = util::random_id();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), engine::CommandMeta::of(request, id),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_create(m, *plan, id, input, submit, Context{request.actor, now}, facts);
      });
  if (!outcome) return outcome.status();
  return impl_->after(outcome->replayed ? outcome->outcome : id, outcome);
}

Result<DeclarationView> DeclarationService::edit(const Caller& request, const std::string& id,
                                                 const DeclarationInput& input) {
  if (auto s = impl_->load(id); !s) return s.status();
  Facts facts;
  impl_->check_references(facts, request.actor, nullptr, input.file_ids);
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), engine::CommandMeta::of(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_edit(m, input, Context{request.actor, now}, facts);
      });
  return impl_->after(id, outcome);
}

Status DeclarationService::remove(const Caller& request, const std::string& id) {
  if (auto s = impl_->load(id); !s) return s.status();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), engine::CommandMeta::of(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_delete(m, Context{request.actor, now});
      });
  return outcome.status();
}

Result<DeclarationView> DeclarationService::submit(const Caller& request, const std::string& id) {
  auto loaded = impl_->load(id);
  if (!loaded) return loaded.status();
  if (auto s = check_visible(loaded->machine, request.actor); !s) return s;
  auto plan = impl_->load_plan(loaded->machine.data().plan_id);
  if (!plan) return plan.status();
  const Facts facts = impl_->facts_of(loaded->machine.data().institution_id, request.actor);
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), engine::CommandMeta::of(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_submit(m, *plan, Context{request.actor, now}, facts);
      });
  return impl_->after(id, outcome);
}

Result<DeclarationView> DeclarationService::city_review(const Caller& request,
                                                        const std::string& id, bool approve,
                                                        const std::string& reason) {
  if (auto s = impl_->load(id); !s) return s.status();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), engine::CommandMeta::of(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_city_review(m, approve, reason, Context{request.actor, now});
      });
  if (outcome && outcome->appended > 0) impl_->notify_decision(id);
  return impl_->after(id, outcome);
}

Result<DeclarationView> DeclarationService::province_review(const Caller& request,
                                                            const std::string& id, bool approve,
                                                            std::optional<int> approved_trainees,
                                                            const std::string& reason) {
  if (auto s = impl_->load(id); !s) return s.status();
  State decided;  // the declaration as decided on, for the quota it grants
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), engine::CommandMeta::of(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        decided = m.data();
        return decide_province_review(m, approve, approved_trainees, reason,
                                      Context{request.actor, now});
      },
      [&](const Decision& d, Timestamp) -> Result<std::vector<StreamAppend>> {
        std::vector<StreamAppend> extra;
        for (const auto& e : d.events) {
          const auto* approved = std::get_if<Approved>(&e);
          if (!approved) continue;
          const std::string quota_id =
              quota::quota_id(decided.institution_id, decided.certificate_id, decided.year);
          auto staged = impl_->quotas.stage(
              engine::stream_of<quota::Workflow>(quota_id),
              {quota::Granted{decided.institution_id, decided.province_code,
                              decided.certificate_id, decided.year, approved->approved_trainees,
                              decided.id}});
          if (!staged) return staged.status();
          extra.push_back(std::move(*staged));
        }
        return extra;
      });
  if (outcome && outcome->appended > 0) impl_->notify_decision(id);
  return impl_->after(id, outcome);
}

Result<DeclarationView> DeclarationService::get(const Actor& actor, const std::string& id) {
  auto loaded = impl_->load(id);
  if (!loaded) return loaded.status();
  if (auto s = check_visible(loaded->machine, actor); !s) return s;
  auto v = view_of(loaded->machine, loaded->version);
  auto events = impl_->store.read_stream(v.stream, 1);
  if (!events) return events.status();
  for (const auto& e : *events)
    if (e.version <= loaded->version)
      v.history.push_back({e.version, e.type, e.recorded_at, e.actor_role});
  return v;
}

Result<DeclarationPage> DeclarationService::list(const Actor& actor, const DeclarationQuery& q) {
  static const std::vector<std::string> statuses = {"", "all", "draft", "pending", "approved",
                                                    "rejected"};
  if (std::find(statuses.begin(), statuses.end(), q.status) == statuses.end())
    return Status::unprocessable("validation.failed", "unknown status filter",
                                 {{"status", "invalid",
                                   "all, draft, pending, approved or rejected"}});
  std::string_view model;
  std::string prefix;
  if (institution_side(actor)) {
    model = kDeclarations, prefix = "i/" + actor.institution_id + "/";
  } else if (actor.role == "city" && !actor.city_code.empty()) {
    model = kRegions, prefix = "c/" + actor.city_code + "/";
  } else if (actor.role == "province" && !actor.province_code.empty()) {
    model = kRegions, prefix = "p/" + actor.province_code + "/";
  } else {
    return Status::forbidden("auth.forbidden", "the role " + actor.role + " may not do this");
  }
  auto index = impl_->store.read_model_scan(model, prefix);
  if (!index) return index.status();
  DeclarationPage page;
  std::vector<DeclarationView> matched;
  for (auto it = index->rbegin(); it != index->rend(); ++it) {  // newest first
    auto row = impl_->store.read_model_get(kDeclarations, "d/" + it->second);
    if (!row) return row.status();
    if (!*row) continue;
    auto v = view_from_json(nlohmann::json::parse(**row, nullptr, false));
    if (!sees(actor, seen(v))) continue;
    if ((!q.plan_id.empty() && v.plan_id != q.plan_id) ||
        (!q.institution_id.empty() && v.institution_id != q.institution_id) ||
        (!q.certificate_id.empty() && v.certificate_id != q.certificate_id) ||
        (q.year != 0 && v.year != q.year))
      continue;
    const bool pending = v.status == "city_review" || v.status == "province_review";
    count(page.counts, v.status);
    const bool wanted = q.status.empty() || q.status == "all" || q.status == v.status ||
                        (q.status == "pending" && pending);
    if (wanted) matched.push_back(std::move(v));
  }
  auto one = page_of(std::move(matched), {q.page, q.page_size});
  page.items = std::move(one.items);
  page.total = one.total;
  return page;
}

Result<DeclarationList> DeclarationService::list_by_institution(const Actor& actor,
                                                                const std::string& institution_id) {
  const bool own = institution_side(actor) && actor.institution_id == institution_id;
  const bool reviewer = actor.role == "city" || actor.role == "province" || actor.role == "auditor";
  if ((!own && !reviewer) || !plain_id(institution_id))
    return Status::not_found("institution.not_found", "no such institution");
  auto index = impl_->store.read_model_scan(kDeclarations, "i/" + institution_id + "/");
  if (!index) return index.status();
  DeclarationList list;
  for (const auto& [key, id] : *index) {
    auto row = impl_->store.read_model_get(kDeclarations, "d/" + id);
    if (!row) return row.status();
    if (!*row) continue;
    auto v = view_from_json(nlohmann::json::parse(**row, nullptr, false));
    if (!sees(actor, seen(v))) continue;
    count(list.counts, v.status);
    list.items.push_back(std::move(v));
  }
  return list;
}

Result<QuotaView> DeclarationService::quota(const Actor& actor, const std::string& institution_id,
                                            const std::string& certificate_id, int year) {
  return quota::read(impl_->store, actor, institution_id, certificate_id, year);
}

Result<QuotaPage> DeclarationService::quotas(const Actor& actor, const QuotaQuery& query) {
  return quota::list(impl_->store, actor, query);
}

Result<QuotaView> DeclarationService::adjust_quota(const Caller& request,
                                                   const std::string& institution_id,
                                                   const std::string& certificate_id, int year,
                                                   int approved_trainees,
                                                   const std::string& reason) {
  return quota::adjust(impl_->quotas, request, institution_id, certificate_id, year,
                       approved_trainees, reason);
}

}  // namespace onex
