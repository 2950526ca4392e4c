// The REST application: a store, its services and the route table, wired for `onex serve` and
// for the server tests (which pass their own clock).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/server.h"
#include "onex/accounts.h"
#include "onex/event_store.h"

namespace onex::app {

struct AppOptions {
  std::string data_dir;
  bool captcha = true;
  std::string sms_gateway = "outbox";  // "outbox" or "webhook:https://…" (http:// to this machine only)
  bool sync = true;
};

class App {
 public:
  // Opens the store at data_dir, which `onex init` made. Fails with store.not_found when there
  // is none, app.no_secret_key when its key file is missing or unreadable,
  // app.secret_key_exposed when others than its owner may read it.
  static Result<std::unique_ptr<App>> open(const AppOptions& options, const Clock& clock);
  ~App();

  EventStore& store();
  AccountService& accounts();
  http::Authenticator& authenticator();
  // Every REST route of the application.
  std::vector<http::Route> routes();
  // Store counters in Prometheus text, for /metrics.
  std::string metrics() const;

 private:
  App() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Chinese answers (API.md "Language") for every code the application answers: the routes' and
// the command line's own, and the library's (onex/messages.h).
void answer_in_chinese(http::ServerOptions& options);
// Every error code the application answers, each with its Chinese text (tests, documents).
std::vector<std::string> error_codes();

// The store's secret key, <data_dir>/secret.key: 32 bytes that only its owner may read
// (app.no_secret_key, app.secret_key_exposed otherwise).
Result<std::string> read_secret_key(const std::string& data_dir);

// `onex init`: creates the data directory (mode 0700) when there is none, the store, its secret
// key (<data_dir>/secret.key, mode 0600) and the first operator account. Fails with
// store.exists when data_dir already holds a store.
Result<CreatedAccount> init_store(const std::string& data_dir, const std::string& operator_account,
                                  const Clock& clock);

// `onex init --adopt`: makes a store that the library made (open_store, no key) servable: its
// secret key (mode 0600), the directory its owner's alone (0700), its snapshots dropped (they
// were sealed without the key; loading takes them anew) and, when `operator_account` is given,
// a first operator account. store.not_found when there is no store, app.secret_key_exists when
// it has its key already (nothing changes then), store.in_use while a process has it open.
Result<std::optional<CreatedAccount>> adopt_store(const std::string& data_dir,
                                                  const std::string& operator_account,
                                                  const Clock& clock);

}  // namespace onex::app
