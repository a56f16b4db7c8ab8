// intervals' PUT/POST body reader (XML or JSON, as the first line of the input says) and the
// patch rules.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "fuzz_check.hpp"
#include "intervals/parse.hpp"

namespace intervals = clientgate::dialects::intervals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  clientgate::fuzz::InputReader in(data, size);
  std::string media_type(in.until('\n'));
  auto parsed = intervals::parse_body(media_type, in.rest());
  if (auto* fields = std::get_if<intervals::BodyFields>(&parsed)) {
    (void)intervals::client_patch(*fields, true);
    (void)intervals::client_patch(*fields, false);
  }
  (void)intervals::parse_boolean(in.rest());
  return 0;
}
