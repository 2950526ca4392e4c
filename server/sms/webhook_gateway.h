// The SMS gateway for a real provider: POSTs each message as JSON to a configured URL
// (`onex serve --sms-gateway webhook:URL`).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "onex/sms_gateway.h"
#include "onex/status.h"

namespace onex {

// Whether `url` can be used by make_webhook_gateway: ok for `https://host[:port][/path][?query]`
// (host a name, an IPv4 address or a bracketed IPv6 address), and for http:// to this machine
// only (127.0.0.1, ::1, localhost: a local proxy); `sms.webhook_insecure` (bad_request) for
// http:// to anywhere else (messages carry codes and initial passwords), and
// `sms.webhook_invalid_url` (bad_request) for anything else. Call it at startup.
Status check_webhook_url(std::string_view url);

// POSTs {"at","phone","purpose","code","text"} (the outbox's line, `at` RFC 3339 UTC) with
// Content-Type application/json to `url`, one connection per message (HTTP/1.1,
// Connection: close). A 2xx answer is success; any other answer, a connection failure or no
// answer within `timeout` (the whole exchange: resolve, connect, send, receive) fails with
// `sms.delivery_failed` (io_error). send() blocks the calling thread until then. With a URL
// that check_webhook_url refuses, every send fails with that status. Over https the
// provider's certificate must chain to `ca_file` (PEM) or, when it is empty, to the system's
// trust store, and name the URL's host (TLS 1.2 or later, SNI sent).
std::unique_ptr<SmsGateway> make_webhook_gateway(
    std::string url, std::chrono::seconds timeout = std::chrono::seconds{5},
    std::string ca_file = {});

}  // namespace onex
