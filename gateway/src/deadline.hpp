// One deadline at a time for a connection (idle, read, write or linger): when it passes, the
// socket's operations are cancelled, and the handler that sees operation_aborted asks
// passed(). Setting a deadline only stores it: the timer wakes at most every `period` (the
// shortest timeout) and checks, so a request costs no timer operation; only a deadline
// sooner than the pending wake-up (linger) re-arms it. Internal to the gateway (session.hpp).
#pragma once

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

namespace clientgate::gateway::detail {

// `Owner` (the session) is kept alive by a pending wake-up: owner.shared_from_this().
template <class Owner>
class Deadline {
 public:
  Deadline(Owner& owner, boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds period)
      : owner_(owner), socket_(socket), timer_(socket.get_executor()), period_(period) {}

  void arm(std::chrono::milliseconds after) {
    deadline_ = Clock::now() + after;
    passed_ = false;
    if (!waiting_) return wait();
    if (deadline_ < timer_.expiry()) timer_.cancel();  // on_timer waits again, sooner
  }
  void disarm() { deadline_ = Clock::time_point::max(); }
  bool passed() const { return passed_; }

  // The connection is closed: the pending wake-up, which holds the owner, ends now.
  void stop() {
    disarm();
    stopped_ = true;
    timer_.cancel();
  }

 private:
  using Clock = std::chrono::steady_clock;

  void wait() {
    waiting_ = true;
    timer_.expires_at(std::min(deadline_, Clock::now() + period_));
    timer_.async_wait(
        [self = owner_.shared_from_this(), this](boost::system::error_code) { on_timer(); });
  }
  void on_timer() {
    waiting_ = false;
    if (stopped_ || deadline_ == Clock::time_point::max()) return;
    if (Clock::now() < deadline_) return wait();
    deadline_ = Clock::time_point::max();
    passed_ = true;
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }

  Owner& owner_;
  boost::asio::ip::tcp::socket& socket_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds period_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool waiting_ = false;
  bool passed_ = false;
  bool stopped_ = false;
};

}  // namespace clientgate::gateway::detail
