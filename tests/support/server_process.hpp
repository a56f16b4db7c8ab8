// A real `clientgate serve` process on a free loopback port, over a fresh database loaded
// from a dataset. Stopped (SIGTERM, then SIGKILL after a grace period) when destroyed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace clientgate::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the clientgate binary with `args` (argv[1..]) and waits for it.
CommandResult run_clientgate(const std::vector<std::string>& args,
                             const std::string& stdin_text = "");

struct ServerOptions {
  std::string dataset_json;             // imported before start; empty: no import
  std::vector<std::string> extra_args;  // appended to `serve ...` (e.g. "--config", path)
  std::string config_toml;              // when not empty, written to a file and passed as --config
};

class ServerProcess {
 public:
  explicit ServerProcess(const ServerOptions& options);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  const std::filesystem::path& db_path() const { return db_; }
  pid_t pid() const { return pid_; }
  // The server's stderr so far (the access log).
  std::string stderr_text() const;

  // SIGTERM and wait; returns the exit code.
  int stop();
  // SIGKILL and wait (crash tests).
  void kill_hard();
  // Starts again on the same database (after stop or kill_hard); a new port.
  void restart();

 private:
  void start();
  TempDir dir_;
  std::filesystem::path db_;
  std::filesystem::path stderr_file_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// The demo dataset (examples/demo-dataset.json) as text.
std::string demo_dataset();
// A file of the repository, as text.
std::string read_source_file(const std::string& relative_path);

}  // namespace clientgate::test
