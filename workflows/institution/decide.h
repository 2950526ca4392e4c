// The rules of institutions (SPEC.md §4) as pure functions: state + command → events or a
// refusal. Registry and file lookups are done by the caller and passed in.
#pragma once

#include "common/lookups.h"
#include "engine/codec.h"
#include "engine/command.h"
#include "institution/state.h"
#include "onex/institutions.h"

namespace onex::institution {

struct Workflow : engine::Codec<institution::Event> {
  static constexpr std::string_view kind = "institution";
  using Event = institution::Event;
  using Machine = institution::Machine;
};

using Decision = engine::Decision<Workflow>;
using Context = engine::Context;

// The leader's commands on the institution's page.
struct EditProfile {
  std::string id;
  InstitutionProfile profile;
};
struct SetSeal {
  std::string id;
  SealInput seal;
};
// The seal's image as looked up: a seal file the leader uploaded, or why it is not one.
struct SealFacts {
  std::optional<lookup::FileRef> file{};
  std::vector<FieldError> file_errors{};
  Status refused{};
};

Status not_found();

using lookup::leader_key;

// The events that give a registry institution its leader: registered (when the record does not
// exist yet) and leader assigned. institution.leader_exists (or, for a self-registration,
// institution.already_registered) when it has one.
Result<std::vector<Event>> decide_leader(const Machine& m, const lookup::RegistryEntry& entry,
                                         const std::string& account_id, const std::string& account,
                                         const std::string& by);

// The province reset the leader's binding or password: no event when the account is not the
// institution's leader (or there is no institution record).
std::vector<Event> decide_leader_reset(const Machine& m, const std::string& account_id,
                                       const std::string& what);

// THE rule of who sees an institution: its own accounts, its province, its city, the operator
// and auditors. Its seal (image and principal) only its leader and auditors.
bool sees_institution(const Actor& actor, std::string_view id, std::string_view province_code,
                      std::string_view city_code);
bool sees_seal(const Actor& actor, std::string_view id);
Status check_visible(const Machine& m, const Actor& actor);  // sees_institution on the machine
// Its leader only: staff of the institution auth.forbidden, anyone else not_found.
Status check_leader(const Machine& m, const Actor& actor);

bool profile_complete(const Profile& p);

Result<Decision> decide_profile(const Machine& m, const EditProfile& in, const Context& ctx);
// The principal's name and title (1 to 100 bytes, no control characters), the accepted
// agreement and a usable seal file.
Result<Decision> decide_seal(const Machine& m, const SetSeal& in, const Context& ctx,
                             const SealFacts& facts);

}  // namespace onex::institution
