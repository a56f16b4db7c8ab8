// Reading one HTTP message into a Beast parser, with the limits Beast's own reads leave out.
// Internal to the gateway (server.cpp).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace clientgate::gateway {

// The most one read takes at once (as Beast's own reads).
constexpr std::size_t kReadBytes = 65536;

// Beast reads a chunk extension's quoted string past the end of its line, waiting for a
// closing quote that may never come. `unparsed` is what a chunked parser left when it asked
// for more: a whole chunk-size line (or, for the last chunk, a whole trailer section) there
// means the parser will never be satisfied, the line is malformed.
inline bool is_stalled_chunk_line(std::string_view unparsed) {
  if (unparsed.substr(0, 2) == "\r\n") unparsed.remove_prefix(2);  // the end of the last chunk
  auto end = unparsed.find("\r\n");
  if (end == std::string_view::npos) return false;
  auto digits = unparsed.find_first_not_of("0123456789abcdefABCDEF");
  bool last_chunk = unparsed.find_first_not_of('0') >= std::min(digits, end);
  return !last_chunk || unparsed.find("\r\n\r\n") != std::string_view::npos;
}

// Parses what `buffer` holds, reading more from `socket` until `parser` has its header
// (header_only) or its whole message; then calls done(error_code). Not Beast's own reads:
// they let a chunk-size line (its extensions) or a trailer section grow the buffer without
// bound, and let the exception of a field Beast cannot hold (over 64 KiB) escape the handler.
// After the header, what is left unparsed waits for the end of a chunk-size line or of the
// trailer section, and counts against `header_limit` as the header itself does in the parser.
// `keep_alive` is copied into the read's handler (the owner of socket, buffer and parser).
template <class Parser, class KeepAlive, class Done>
void async_read_message(boost::asio::ip::tcp::socket& socket, boost::beast::flat_buffer& buffer,
                        Parser& parser, bool header_only, std::size_t header_limit,
                        KeepAlive keep_alive, Done done) {
  namespace http = boost::beast::http;
  using boost::system::error_code;
  for (;;) {
    if (header_only ? parser.is_header_done() : parser.is_done()) return done(error_code{});
    if (buffer.size() == 0) break;
    error_code ec;
    std::size_t used = 0;
    try {
      used = parser.put(boost::asio::const_buffer(buffer.data().data(), buffer.size()), ec);
    } catch (const std::length_error&) {
      ec = http::error::header_limit;  // a field over what Beast's fields can hold
    }
    buffer.consume(used);
    if (ec == http::error::need_more) break;
    if (ec) return done(ec);
  }
  if (!header_only) {
    if (buffer.size() > header_limit) return done(error_code(http::error::header_limit));
    std::string_view unparsed(static_cast<const char*>(buffer.data().data()), buffer.size());
    if (parser.chunked() && is_stalled_chunk_line(unparsed)) {
      return done(error_code(http::error::bad_chunk_extension));
    }
  }
  socket.async_read_some(
      buffer.prepare(boost::beast::read_size(buffer, kReadBytes)),
      [&socket, &buffer, &parser, header_only, header_limit, keep_alive = std::move(keep_alive),
       done = std::move(done)](error_code ec, std::size_t n) mutable {
        if (ec) return done(ec);
        buffer.commit(n);
        async_read_message(socket, buffer, parser, header_only, header_limit, std::move(keep_alive),
                           std::move(done));
      });
}

}  // namespace clientgate::gateway
