// One client connection, transport only: HTTP/1.1 framing, limits, timers, keep-alive and
// writing the response. What answers a request is the router's (router.hpp); where and in
// which transaction it runs is RequestPlacement's. Internal to the gateway: included by
// server.cpp only (one translation unit).
#pragma once

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

#include "deadline.hpp"
#include "message_reader.hpp"
#include "outgoing_response.hpp"
#include "request_body.hpp"
#include "routed_request.hpp"
#include "server_shared.hpp"

namespace clientgate::gateway::detail {

class Session : public std::enable_shared_from_this<Session>,
                public TrackedConnection,
                public PlacedRequest {
 public:
  // `peer` is the address accept() already read (one getpeername per connection, not two).
  Session(tcp::socket socket, Shared& shared, const net::ip::address& peer)
      : socket_(std::move(socket)),
        deadline_(*this, socket_, shared.timer_period),
        shared_(shared),
        client_address_(peer.to_string()),
        body_(shared.limits.header_bytes) {}

  ~Session() override {
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
  void reset_message() {
    header_parser_.reset();
    body_.reset();
    out_.reset();
    request_.reset();
    close_after_ = false;
    bytes_sent_ = 0;
  }

  void next_request() {
    reset_message();
    if (stopping_ || shared_.stopping) return close();
    if (buffer_.size() > 0) return read_header();  // pipelined: already here
    idle_ = true;
    mark_idle();
    deadline_.arm(shared_.limits.idle_timeout);
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
    deadline_.arm(shared_.limits.read_timeout);
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
      if (deadline_.passed()) return send(plain_transport_error(TransportError::timeout));
      if (ec == http::error::header_limit) {
        return send(plain(http::status::request_header_fields_too_large,
                          "Request Header Fields Too Large"));
      }
      if (is_disconnect(ec)) return close();
      return send(plain_transport_error(TransportError::bad_request));
    }
    const dialects::Header& header = header_parser_->get();
    request_.route(header, has_one_host(header), shared_.router,
                   dialects::RoutePlan{shared_.limits.body_bytes, false});
    // The dialect refused on the header alone (a wrong credential for a body it would spool).
    if (request_.plan.refusal) {
      close_after_ = true;
      return send(*request_.plan.refusal);
    }

    if (auto length = header_parser_->content_length();
        length && *length > request_.plan.body_limit) {
      return transport_failure(TransportError::body_too_large);  // refused before reading it
    }
    bool expect_continue = beast::iequals(header[http::field::expect], "100-continue");
    if (std::string error; !body_.begin(*header_parser_, request_.plan, error)) {
      report("spooling", std::runtime_error(error));
      close_after_ = true;
      return send(plain_transport_error(TransportError::unavailable));
    }
    if (!request_.head) request_.header = &body_.header();
    header_parser_.reset();

    if (body_.done()) return on_body({});
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

  void read_body() {
    body_.read([this](auto& parser) { parse_buffered(parser, false); });
  }

  void on_body(error_code ec) {
    deadline_.disarm();
    if (ec) {
      if (deadline_.passed()) return transport_failure(TransportError::timeout);
      if (ec == http::error::body_limit) return transport_failure(TransportError::body_too_large);
      if (is_disconnect(ec)) return close();
      return transport_failure(TransportError::bad_request);
    }
    body_.finished();
    // Refused on the header: 400, in the words of the handler whose path it is.
    if (request_.refused) return send(in_handler_words(TransportError::bad_request));
    shared_.placement.run(shared_.placement.place(request_.header->method(), *request_.handler,
                                                  request_.plan, body_.in_memory()),
                          shared_from_this(), socket_.get_executor());
  }

  // PlacedRequest: the handler's answer to the request read; a handler that throws is a 500.
  dialects::Response handle() override {
    dialects::Request request{*request_.header, request_.url, body_.text(), body_.spool_path(),
                              client_address_};
    try {
      return request_.handler->handle(request);
    } catch (const std::exception& e) {
      report(request_.handler->name(), e);
    } catch (...) {
      report(request_.handler->name(), std::runtime_error("unknown exception"));
    }
    return plain(http::status::internal_server_error, "Internal Server Error");
  }

  void answer(dialects::Response response) override {
    // The handler has consumed the spooled body: free the disk before the (maybe slow) write.
    body_.remove_spool_file();
    send(std::move(response));
  }

  dialects::Response unavailable() override {
    return in_handler_words(TransportError::unavailable);
  }

  // A request that failed in transport: the connection's framing can no longer be trusted
  // (the body was not read whole), so the answer closes it.
  void transport_failure(TransportError error) {
    close_after_ = true;
    send(in_handler_words(error));
  }

  // The handler's answer to a transport error (the dialect's shape), or the gateway's own
  // when no handler is known yet or its answer failed.
  dialects::Response in_handler_words(TransportError error) {
    if (request_.handler != nullptr && request_.header != nullptr) {
      try {
        return request_.handler->transport_error(error, *request_.header);
      } catch (const std::exception& e) {
        report(request_.handler->name(), e);
      }
    }
    return plain_transport_error(error);
  }

  void send(dialects::Response response) {
    status_ = response.status;
    bool request_keep_alive = request_.header != nullptr && wants_keep_alive(*request_.header);
    keep_alive_ = request_keep_alive && !close_after_ && !stopping_ && !shared_.stopping;
    bool http11 = request_.header == nullptr || request_.header->version() >= 11;
    out_.prepare(std::move(response), http11 ? 11 : 10, keep_alive_,
                 request_.head);  // 1.0 in 1.0 terms
    deadline_.arm(shared_.limits.write_timeout);
    if (out_.streamed()) {
      return http::async_write_header(
          socket_, out_.stream_serializer(),
          [self = shared_from_this()](error_code ec, std::size_t) { self->write_next_chunk(ec); });
    }
    bytes_sent_ = out_.body_bytes();
    auto written = [self = shared_from_this()](error_code ec, std::size_t) {
      self->on_written(ec);
    };
    if (out_.header_only()) return http::async_write_header(socket_, out_.serializer(), written);
    http::async_write(socket_, out_.serializer(), std::move(written));
  }

  // Pulls the next piece only once the previous one is on the wire.
  void write_next_chunk(error_code ec) {
    if (ec) return on_written(ec);
    std::optional<std::string> piece;
    try {
      do {
        piece = out_.next_piece();
      } while (piece && piece->empty());
    } catch (const std::exception& e) {
      // The header is sent: the only honest signal left is a truncated chunked body.
      report(request_.handler != nullptr ? request_.handler->name() : "stream", e);
      keep_alive_ = false;
      return on_written(net::error::operation_aborted);
    }
    // The piece was read: no snapshot is held while it goes to a client that may be slow (a
    // reader holding one keeps the WAL from starting over).
    shared_.placement.end_snapshot_later(socket_.get_executor());
    deadline_.arm(shared_.limits.write_timeout);
    if (!piece) {
      return net::async_write(
          socket_, http::make_chunk_last(),
          [self = shared_from_this()](error_code ec, std::size_t) { self->on_written(ec); });
    }
    bytes_sent_ += piece->size();
    net::async_write(
        socket_, http::make_chunk(net::buffer(out_.hold(std::move(*piece)))),
        [self = shared_from_this()](error_code ec, std::size_t) { self->write_next_chunk(ec); });
  }

  void on_written(error_code ec) {
    deadline_.disarm();
    shared_.placement.end_snapshot_later(socket_.get_executor());
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started_)
                      .count();
    shared_.log.record(
        AccessEntry{request_.method.empty() ? std::string_view("-") : request_.method,
                    request_.target.empty() ? std::string_view("-") : request_.target,
                    request_.handler != nullptr ? request_.handler->name() : "-",
                    static_cast<unsigned>(status_), bytes_sent_, micros});
    body_.remove_spool_file();
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
    deadline_.arm(shared_.limits.linger);
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
    deadline_.stop();  // the pending wake-up holds this session
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void report(std::string_view where, const std::exception& e) const {
    report_failure(where, request_.method, request_.target, e);
  }

  tcp::socket socket_;
  Deadline<Session> deadline_;
  Shared& shared_;
  std::string client_address_;  // the peer's IP address, as accept() read it
  beast::flat_buffer buffer_;
  bool stopping_ = false;
  bool idle_ = false;
  std::array<char, 4096> drain_buffer_{};

  // The message in progress.
  std::chrono::steady_clock::time_point started_;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  RequestBody body_;
  RoutedRequest request_;
  // The response in progress.
  http::status status_ = http::status::ok;
  bool keep_alive_ = false;
  bool close_after_ = false;
  std::uint64_t bytes_sent_ = 0;
  OutgoingResponse out_;
};

}  // namespace clientgate::gateway::detail
