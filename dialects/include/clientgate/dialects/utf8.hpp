// UTF-8 at the code point level, for every dialect: one decoder, so that what counts as UTF-8
// (no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF) is decided once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace clientgate::dialects {

// One decoded character: its code point and how many bytes it took. `length` 0: the bytes at
// that position do not start a well-formed UTF-8 sequence (a stray continuation byte, a lead
// byte no sequence may start with, a truncated, overlong or surrogate sequence, a value past
// U+10FFFF); `value` is then meaningless.
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 0;
};

// Decodes the sequence that starts at text[pos] (pos < text.size()). Inline: it runs per
// character of every body a dialect reads.
inline CodePoint decode_utf8(std::string_view text, std::size_t pos) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(pos);
  if (lead < 0x80) return {lead, 1};
  std::size_t length;
  char32_t value;
  char32_t smallest;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1Fu, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0Fu, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07u, smallest = 0x10000;
  } else {
    return {};
  }
  if (text.size() - pos < length) return {};
  for (std::size_t k = 1; k < length; ++k) {
    unsigned char next = byte(pos + k);
    if ((next & 0xC0) != 0x80) return {};
    value = (value << 6) | (next & 0x3Fu);
  }
  if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length};
}

// The UTF-8 encoding of U+FFFD, what a byte that is not UTF-8 is shown as where a dialect
// has no replacement of its own.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// `text` with each byte that does not start a well-formed sequence replaced by
// `replacement`, one per byte.
std::string utf8_or_replaced(std::string_view text,
                             std::string_view replacement = replacement_character);

}  // namespace clientgate::dialects
