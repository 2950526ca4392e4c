// What a pure decide yielded, as words for CHECKs: the event types without their kind
// ("login_failed locked"), "nothing", or "refused <code>".
#pragma once

#include <string>

#include "engine/codec.h"
#include "onex/status.h"

namespace onex::testing {

template <class D>
std::string shown(const Result<D>& d) {
  if (!d) return "refused " + d.status().code();
  std::string out;
  for (const auto& e : d->events) {
    if (!out.empty()) out += ' ';
    const auto type = engine::event_type(e);
    out += std::string(type.substr(type.find('.') + 1));
  }
  return out.empty() ? "nothing" : out;
}

}  // namespace onex::testing
