#include "support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace clientgate::test {

namespace {

constexpr auto start_timeout = std::chrono::seconds(30);
constexpr auto stop_grace = std::chrono::seconds(15);

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// fork + exec of the clientgate binary; stdin/stdout/stderr from the given descriptors
// (-1: /dev/null). Never returns in the child.
pid_t spawn(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd) {
  std::vector<std::string> argv_text;
  // A test-only variant of the executable (tests/sixth_dialect) is named by the environment.
  const char* variant = std::getenv("CLIENTGATE_TEST_BINARY");
  argv_text.push_back(variant != nullptr && *variant != '\0' ? variant : CLIENTGATE_BINARY);
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(in_fd >= 0 ? in_fd : null_fd, 0);
    ::dup2(out_fd >= 0 ? out_fd : null_fd, 1);
    ::dup2(err_fd >= 0 ? err_fd : null_fd, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for `pid` at most `limit`; the exit code, or nullopt when it is still running.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return exit_code_of(status);
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int open_for_write(const std::filesystem::path& path, bool append) {
  int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string());
  return fd;
}

}  // namespace

CommandResult run_clientgate(const std::vector<std::string>& args, const std::string& stdin_text) {
  TempDir dir;
  auto in_path = dir.write("stdin", stdin_text);
  int in_fd = ::open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
  int out_fd = open_for_write(dir / "stdout", false);
  int err_fd = open_for_write(dir / "stderr", false);
  pid_t pid = spawn(args, in_fd, out_fd, err_fd);
  ::close(in_fd);
  ::close(out_fd);
  ::close(err_fd);
  CommandResult result;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = exit_code_of(status);
  result.out = read_file(dir / "stdout");
  result.err = read_file(dir / "stderr");
  return result;
}

ServerProcess::ServerProcess(const ServerOptions& options)
    : db_(dir_ / "clientgate.db"),
      stderr_file_(dir_ / "server.stderr"),
      extra_args_(options.extra_args) {
  if (!options.dataset_json.empty()) {
    auto file = dir_.write("dataset.json", options.dataset_json);
    auto result = run_clientgate({"import", "--db", db_.string(), file.string()});
    if (result.exit_code != 0) {
      throw std::runtime_error("clientgate import failed (" + std::to_string(result.exit_code) +
                               "):\n" + result.err);
    }
  }
  if (!options.config_toml.empty()) {
    auto config = dir_.write("clientgate.toml", options.config_toml);
    extra_args_.push_back("--config");
    extra_args_.push_back(config.string());
  }
  start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
}

void ServerProcess::start() {
  std::vector<std::string> args{"serve", "--listen", "127.0.0.1:0", "--db", db_.string()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());

  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int err_fd = open_for_write(stderr_file_, true);  // restarts append: one log to read
  pid_ = spawn(args, -1, out_pipe[1], err_fd);
  ::close(out_pipe[1]);
  ::close(err_fd);

  // The server says where it listens once it accepts connections.
  const std::string marker = "clientgate listening on http://";
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + start_timeout;
  std::uint16_t port = 0;
  for (;;) {
    auto newline = seen.find('\n');
    if (newline != std::string::npos) {
      std::string line = seen.substr(0, newline);
      seen.erase(0, newline + 1);
      if (line.rfind(marker, 0) == 0) {
        auto colon = line.rfind(':');
        port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
        break;
      }
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{out_pipe[0], POLLIN, 0};
    int ready = left.count() > 0 ? ::poll(&pfd, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    char chunk[512];
    ssize_t n = ready > 0 ? ::read(out_pipe[0], chunk, sizeof chunk) : -1;
    if (n <= 0) {
      ::close(out_pipe[0]);
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      throw std::runtime_error("clientgate serve did not start (" +
                               std::string(ready == 0 ? "timeout" : "exited") + "):\n" +
                               stderr_text());
    }
    seen.append(chunk, static_cast<std::size_t>(n));
  }
  // The server writes nothing more to stdout, and ignores SIGPIPE should it try.
  ::close(out_pipe[0]);
  port_ = port;
}

std::string ServerProcess::stderr_text() const {
  return read_file(stderr_file_);
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  auto code = wait_for(pid_, stop_grace);
  if (!code) {
    ::kill(pid_, SIGKILL);
    code = wait_for(pid_, std::chrono::seconds(10));
  }
  pid_ = -1;
  return code.value_or(-1);
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_for(pid_, std::chrono::seconds(10));
  pid_ = -1;
}

void ServerProcess::restart() {
  if (pid_ > 0) stop();
  start();
}

std::string read_source_file(const std::string& relative_path) {
  auto path = std::filesystem::path(CLIENTGATE_SOURCE_DIR) / relative_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string demo_dataset() {
  return read_source_file("examples/demo-dataset.json");
}

}  // namespace clientgate::test
