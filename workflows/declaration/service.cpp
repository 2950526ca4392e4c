// DeclarationService: commands through the engine, queries from machines and read models.
#include <nlohmann/json.hpp>

#include "declaration/decide.h"
#include "declaration/projection.h"
#include "quota/projection.h"
#include "quota/state.h"
#include "util/hash.h"

namespace onex {

using namespace declaration;

struct DeclarationService::Impl {
  EventStore& store;
  const Clock& clock;
  engine::Engine<PlanWorkflow> plans;
  engine::Engine<Workflow> declarations;
  engine::Engine<quota::Workflow> quotas;

  Impl(EventStore& s, const Clock& c) : store(s), clock(c), plans(s, c), declarations(s, c), quotas(s, c) {}

  static engine::CommandMeta meta(const Request& r, std::string outcome = {}) {
    return {r.actor, r.command_id, r.correlation_id, {}, r.if_match, std::move(outcome)};
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
    return PlanView{p.id,           engine::stream_of<PlanWorkflow>(p.id), version,
                    p.province_code, p.year,       p.batch_name,  p.starts_at,
                    p.ends_at,       p.majors_required, p.city_review_required,
                    std::string(plan_status(p, clock.now()))};
  }

  static DeclarationView view(const Machine& m, std::uint64_t version) {
    const auto& s = m.data();
    return DeclarationView{s.id,
                           engine::stream_of<Workflow>(s.id),
                           version,
                           std::string(m.state_name()),
                           s.plan_id,
                           s.institution_id,
                           s.province_code,
                           s.city_code,
                           s.certificate_id,
                           s.year,
                           s.fields.majors,
                           s.fields.planned_trainees,
                           s.fields.teachers_html,
                           s.fields.venue_html,
                           s.fields.file_ids,
                           s.approved_trainees,
                           s.rejection_reason,
                           s.rejected_by};
  }

  // The declaration as the command left it (or as it is, when nothing changed).
  Result<DeclarationView> after(const std::string& id, const Result<engine::Outcome>& outcome) {
    if (!outcome) return outcome.status();
    auto loaded = declarations.load(engine::stream_of<Workflow>(id));
    if (!loaded) return loaded.status();
    return view(loaded->machine, loaded->version);
  }

  // Loads a declaration for a command, with its plan (submission needs the window).
  Result<engine::Engine<Workflow>::Loaded> load(const std::string& id) {
    if (!plain_id(id))
      return Status::not_found("declaration.not_found", "no such declaration");
    return declarations.load(engine::stream_of<Workflow>(id));
  }

};

DeclarationService::DeclarationService(EventStore& store, const Clock& clock)
    : impl_(std::make_unique<Impl>(store, clock)) {}
DeclarationService::~DeclarationService() = default;

Result<PlanView> DeclarationService::publish_plan(const Request& request, const PlanInput& input) {
  const std::string id = util::random_id();
  const std::string stream = engine::stream_of<PlanWorkflow>(id);
  auto outcome = impl_->plans.execute(
      stream, Impl::meta(request, id),
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
  auto loaded = impl_->plans.load(engine::stream_of<PlanWorkflow>(plan_id));
  if (!loaded) return loaded.status();
  const auto& p = loaded->machine.data();
  const bool visible = loaded->machine.phase() &&
                       (actor.role == "operator" || actor.role == "auditor" ||
                        (!actor.province_code.empty() && actor.province_code == p.province_code));
  if (!visible) return Status::not_found("declaration_plan.not_found", "no such declaration plan");
  return impl_->plan_view(p, loaded->version);
}

Result<std::vector<PlanView>> DeclarationService::plans(const Actor& actor) {
  if (actor.province_code.empty()) return std::vector<PlanView>{};
  auto rows = impl_->store.read_model_scan(kPlans, "p/" + actor.province_code + "/");
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

Result<DeclarationView> DeclarationService::create(const Request& request,
                                                   const DeclarationInput& input, bool submit) {
  auto plan = impl_->load_plan(input.plan_id);
  if (!plan) return plan.status();
  const std::string id = util::random_id();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), Impl::meta(request, id),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_create(m, *plan, id, input, submit, Context{request.actor, now});
      });
  if (!outcome) return outcome.status();
  return impl_->after(outcome->replayed ? outcome->outcome : id, outcome);
}

Result<DeclarationView> DeclarationService::edit(const Request& request, const std::string& id,
                                                 const DeclarationInput& input) {
  if (auto s = impl_->load(id); !s) return s.status();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), Impl::meta(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_edit(m, input, Context{request.actor, now});
      });
  return impl_->after(id, outcome);
}

Status DeclarationService::remove(const Request& request, const std::string& id) {
  if (auto s = impl_->load(id); !s) return s.status();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), Impl::meta(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_delete(m, Context{request.actor, now});
      });
  return outcome.status();
}

Result<DeclarationView> DeclarationService::submit(const Request& request, const std::string& id) {
  auto loaded = impl_->load(id);
  if (!loaded) return loaded.status();
  if (auto s = check_visible(loaded->machine, request.actor); !s) return s;
  auto plan = impl_->load_plan(loaded->machine.data().plan_id);
  if (!plan) return plan.status();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), Impl::meta(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_submit(m, *plan, Context{request.actor, now});
      });
  return impl_->after(id, outcome);
}

Result<DeclarationView> DeclarationService::city_review(const Request& request,
                                                        const std::string& id, bool approve,
                                                        const std::string& reason) {
  if (auto s = impl_->load(id); !s) return s.status();
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), Impl::meta(request),
      [&](const Machine& m, std::uint64_t, Timestamp now) {
        return decide_city_review(m, approve, reason, Context{request.actor, now});
      });
  return impl_->after(id, outcome);
}

Result<DeclarationView> DeclarationService::province_review(const Request& request,
                                                            const std::string& id, bool approve,
                                                            std::optional<int> approved_trainees,
                                                            const std::string& reason) {
  if (auto s = impl_->load(id); !s) return s.status();
  State decided;  // the declaration as decided on, for the quota it grants
  auto outcome = impl_->declarations.execute(
      engine::stream_of<Workflow>(id), Impl::meta(request),
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
  return impl_->after(id, outcome);
}

Result<DeclarationView> DeclarationService::get(const Actor& actor, const std::string& id) {
  auto loaded = impl_->load(id);
  if (!loaded) return loaded.status();
  if (auto s = check_visible(loaded->machine, actor); !s) return s;
  return Impl::view(loaded->machine, loaded->version);
}

Result<DeclarationList> DeclarationService::list_by_institution(const Actor& actor,
                                                                const std::string& institution_id) {
  const bool own = (actor.role == "leader" || actor.role == "staff") &&
                   actor.institution_id == institution_id;
  const bool reviewer = actor.role == "city" || actor.role == "province";
  const bool auditor = actor.role == "auditor" || actor.role == "operator";
  if ((!own && !reviewer && !auditor) || !plain_id(institution_id))
    return Status::not_found("institution.not_found", "no such institution");
  auto index = impl_->store.read_model_scan(kDeclarations, "i/" + institution_id + "/");
  if (!index) return index.status();
  DeclarationList list;
  for (const auto& [key, id] : *index) {
    auto row = impl_->store.read_model_get(kDeclarations, "d/" + id);
    if (!row) return row.status();
    if (!*row) continue;
    auto v = view_from_json(nlohmann::json::parse(**row, nullptr, false));
    if (reviewer) {
      const bool in_scope = actor.role == "city" ? v.city_code == actor.city_code
                                                 : v.province_code == actor.province_code;
      if (!in_scope || v.status == "draft") continue;
    }
    auto& c = list.counts;
    ++c.all;
    if (v.status == "draft") ++c.draft;
    else if (v.status == "city_review" || v.status == "province_review") ++c.pending;
    else if (v.status == "approved") ++c.approved;
    else if (v.status == "rejected") ++c.rejected;
    list.items.push_back(std::move(v));
  }
  return list;
}

Result<QuotaView> DeclarationService::quota(const Actor& actor, const std::string& institution_id,
                                            const std::string& certificate_id, int year) {
  if (!plain_id(institution_id) || !plain_id(certificate_id))
    return Status::not_found("quota.not_found", "no such quota");
  auto row = impl_->store.read_model_get(
      quota::kQuotas, "q/" + institution_id + "/" + certificate_id + "/" + std::to_string(year));
  if (!row) return row.status();
  QuotaView q{institution_id, certificate_id, year, 0, 0};
  std::string province;
  if (*row) {
    auto j = nlohmann::json::parse(**row, nullptr, false);
    q.approved_trainees = j.value("approved_trainees", 0);
    q.used = j.value("used", 0);
    province = j.value("province_code", "");
  }
  const bool own = (actor.role == "leader" || actor.role == "staff") &&
                   actor.institution_id == institution_id;
  const bool province_side = actor.role == "province" && !province.empty() &&
                             province == actor.province_code;
  if (!own && !province_side && actor.role != "auditor" && actor.role != "operator")
    return Status::not_found("quota.not_found", "no such quota");
  return q;
}

}  // namespace onex
