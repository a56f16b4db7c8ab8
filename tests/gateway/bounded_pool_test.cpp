// BoundedPool: jobs run on its own threads; a full queue refuses at once.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "clientgate/gateway/bounded_pool.hpp"

using clientgate::gateway::BoundedPool;

TEST_CASE("BoundedPool: jobs run on the pool's threads, after on_start") {
  thread_local bool started_here = false;
  BoundedPool pool(2, 8, [] { started_here = true; });
  std::promise<std::pair<std::thread::id, bool>> ran;
  REQUIRE(pool.try_post([&] { ran.set_value({std::this_thread::get_id(), started_here}); }));
  auto [where, started] = ran.get_future().get();
  CHECK(where != std::this_thread::get_id());
  CHECK(started);
}

TEST_CASE("BoundedPool: with every thread busy, at most queue_capacity jobs wait") {
  BoundedPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> running;
  REQUIRE(pool.try_post([&] {
    running.set_value();
    released.wait();
  }));
  running.get_future().wait();  // the only thread is busy
  std::atomic<int> done{0};
  CHECK(pool.try_post([&] { ++done; }));
  CHECK(pool.try_post([&] { ++done; }));
  CHECK(pool.waiting() == 2);
  CHECK_FALSE(pool.try_post([&] { ++done; }));  // refused at once, not queued
  release.set_value();
  pool.join();  // runs what was queued
  CHECK(done == 2);
  CHECK_FALSE(pool.try_post([] {}));  // joined: refuses
}

TEST_CASE("BoundedPool: a job that throws does not stop its thread") {
  BoundedPool pool(1, 4);
  REQUIRE(pool.try_post([] { throw std::runtime_error("boom"); }));
  std::promise<void> after;
  REQUIRE(pool.try_post([&] { after.set_value(); }));
  CHECK(after.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
}
