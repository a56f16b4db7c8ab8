#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "clientgate/gateway/access_log.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate::gateway;

TEST_CASE("the logged path never carries the query string or fragment") {
  CHECK(loggable_path("/api/v1/clients?api_token=secret&x=1") == "/api/v1/clients");
  CHECK(loggable_path("/a#frag?x") == "/a");
  CHECK(loggable_path("") == "-");
  CHECK(loggable_path("/a b\n") == "/a%20b%0A");
}

TEST_CASE("access log lines are written whole, batched, and all at destruction") {
  clientgate::test::TempDir dir;
  auto path = dir / "log";
  { std::ofstream create(path); }
  FILE* file = std::fopen(path.c_str(), "w");
  REQUIRE(file != nullptr);
  {
    AccessLog log(fileno(file), std::chrono::milliseconds(100000));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&log] {
        for (int i = 0; i < 1000; ++i) {
          log.record(AccessEntry{"GET", "/clients/1?token=abc", "json_v1", 200, 42, 17});
        }
      });
    }
    for (auto& t : threads)
      t.join();
  }
  std::fclose(file);
  std::ifstream in(path);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    CHECK(line == "GET /clients/1 json_v1 200 42 17");
    ++count;
  }
  CHECK(count == 4000);
}
