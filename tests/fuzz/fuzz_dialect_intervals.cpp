// The intervals dialect's request handling (see dialect_harness.hpp for the input framing).
#include <cstddef>
#include <cstdint>

#include "clientgate/dialects/intervals/intervals.hpp"
#include "dialect_harness.hpp"
#include "dialects/intervals/fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clientgate::fuzz::DialectHarness harness(clientgate::dialects::intervals::make,
                                                  clientgate::test::intervals::kFixture);
  harness.run(data, size);
  return 0;
}
