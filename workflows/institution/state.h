// What an institution knows after replaying its events, and its machine (table: machine.cpp).
#pragma once

#include <optional>
#include <string_view>

#include "engine/machine.h"
#include "institution/events.h"

namespace onex::institution {

enum class Phase { none, registered };

std::string_view phase_name(Phase p);

struct Profile {
  std::string kind, credit_code, website, district, address;
  Contact contact;
  bool operator==(const Profile&) const = default;
};

struct Seal {
  std::string file_id, sha256, principal_name, principal_title, agreement_accepted_at;
};

struct State {
  std::string id, code, name, province_code, city_code, institution_type, registered_by;
  std::string leader_account_id, leader_account;  // empty while it has no leader
  std::optional<Profile> profile;
  std::optional<Seal> seal;

  void apply(const Registered& e);
  void apply(const LeaderAssigned& e) {
    leader_account_id = e.account_id;
    leader_account = e.account;
  }
  void apply(const ProfileUpdated& e);
  void apply(const SealSet& e) {
    seal = Seal{e.file_id, e.sha256, e.principal_name, e.principal_title, e.agreement_accepted_at};
  }
  void apply(const LeaderReset&) {}
};

struct Traits {
  using Event = institution::Event;
  using Data = State;
  using Phase = institution::Phase;
  static std::string_view name(Phase p) { return phase_name(p); }
  struct Back;
};
using Machine = engine::Machine<Traits>;

}  // namespace onex::institution
