// The json_v1 dialect's request handling (see dialect_harness.hpp for the input framing).
#include <cstddef>
#include <cstdint>

#include "clientgate/dialects/json_v1/json_v1.hpp"
#include "dialect_harness.hpp"
#include "dialects/json_v1/fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clientgate::fuzz::DialectHarness harness(clientgate::dialects::json_v1::make,
                                                  clientgate::test::json_v1::kFixture);
  harness.run(data, size);
  return 0;
}
