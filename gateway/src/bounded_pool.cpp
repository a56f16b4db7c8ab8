#include "clientgate/gateway/bounded_pool.hpp"

#include <algorithm>
#include <exception>
#include <iostream>

namespace clientgate::gateway {

BoundedPool::BoundedPool(unsigned threads, std::size_t queue_capacity,
                         std::function<void()> on_start)
    : capacity_(queue_capacity), on_start_(std::move(on_start)) {
  threads_.reserve(std::max(1u, threads));
  for (unsigned i = 0; i < std::max(1u, threads); ++i)
    threads_.emplace_back([this] { work(); });
}

BoundedPool::~BoundedPool() {
  join();
}

bool BoundedPool::try_post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void BoundedPool::join() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::size_t BoundedPool::waiting() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void BoundedPool::work() {
  if (on_start_) on_start_();
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      std::cerr << "clientgate: error escaped a pool job: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "clientgate: error escaped a pool job\n";
    }
  }
}

}  // namespace clientgate::gateway
