// FailureThrottle: fixed windows per key, bounded memory.
#include <catch2/catch.hpp>
#include <string>

#include "clientgate/core/failure_throttle.hpp"

using namespace clientgate::core;
using namespace std::chrono_literals;

TEST_CASE("FailureThrottle: a key gets `limit` attempts per window, then waits for its end") {
  FailureThrottle throttle(3, 1000ms, 100);
  auto t0 = FailureThrottle::Clock::now();
  std::chrono::milliseconds wait{};
  for (int i = 0; i < 3; ++i)
    CHECK(throttle.try_charge("1.2.3.4", t0 + 10ms * i, wait));
  CHECK_FALSE(throttle.try_charge("1.2.3.4", t0 + 400ms, wait));
  CHECK(wait == 600ms);  // the window opened at the first failure
  CHECK(throttle.try_charge("5.6.7.8", t0 + 400ms, wait));  // another key: its own count
  CHECK_FALSE(throttle.try_charge("1.2.3.4", t0 + 999ms, wait));
  CHECK(wait == 1ms);
  CHECK(throttle.try_charge("1.2.3.4", t0 + 1000ms, wait));  // a new window
  CHECK(wait == 0ms);
}

TEST_CASE("FailureThrottle: a refunded attempt (a success) does not count") {
  FailureThrottle throttle(2, 1000ms, 100);
  auto t0 = FailureThrottle::Clock::now();
  std::chrono::milliseconds wait{};
  for (int i = 0; i < 10; ++i) {
    REQUIRE(throttle.try_charge("k", t0, wait));
    throttle.refund("k", t0);
  }
  CHECK(throttle.try_charge("k", t0, wait));
  CHECK(throttle.try_charge("k", t0, wait));
  CHECK_FALSE(throttle.try_charge("k", t0, wait));
}

TEST_CASE("FailureThrottle: the table never holds more than its capacity") {
  FailureThrottle throttle(1, 60000ms, 50);
  auto t0 = FailureThrottle::Clock::now();
  std::chrono::milliseconds wait{};
  for (int i = 0; i < 10000; ++i)
    CHECK(throttle.try_charge("key-" + std::to_string(i), t0 + 1ms * i, wait));
  CHECK(throttle.size() == 50);
  // The newest keys are the ones kept; the oldest were forgotten first.
  auto later = t0 + 10000ms;
  CHECK_FALSE(throttle.try_charge("key-9999", later, wait));
  CHECK(throttle.try_charge("key-0", later, wait));
  // Closed windows are forgotten without waiting for the table to fill.
  CHECK(throttle.try_charge("fresh", t0 + 200000ms, wait));
  CHECK(throttle.size() == 1);
}

TEST_CASE("FailureThrottle: limit 0 is off") {
  FailureThrottle throttle(0, 1000ms, 10);
  std::chrono::milliseconds wait{};
  auto t0 = FailureThrottle::Clock::now();
  for (int i = 0; i < 100; ++i)
    CHECK(throttle.try_charge("k", t0, wait));
  CHECK(throttle.size() == 0);
}
