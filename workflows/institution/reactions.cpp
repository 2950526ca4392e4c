// What institution records do when accounts change: a new leader account names the
// institution's leader (the record is created with it when it does not exist), and the
// province's resets of a leader stay in the institution's history. In the account's append.
#include "common/reactions.h"
#include "institution/decide.h"
#include "util/identifiers.h"

namespace onex::institution {
namespace {

Result<std::vector<StreamAppend>> staged(engine::Engine<Workflow>& institutions,
                                         const std::string& stream,
                                         const std::vector<Event>& events) {
  std::vector<StreamAppend> out;
  if (events.empty()) return out;
  auto s = institutions.stage(stream, events);
  if (!s) return s.status();
  out.push_back(std::move(*s));
  return out;
}

// account.created of a leader: by the province that issued it, or by the institution's own
// registration (no issuer).
Result<std::vector<StreamAppend>> on_account_created(EventStore& store, const Clock& clock,
                                                     const std::string&, const NewEvent& event) {
  const auto& c = event.data;
  if (c.value("role", "") != "leader") return std::vector<StreamAppend>{};
  auto entry = lookup::registry_entry(store, c.value("institution_id", ""));
  if (!entry) return std::vector<StreamAppend>{};
  const std::string stream = engine::stream_of<Workflow>(entry->code);
  engine::Engine<Workflow> institutions(store, clock);
  auto loaded = institutions.load(stream);
  if (!loaded) return loaded.status();
  auto events = decide_leader(loaded->machine, *entry, c.value("account_id", ""),
                              c.value("account", ""),
                              c.value("issued_by", "").empty() ? "self" : "province");
  if (!events) return events.status();
  return staged(institutions, stream, *events);
}

// A manager's reset of a leader's password or binding.
Result<std::vector<StreamAppend>> on_leader_reset(EventStore& store, const Clock& clock,
                                                  const std::string& account_stream,
                                                  const NewEvent& event) {
  if (event.type == "account.password_reset" && event.data.value("by", "") != "manager")
    return std::vector<StreamAppend>{};
  const auto created = reactions::first_event(store, account_stream);
  const std::string institution_id = created.is_object() ? created.value("institution_id", "") : "";
  if (!created.is_object() || created.value("role", "") != "leader" ||
      !util::valid_institution_code(institution_id))
    return std::vector<StreamAppend>{};
  const std::string stream = engine::stream_of<Workflow>(institution_id);
  engine::Engine<Workflow> institutions(store, clock);
  auto loaded = institutions.load(stream);
  if (!loaded) return loaded.status();
  return staged(institutions, stream,
                decide_leader_reset(loaded->machine, created.value("account_id", ""),
                                    event.type == "account.binding_reset" ? "binding" : "password"));
}

}  // namespace

std::vector<Reaction> reactions() {
  return {{"account.created", on_account_created},
          {"account.password_reset", on_leader_reset},
          {"account.binding_reset", on_leader_reset}};
}

}  // namespace onex::institution
