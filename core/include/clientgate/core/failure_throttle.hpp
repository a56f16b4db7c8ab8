// Counts failed attempts per key (a client address, an account) in a fixed window that opens
// at the key's first failure, as Laravel's RateLimiter and Rails' rack-attack do: once `limit`
// failures are counted, the key is refused until its window closes. A client chooses the keys
// (any e-mail, any IPv6 address), so the table holds at most `capacity` keys: when it is full,
// the key whose window opened first (the next to close) is forgotten.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace clientgate::core {

class FailureThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  // limit 0 turns the throttle off.
  FailureThrottle(std::size_t limit, std::chrono::milliseconds window, std::size_t capacity);

  // Counts one attempt against `key` before it is judged, so that concurrent attempts cannot
  // all pass the limit together: true when the key had room (the attempt is counted), false
  // with `retry_after` set when it has none. An attempt that succeeds is given back (refund).
  bool try_charge(std::string_view key, Clock::time_point now,
                  std::chrono::milliseconds& retry_after);
  void refund(std::string_view key, Clock::time_point now);

  std::size_t size() const;

 private:
  struct Entry {
    std::size_t count = 0;
    Clock::time_point opened;
  };
  void forget_closed(Clock::time_point now);

  std::size_t limit_;
  std::chrono::milliseconds window_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Keys in the order their windows opened (so also the order they close). A key whose window
  // reopened has a stale element here too; it is skipped when it reaches the front.
  std::deque<std::pair<std::string, Clock::time_point>> order_;
};

}  // namespace clientgate::core
