// The legacy_xml dialect's request handling (see dialect_harness.hpp for the input framing).
#include <cstddef>
#include <cstdint>

#include "clientgate/dialects/legacy_xml/legacy_xml.hpp"
#include "dialect_harness.hpp"
#include "dialects/legacy_xml/fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clientgate::fuzz::DialectHarness harness(clientgate::dialects::legacy_xml::make,
                                                  clientgate::test::legacy_xml::kFixture);
  harness.run(data, size);
  return 0;
}
