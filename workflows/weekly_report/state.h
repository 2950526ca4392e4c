// What weekly-report settings and reports know after their events, their machines, and the
// workflows as the engine sees them.
#pragma once

#include <string_view>

#include "engine/codec.h"
#include "engine/machine.h"
#include "onex/event.h"
#include "onex/status.h"
#include "weekly_report/events.h"

namespace onex::weekly_report {

struct SettingsState {
  std::string province_code, cadence, outline_file_id;
  void apply(const SettingsSet& e) {
    province_code = e.province_code;
    cadence = e.cadence;
    outline_file_id = e.outline_file_id;
  }
};

enum class SettingsPhase { none, configured };

struct SettingsTraits {
  using Event = SettingsEvent;
  using Data = SettingsState;
  using Phase = SettingsPhase;
  static std::string_view name(Phase p) { return p == Phase::configured ? "configured" : "none"; }
  struct Back;
};
using SettingsMachine = engine::Machine<SettingsTraits>;

struct SettingsWorkflow : engine::Codec<SettingsEvent> {
  static constexpr std::string_view kind = "weekly_report_settings";
  using Event = SettingsEvent;
  using Machine = SettingsMachine;
};

struct State {
  Submitted report;
  void apply(const Submitted& e) { report = e; }
};

enum class Phase { none, submitted };

struct Traits {
  using Event = weekly_report::Event;
  using Data = State;
  using Phase = weekly_report::Phase;
  static std::string_view name(Phase p) { return p == Phase::submitted ? "submitted" : "none"; }
  struct Back;
};
using Machine = engine::Machine<Traits>;

struct Workflow : engine::Codec<weekly_report::Event> {
  static constexpr std::string_view kind = "weekly_report";
  using Event = weekly_report::Event;
  using Machine = weekly_report::Machine;
};

}  // namespace onex::weekly_report
