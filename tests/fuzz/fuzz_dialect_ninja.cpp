// The ninja dialect's request handling (see dialect_harness.hpp for the input framing).
#include <cstddef>
#include <cstdint>

#include "clientgate/dialects/ninja/ninja.hpp"
#include "dialect_harness.hpp"
#include "dialects/ninja/fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clientgate::fuzz::DialectHarness harness(clientgate::dialects::ninja::make,
                                                  clientgate::test::ninja::kFixture, {},
                                                  /*uploads=*/true);
  harness.run(data, size);
  return 0;
}
