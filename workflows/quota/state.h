// What a quota knows, and its machine.
#pragma once

#include <memory>
#include <string_view>

#include "onex/declaration.h"
#include "onex/event.h"
#include "engine/machine.h"
#include "onex/status.h"
#include "quota/events.h"

namespace onex::quota {

struct State {
  std::string institution_id, province_code, certificate_id;
  int year = 0;
  int approved_trainees = 0;
  int used = 0;
  void apply(const Granted& e);
  void apply(const Adjusted& e);
};

enum class Phase { none, open };

struct Traits {
  using Event = quota::Event;
  using Data = State;
  using Phase = quota::Phase;
  static std::string_view name(Phase p) { return p == Phase::open ? "open" : "none"; }
  struct Back;
};
using Machine = engine::Machine<Traits>;

// The workflow as the engine sees it.
struct Workflow {
  static constexpr std::string_view kind = "quota";
  using Event = quota::Event;
  using Machine = quota::Machine;
  static Result<Event> decode(const RecordedEvent& e);
  static NewEvent encode(const Event& e);
  static QuotaView view(const Machine& m, std::uint64_t version);  // service.cpp
};

}  // namespace onex::quota
