#include "php_json.hpp"

#include <cstdio>

#include "clientgate/dialects/utf8.hpp"

namespace clientgate::dialects::ninja {
namespace {

void append_u(std::string& out, unsigned unit) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", unit & 0xFFFFu);
  out += buf;
}

// Decodes one UTF-8 sequence at text[i]; returns the code point and advances i, or
// 0xFFFD (and advances one byte) for a malformed sequence.
unsigned next_code_point(std::string_view text, std::size_t& i) {
  CodePoint cp = decode_utf8(text, i);
  if (cp.length == 0) {
    ++i;
    return 0xFFFD;
  }
  i += cp.length;
  return cp.value;
}

}  // namespace

std::string php_json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '/':
          out += "\\/";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20)
            append_u(out, c);
          else
            out += static_cast<char>(c);
      }
      continue;
    }
    unsigned cp = next_code_point(text, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_u(out, 0xD800 + (cp >> 10));
      append_u(out, 0xDC00 + (cp & 0x3FF));
    } else {
      append_u(out, cp);
    }
  }
  out += '"';
  return out;
}

void PhpJson::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

PhpJson& PhpJson::begin_object() {
  before_value();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
PhpJson& PhpJson::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}
PhpJson& PhpJson::begin_array() {
  before_value();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
PhpJson& PhpJson::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}
PhpJson& PhpJson::key(std::string_view name) {
  before_value();
  out_ += php_json_string(name);
  out_ += ':';
  after_key_ = true;
  return *this;
}
PhpJson& PhpJson::string(std::string_view text) {
  before_value();
  out_ += php_json_string(text);
  return *this;
}
PhpJson& PhpJson::integer(std::int64_t value) {
  before_value();
  out_ += std::to_string(value);
  return *this;
}
PhpJson& PhpJson::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
  return *this;
}
PhpJson& PhpJson::null() {
  before_value();
  out_ += "null";
  return *this;
}
PhpJson& PhpJson::raw_number(std::string_view text) {
  before_value();
  out_ += text;
  return *this;
}

}  // namespace clientgate::dialects::ninja
