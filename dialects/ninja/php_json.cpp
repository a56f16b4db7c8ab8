#include "php_json.hpp"

#include <charconv>
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

// Printable ASCII that json_encode writes as it is.
bool plain(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '/';
}

}  // namespace

std::string php_json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_php_json_string(out, text);
  return out;
}

void append_php_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // A run of plain characters (nearly every string) is appended at once.
    std::size_t run = i;
    while (run < text.size() && plain(static_cast<unsigned char>(text[run])))
      ++run;
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      continue;
    }
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
  append_php_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}
PhpJson& PhpJson::string(std::string_view text) {
  before_value();
  append_php_json_string(out_, text);
  return *this;
}
PhpJson& PhpJson::integer(std::int64_t value) {
  before_value();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
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
