// What a file record knows, and its machine: a file is uploaded once and never changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/machine.h"
#include "file/events.h"
#include "onex/event.h"
#include "onex/files.h"
#include "onex/status.h"

namespace onex::file {

struct State {
  Uploaded uploaded;
  void apply(const Uploaded& e) { uploaded = e; }
};

enum class Phase { none, stored };

struct Traits {
  using Event = file::Event;
  using Data = State;
  using Phase = file::Phase;
  static std::string_view name(Phase p) { return p == Phase::stored ? "stored" : "none"; }
  struct Back;
};
using Machine = engine::Machine<Traits>;

// The workflow as the engine sees it.
struct Workflow {
  static constexpr std::string_view kind = "file";
  using Event = file::Event;
  using Machine = file::Machine;
  static Result<Event> decode(const RecordedEvent& e);
  static NewEvent encode(const Event& e);
  static FileView view(const Machine& m, std::uint64_t version);  // decide.cpp
};

}  // namespace onex::file
