// A handler's answer as the Beast message that carries it: whole, header only (HEAD, or a
// status without a body), or a chunked header whose pieces are pulled one by one once it is
// sent. Internal to the gateway (session.hpp).
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <optional>
#include <string>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::gateway::detail {

inline bool has_no_body(dialects::http::status status) {
  auto code = static_cast<unsigned>(status);
  return code / 100 == 1 || code == 204 || code == 304;
}

class OutgoingResponse {
 public:
  // `version` 10: the rare HTTP/1.0 client, which has no chunked encoding, gets a streamed
  // body whole. `head`: the same header as for GET, without the body.
  void prepare(dialects::Response response, unsigned version, bool keep_alive, bool head) {
    namespace http = dialects::http;
    if (response.stream && version < 11) {
      while (auto piece = response.stream())
        response.body += *piece;
      response.stream = nullptr;
    }
    if (response.stream && !head) {
      stream_header_.emplace();
      static_cast<http::fields&>(*stream_header_) = std::move(response.headers);
      stream_header_->result(response.status);
      stream_header_->version(version);
      stream_header_->keep_alive(keep_alive);
      stream_header_->chunked(true);
      stream_ = std::move(response.stream);
      stream_serializer_.emplace(*stream_header_);
      return;
    }
    whole_.emplace();
    static_cast<http::fields&>(*whole_) = std::move(response.headers);
    whole_->result(response.status);
    whole_->version(version);
    whole_->keep_alive(keep_alive);
    bool bodyless = has_no_body(response.status);
    if (response.stream) {
      whole_->chunked(true);  // HEAD of a streamed GET: the same header, no body
    } else if (!bodyless) {
      whole_->content_length(response.body.size());
    }
    header_only_ = head || bodyless;
    if (!header_only_) whole_->body() = std::move(response.body);
    serializer_.emplace(*whole_);
  }

  bool streamed() const { return stream_serializer_.has_value(); }
  bool header_only() const { return header_only_; }
  // The body bytes of a whole response (a streamed one counts its pieces as they go).
  std::uint64_t body_bytes() const { return header_only_ ? 0 : whole_->body().size(); }

  auto& serializer() { return *serializer_; }
  auto& stream_serializer() { return *stream_serializer_; }
  // The next piece of a streamed body (nullopt at the end); may throw.
  std::optional<std::string> next_piece() { return stream_(); }
  // Keeps a piece alive while it is written.
  const std::string& hold(std::string piece) { return chunk_ = std::move(piece); }

  void reset() {
    serializer_.reset();
    whole_.reset();
    stream_serializer_.reset();
    stream_header_.reset();
    stream_ = nullptr;
    chunk_.clear();
    header_only_ = false;
  }

 private:
  std::optional<dialects::http::response<dialects::http::string_body>> whole_;
  std::optional<dialects::http::response_serializer<dialects::http::string_body>> serializer_;
  std::optional<dialects::http::response<dialects::http::empty_body>> stream_header_;
  std::optional<dialects::http::response_serializer<dialects::http::empty_body>> stream_serializer_;
  std::function<std::optional<std::string>()> stream_;
  std::string chunk_;
  bool header_only_ = false;
};

}  // namespace clientgate::gateway::detail
