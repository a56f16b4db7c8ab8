#include "strip_tags.hpp"

#include <cctype>

namespace clientgate::dialects::ninja {

std::string strip_tags(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  int depth = 0;   // inside a tag: how many unclosed `<`
  char quote = 0;  // inside a tag: the open quote character
  bool comment = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\0') continue;
    if (comment) {
      if (c == '>' && i >= 2 && s[i - 1] == '-' && s[i - 2] == '-') comment = false;
      continue;
    }
    if (depth == 0) {
      if (c == '<') {
        bool next_space =
            i + 1 < s.size() && std::isspace(static_cast<unsigned char>(s[i + 1])) != 0;
        if (next_space) {
          out += c;
          continue;
        }
        if (s.substr(i, 4) == "<!--") {
          comment = true;
          i += 3;
          continue;
        }
        depth = 1;
        continue;
      }
      out += c;
      continue;
    }
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '<') {
      ++depth;
    } else if (c == '>') {
      --depth;
    }
  }
  return out;
}

}  // namespace clientgate::dialects::ninja
