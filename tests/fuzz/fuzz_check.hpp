// What every fuzz target shares: a failure that libFuzzer (and the replay) reports as a crash,
// and the input split into fields by a simple framing.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace clientgate::fuzz {

// A broken promise of the code under test: print why and abort, so libFuzzer keeps the input
// as a crash and the replay test fails.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::string line = "fuzz: " + std::string(what);
  if (!detail.empty()) line += ": " + std::string(detail);
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::abort();
}

inline void check(bool condition, std::string_view what, std::string_view detail = {}) {
  if (!condition) fail(what, detail);
}

// Reads the input front to back: small numbers and pieces cut at a separator, so that a
// mutation of one piece leaves the others readable.
class InputReader {
 public:
  InputReader(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  // The text up to the next `separator` (consumed); the whole rest when there is none.
  std::string_view until(char separator) {
    auto at = rest_.find(separator);
    std::string_view piece = rest_.substr(0, at);
    rest_ = at == std::string_view::npos ? std::string_view{} : rest_.substr(at + 1);
    return piece;
  }
  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  std::string_view rest() const { return rest_; }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace clientgate::fuzz
