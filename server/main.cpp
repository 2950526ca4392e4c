// `onex`: the command line. main only picks the command; each lives in cli/.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/cli.h"

namespace {

constexpr std::string_view kUsage =
    "usage: onex audit verify  --data-dir DIR [--expect-head POSITION:HASH]\n"
    "       onex audit replay  --data-dir DIR\n"
    "       onex audit history --data-dir DIR [--raw] STREAM\n"
    "       onex audit as-of   --data-dir DIR STREAM TIME\n"
    "       onex audit streams --data-dir DIR [--kind KIND] [--q PREFIX]\n"
    "       onex init  --data-dir DIR --operator ACCOUNT\n"
    "       onex init  --adopt --data-dir DIR [--operator ACCOUNT]   (a store the library made)\n"
    "       onex serve --data-dir DIR [--listen 127.0.0.1:8080] [--threads N] [--captcha on|off]\n"
    "                  [--sms-gateway outbox|webhook:https://…] [--cors-origin ORIGIN]\n"
    "       onex demo  --data-dir DIR\n"
    "\n"
    "       onex --version\n"
    "\n"
    "`onex audit --help` tells more.\n";

int run(const std::vector<std::string>& args) {
  using namespace onex::cli;
  if (args.empty()) {
    fmt::print(stderr, "onex: which command?\n{}", kUsage);
    return kExitUsage;
  }
  const std::string& command = args[0];
  // --version and --help answer on every command (before a "--"), and exit 0.
  for (const auto& a : args) {
    if (a == "--") break;
    if (a == "--version" || a == "-V") {
      fmt::print("onex {}\n", ONEX_VERSION);
      return kExitOk;
    }
    if ((a == "--help" || a == "-h" || a == "help") && command != "audit") {
      fmt::print("{}", kUsage);
      return kExitOk;
    }
  }
  if (command == "audit") return audit({args.begin() + 1, args.end()});
  if (command == "init") return init({args.begin() + 1, args.end()});
  if (command == "serve") return serve({args.begin() + 1, args.end()});
  if (command == "demo") return demo({args.begin() + 1, args.end()});
  fmt::print(stderr, "onex: unknown command {}\n{}", command, kUsage);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run({argv + 1, argv + argc});
  } catch (const std::exception& e) {
    fmt::print(stderr, "onex: {}\n", e.what());
    return onex::cli::kExitUsage;
  }
}
