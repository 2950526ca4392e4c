// Where SMS messages go (SPEC §2): an interface, a development outbox and, in the server, a
// webhook for a real SMS provider.
#pragma once

#include <memory>
#include <string>

#include "onex/clock.h"
#include "onex/status.h"

namespace onex {

// One text message. `code` is the one-time code it carries ("" when none), kept apart from the
// text so tests and demos can read it; `purpose` names what the code is for ("login",
// "bind_phone", "change_phone", "step_up", "password_reset", "registration", ...).
struct SmsMessage {
  Timestamp at;
  std::string phone, purpose, code, text;
};

// Sends SMS messages. Implementations must be thread-safe; send may block (network).
class SmsGateway {
 public:
  virtual ~SmsGateway();
  // Fails with `sms.delivery_failed` (io_error) when the message could not be handed over.
  virtual Status send(const SmsMessage& message) = 0;
};

// The development and demo gateway: appends one JSON line per message,
// {"at","phone","purpose","code","text"} (`at` as RFC 3339 UTC), to the file at `path`
// (normally `<data-dir>/sms-outbox.jsonl`), creating it with mode 0600 and putting an existing
// file back to 0600. Each line is one write(), so lines from concurrent sends never mix.
std::unique_ptr<SmsGateway> make_outbox_gateway(std::string path);

}  // namespace onex
