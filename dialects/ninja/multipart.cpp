#include "multipart.hpp"

#include "clientgate/dialects/common.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace clientgate::dialects::ninja {
namespace {

struct Parameter {
  std::string name;
  std::string value;
};

// "form-data; name=\"a\"; filename=b" -> the type and its parameters. Quoted strings may
// escape with a backslash (curl) or carry %22 (browsers: left as written).
bool split_parameters(std::string_view header, std::string& type, std::vector<Parameter>& out) {
  std::size_t i = header.find(';');
  type = ascii_lower(trim_blanks(header.substr(0, i)));
  while (i != std::string_view::npos && i < header.size()) {
    ++i;  // past ';'
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t'))
      ++i;
    if (i >= header.size()) break;
    std::size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) return false;
    Parameter p;
    p.name = ascii_lower(trim_blanks(header.substr(i, eq - i)));
    i = eq + 1;
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t'))
      ++i;
    if (i < header.size() && header[i] == '"') {
      ++i;
      bool closed = false;
      while (i < header.size()) {
        char c = header[i++];
        if (c == '\\' && i < header.size()) {
          p.value += header[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          p.value += c;
        }
      }
      if (!closed) return false;
      while (i < header.size() && header[i] != ';') {
        if (header[i] != ' ' && header[i] != '\t') return false;
        ++i;
      }
    } else {
      std::size_t end = header.find(';', i);
      p.value =
          std::string(trim_blanks(header.substr(i, end == std::string_view::npos ? end : end - i)));
      i = end;
    }
    out.push_back(std::move(p));
    if (i == std::string_view::npos) break;
  }
  return true;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value: charset'lang'percent-encoded. Only UTF-8 and ASCII are taken.
std::optional<std::string> ext_value(std::string_view v) {
  auto q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  auto q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  std::string charset = ascii_lower(v.substr(0, q1));
  if (charset != "utf-8" && charset != "us-ascii") return std::nullopt;
  std::string out;
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && hex(v[i + 1]) >= 0 && hex(v[i + 2]) >= 0) {
      out += static_cast<char>(hex(v[i + 1]) * 16 + hex(v[i + 2]));
      i += 2;
    } else {
      out += v[i];
    }
  }
  return out;
}

bool boundary_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  std::string type;
  std::vector<Parameter> params;
  if (!split_parameters(content_type, type, params)) return std::nullopt;
  if (type != "multipart/form-data") return std::nullopt;
  for (const auto& p : params) {
    if (p.name != "boundary") continue;
    const std::string& b = p.value;
    if (b.empty() || b.size() > 70 || b.back() == ' ') return std::nullopt;
    if (!std::all_of(b.begin(), b.end(), boundary_char)) return std::nullopt;
    return b;
  }
  return std::nullopt;
}

std::string base_file_name(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (name == "." || name == "..") return {};
  return std::string(name);
}

MultipartParser::MultipartParser(std::string boundary, Callbacks callbacks, MultipartLimits limits)
    : delimiter_("\r\n--" + boundary), callbacks_(std::move(callbacks)), limits_(limits) {
  // The first delimiter may open the body without a CRLF before it: pretend there was one.
  buffer_ = "\r\n";
}

bool MultipartParser::fail(std::string message) {
  state_ = State::failed;
  error_ = std::move(message);
  buffer_.clear();
  return false;
}

bool MultipartParser::feed(std::string_view chunk) {
  if (state_ == State::failed) return false;
  if (state_ == State::done) return true;  // the epilogue is ignored
  buffer_.append(chunk);
  while (step()) {
  }
  return state_ != State::failed;
}

bool MultipartParser::step() {
  switch (state_) {
    case State::preamble: {
      auto pos = buffer_.find(delimiter_);
      if (pos == std::string::npos) {
        std::size_t keep = std::min(buffer_.size(), delimiter_.size() - 1);
        preamble_seen_ += buffer_.size() - keep;
        buffer_.erase(0, buffer_.size() - keep);
        if (preamble_seen_ > limits_.max_preamble_bytes) fail("no multipart boundary found");
        return false;
      }
      // The limit holds however the body was cut: bytes still in the buffer count too.
      if (preamble_seen_ + pos > limits_.max_preamble_bytes)
        return fail("no multipart boundary found");
      buffer_.erase(0, pos + delimiter_.size());
      state_ = State::after_delimiter;
      return true;
    }
    case State::after_delimiter: {
      if (buffer_.size() < 2) return false;
      if (buffer_.compare(0, 2, "--") == 0) {
        state_ = State::done;
        buffer_.clear();
        return false;
      }
      // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
      std::size_t i = 0;
      while (i < buffer_.size() && (buffer_[i] == ' ' || buffer_[i] == '\t'))
        ++i;
      if (i > 1024) return fail("malformed multipart delimiter line");
      if (i + 2 > buffer_.size()) return false;
      if (buffer_.compare(i, 2, "\r\n") != 0) return fail("malformed multipart delimiter line");
      buffer_.erase(0, i + 2);
      state_ = State::headers;
      return true;
    }
    case State::headers: {
      std::size_t end;
      std::size_t skip;
      if (buffer_.compare(0, 2, "\r\n") == 0) {
        end = 0;  // no header lines at all
        skip = 2;
      } else {
        end = buffer_.find("\r\n\r\n");
        if (end == std::string::npos) {
          // Up to 3 bytes of the blank line may already be here: the block is only known to be
          // too large once the buffer holds more than the limit and a whole terminator.
          if (buffer_.size() > limits_.max_header_bytes + 3)
            return fail("multipart part header too large");
          return false;
        }
        skip = end + 4;
      }
      if (end > limits_.max_header_bytes) return fail("multipart part header too large");
      PartHeaders headers;
      if (!parse_headers(std::string_view(buffer_).substr(0, end), headers)) return false;
      if (++parts_ > limits_.max_parts) return fail("too many multipart parts");
      buffer_.erase(0, skip);
      if (callbacks_.part_begin && !callbacks_.part_begin(headers))
        return fail("multipart part refused");
      // The CRLF before the next delimiter belongs to the delimiter, not to the content.
      state_ = State::body;
      return true;
    }
    case State::body: {
      auto pos = buffer_.find(delimiter_);
      if (pos == std::string::npos) {
        if (buffer_.size() >= delimiter_.size()) {
          std::size_t emit = buffer_.size() - (delimiter_.size() - 1);
          if (callbacks_.part_data &&
              !callbacks_.part_data(std::string_view(buffer_).substr(0, emit)))
            return fail("multipart part refused");
          buffer_.erase(0, emit);
        }
        return false;
      }
      if (pos > 0 && callbacks_.part_data &&
          !callbacks_.part_data(std::string_view(buffer_).substr(0, pos)))
        return fail("multipart part refused");
      if (callbacks_.part_end && !callbacks_.part_end()) return fail("multipart part refused");
      buffer_.erase(0, pos + delimiter_.size());
      state_ = State::after_delimiter;
      return true;
    }
    case State::done:
    case State::failed:
      return false;
  }
  return false;
}

bool MultipartParser::parse_headers(std::string_view block, PartHeaders& out) {
  bool has_disposition = false;
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find("\r\n", start);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = block.substr(start, end - start);
    start = end + 2;
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t')
      return fail("folded multipart header lines are not allowed");
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail("malformed multipart header");
    std::string name = ascii_lower(trim_blanks(line.substr(0, colon)));
    std::string_view value = trim_blanks(line.substr(colon + 1));
    if (name == "content-disposition") {
      std::string type;
      std::vector<Parameter> params;
      if (!split_parameters(value, type, params) || type != "form-data")
        return fail("malformed Content-Disposition");
      std::optional<std::string> filename_ext;
      for (auto& p : params) {
        if (p.name == "name") {
          out.name = p.value;
          has_disposition = true;
        } else if (p.name == "filename") {
          out.filename = p.value;
        } else if (p.name == "filename*") {
          filename_ext = ext_value(p.value);
        }
      }
      if (filename_ext) out.filename = filename_ext;
    } else if (name == "content-type") {
      out.content_type = std::string(value);
    }
  }
  if (!has_disposition) return fail("multipart part without a form-data name");
  return true;
}

bool MultipartParser::finish() {
  if (state_ == State::done) return true;
  if (state_ != State::failed) fail("multipart body ended before its closing boundary");
  return false;
}

}  // namespace clientgate::dialects::ninja
