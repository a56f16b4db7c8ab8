// The clientgate executable: everything is in the gateway library.
#include <iostream>
#include <string>
#include <vector>

#include "clientgate/gateway/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return clientgate::gateway::run_cli(args, std::cout, std::cerr);
}
