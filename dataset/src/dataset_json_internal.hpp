// What the reading and the writing halves of the `clientgate-dataset/1` codec share: the
// format's name and the small string helpers (JSON paths, identifier shapes). Private to
// dataset/src.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace clientgate::dataset::detail {

inline constexpr std::string_view format_name = "clientgate-dataset/1";

inline std::string at(const std::string& path, std::string_view key) {
  std::string p = path;
  if (!p.empty()) p += '.';
  p += key;
  return p;
}
inline std::string index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

inline bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

inline bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

inline std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string extension_of(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return "";
  return lower(std::string(name.substr(dot + 1)));
}

}  // namespace clientgate::dataset::detail
