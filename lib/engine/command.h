// A command as one entry of its workflow's command table, and the one runner that carries every
// command out: id → load → facts → decide → machine check → stage → append → view.
//
// A workflow's commands are constants beside its decide:
//
//   const Command<Workflow, Impl, Review> city_review{
//       .id = [](const Review& in) { return in.id; },
//       .decide = decide_city_review,           // (machine, input, context) → Decision
//       .committed = notify_decision};          // after an append: the notices
//
// and each service method is one call: `return run(impl.declarations, impl, city_review,
// caller, Review{...})`. Generic over the workflow W and the service's state Env (what facts and
// staging read: the store, other engines); names no workflow.
#pragma once

#include <algorithm>
#include <type_traits>
#include <vector>

#include "engine/engine.h"
#include "util/hash.h"
#include "util/identifiers.h"

namespace onex::engine {

// What every decide gets besides the record and the command.
struct Context {
  const Actor& actor;
  Timestamp now;
  std::string_view id{};  // the record's id (for a creation, the new one)
};

// A command whose decide needs nothing from outside its record.
struct NoFacts {};

template <class W, class Env, class In, class Facts = NoFacts>
struct Command {
  using Machine = typename W::Machine;
  using Input = In;
  using DecideFn = std::conditional_t<
      std::is_same_v<Facts, NoFacts>,
      Result<Decision<W>> (*)(const Machine&, const In&, const Context&),
      Result<Decision<W>> (*)(const Machine&, const In&, const Context&, const Facts&)>;

  // Who may run it at all: 403 auth.forbidden for any other role, before anything is read.
  // Empty: decide says (a rule that depends on the record).
  std::vector<std::string_view> roles{};
  // Which record: the id the input names (anything but a plain id is `<kind>.not_found`).
  // Null: a new record under a fresh random id, which a replay of the command gives back.
  std::string (*id)(const In&) = nullptr;
  // What decide needs from outside the record (read models, other records), read once from the
  // record as it is before deciding. May refuse (a record the caller may not see: 404 first).
  Result<Facts> (*facts)(Env&, const Caller&, const In&, const Machine&) = nullptr;
  // The rule: pure, from the record, the input and the context to events or a refusal.
  DecideFn decide = nullptr;
  // Appends on other streams that commit with the record's in one append (the quota an
  // approval grants), from the record's stream, the record as decided on and the decision.
  Result<std::vector<StreamAppend>> (*stage)(Env&, const std::string& stream, const Machine&,
                                             const Decision<W>&) = nullptr;
  // After an append that added events (not on a replay, not when nothing changed): notices.
  void (*committed)(Env&, const std::string& id) = nullptr;
};

// The common `Command::id`: the record the input names by its `id` member.
template <class In>
std::string input_id(const In& in) {
  return in.id;
}

// What a command left: the record's id (the new one for a creation) and the record after it.
template <class W>
struct Ran {
  std::string id;
  Outcome outcome;
  typename Engine<W>::Loaded record;
};

// `<kind>.not_found`, "no such <kind with spaces>": what a record outside the caller's view is.
template <class W>
Status not_found() {
  std::string what(W::kind);
  for (auto& c : what)
    if (c == '_') c = ' ';
  return Status::not_found(std::string(W::kind) + ".not_found", "no such " + what);
}

// The record `id` names as it is now (shared; not to be modified): `<kind>.not_found` for an id
// that is not plain or names no record.
template <class W>
Result<std::shared_ptr<const typename Engine<W>::Loaded>> existing(Engine<W>& engine, const std::string& id) {
  if (!util::plain_id(id)) return not_found<W>();
  auto loaded = engine.current(stream_of<W>(id));
  if (!loaded) return loaded.status();
  if ((*loaded)->version == 0) return not_found<W>();
  return *loaded;
}

template <class W, class Env, class In, class Facts>
Result<Ran<W>> run_command(Engine<W>& engine, std::type_identity_t<Env>& env,
                           const Command<W, Env, In, Facts>& command, const Caller& caller,
                           const std::type_identity_t<In>& in) {
  using Machine = typename W::Machine;
  if (!command.roles.empty()) {
    const auto& roles = command.roles;
    if (std::find(roles.begin(), roles.end(), caller.actor.role) == roles.end())
      return Status::forbidden("auth.forbidden", "the role " + caller.actor.role + " may not do this");
  }
  const bool creates = command.id == nullptr;
  const std::string id = creates ? util::random_id() : command.id(in);
  if (!util::plain_id(id)) return not_found<W>();
  const std::string stream = stream_of<W>(id);
  Facts facts{};
  if (command.facts) {
    auto loaded = engine.load(stream);
    if (!loaded) return loaded.status();
    auto found = command.facts(env, caller, in, loaded->machine);
    if (!found) return found.status();
    facts = std::move(*found);
  }
  Machine before;  // the record as decided on, for staging
  auto outcome = engine.execute(
      stream, CommandMeta::of(caller, creates ? id : std::string()),
      [&](const Machine& m, std::uint64_t, Timestamp now) -> Result<Decision<W>> {
        before = m;
        const Context context{caller.actor, now, id};
        if constexpr (std::is_same_v<Facts, NoFacts>)
          return command.decide(m, in, context);
        else
          return command.decide(m, in, context, facts);
      },
      [&](const Decision<W>& d, Timestamp) -> Result<std::vector<StreamAppend>> {
        if (!command.stage) return std::vector<StreamAppend>{};
        return command.stage(env, stream, before, d);
      });
  if (!outcome) return outcome.status();
  const std::string record = creates && outcome->replayed ? outcome->outcome : id;
  if (command.committed && outcome->appended > 0) command.committed(env, record);
  auto after = engine.load(stream_of<W>(record));
  if (!after) return after.status();
  return Ran<W>{record, *outcome, std::move(*after)};
}

// As run_command, answering the record's view: W::view(machine, version).
template <class W, class Env, class In, class Facts>
auto run(Engine<W>& engine, std::type_identity_t<Env>& env,
         const Command<W, Env, In, Facts>& command, const Caller& caller,
         const std::type_identity_t<In>& in)
    -> Result<decltype(W::view(std::declval<const typename W::Machine&>(), std::uint64_t{}))> {
  auto ran = run_command(engine, env, command, caller, in);
  if (!ran) return ran.status();
  return W::view(ran->record.machine, ran->record.version);
}

// What a batch left (run_batch): each input's record id (a new one for a creation) and the
// outcome, whose refusals are by input index.
struct BatchRan {
  std::vector<std::string> ids;
  BatchOutcome outcome;
};

// One command over many inputs as one append, all or none (an import's rows): each input's
// record is found, its facts read and its decide run as run_command does; every refusal is
// collected (by input index) and, when there is any, nothing is appended.
template <class W, class Env, class In, class Facts>
Result<BatchRan> run_batch(Engine<W>& engine, std::type_identity_t<Env>& env,
                           const Command<W, Env, In, Facts>& command, const Caller& caller,
                           const std::vector<In>& inputs, std::string outcome = {}) {
  using Machine = typename W::Machine;
  if (!command.roles.empty()) {
    const auto& roles = command.roles;
    if (std::find(roles.begin(), roles.end(), caller.actor.role) == roles.end())
      return Status::forbidden("auth.forbidden", "the role " + caller.actor.role + " may not do this");
  }
  BatchRan ran;
  std::vector<BatchOutcome::Refusal> early;
  std::vector<std::size_t> kept;  // the inputs that reach decide, by their batch index
  std::vector<std::string> streams;
  std::vector<Facts> facts;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    ran.ids.push_back(command.id == nullptr ? util::random_id() : command.id(inputs[i]));
    if (!util::plain_id(ran.ids.back())) {
      early.push_back({i, not_found<W>()});
      continue;
    }
    std::string stream = stream_of<W>(ran.ids.back());
    Facts found{};
    if (command.facts) {
      auto loaded = engine.load(stream);
      if (!loaded) return loaded.status();
      auto f = command.facts(env, caller, inputs[i], loaded->machine);
      if (!f) {
        early.push_back({i, f.status()});
        continue;
      }
      found = std::move(*f);
    }
    kept.push_back(i);
    streams.push_back(std::move(stream));
    facts.push_back(std::move(found));
  }
  auto out = engine.execute_batch(
      streams, CommandMeta::of(caller, std::move(outcome)),
      [&](std::size_t k, const Machine& m, std::uint64_t, Timestamp now) -> Result<Decision<W>> {
        const Context context{caller.actor, now, ran.ids[kept[k]]};
        if constexpr (std::is_same_v<Facts, NoFacts>)
          return command.decide(m, inputs[kept[k]], context);
        else
          return command.decide(m, inputs[kept[k]], context, facts[k]);
      },
      early.empty());
  if (!out) return out.status();
  for (auto& r : out->refusals) {
    r.index = kept[r.index];
    if (r.same_as) r.same_as = kept[*r.same_as];
  }
  for (auto& r : early) out->refusals.push_back(std::move(r));
  std::sort(out->refusals.begin(), out->refusals.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  ran.outcome = std::move(*out);
  return ran;
}

}  // namespace onex::engine
