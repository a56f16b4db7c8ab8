#include "clientgate/dialects/utf8.hpp"

namespace clientgate::dialects {

std::string utf8_or_replaced(std::string_view text, std::string_view replacement) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      out += text[i++];
      continue;
    }
    CodePoint cp = decode_utf8(text, i);
    if (cp.length == 0) {
      out += replacement;
      ++i;
    } else {
      out.append(text.substr(i, cp.length));
      i += cp.length;
    }
  }
  return out;
}

}  // namespace clientgate::dialects
