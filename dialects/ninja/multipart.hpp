// A streaming multipart/form-data parser (RFC 7578 over RFC 2046). It is fed the body in
// chunks of any size and reports parts through callbacks, so a file larger than memory passes
// through a fixed-size buffer. It owns no I/O: tests and the fuzz target feed it directly.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace clientgate::dialects::ninja {

struct PartHeaders {
  std::string name;                     // Content-Disposition name, decoded
  std::optional<std::string> filename;  // present: a file part (may be "")
  std::string content_type;             // "" when absent
};

struct MultipartLimits {
  std::size_t max_header_bytes = 16 * 1024;  // one part's header block
  std::size_t max_parts = 1000;
  std::size_t max_preamble_bytes = 64 * 1024;
};

class MultipartParser {
 public:
  struct Callbacks {
    std::function<bool(const PartHeaders&)> part_begin;  // false: stop with an error
    std::function<bool(std::string_view)> part_data;     // false: stop with an error
    std::function<bool()> part_end;                      // false: stop with an error
  };

  MultipartParser(std::string boundary, Callbacks callbacks, MultipartLimits limits = {});

  // false once the body is known to be malformed (see error()).
  bool feed(std::string_view chunk);
  // The body ended: false unless the closing delimiter was seen.
  bool finish();

  bool failed() const { return state_ == State::failed; }
  const std::string& error() const { return error_; }

 private:
  enum class State { preamble, after_delimiter, headers, body, done, failed };
  bool fail(std::string message);
  bool step();  // processes what the buffer allows; false when it needs more input
  bool parse_headers(std::string_view block, PartHeaders& out);

  std::string delimiter_;  // "\r\n--" + boundary
  Callbacks callbacks_;
  MultipartLimits limits_;
  State state_ = State::preamble;
  std::string buffer_;
  std::size_t parts_ = 0;
  std::size_t preamble_seen_ = 0;
  std::string error_;
};

// The boundary parameter of a Content-Type header value ("multipart/form-data; boundary=x"),
// unquoted; nullopt when absent or not a valid RFC 2046 boundary (1..70 characters).
std::optional<std::string> multipart_boundary(std::string_view content_type);

// A file name as PHP keeps it: the part after the last '/' or '\'. "" when nothing is left
// (or only "." / "..").
std::string base_file_name(std::string_view name);

}  // namespace clientgate::dialects::ninja
