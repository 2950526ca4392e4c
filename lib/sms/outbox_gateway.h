// Reading the SMS outbox back, for tests and demos (the writer is onex::make_outbox_gateway in
// onex/sms_gateway.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace onex {

// Every message in the outbox at `path`, oldest first. A missing file gives none; a line that
// is not JSON (a torn tail after a crash) is skipped.
std::vector<nlohmann::json> read_outbox(const std::string& path);

// The code of the newest message to `phone` for `purpose`, if any.
std::optional<std::string> last_code(const std::string& path, const std::string& phone,
                                     const std::string& purpose);

}  // namespace onex
