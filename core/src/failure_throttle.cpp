#include "clientgate/core/failure_throttle.hpp"

#include <algorithm>

namespace clientgate::core {

FailureThrottle::FailureThrottle(std::size_t limit, std::chrono::milliseconds window,
                                 std::size_t capacity)
    : limit_(limit), window_(window), capacity_(std::max<std::size_t>(capacity, 1)) {}

void FailureThrottle::forget_closed(Clock::time_point now) {
  while (!order_.empty() && order_.front().second + window_ <= now) {
    auto it = entries_.find(order_.front().first);
    if (it != entries_.end() && it->second.opened == order_.front().second) entries_.erase(it);
    order_.pop_front();
  }
}

bool FailureThrottle::try_charge(std::string_view key, Clock::time_point now,
                                 std::chrono::milliseconds& retry_after) {
  retry_after = std::chrono::milliseconds(0);
  if (limit_ == 0) return true;
  std::lock_guard lock(mutex_);
  forget_closed(now);
  std::string k(key);
  auto it = entries_.find(k);
  if (it != entries_.end() && it->second.opened + window_ <= now) {
    entries_.erase(it);  // closed, not yet reached in order_: its stale element is skipped
    it = entries_.end();
  }
  if (it == entries_.end()) {
    // Full of open windows: the one that opened first goes, and with it its count.
    while (entries_.size() >= capacity_ && !order_.empty()) {
      auto oldest = entries_.find(order_.front().first);
      if (oldest != entries_.end() && oldest->second.opened == order_.front().second)
        entries_.erase(oldest);
      order_.pop_front();
    }
    it = entries_.emplace(k, Entry{0, now}).first;
    order_.emplace_back(std::move(k), now);
  }
  if (it->second.count >= limit_) {
    auto left = it->second.opened + window_ - now;
    retry_after =
        std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(left));
    return false;
  }
  ++it->second.count;
  return true;
}

void FailureThrottle::refund(std::string_view key, Clock::time_point now) {
  if (limit_ == 0) return;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.opened + window_ <= now) return;
  if (it->second.count > 0) --it->second.count;
}

std::size_t FailureThrottle::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace clientgate::core
