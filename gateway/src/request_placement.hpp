// Where a request read whole is handled, and in which transaction: on its io thread, among
// the writes of the io thread's turn (one transaction, Repository::write_together), on the
// write pool, or on the password pool. Also the io threads' read snapshots, which the same
// turns bound. The session hands a request over and gets its answer back on its io thread;
// it knows nothing of threads or transactions. Internal to the gateway.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>

#include "clientgate/core/repository.hpp"
#include "clientgate/gateway/bounded_pool.hpp"
#include "clientgate/gateway/router.hpp"

namespace clientgate::gateway::detail {

// A request read whole, as placement sees it.
class PlacedRequest {
 public:
  virtual ~PlacedRequest() = default;
  // The handler's answer; runs on the thread placement chose, never throws.
  virtual dialects::Response handle() = 0;
  // Sends the answer; called on the request's io thread.
  virtual void answer(dialects::Response response) = 0;
  // The answer when no thread can take the request now (503 in its handler's shape).
  virtual dialects::Response unavailable() = 0;
};

enum class Place {
  io_thread,      // handled at once on the connection's io thread
  turn_writes,    // among this turn's writes on the io thread, in their one transaction
  write_pool,     // on the write pool; the store commits the writes waiting there together
  password_pool,  // on the bounded password pool (an Argon2id hash to verify)
};

class RequestPlacement {
 public:
  struct Threads {
    boost::asio::thread_pool* writers = nullptr;  // null: writes run on the io threads
    bool write_batching = true;                   // Settings::write_batching
    BoundedPool* passwords = nullptr;             // null: passwords verified where they come
    std::chrono::milliseconds throttled_answer_delay{0};  // Settings
  };

  // `stopping`: the server is shutting down (a 429 is then sent at once).
  RequestPlacement(core::Repository& repository, const std::atomic<bool>& stopping)
      : repository_(repository), stopping_(stopping) {}

  void use(const Threads& threads) { threads_ = threads; }

  // Sets up the calling io thread: its reads share a snapshot per turn, and it refuses to
  // hash a password.
  void serve_on_this_thread();

  Place place(dialects::http::verb method, const Handler& handler, const dialects::RoutePlan& plan,
              bool body_in_memory) const;

  // Handles `request` where place() says; its answer comes back on `io`, the request's io
  // thread. The caller reads nothing meanwhile, so the handler has the request to itself.
  void run(Place where, const std::shared_ptr<PlacedRequest>& request,
           const boost::asio::any_io_executor& io);

  // The io thread's read snapshot is shared by the requests handled in one turn of its event
  // loop: call after each answer (or streamed piece) is produced; it ends in a handler queued
  // behind the ones already ready, at most one queued per thread.
  void end_snapshot_later(const boost::asio::any_io_executor& io);

 private:
  void join_turn_writes(const std::shared_ptr<PlacedRequest>& request,
                        const boost::asio::any_io_executor& io);
  void run_on_password_pool(const std::shared_ptr<PlacedRequest>& request,
                            const boost::asio::any_io_executor& io);
  void answer_password_request(const std::shared_ptr<PlacedRequest>& request,
                               const boost::asio::any_io_executor& io, dialects::Response response);

  core::Repository& repository_;
  const std::atomic<bool>& stopping_;
  Threads threads_;
};

}  // namespace clientgate::gateway::detail
