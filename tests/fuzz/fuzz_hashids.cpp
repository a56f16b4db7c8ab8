// The ninja hashids decoder. Input: one byte picking the codec (the seed's salt or none, a
// minimum length), eight bytes of a number to round-trip, the rest a hash to decode.
// Promises: a decoded hash encodes back to itself, and every id encodes to a hash that
// decodes to it.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fuzz_check.hpp"
#include "ninja/hashid_codec.hpp"

using clientgate::dialects::ninja::HashidCodec;
using clientgate::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const HashidCodec codecs[] = {
      HashidCodec("", 10),
      HashidCodec("clientgate-ninja-salt", 10),
      HashidCodec("a salt with spaces and ünïcödé", 0),
      HashidCodec("x", 40),
  };
  clientgate::fuzz::InputReader in(data, size);
  const HashidCodec& codec = codecs[in.byte() % 4];
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i)
    bits = (bits << 8) | in.byte();
  auto id = static_cast<std::int64_t>(bits & 0x7fffffffffffffffULL);

  std::string hash = codec.encode(id);
  check(!hash.empty(), "a non-negative id without a hash");
  auto back = codec.decode_id(hash);
  check(back && *back == id, "an id that does not round-trip", hash);

  std::string_view text = in.rest();
  auto numbers = codec.decode(text);
  if (!numbers.empty()) {
    check(codec.encode(numbers) == text, "a decoded hash that does not encode back", text);
  }
  auto one = codec.decode_id(text);
  if (one) check(numbers.size() == 1 && numbers[0] == *one, "decode_id disagrees with decode");
  return 0;
}
