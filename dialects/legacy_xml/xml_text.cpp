#include "xml_text.hpp"

namespace clientgate::dialects::legacy_xml {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, 0 when the bytes are not UTF-8.
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t len;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

template <bool attribute>
void append_escaped(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run that needs nothing (the common case: all of it).
    std::size_t run = i;
    while (run < text.size()) {
      auto c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || (attribute && c == '"'))
        break;
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;

    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::uint32_t cp = 0;
      std::size_t len = decode_utf8(text, i, cp);
      if (len == 0) {
        out += replacement_char;
        ++i;
      } else {
        if (xml_char(cp))
          out.append(text.data() + i, len);
        else
          out += replacement_char;
        i += len;
      }
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        if (attribute)
          out += "&#10;";
        else
          out += '\n';
        break;
      case '\t':
        if (attribute)
          out += "&#9;";
        else
          out += '\t';
        break;
      default:
        out += replacement_char;
        break;  // a C0 control character
    }
    ++i;
  }
}

}  // namespace

void append_text(std::string& out, std::string_view text) {
  append_escaped<false>(out, text);
}

void append_attribute_value(std::string& out, std::string_view text) {
  append_escaped<true>(out, text);
}

bool xml_clean(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint32_t cp = 0;
    std::size_t len = decode_utf8(text, i, cp);
    if (len == 0 || !xml_char(cp)) return false;
    i += len;
  }
  return true;
}

}  // namespace clientgate::dialects::legacy_xml
