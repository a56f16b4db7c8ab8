#include "request_placement.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>
#include <vector>

namespace clientgate::gateway::detail {

namespace net = boost::asio;
namespace http = dialects::http;

namespace {

// The requests that may write gathered during one turn of an io thread's event loop. The
// handler that runs them owns them; the io thread keeps a weak reference to the open one, so
// that a turn whose handler never runs (the server stopped) leaves nothing behind.
struct TurnWrites {
  std::vector<std::shared_ptr<PlacedRequest>> requests;
};
thread_local std::weak_ptr<TurnWrites> open_turn_writes;

void handle_turn_writes(TurnWrites& turn, core::Repository& repository) {
  open_turn_writes.reset();  // a request that arrives from now on starts the next turn's
  std::vector<dialects::Response> responses(turn.requests.size());
  bool committed = repository.write_together([&] {
    for (std::size_t i = 0; i < turn.requests.size(); ++i)
      responses[i] = turn.requests[i]->handle();
  });
  if (!committed) {
    // Nothing of the turn's writes stands: each request runs again on its own, and answers
    // what that gives (an error in its handler's words when the store is failing).
    for (std::size_t i = 0; i < turn.requests.size(); ++i)
      responses[i] = turn.requests[i]->handle();
  }
  for (std::size_t i = 0; i < turn.requests.size(); ++i)
    turn.requests[i]->answer(std::move(responses[i]));
}

}  // namespace

void RequestPlacement::serve_on_this_thread() {
  // A password hash never runs here (RoutePlan::verifies_password sends it to the password
  // pool); should the credential cache forget a pair between the plan and the handler, the
  // dialect answers 503 rather than hash on this thread.
  core::Authenticator::refuse_password_hashing_on_this_thread();
  try {
    repository_.keep_snapshots();
  } catch (const std::exception& e) {
    std::cerr << "clientgate: " << e.what() << "\n";  // reads stay fresh per statement
  }
}

// A request with a password to verify runs on the password pool, whatever its method. GET
// and HEAD run on the io thread, as does whatever a handler that never writes answers. Any
// other method may write: with its body in memory and a plan its dialect calls quick, it
// joins this turn's writes; otherwise it runs on the write pool.
Place RequestPlacement::place(http::verb method, const Handler& handler,
                              const dialects::RoutePlan& plan, bool body_in_memory) const {
  if (plan.verifies_password && threads_.passwords != nullptr) return Place::password_pool;
  if (method == http::verb::get || !handler.may_write()) return Place::io_thread;
  if (threads_.write_batching && body_in_memory && plan.quick()) return Place::turn_writes;
  if (threads_.writers == nullptr) return Place::io_thread;
  return Place::write_pool;
}

void RequestPlacement::run(Place where, const std::shared_ptr<PlacedRequest>& request,
                           const net::any_io_executor& io) {
  switch (where) {
    case Place::io_thread:
      return request->answer(request->handle());
    case Place::turn_writes:
      return join_turn_writes(request, io);
    case Place::write_pool:
      return net::post(*threads_.writers, [request, io] {
        auto response = request->handle();
        net::post(io, [request, response = std::move(response)]() mutable {
          request->answer(std::move(response));
        });
      });
    case Place::password_pool:
      return run_on_password_pool(request, io);
  }
}

// The first request of a turn queues the handler that runs them all, behind the handlers
// already ready, with their writes committed together. No other thread takes part: one
// commit for the turn, and no hand-over to a pool and back.
void RequestPlacement::join_turn_writes(const std::shared_ptr<PlacedRequest>& request,
                                        const net::any_io_executor& io) {
  std::shared_ptr<TurnWrites> turn = open_turn_writes.lock();
  if (!turn) {
    turn = std::make_shared<TurnWrites>();
    open_turn_writes = turn;
    net::post(io, [turn, &repository = repository_] { handle_turn_writes(*turn, repository); });
  }
  turn->requests.push_back(request);
}

// An Argon2id hash to verify: the io thread serves its other connections meanwhile. With the
// pool's queue full the request is answered at once: 503 with Retry-After in its handler's
// shape, the connection kept (the request was read whole).
void RequestPlacement::run_on_password_pool(const std::shared_ptr<PlacedRequest>& request,
                                            const net::any_io_executor& io) {
  bool queued = threads_.passwords->try_post([this, request, io] {
    auto response = request->handle();
    net::post(io, [this, request, io, response = std::move(response)]() mutable {
      answer_password_request(request, io, std::move(response));
    });
  });
  if (!queued) request->answer(request->unavailable());
}

// A 429 (too many failed passwords) waits throttled_answer_delay on a timer before it is
// sent: a client that retries at once gets one attempt per connection per delay, however
// fast it loops, and holds no thread meanwhile.
void RequestPlacement::answer_password_request(const std::shared_ptr<PlacedRequest>& request,
                                               const net::any_io_executor& io,
                                               dialects::Response response) {
  if (response.status != http::status::too_many_requests ||
      threads_.throttled_answer_delay.count() == 0 || stopping_) {
    return request->answer(std::move(response));
  }
  auto timer = std::make_shared<net::steady_timer>(io, threads_.throttled_answer_delay);
  timer->async_wait(
      [request, timer, response = std::move(response)](boost::system::error_code) mutable {
        request->answer(std::move(response));
      });
}

void RequestPlacement::end_snapshot_later(const net::any_io_executor& io) {
  thread_local bool queued = false;
  if (queued) return;
  queued = true;
  net::post(io, [&repository = repository_] {
    queued = false;
    try {
      repository.end_snapshot();
    } catch (const std::exception&) {
      // no connection to end a snapshot on: nothing is held
    }
  });
}

}  // namespace clientgate::gateway::detail
