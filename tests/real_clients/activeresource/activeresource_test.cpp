// Ruby ActiveResource (the real, unmodified library) drives legacy_xml on a real clientgate:
// drive.rb makes every call the library offers and checks what the library returns; this
// test starts the server, runs it, and passes when every check of the script passed.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "../../dialects/legacy_xml/fixture.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

struct ScriptResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

ScriptResult run_script(const std::string& command) {
  ScriptResult out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.output.append(buffer.data(), n);
  int status = pclose(pipe);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

TEST_CASE("ActiveResource 6.1.4 reads and writes legacy_xml clients") {
  const std::string ruby = CLIENTGATE_RUBY;
  INFO("ruby: " << ruby << ", library: " << ACTIVERESOURCE_LIB);
  REQUIRE_FALSE(ruby.empty());  // scripts/setup.sh installs ruby and its gems
  REQUIRE(std::filesystem::exists(std::string(ACTIVERESOURCE_LIB) + "/active_resource.rb"));

  ServerOptions options;
  options.dataset_json = legacy_xml::kFixture;
  ServerProcess server(options);
  std::string site = "http://127.0.0.1:" + std::to_string(server.port());
  auto result =
      run_script(shell_quoted(ruby) + " -I " + shell_quoted(ACTIVERESOURCE_LIB) + " " +
                 shell_quoted(ACTIVERESOURCE_DRIVER) + " " + shell_quoted(site) + " 2>&1");
  INFO(result.output);
  CHECK(result.output.find("not ok") == std::string::npos);
  CHECK(result.output.find(" checks, 0 failed") != std::string::npos);
  CHECK(result.exit_code == 0);
}
