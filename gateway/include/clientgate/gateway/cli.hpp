// The `clientgate` command line: serve, import, export. Fixed: tools outside the project
// rely on it (gateway/README.md).
#pragma once

#include <iosfwd>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "clientgate/gateway/settings.hpp"

namespace clientgate::gateway {

// Exit codes.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // the command ran and failed (bad dataset, no database)
inline constexpr int exit_usage = 2;    // unknown command or option, bad flag value or config

// An unknown command or option, or a missing argument.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The settings of `clientgate serve ARGS...` (args[0] == "serve"): the config file named by
// --config first, then the other flags over it. Throws UsageError for an unknown option and
// SettingsError for a bad value (flag or file). `help` is set for --help.
Settings serve_settings(const std::vector<std::string>& args, const DialectSchemas& known_dialects,
                        bool* help = nullptr);

// Runs `clientgate args...` (args without the program name). `out` is stdout (the export,
// the listening line), `err` stderr (problems, usage errors).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace clientgate::gateway
