// A fixed set of threads running jobs from a queue of bounded length: try_post refuses a job at
// once when the queue is full, instead of letting it grow with the load. The gateway runs
// password verifications here (Settings::password_threads, password_queue), so that a flood of
// them waits in (or is refused at) its own queue and never holds an io thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace clientgate::gateway {

class BoundedPool {
 public:
  // `on_start` runs first on each thread (e.g. to mark it for the authenticator).
  BoundedPool(unsigned threads, std::size_t queue_capacity,
              std::function<void()> on_start = nullptr);
  ~BoundedPool();  // join()
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  // Queues `job` unless `queue_capacity` jobs already wait (the running ones do not count):
  // false, and the job is dropped, when full or joined.
  bool try_post(std::function<void()> job);

  // Runs the jobs already queued, then stops the threads; try_post refuses from now on.
  void join();

  std::size_t waiting() const;

 private:
  void work();

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::function<void()> on_start_;
  std::vector<std::thread> threads_;
};

}  // namespace clientgate::gateway
