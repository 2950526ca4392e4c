// `onex init` and `onex serve`.
#include <fmt/format.h>

#include <map>

#include "app/app.h"
#include "cli/cli.h"

namespace onex::cli {
namespace {

// --name value / --name=value pairs; false (with a reason printed) on anything else.
bool parse_flags(const std::vector<std::string>& args, const std::vector<std::string>& known,
                 std::map<std::string, std::string>& out, std::string_view command) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    if (!name.starts_with("--")) {
      fmt::print(stderr, "onex {}: unexpected argument {}\n", command, name);
      return false;
    }
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      fmt::print(stderr, "onex {}: {} needs a value\n", command, name);
      return false;
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      fmt::print(stderr, "onex {}: unknown option {}\n", command, name);
      return false;
    }
    out[name] = value;
  }
  return true;
}

}  // namespace

int init(std::vector<std::string> args) {
  std::map<std::string, std::string> f;
  const bool adopt = std::erase(args, std::string("--adopt")) > 0;
  if (!parse_flags(args, {"--data-dir", "--operator"}, f, "init")) return kExitUsage;
  if (!f.count("--data-dir") || (!adopt && !f.count("--operator"))) {
    fmt::print(stderr, "usage: onex init --data-dir DIR --operator ACCOUNT\n"
                       "       onex init --adopt --data-dir DIR [--operator ACCOUNT]\n");
    return kExitUsage;
  }
  SystemClock clock;
  if (adopt) {
    auto adopted = app::adopt_store(f["--data-dir"], f.count("--operator") ? f["--operator"] : "", clock);
    if (!adopted) {
      fmt::print(stderr, "onex init: {}\n", adopted.status().to_string());
      return kExitUsage;
    }
    fmt::print("adopted the store at {}: it has its secret key and can be served\n", f["--data-dir"]);
    if (*adopted) {
      fmt::print("created the operator account {}\n", (*adopted)->account.account);
      fmt::print("initial password: {}\n", (*adopted)->initial_password);
    }
    return kExitOk;
  }
  auto created = app::init_store(f["--data-dir"], f["--operator"], clock);
  if (!created) {
    fmt::print(stderr, "onex init: {}\n", created.status().to_string());
    return kExitUsage;
  }
  fmt::print("created the store at {} and the operator account {}\n", f["--data-dir"],
             created->account.account);
  fmt::print("initial password: {}\n", created->initial_password);
  return kExitOk;
}

int serve(const std::vector<std::string>& args) {
  std::map<std::string, std::string> f;
  if (!parse_flags(args,
                   {"--data-dir", "--listen", "--threads", "--captcha", "--sms-gateway",
                    "--cors-origin"},
                   f, "serve"))
    return kExitUsage;
  if (!f.count("--data-dir")) {
    fmt::print(stderr,
               "usage: onex serve --data-dir DIR [--listen 127.0.0.1:8080] [--threads N] "
               "[--captcha on|off] [--sms-gateway outbox|webhook:URL] [--cors-origin ORIGIN]\n");
    return kExitUsage;
  }
  app::AppOptions options;
  options.data_dir = f["--data-dir"];
  if (f.count("--captcha")) {
    if (f["--captcha"] != "on" && f["--captcha"] != "off") {
      fmt::print(stderr, "onex serve: --captcha is on or off\n");
      return kExitUsage;
    }
    options.captcha = f["--captcha"] == "on";
  }
  if (!options.captcha)
    fmt::print(stderr, "onex serve: WARNING: --captcha off: no captcha anywhere; for tests and "
                       "local demos only\n");
  if (f.count("--sms-gateway")) options.sms_gateway = f["--sms-gateway"];
  http::ServerOptions so;
  app::answer_in_chinese(so);
  if (f.count("--listen")) so.listen = f["--listen"];
  if (f.count("--threads")) {
    try {
      so.threads = std::stoi(f["--threads"]);
    } catch (...) {
      so.threads = 0;
    }
    if (so.threads < 1 || so.threads > 256) {
      fmt::print(stderr, "onex serve: --threads is a number from 1 to 256\n");
      return kExitUsage;
    }
  }
  if (f.count("--cors-origin")) so.cors_origin = f["--cors-origin"];

  static SystemClock clock;
  auto app = app::App::open(options, clock);
  if (!app) {
    fmt::print(stderr, "onex serve: {}\n", app.status().to_string());
    return kExitUsage;
  }
  so.extra_metrics = [a = app->get()] { return a->metrics(); };
  http::Server server(so, (*app)->routes(), &(*app)->authenticator());
  if (auto s = server.start(); !s) {
    fmt::print(stderr, "onex serve: {}\n", s.to_string());
    return kExitUsage;
  }
  fmt::print("onex serving {} on http://{}:{}\n", options.data_dir,
             so.listen.substr(0, so.listen.rfind(':')), server.port());
  std::fflush(stdout);
  return http::run_until_signal(server);
}

}  // namespace onex::cli
