#include "connection_limits.hpp"

#include <sys/resource.h>

#include <vector>

#include "clientgate/gateway/server.hpp"

#include <string_view>

namespace clientgate::gateway {

std::size_t AddressKeyHash::operator()(const AddressKey& key) const {
  return std::hash<std::string_view>{}(
      std::string_view(reinterpret_cast<const char*>(key.bytes.data()), key.bytes.size()));
}

AddressKey address_key(const boost::asio::ip::address& address) {
  AddressKey key;
  boost::asio::ip::address plain = address;
  if (plain.is_v6() && plain.to_v6().is_v4_mapped()) {
    plain = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, plain.to_v6());
  }
  if (plain.is_v4()) {
    key.bytes[0] = 4;
    auto bytes = plain.to_v4().to_bytes();
    std::copy(bytes.begin(), bytes.end(), key.bytes.begin() + 1);
  } else {
    key.bytes[0] = 6;
    auto bytes = plain.to_v6().to_bytes();
    std::copy(bytes.begin(), bytes.begin() + 8, key.bytes.begin() + 1);  // the /64
  }
  return key;
}

namespace {

// Removes the connection at `at` from `pool` by moving the last one into its place; `index`
// is the member that holds a connection's place in that pool.
void swap_remove(std::vector<TrackedConnection*>& pool, std::size_t at,
                 std::size_t TrackedConnection::*index) {
  pool[at] = pool.back();
  pool[at]->*index = at;
  pool.pop_back();
}

}  // namespace

bool ConnectionTable::add(const std::shared_ptr<TrackedConnection>& connection,
                          const AddressKey& address) {
  // Told to close, and released, once the lock is let go: the last reference to a connection
  // that closed meanwhile runs its destructor, which removes it from this table.
  std::shared_ptr<TrackedConnection> victim;
  {
    std::lock_guard lock(mutex_);
    Pool& mine = per_address_[address];
    bool admitted = true;
    if (mine.size() >= max_per_address_) {
      admitted = take_oldest_idle(mine, victim);
    } else if (counted_.size() >= max_connections_) {
      // The server is full. A newcomer from an address holding more than the average share
      // (of two or more addresses) is refused: else a flood that reconnects whatever is
      // closed would make every accept close another connection, as fast as it reconnects.
      bool over_share = per_address_.size() > 1 && !mine.empty() &&
                        mine.size() * per_address_.size() > counted_.size();
      admitted = !over_share && take_oldest_idle(counted_, victim);
    }
    if (!admitted) {
      if (mine.empty()) per_address_.erase(address);
      return false;
    }
    TrackedConnection& c = *connection;
    c.address_ = address;
    c.counted_ = true;
    c.self_ = connection;
    c.all_index_ = counted_.size();
    counted_.push_back(&c);
    c.address_index_ = mine.size();
    mine.push_back(&c);
  }
  if (victim) victim->close_if_idle();
  return true;
}

void ConnectionTable::remove(TrackedConnection* connection) {
  std::lock_guard lock(mutex_);
  if (!connection->counted_) return;
  connection->counted_ = false;
  swap_remove(counted_, connection->all_index_, &TrackedConnection::all_index_);
  auto it = per_address_.find(connection->address_);
  if (it == per_address_.end()) return;
  swap_remove(it->second, connection->address_index_, &TrackedConnection::address_index_);
  if (it->second.empty()) per_address_.erase(it);
}

std::size_t ConnectionTable::next_random() {
  // xorshift64: cheap, and nothing here needs more than an even spread.
  random_state_ ^= random_state_ << 13;
  random_state_ ^= random_state_ >> 7;
  random_state_ ^= random_state_ << 17;
  return static_cast<std::size_t>(random_state_);
}

bool ConnectionTable::take_oldest_idle(const Pool& pool,
                                       std::shared_ptr<TrackedConnection>& victim) {
  constexpr std::size_t kSample = 32;
  TrackedConnection* oldest = nullptr;
  std::int64_t oldest_since = 0;
  auto consider = [&](TrackedConnection* c) {
    std::int64_t since = c->idle_since_.load(std::memory_order_relaxed);
    if (since != 0 && (oldest == nullptr || since < oldest_since)) {
      oldest = c;
      oldest_since = since;
    }
  };
  if (pool.size() > 2 * kSample) {
    for (std::size_t i = 0; i < kSample; ++i)
      consider(pool[next_random() % pool.size()]);
  }
  if (oldest == nullptr) {
    for (TrackedConnection* c : pool)
      consider(c);
  }
  if (oldest == nullptr) return false;
  oldest->idle_since_.store(0, std::memory_order_relaxed);  // chosen once
  victim = oldest->self_.lock();  // null: being destroyed, its place is about to be free
  return true;
}

std::size_t descriptor_reserve(const Settings& settings) {
  // Each SQLite connection: the database, its WAL, its shared-memory index, a journal.
  return 64 + 4 * (std::size_t{resolved_threads(settings)} + settings.write_threads + 2);
}

std::string fit_connections_to_descriptors(Settings& settings) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return "";
  std::size_t reserve = descriptor_reserve(settings);
  std::size_t available = limit.rlim_cur > reserve ? limit.rlim_cur - reserve : 0;
  std::size_t& wanted = settings.limits.max_connections;
  if (wanted <= available) return "";
  std::string budget = std::to_string(limit.rlim_cur) + " descriptors (RLIMIT_NOFILE), " +
                       std::to_string(reserve) + " of them kept for the database and files";
  if (settings.limits.max_connections_set || available == 0) {
    throw SettingsError("limits.max_connections: " + std::to_string(wanted) +
                        " connections do not fit in the process's " + budget +
                        "; lower it to at most " + std::to_string(available) +
                        " or raise the limit (ulimit -n)");
  }
  std::string note = "limits.max_connections lowered from " + std::to_string(wanted) + " to " +
                     std::to_string(available) + " to fit the process's " + budget;
  wanted = available;
  return note;
}

}  // namespace clientgate::gateway
