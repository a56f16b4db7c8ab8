// The HTTP/1.1 server: N io_contexts each run by one thread (a connection lives on one of
// them), and the limits of Settings::limits on every message. Where a request is handled (its
// io thread, the turn's writes, the write pool, the password pool) is RequestPlacement's.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "clientgate/core/repository.hpp"
#include "clientgate/gateway/access_log.hpp"
#include "clientgate/gateway/router.hpp"
#include "clientgate/gateway/settings.hpp"

namespace clientgate::gateway {

class Server {
 public:
  // Adds the gateway's own handlers (/healthz, /_admin) to `router`, ahead of its dialects.
  Server(const Settings& settings, Router& router, core::Repository& repository, AccessLog& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the bound address (the real port when port 0 was asked).
  // Throws std::system_error (address in use, bad host).
  boost::asio::ip::tcp::endpoint listen();

  // Serves until SIGINT / SIGTERM or stop(); then stops accepting, lets the requests in
  // flight finish (at most limits.shutdown_grace), and returns when every io thread is done.
  void run();

  // Begins the shutdown run() performs on a signal. Safe from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Raises RLIMIT_NOFILE's soft limit to its hard limit (each connection is a descriptor).
void raise_open_file_limit();

// The descriptors the server keeps beyond one per connection: the database and its journals
// on every thread's SQLite connection, spool files, the listener, the log.
std::size_t descriptor_reserve(const Settings& settings);

// Fits limits.max_connections to the descriptors the process may open (RLIMIT_NOFILE, after
// raise_open_file_limit) less the reserve, so that a new client is never left hanging in the
// listen backlog for want of one. A configured value that does not fit throws SettingsError
// naming limits.max_connections; the default is lowered to fit, and the returned note says so
// (empty when nothing changed).
std::string fit_connections_to_descriptors(Settings& settings);

}  // namespace clientgate::gateway
