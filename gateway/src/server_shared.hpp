// What the sessions of one server share, and the HTTP helpers of their transport. Internal to
// the gateway: included by session.hpp and server.cpp only.
#pragma once

#include <algorithm>
#include <atomic>
#include <boost/beast/http/rfc7230.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "clientgate/gateway/access_log.hpp"
#include "clientgate/gateway/router.hpp"
#include "clientgate/gateway/settings.hpp"
#include "connection_limits.hpp"
#include "plain_answer.hpp"
#include "request_placement.hpp"

namespace clientgate::gateway {

// The names the gateway's sources use for Asio and Beast.
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using dialects::TransportError;

}  // namespace clientgate::gateway

namespace clientgate::gateway::detail {

class Session;

// What the sessions of one server share.
struct Shared {
  Shared(const Limits& limits, Router& router, core::Repository& repository, AccessLog& log)
      : limits(limits),
        router(router),
        log(log),
        placement(repository, stopping),
        connections(limits.max_connections, limits.max_connections_per_address) {}

  const Limits& limits;
  Router& router;
  AccessLog& log;
  std::atomic<bool> stopping{false};
  RequestPlacement placement;  // where a request is handled, and in which transaction

  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::condition_variable sessions_gone;
  ConnectionTable connections;  // counted against max_connections and the per-address cap
  // The shortest of the read, idle and write timeouts: how often a session's timer wakes.
  std::chrono::milliseconds timer_period =
      std::min({limits.read_timeout, limits.idle_timeout, limits.write_timeout});

  void add(Session* s, const std::shared_ptr<Session>& owner) {
    std::lock_guard lock(sessions_mutex);
    sessions.emplace(s, owner);
  }
  void remove(Session* s) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(s);
    if (sessions.empty()) sessions_gone.notify_all();
  }
};

// The header's own say on keep-alive (message::keep_alive needs a whole message).
inline bool wants_keep_alive(const dialects::Header& header) {
  http::token_list connection{header[http::field::connection]};
  if (header.version() >= 11) return !connection.exists("close");
  return connection.exists("keep-alive");
}

// A request line with one Host field (RFC 9112, 3.2); HTTP/1.0 may go without.
inline bool has_one_host(const dialects::Header& header) {
  auto hosts = header.count(http::field::host);
  return hosts == 1 || (hosts == 0 && header.version() < 11);
}

// The client went away or the socket failed: nothing more can be said on this connection.
inline bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::operation_aborted ||
         ec.category() == net::error::get_system_category() ||
         ec.category() == net::error::get_misc_category();
}

}  // namespace clientgate::gateway::detail
