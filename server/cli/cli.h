// The `onex` command line: each command is a function from its arguments to an exit code.
// Results go to stdout; reasons for a non-zero exit go to stderr.
#pragma once

#include <string>
#include <vector>

namespace onex::cli {

// Exit codes of every command.
inline constexpr int kExitOk = 0;           // done, or the check passed
inline constexpr int kExitCheckFailed = 1;  // the check found a problem: a broken chain, read
                                            // models that differ, a record that is not there
inline constexpr int kExitUsage = 2;        // bad arguments, no store there, or an I/O error

// `onex audit ...`, given the arguments that follow "audit". `onex audit --help` prints its usage.
int audit(const std::vector<std::string>& args);

// `onex init --data-dir DIR --operator ACCOUNT`: a new store and its first operator account.
int init(std::vector<std::string> args);

// `onex serve --data-dir DIR [...]`: the REST server until SIGINT or SIGTERM.
int serve(const std::vector<std::string>& args);

// `onex demo --data-dir DIR`: a new store with a small realistic pilot round, made through the
// REST routes; prints the accounts it made and their password.
int demo(const std::vector<std::string>& args);

}  // namespace onex::cli
