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

bool ConnectionTable::add(const std::shared_ptr<TrackedConnection>& connection,
                          const AddressKey& address) {
  // Told to close, and released, once the lock is let go: the last reference to a connection
  // that closed meanwhile runs its destructor, which removes it from this table.
  std::shared_ptr<TrackedConnection> victim;
  {
    std::lock_guard lock(mutex_);
    connection->address_ = address;
    all_.emplace(connection.get(), connection);
    std::size_t& mine = per_address_[address];
    bool admitted = true;
    if (mine >= max_per_address_) {
      admitted = take_oldest_idle(&address, victim);
    } else if (admitted_ >= max_connections_) {
      admitted = take_oldest_idle(nullptr, victim);
    }
    if (!admitted) {
      if (mine == 0) per_address_.erase(address);
      return false;
    }
    connection->counted_ = true;
    ++mine;
    ++admitted_;
  }
  if (victim) victim->close_if_idle();
  return true;
}

void ConnectionTable::remove(TrackedConnection* connection) {
  std::lock_guard lock(mutex_);
  all_.erase(connection);
  if (connection->counted_) {
    --admitted_;
    auto it = per_address_.find(connection->address_);
    if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
  }
}

bool ConnectionTable::take_oldest_idle(const AddressKey* address,
                                       std::shared_ptr<TrackedConnection>& victim) {
  // A scan: it runs only at a limit, and a connection's idle mark costs it no lock.
  TrackedConnection* oldest = nullptr;
  std::int64_t oldest_since = 0;
  for (const auto& [raw, weak] : all_) {
    if (!raw->counted_ || (address != nullptr && !(raw->address_ == *address))) continue;
    std::int64_t since = raw->idle_since_.load(std::memory_order_relaxed);
    if (since != 0 && (oldest == nullptr || since < oldest_since)) {
      oldest = raw;
      oldest_since = since;
    }
  }
  if (oldest == nullptr) return false;
  // Chosen once: a second accept before it has closed picks another.
  oldest->idle_since_.store(0, std::memory_order_relaxed);
  victim = all_[oldest].lock();  // null: being destroyed, its place is about to be free
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
