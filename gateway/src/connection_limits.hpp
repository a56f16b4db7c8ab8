// Who holds the server's connections: how many each client address has, and which are idle
// (waiting for a request), so that at a limit the oldest idle one makes room for a new client,
// as nginx and Envoy's overload manager do. Internal to the gateway (server.cpp).
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace clientgate::gateway {

// A client address as the per-address cap counts it: an IPv4 address (also IPv4-mapped IPv6)
// whole, an IPv6 address by its /64 (one host is given a /64, and picks any address in it).
struct AddressKey {
  std::array<unsigned char, 17> bytes{};  // [0]: 4 or 6
  bool operator==(const AddressKey& other) const { return bytes == other.bytes; }
};
struct AddressKeyHash {
  std::size_t operator()(const AddressKey& key) const;
};
AddressKey address_key(const boost::asio::ip::address& address);

// One connection as the table sees it. Its owner marks it idle (waiting for a request) and
// busy from its own thread; close_if_idle is called from the accepting thread.
class TrackedConnection {
 public:
  virtual ~TrackedConnection() = default;
  // Closes the connection if it is still idle when its thread gets to it.
  virtual void close_if_idle() = 0;

  void mark_idle() {
    idle_since_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                      std::memory_order_relaxed);
  }
  void mark_busy() { idle_since_.store(0, std::memory_order_relaxed); }

 private:
  friend class ConnectionTable;
  std::atomic<std::int64_t> idle_since_{0};  // steady-clock ticks; 0: busy
  // The rest is the table's, under its lock.
  AddressKey address_;
  bool counted_ = false;
  std::size_t all_index_ = 0;      // in ConnectionTable::counted_
  std::size_t address_index_ = 0;  // in its address's list
  std::weak_ptr<TrackedConnection> self_;
};

class ConnectionTable {
 public:
  ConnectionTable(std::size_t max_connections, std::size_t max_per_address)
      : max_connections_(max_connections), max_per_address_(max_per_address) {}

  // At accept (one thread): whether `connection` is admitted (counted against the limits,
  // until remove) or is to be refused (503). At a limit, the oldest idle connection
  // (of that address for the per-address cap) is told to close and the new one is admitted;
  // with none idle, it is refused.
  bool add(const std::shared_ptr<TrackedConnection>& connection, const AddressKey& address);
  // From the connection's destructor.
  void remove(TrackedConnection* connection);

 private:
  using Pool = std::vector<TrackedConnection*>;
  // Under mutex_: a connection of `pool` idle the longest, marked busy so that it is chosen
  // once, into `victim`; false when none is idle. Among a random sample of a large pool (the
  // oldest of 32, as Redis approximates LRU): an accept at the limit must not cost a scan of
  // 10,000 connections while a flood of them reconnects; a full scan only when the sample
  // holds no idle one.
  bool take_oldest_idle(const Pool& pool, std::shared_ptr<TrackedConnection>& victim);
  std::size_t next_random();

  std::size_t max_connections_;
  std::size_t max_per_address_;
  std::mutex mutex_;
  Pool counted_;  // the admitted connections
  std::unordered_map<AddressKey, Pool, AddressKeyHash> per_address_;
  std::uint64_t random_state_ = 0x9e3779b97f4a7c15ULL;
};

}  // namespace clientgate::gateway
