// Issue 19, item 1: a flood of wrong passwords must not starve anyone. Verifications run on
// the password pool, never on an io thread; the flooding address is throttled (legacy_xml's
// 429 with Retry-After) after failures_per_address hashes; token requests on new connections
// are answered quickly all the while.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;
using Clock = std::chrono::steady_clock;

TEST_CASE("a flood of wrong passwords is throttled and token requests are still answered") {
  ServerProcess server({demo_dataset(), {}, R"(
threads = 2
[auth]
password_threads = 1
password_queue = 8
failures_per_address = 4
failures_per_account = 100
failure_window_ms = 60000
throttled_answer_delay_ms = 50
)"});

  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<int> statuses;
  std::vector<HttpResponse> throttled;
  std::vector<std::thread> flooders;
  for (int f = 0; f < 3; ++f) {
    flooders.emplace_back([&, f] {
      HttpClient client(server.host(), server.port());
      for (int i = 0; !stop && i < 500; ++i) {
        // Unknown e-mails and a real account's wrong password, as a prober would mix them.
        std::string email =
            i % 2 == 0 ? "admin@example.com"
                       : "nobody-" + std::to_string(f) + "-" + std::to_string(i) + "@example.com";
        auto r = client.get("/clients.xml",
                            {{"Authorization", basic_auth(email, "wrong-" + std::to_string(i))}});
        std::lock_guard lock(mutex);
        statuses.push_back(r.status);
        if (r.status == 429 && throttled.size() < 3) throttled.push_back(r);
      }
    });
  }

  // Token requests, each on a new connection, while the flood goes on.
  std::vector<double> millis;
  auto until = Clock::now() + std::chrono::milliseconds(1500);
  while (Clock::now() < until) {
    HttpClient fresh(server.host(), server.port());
    auto start = Clock::now();
    auto r = fresh.get("/api/v1/clients", {{"Authorization", "Bearer demo-admin-token"}});
    millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    REQUIRE(r.status == 200);
  }
  stop = true;
  for (auto& t : flooders)
    t.join();

  // At most failures_per_address hashes for the flooding address; the rest refused unhashed.
  auto count = [&](int status) { return std::count(statuses.begin(), statuses.end(), status); };
  CHECK(count(401) == 4);
  CHECK(count(429) > 0);
  CHECK(count(401) + count(429) + count(503) == static_cast<long>(statuses.size()));
  REQUIRE_FALSE(throttled.empty());
  for (const auto& r : throttled) {
    CHECK(r.header("Content-Type") == "application/xml; charset=utf-8");
    CHECK(r.body ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>Too many failed sign-in "
          "attempts; retry later</error>\n</errors>\n");
    int retry_after = std::stoi(r.header("Retry-After"));
    CHECK(retry_after >= 1);
    CHECK(retry_after <= 60);
    CHECK_FALSE(r.has_header("WWW-Authenticate"));
  }

  // Token requests did not wait behind the hashes (each costs ~40 ms of CPU).
  REQUIRE(millis.size() >= 5);
  std::sort(millis.begin(), millis.end());
  INFO("token requests: " << millis.size() << ", median " << millis[millis.size() / 2]
                          << " ms, max " << millis.back() << " ms");
  CHECK(millis[millis.size() / 2] < 50);
  CHECK(millis.back() < 2000);

  // The right password from the throttled address waits too; a remembered one would not.
  HttpClient again(server.host(), server.port());
  auto right = again.get("/clients.xml",
                         {{"Authorization", basic_auth("admin@example.com", "demo-admin-pass")}});
  CHECK(right.status == 429);
}
