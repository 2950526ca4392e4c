// What each reference record knows after replaying its events, its machine, and the workflow
// as the engine sees it. The transition tables are in the *_machine.cpp files, one per
// translation unit.
#pragma once

#include <string>
#include <string_view>

#include "engine/codec.h"
#include "engine/machine.h"
#include "onex/event.h"
#include "onex/status.h"
#include "reference/events.h"

namespace onex::reference {

// ---- registry imports ----

struct RegistryState {
  std::string import_id;
  std::size_t rows = 0;
  int chunks = 0;  // the next chunk must be number `chunks`
  void apply(const RowsImported& e) {
    import_id = e.import_id;
    rows += e.rows.size();
    ++chunks;
  }
};

struct RegistryTraits {
  using Event = RegistryEvent;
  using Data = RegistryState;
  using Phase = bool;  // imported
  static std::string_view name(bool imported) { return imported ? "imported" : "none"; }
  struct Back;
};
using RegistryMachine = engine::Machine<RegistryTraits>;

struct RegistryWorkflow : engine::Codec<RegistryEvent> {
  static constexpr std::string_view kind = "registry";
  using Event = RegistryEvent;
  using Machine = RegistryMachine;
};

// ---- orgs ----

struct OrgState {
  OrgCreated org;
  void apply(const OrgCreated& e) { org = e; }
};

struct OrgTraits {
  using Event = OrgEvent;
  using Data = OrgState;
  using Phase = bool;  // created
  static std::string_view name(bool created) { return created ? "active" : "none"; }
  struct Back;
};
using OrgMachine = engine::Machine<OrgTraits>;

struct OrgWorkflow : engine::Codec<OrgEvent> {
  static constexpr std::string_view kind = "org";
  using Event = OrgEvent;
  using Machine = OrgMachine;
};

// ---- certificates ----

struct CertificateState {
  CertificateCreated certificate;
  void apply(const CertificateCreated& e) { certificate = e; }
};

struct CertificateTraits {
  using Event = CertificateEvent;
  using Data = CertificateState;
  using Phase = bool;  // created
  static std::string_view name(bool created) { return created ? "active" : "none"; }
  struct Back;
};
using CertificateMachine = engine::Machine<CertificateTraits>;

struct CertificateWorkflow : engine::Codec<CertificateEvent> {
  static constexpr std::string_view kind = "certificate";
  using Event = CertificateEvent;
  using Machine = CertificateMachine;
};

// ---- standards ----

enum class StandardPhase { none, enabled, disabled };

struct StandardState {
  std::string id, org_id;
  StandardFields fields;
  void apply(const StandardPublished& e) {
    id = e.standard_id;
    org_id = e.org_id;
    fields = e.fields;
  }
  void apply(const StandardRevised& e) { fields = e.fields; }
};

struct StandardTraits {
  using Event = StandardEvent;
  using Data = StandardState;
  using Phase = StandardPhase;
  static std::string_view name(StandardPhase p) {
    return p == StandardPhase::enabled ? "enabled" : p == StandardPhase::disabled ? "disabled" : "none";
  }
  struct Back;
};
using StandardMachine = engine::Machine<StandardTraits>;

struct StandardWorkflow : engine::Codec<StandardEvent> {
  static constexpr std::string_view kind = "standard";
  using Event = StandardEvent;
  using Machine = StandardMachine;
};

}  // namespace onex::reference
