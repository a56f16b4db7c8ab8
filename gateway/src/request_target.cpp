#include "clientgate/gateway/request_target.hpp"

namespace clientgate::gateway {

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 pchar without pct-encoded, plus "/" and "?" (both allowed in a query; "?" in the
// path ends it).
bool is_plain(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':  // unreserved
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':  // sub-delims
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
    case '?':
      return true;
    default:
      return false;
  }
}

void append_escaped(std::string& out, unsigned char c) {
  static constexpr char digits[] = "0123456789ABCDEF";
  out += '%';
  out += digits[c >> 4];
  out += digits[c & 0x0f];
}

}  // namespace

NormalizedTarget normalize_target(std::string_view target) {
  NormalizedTarget result;
  if (target.empty() || target.front() != '/') {
    result.acceptable = false;
    // Absolute-form ("http://host/path?q"): its path still says whose error shape answers.
    auto scheme = target.find("://");
    auto slash =
        scheme == std::string_view::npos ? std::string_view::npos : target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  result.text.reserve(target.size() + 16);
  for (std::size_t i = 0; i < target.size(); ++i) {
    char c = target[i];
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) result.acceptable = false;  // controls, space, NUL
    if (c == '%' && i + 2 < target.size() && is_hex(target[i + 1]) && is_hex(target[i + 2])) {
      result.text.append(target.substr(i, 3));
      i += 2;
    } else if (is_plain(c)) {
      result.text += c;
    } else {
      append_escaped(result.text, byte);  // a lone `%` too: it stands for itself
    }
  }
  return result;
}

}  // namespace clientgate::gateway
