// What the sessions of one server share, and the plain answers the gateway gives without a
// dialect. Internal to the gateway: included by session.hpp and server.cpp only.
#pragma once

#include <algorithm>
#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "clientgate/dialects/transport_errors.hpp"
#include "clientgate/gateway/access_log.hpp"
#include "clientgate/gateway/bounded_pool.hpp"
#include "clientgate/gateway/router.hpp"
#include "clientgate/gateway/settings.hpp"
#include "connection_limits.hpp"

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
        repository(repository),
        log(log),
        connections(limits.max_connections, limits.max_connections_per_address) {}

  const Limits& limits;
  Router& router;
  net::thread_pool* writers = nullptr;  // runs requests that may write; null: the io threads
  bool write_batching = true;           // see Settings::write_batching
  BoundedPool* passwords = nullptr;     // runs requests with a password to verify
  std::chrono::milliseconds throttled_answer_delay{0};  // see Settings
  core::Repository& repository;
  AccessLog& log;
  std::string admin_token;  // empty: the /_admin views are disabled

  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::condition_variable sessions_gone;
  ConnectionTable connections;  // counted against max_connections and the per-address cap
  std::atomic<bool> stopping{false};
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

// The requests that may write gathered during one turn of an io thread's event loop
// (Session::write_in_turn). The handler that runs them owns them; the io thread keeps a weak
// reference to the open one, so that a turn whose handler never runs (the server stopped)
// leaves nothing behind.
struct TurnWrites {
  std::vector<std::shared_ptr<Session>> sessions;
};
inline thread_local std::weak_ptr<TurnWrites> open_turn_writes;

// A response the gateway writes itself (no dialect known, or the dialect's own failed).
inline dialects::Response plain(http::status status, std::string_view message) {
  dialects::Response response;
  response.status = status;
  response.headers.set(http::field::content_type, "application/json");
  response.body = dialects::json_message_body(message);
  return response;
}

inline dialects::Response plain_transport_error(TransportError error) {
  return plain(dialects::transport_status(error), dialects::transport_message(error));
}

// The header's own say on keep-alive (message::keep_alive needs a whole message).
inline bool wants_keep_alive(const dialects::Header& header) {
  http::token_list connection{header[http::field::connection]};
  if (header.version() >= 11) return !connection.exists("close");
  return connection.exists("keep-alive");
}

inline bool has_no_body(http::status status) {
  auto code = static_cast<unsigned>(status);
  return code / 100 == 1 || code == 204 || code == 304;
}

// The client went away or the socket failed: nothing more can be said on this connection.
inline bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::operation_aborted ||
         ec.category() == net::error::get_system_category() ||
         ec.category() == net::error::get_misc_category();
}

inline std::filesystem::path spool_directory() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? std::filesystem::path(tmp)
                                        : std::filesystem::path("/tmp");
}

// What the gateway answers without a dialect.

}  // namespace clientgate::gateway::detail
