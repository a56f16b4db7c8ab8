// The `clientgate` command line: serve, import, export. Fixed: tools outside the project
// rely on it (gateway/README.md).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace clientgate::gateway {

// Exit codes.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // the command ran and failed (bad dataset, no database)
inline constexpr int exit_usage = 2;    // unknown command or option, bad flag value or config

// Runs `clientgate args...` (args without the program name). `out` is stdout (the export,
// the listening line), `err` stderr (problems, usage errors).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace clientgate::gateway
