// One client connection, transport only: HTTP/1.1 framing, limits, timers, keep-alive and
// writing the response. What answers a request is the router's (router.hpp); where and in
// which transaction it runs is RequestPlacement's. Internal to the gateway: included by
// server.cpp only (one translation unit).
#pragma once

#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "clientgate/gateway/request_target.hpp"
#include "message_reader.hpp"
#include "server_shared.hpp"

namespace clientgate::gateway::detail {

class Session : public std::enable_shared_from_this<Session>,
                public TrackedConnection,
                public PlacedRequest {
 public:
  // `peer` is the address accept() already read (one getpeername per connection, not two).
  Session(tcp::socket socket, Shared& shared, const net::ip::address& peer)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        shared_(shared),
        client_address_(peer.to_string()) {}

  ~Session() override {
    remove_spool_file();
    shared_.connections.remove(this);
    shared_.remove(this);
  }

  // At a connection limit, the oldest idle connection makes room for a new client.
  void close_if_idle() override {
    net::post(socket_.get_executor(), [self = shared_from_this()] {
      if (!self->idle_) return;
      error_code ignored;
      self->socket_.cancel(ignored);  // the idle read ends, and with it the connection
    });
  }

  void start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->next_request(); });
  }

  // Over max_connections: a plain 503 before anything is read, then close.
  void refuse() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->started_ = std::chrono::steady_clock::now();
      self->close_after_ = true;
      self->send(plain_transport_error(TransportError::unavailable));
    });
  }

  // Shutdown: an idle connection closes now; one in the middle of a request closes after
  // its response.
  void shutdown() {
    net::post(socket_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->idle_) {
        error_code ignored;
        self->socket_.cancel(ignored);
      }
    });
  }

 private:
  // --- timer: one deadline at a time (idle, read, write or linger); when it passes, the
  // socket's operations are cancelled and the handler that sees operation_aborted reads
  // timed_out_. Setting a deadline only stores it: the timer wakes at most every
  // Shared::timer_period (the shortest timeout) and checks, so a request costs no timer
  // operation; only a deadline sooner than the pending wake-up (linger) re-arms it.
  void arm(std::chrono::milliseconds after) {
    deadline_ = Clock::now() + after;
    timed_out_ = false;
    if (!timer_waiting_) return wait_for_deadline();
    if (deadline_ < timer_.expiry()) timer_.cancel();  // on_timer waits again, sooner
  }
  void disarm() { deadline_ = Clock::time_point::max(); }

  void wait_for_deadline() {
    timer_waiting_ = true;
    timer_.expires_at(std::min(deadline_, Clock::now() + shared_.timer_period));
    timer_.async_wait([self = shared_from_this()](error_code) { self->on_timer(); });
  }
  void on_timer() {
    timer_waiting_ = false;
    if (closed_ || deadline_ == Clock::time_point::max()) return;
    if (Clock::now() < deadline_) return wait_for_deadline();
    deadline_ = Clock::time_point::max();
    timed_out_ = true;
    error_code ignored;
    socket_.cancel(ignored);
  }

  void reset_message() {
    header_parser_.reset();
    string_parser_.reset();
    file_parser_.reset();
    as_get_.reset();
    header_ = nullptr;
    response_.reset();
    serializer_.reset();
    stream_response_.reset();
    stream_serializer_.reset();
    stream_ = nullptr;
    chunk_.clear();
    remove_spool_file();
    handler_ = nullptr;
    method_.clear();
    target_.clear();
    url_text_.clear();
    refused_ = false;
    head_ = false;
    close_after_ = false;
    bytes_sent_ = 0;
  }

  void next_request() {
    reset_message();
    if (stopping_ || shared_.stopping) return close();
    if (buffer_.size() > 0) return read_header();  // pipelined: already here
    idle_ = true;
    mark_idle();
    arm(shared_.limits.idle_timeout);
    // A read, not a wait for readability: Asio re-registers the socket with epoll for every
    // wait (one more system call per request), while a read that finds nothing simply queues.
    socket_.async_read_some(buffer_.prepare(beast::read_size(buffer_, kReadBytes)),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              self->idle_ = false;
                              self->mark_busy();
                              if (ec || self->stopping_) return self->close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    started_ = std::chrono::steady_clock::now();
    header_parser_.emplace();
    header_parser_->header_limit(static_cast<std::uint32_t>(shared_.limits.header_bytes));
    header_parser_->body_limit(boost::none);  // the route decides, after the header
    arm(shared_.limits.read_timeout);
    parse_buffered(*header_parser_, true);
  }

  template <class Parser>
  void parse_buffered(Parser& parser, bool header_only) {
    async_read_message(
        socket_, buffer_, parser, header_only, shared_.limits.header_bytes, shared_from_this(),
        [this, header_only](error_code ec) { return header_only ? on_header(ec) : on_body(ec); });
  }

  void on_header(error_code ec) {
    if (ec) {
      close_after_ = true;
      if (timed_out_) return send(plain_transport_error(TransportError::timeout));
      if (ec == http::error::header_limit) {
        return send(plain(http::status::request_header_fields_too_large,
                          "Request Header Fields Too Large"));
      }
      if (is_disconnect(ec)) return close();
      return send(plain_transport_error(TransportError::bad_request));
    }
    const dialects::Header& header = header_parser_->get();
    method_ = std::string(header.method_string());
    target_ = std::string(header.target());
    head_ = header.method() == http::verb::head;
    header_ = &header;
    if (head_) {
      // Dialects answer HEAD as GET; the body is left out when writing.
      as_get_.emplace(header);
      as_get_->method(http::verb::get);
      header_ = &*as_get_;
    }

    dialects::RoutePlan defaults{shared_.limits.body_bytes, false};
    plan_ = defaults;
    NormalizedTarget normalized = normalize_target(target_);
    url_text_ = std::move(normalized.text);
    // Refused on the header, in the words of the handler whose path it is, once the body is
    // read (the framing is sound): a target nginx would not pass on, a Host missing or
    // repeated (RFC 9112, 3.2).
    refused_ = !normalized.acceptable || !has_one_host(header);
    route(defaults);
    // The dialect refused on the header alone (a wrong credential for a body it would spool).
    if (plan_.refusal) {
      close_after_ = true;
      return send(*plan_.refusal);
    }

    if (auto length = header_parser_->content_length(); length && *length > plan_.body_limit) {
      return transport_failure(TransportError::body_too_large);  // refused before reading it
    }
    bool expect_continue = beast::iequals(header[http::field::expect], "100-continue");
    if (plan_.spool_body) {
      if (!open_spool_parser()) return;
    } else {
      string_parser_.emplace(std::move(*header_parser_));
      string_parser_->body_limit(plan_.body_limit);
      string_parser_->eager(true);
      string_parser_->on_chunk_header(count_chunk_extensions_);
      if (!head_) header_ = &string_parser_->get();
    }
    header_parser_.reset();

    if (parser_done()) return on_body({});
    if (expect_continue && buffer_.size() == 0) {
      static const std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(socket_, net::buffer(continue_line.data(), continue_line.size()),
                              [self = shared_from_this()](error_code ec, std::size_t) {
                                if (ec) return self->close();
                                self->read_body();
                              });
    }
    read_body();
  }

  // What answers the request (the router's table), and its plan unless it is refused.
  void route(const dialects::RoutePlan& defaults) {
    auto parsed = boost::urls::parse_origin_form(url_text_);
    if (!parsed) {
      handler_ = &shared_.router.bad_target();
      return;
    }
    url_ = *parsed;
    try {
      handler_ = &shared_.router.route(*header_, url_);
      if (!refused_) plan_ = handler_->plan(*header_, url_, defaults);
    } catch (const std::exception& e) {
      report_failure("routing", method_, target_, e);
      handler_ = &shared_.router.failed();
      plan_ = defaults;
    }
  }

  bool open_spool_parser() {
    std::string pattern = (spool_directory() / "clientgate-body-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      report_failure("spooling", method_, target_,
                     std::runtime_error("cannot create a temporary file"));
      close_after_ = true;
      send(plain_transport_error(TransportError::unavailable));
      return false;
    }
    ::close(fd);
    spool_path_ = pattern;
    file_parser_.emplace(std::move(*header_parser_));
    file_parser_->body_limit(plan_.body_limit);
    file_parser_->eager(true);
    file_parser_->on_chunk_header(count_chunk_extensions_);
    error_code ec;
    file_parser_->get().body().open(spool_path_.c_str(), beast::file_mode::write, ec);
    if (ec) {
      report_failure("spooling", method_, target_, std::runtime_error(ec.message()));
      close_after_ = true;
      send(plain_transport_error(TransportError::unavailable));
      return false;
    }
    if (!head_) header_ = &file_parser_->get();
    return true;
  }

  bool parser_done() const {
    return string_parser_ ? string_parser_->is_done() : file_parser_->is_done();
  }

  void read_body() {
    extension_bytes_ = 0;
    if (string_parser_) return parse_buffered(*string_parser_, false);
    parse_buffered(*file_parser_, false);
  }

  // A request line with one Host field; HTTP/1.0 may go without.
  static bool has_one_host(const dialects::Header& header) {
    auto hosts = header.count(http::field::host);
    return hosts == 1 || (hosts == 0 && header.version() < 11);
  }

  void on_body(error_code ec) {
    disarm();
    if (ec) {
      if (timed_out_) return transport_failure(TransportError::timeout);
      if (ec == http::error::body_limit) return transport_failure(TransportError::body_too_large);
      if (is_disconnect(ec)) return close();
      return transport_failure(TransportError::bad_request);
    }
    if (file_parser_) {
      error_code ignored;
      file_parser_->get().body().close();
    }
    if (refused_) return send(refusal_response());
    shared_.placement.run(
        shared_.placement.place(header_->method(), *handler_, plan_, string_parser_.has_value()),
        shared_from_this(), socket_.get_executor());
  }

  // PlacedRequest: the handler's answer to the request read; a handler that throws is a 500.
  dialects::Response handle() override {
    std::string_view body;
    if (string_parser_) body = string_parser_->get().body();
    dialects::Request request{*header_, url_, body, spool_path_, client_address_};
    try {
      return handler_->handle(request);
    } catch (const std::exception& e) {
      report_failure(handler_->name(), method_, target_, e);
    } catch (...) {
      report_failure(handler_->name(), method_, target_, std::runtime_error("unknown exception"));
    }
    return plain(http::status::internal_server_error, "Internal Server Error");
  }

  void answer(dialects::Response response) override {
    // The handler has consumed the spooled body: free the disk before the (maybe slow) write.
    remove_spool_file();
    send(std::move(response));
  }

  dialects::Response unavailable() override {
    try {
      return handler_->transport_error(TransportError::unavailable, *header_);
    } catch (const std::exception& e) {
      report_failure(handler_->name(), method_, target_, e);
    }
    return plain_transport_error(TransportError::unavailable);
  }

  // A request the gateway refuses on its header: 400, in the words of its handler (the
  // dialect that claims the path, else the gateway's own).
  dialects::Response refusal_response() {
    try {
      return handler_->transport_error(TransportError::bad_request, *header_);
    } catch (const std::exception& e) {
      report_failure(handler_->name(), method_, target_, e);
    }
    return plain_transport_error(TransportError::bad_request);
  }

  // A request that failed in transport: the connection's framing can no longer be trusted
  // (the body was not read whole), so the answer closes it.
  void transport_failure(TransportError error) {
    close_after_ = true;
    if (handler_ != nullptr && header_ != nullptr) {
      try {
        return send(handler_->transport_error(error, *header_));
      } catch (const std::exception& e) {
        report_failure(handler_->name(), method_, target_, e);
      }
    }
    send(plain_transport_error(error));
  }

  void send(dialects::Response response) {
    status_ = response.status;
    bool request_keep_alive = header_ != nullptr && wants_keep_alive(*header_);
    keep_alive_ = request_keep_alive && !close_after_ && !stopping_ && !shared_.stopping;
    bool http11 = header_ == nullptr || header_->version() >= 11;
    unsigned version = http11 ? 11 : 10;  // a 1.0 client is answered in 1.0 terms
    if (response.stream && !http11) {
      // HTTP/1.0 has no chunked encoding: the rare 1.0 client gets the body whole.
      while (auto piece = response.stream())
        response.body += *piece;
      response.stream = nullptr;
    }

    if (response.stream && !head_) {
      stream_response_.emplace();
      static_cast<http::fields&>(*stream_response_) = std::move(response.headers);
      stream_response_->result(response.status);
      stream_response_->version(version);
      stream_response_->keep_alive(keep_alive_);
      stream_response_->chunked(true);
      stream_ = std::move(response.stream);
      stream_serializer_.emplace(*stream_response_);
      arm(shared_.limits.write_timeout);
      return http::async_write_header(
          socket_, *stream_serializer_,
          [self = shared_from_this()](error_code ec, std::size_t) { self->write_next_chunk(ec); });
    }

    response_.emplace();
    static_cast<http::fields&>(*response_) = std::move(response.headers);
    response_->result(response.status);
    response_->version(version);
    response_->keep_alive(keep_alive_);
    bool bodyless = has_no_body(response.status);
    if (response.stream) {
      response_->chunked(true);  // HEAD of a streamed GET: the same header, no body
    } else if (!bodyless) {
      response_->content_length(response.body.size());
    }
    bool header_only = head_ || bodyless;
    if (!header_only) {
      bytes_sent_ = response.body.size();
      response_->body() = std::move(response.body);
    }
    serializer_.emplace(*response_);
    arm(shared_.limits.write_timeout);
    auto written = [self = shared_from_this()](error_code ec, std::size_t) {
      self->on_written(ec);
    };
    if (header_only) {
      http::async_write_header(socket_, *serializer_, std::move(written));
    } else {
      http::async_write(socket_, *serializer_, std::move(written));
    }
  }

  // Pulls the next piece only once the previous one is on the wire.
  void write_next_chunk(error_code ec) {
    if (ec) return on_written(ec);
    std::optional<std::string> piece;
    try {
      do {
        piece = stream_();
      } while (piece && piece->empty());
    } catch (const std::exception& e) {
      // The header is sent: the only honest signal left is a truncated chunked body.
      report_failure(handler_ != nullptr ? handler_->name() : "stream", method_, target_, e);
      keep_alive_ = false;
      return on_written(net::error::operation_aborted);
    }
    // The piece was read: no snapshot is held while it goes to a client that may be slow (a
    // reader holding one keeps the WAL from starting over).
    shared_.placement.end_snapshot_later(socket_.get_executor());
    arm(shared_.limits.write_timeout);
    if (!piece) {
      return net::async_write(
          socket_, http::make_chunk_last(),
          [self = shared_from_this()](error_code ec, std::size_t) { self->on_written(ec); });
    }
    chunk_ = std::move(*piece);
    bytes_sent_ += chunk_.size();
    net::async_write(
        socket_, http::make_chunk(net::buffer(chunk_)),
        [self = shared_from_this()](error_code ec, std::size_t) { self->write_next_chunk(ec); });
  }

  void on_written(error_code ec) {
    disarm();
    shared_.placement.end_snapshot_later(socket_.get_executor());
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started_)
                      .count();
    shared_.log.record(AccessEntry{method_.empty() ? std::string_view("-") : method_,
                                   target_.empty() ? std::string_view("-") : target_,
                                   handler_ != nullptr ? handler_->name() : "-",
                                   static_cast<unsigned>(status_), bytes_sent_, micros});
    remove_spool_file();
    if (ec) return close();
    if (!keep_alive_) return linger_close();
    next_request();
  }

  // Closing with unread input makes the kernel send a reset, which can destroy the response
  // in flight; so stop sending, drain what the client still sends for a moment, then close.
  void linger_close() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    if (shared_.limits.linger.count() == 0) return close();
    arm(shared_.limits.linger);
    drain();
  }
  void drain() {
    socket_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->drain();
                            });
  }

  void close() {
    disarm();
    closed_ = true;
    timer_.cancel();  // the pending wake-up holds this session
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void remove_spool_file() {
    if (spool_path_.empty()) return;
    if (file_parser_) file_parser_->get().body().close();
    std::error_code ignored;
    std::filesystem::remove(spool_path_, ignored);
    spool_path_.clear();
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timer_waiting_ = false;
  bool timed_out_ = false;
  bool closed_ = false;
  Shared& shared_;
  std::string client_address_;  // the peer's IP address, as accept() read it
  beast::flat_buffer buffer_;
  bool stopping_ = false;
  bool idle_ = false;
  std::array<char, 4096> drain_buffer_{};

  // The message in progress.
  std::chrono::steady_clock::time_point started_;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  std::optional<http::request_parser<http::string_body>> string_parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;
  std::optional<dialects::Header> as_get_;
  const dialects::Header* header_ = nullptr;
  std::string method_;
  std::string target_;
  bool head_ = false;
  Handler* handler_ = nullptr;  // the router's answer; set once the header is read
  bool refused_ = false;        // answered 400 once the body is read (on_header says why)
  std::string url_text_;        // the target, normalized (request_target.hpp)
  boost::urls::url_view url_;   // views url_text_
  dialects::RoutePlan plan_;
  std::string spool_path_;
  // Chunk extensions of the message, which count against the header limit as a whole.
  std::size_t extension_bytes_ = 0;
  std::function<void(std::uint64_t, beast::string_view, error_code&)> count_chunk_extensions_ =
      [this](std::uint64_t, beast::string_view extensions, error_code& ec) {
        extension_bytes_ += extensions.size();
        if (extension_bytes_ > shared_.limits.header_bytes) ec = http::error::header_limit;
      };

  // The response in progress.
  http::status status_ = http::status::ok;
  bool keep_alive_ = false;
  bool close_after_ = false;
  std::uint64_t bytes_sent_ = 0;
  std::optional<http::response<http::string_body>> response_;
  std::optional<http::response_serializer<http::string_body>> serializer_;
  std::optional<http::response<http::empty_body>> stream_response_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::function<std::optional<std::string>()> stream_;
  std::string chunk_;
};

}  // namespace clientgate::gateway::detail
