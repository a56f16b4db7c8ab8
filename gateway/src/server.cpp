#include "clientgate/gateway/server.hpp"

#include <sys/resource.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "gateway_handlers.hpp"
#include "session.hpp"

namespace clientgate::gateway {

using detail::Session;
using detail::Shared;

// One io_context per worker thread, each run by exactly one thread (as nginx runs one worker
// per core): a connection's handlers never run concurrently, so no strand or lock is needed on
// the request path, and no wake-up crosses threads. The acceptor and the signals live on a
// control context of their own, so a busy worker never delays accepting or shutting down; it
// hands each accepted socket to the workers in turn.
struct Server::Impl {
  Impl(const Settings& settings, Router& router, core::Repository& repository, AccessLog& log)
      : settings(settings),
        shared{settings.limits, router, repository, log},
        contexts(make_contexts(resolved_threads(settings))),
        acceptor(control),
        signals(control, SIGINT, SIGTERM),
        retry_timer(control) {
    detail::add_gateway_handlers(router, repository, settings.admin_token);
    if (settings.write_threads > 0) writers.emplace(settings.write_threads);
    passwords.emplace(resolved_password_threads(settings), settings.password_queue);
    shared.placement.use({writers ? &*writers : nullptr, settings.write_batching, &*passwords,
                          settings.throttled_answer_delay});
  }

  static std::vector<std::unique_ptr<net::io_context>> make_contexts(unsigned count) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (unsigned i = 0; i < std::max(1u, count); ++i)
      out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  net::io_context& next_context() { return *contexts[next_context_index++ % contexts.size()]; }

  void accept() {
    acceptor.async_accept(next_context(), [this](error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (ec) {
        // Out of descriptors or memory: wait a little instead of spinning on the error.
        retry_timer.expires_after(std::chrono::milliseconds(50));
        retry_timer.async_wait([this](error_code e) {
          if (!e) accept();
        });
        return;
      }
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      error_code gone;
      auto remote = socket.remote_endpoint(gone);
      if (shared.stopping || gone) {
        socket.close(ignored);  // shutting down, or the peer left before it was accepted
      } else {
        auto session = std::make_shared<Session>(std::move(socket), shared, remote.address());
        shared.add(session.get(), session);
        if (shared.connections.add(session, address_key(remote.address()))) {
          session->start();
        } else {
          session->refuse();
        }
      }
      accept();
    });
  }

  // On the control thread.
  void begin_shutdown() {
    shared.stopping = true;
    if (shutdown_begun.exchange(true)) return;
    error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    retry_timer.cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(shared.sessions_mutex);
      for (auto& [raw, weak] : shared.sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live)
      s->shutdown();
    std::lock_guard lock(shutdown_mutex);
    shutdown_requested = true;
    shutdown_wake.notify_all();
  }

  const Settings& settings;
  Shared shared;  // outlives the contexts: sessions destroyed with their handlers deregister here
  // The workers are declared before the control context so that they are destroyed after
  // it: the accept pending on the control context holds a socket of a worker.
  std::vector<std::unique_ptr<net::io_context>> contexts;  // the workers
  // Declared after the workers: joined before they are destroyed, as its handlers hand their
  // answers back to them.
  std::optional<net::thread_pool> writers;
  std::optional<BoundedPool> passwords;  // the same, for password verifications
  net::io_context control{1};
  std::atomic<bool> shutdown_begun{false};
  std::size_t next_context_index = 0;  // used on the control thread only
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer retry_timer;
  std::mutex shutdown_mutex;
  std::condition_variable shutdown_wake;
  bool shutdown_requested = false;
};

Server::Server(const Settings& settings, Router& router, core::Repository& repository,
               AccessLog& log)
    : impl_(std::make_unique<Impl>(settings, router, repository, log)) {}

Server::~Server() = default;

tcp::endpoint Server::listen() {
  const ListenAddress& where = impl_->settings.listen;
  std::string host = where.host == "localhost" ? "127.0.0.1" : where.host;
  tcp::endpoint endpoint(net::ip::make_address(host), where.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  return acceptor.local_endpoint();
}

void Server::run() {
  Impl& impl = *impl_;
  impl.signals.async_wait([&impl](error_code ec, int) {
    if (!ec) impl.begin_shutdown();
  });
  net::dispatch(impl.acceptor.get_executor(), [&impl] { impl.accept(); });

  // A worker has nothing to do until a connection arrives.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::vector<net::io_context*> all{&impl.control};
  for (auto& io : impl.contexts) {
    keep_running.push_back(net::make_work_guard(*io));
    all.push_back(io.get());
  }

  std::vector<std::thread> threads;
  threads.reserve(all.size());
  for (net::io_context* io : all) {
    bool worker = io != &impl.control;
    threads.emplace_back([io, worker, &placement = impl.shared.placement] {
      if (worker) placement.serve_on_this_thread();
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "clientgate: error escaped a handler: " << e.what() << "\n";
        }
      }
    });
  }

  {
    std::unique_lock lock(impl.shutdown_mutex);
    impl.shutdown_wake.wait(lock, [&] { return impl.shutdown_requested; });
  }
  {
    std::unique_lock lock(impl.shared.sessions_mutex);
    impl.shared.sessions_gone.wait_for(lock, impl.settings.limits.shutdown_grace,
                                       [&] { return impl.shared.sessions.empty(); });
  }
  // Requests still on the write pool finish (a handler cannot be interrupted); their answers
  // are not sent once the workers stop.
  if (impl.writers) impl.writers->join();
  if (impl.passwords) impl.passwords->join();
  keep_running.clear();
  for (net::io_context* io : all)
    io->stop();
  for (auto& t : threads)
    t.join();
}

void Server::stop() {
  // At once, so that a response being written now already says Connection: close; the rest
  // of the shutdown runs on the control thread.
  impl_->shared.stopping = true;
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] { impl->begin_shutdown(); });
}

void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur == limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace clientgate::gateway
