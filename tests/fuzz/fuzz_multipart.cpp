// The ninja multipart parser, fed in random chunk sizes. Input: a Content-Type line (its
// boundary parameter), one byte seeding the chunk sizes, the rest the body.
// Promise besides not crashing: the parts seen do not depend on how the body is cut (the
// body fed whole and fed in pieces give the same parts, or both fail).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "ninja/multipart.hpp"

namespace ninja = clientgate::dialects::ninja;
using clientgate::fuzz::check;

namespace {

struct Outcome {
  bool ok = false;
  std::vector<std::string> parts;  // "name|filename|type|data" per part
  std::string error;
};

Outcome parse(const std::string& boundary, std::string_view body, std::uint32_t seed, bool whole) {
  Outcome out;
  std::string current;
  bool in_part = false;
  ninja::MultipartParser::Callbacks callbacks{[&](const ninja::PartHeaders& h) {
                                                check(!in_part, "part_begin inside a part");
                                                in_part = true;
                                                current = h.name + "|" +
                                                          (h.filename ? "F:" + *h.filename : "-") +
                                                          "|" + h.content_type + "|";
                                                return true;
                                              },
                                              [&](std::string_view bytes) {
                                                check(in_part, "part_data outside a part");
                                                current.append(bytes);
                                                return true;
                                              },
                                              [&]() {
                                                check(in_part, "part_end outside a part");
                                                in_part = false;
                                                out.parts.push_back(current);
                                                return true;
                                              }};
  ninja::MultipartLimits limits;
  limits.max_header_bytes = 512;  // small limits, so that the fuzzer reaches them
  limits.max_parts = 20;
  limits.max_preamble_bytes = 256;
  ninja::MultipartParser parser(boundary, callbacks, limits);
  bool ok = true;
  if (whole) {
    ok = parser.feed(body);
  } else {
    std::uint32_t state = seed * 2654435761u + 1;
    while (ok && !body.empty()) {
      state = state * 1103515245u + 12345u;
      // Mostly tiny pieces (they split delimiters), sometimes bigger ones.
      std::size_t n = (state >> 16) % 8 == 0 ? 1 + (state >> 8) % 300 : 1 + (state >> 20) % 5;
      n = std::min(n, body.size());
      ok = parser.feed(body.substr(0, n));
      body.remove_prefix(n);
    }
  }
  if (ok) ok = parser.finish();
  out.ok = ok;
  if (ok) check(!in_part, "a successful body that ends inside a part");
  out.error = parser.error();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  clientgate::fuzz::InputReader in(data, size);
  std::string_view content_type = in.until('\n');
  auto boundary = ninja::multipart_boundary(content_type);
  (void)ninja::base_file_name(content_type);
  if (!boundary) return 0;
  std::uint32_t seed = in.byte();
  std::string_view body = in.rest();

  Outcome whole = parse(*boundary, body, seed, true);
  Outcome pieces = parse(*boundary, body, seed, false);
  check(whole.ok == pieces.ok, "the outcome depends on the chunk sizes",
        whole.ok ? pieces.error : whole.error);
  if (whole.ok) {
    check(whole.parts == pieces.parts, "the parts depend on the chunk sizes");
  }
  return 0;
}
