// The agency dialect's request handling (see dialect_harness.hpp for the input framing).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>

#include "clientgate/dialects/agency/agency.hpp"
#include "dialect_harness.hpp"

namespace {

std::string agency_fixture() {
  std::ifstream in(CLIENTGATE_SOURCE_DIR "/tests/dialects/agency/fixture.json");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clientgate::fuzz::DialectHarness harness(clientgate::dialects::agency::make,
                                                  agency_fixture());
  harness.run(data, size);
  return 0;
}
