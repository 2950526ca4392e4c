#include "onex/projection.h"

#include "util/json.h"

namespace onex {

nlohmann::json* ReadModelTxn::find_json(std::string_view key) {
  auto text = get(key);
  if (!text) return nullptr;
  found_ = nlohmann::json::parse(*text, nullptr, false);
  return found_.is_discarded() ? nullptr : &found_;
}

void ReadModelTxn::put_json(std::string_view key, nlohmann::json value) {
  put(key, util::dump_json(value));
}

}  // namespace onex
