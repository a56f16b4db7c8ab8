// One dialect's request handling (see dialect_harness.hpp for the input framing), set up by
// its test adapter: CMake builds this file once per registered dialect as
// fuzz_dialect_<name>, with CLIENTGATE_FUZZ_DIALECT naming it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "dialect_harness.hpp"
#include "support/dialect_adapter.hpp"

namespace {

clientgate::fuzz::DialectHarness& harness() {
  static std::unique_ptr<clientgate::fuzz::DialectHarness> instance = [] {
    const auto* adapter = clientgate::test::adapter_named(CLIENTGATE_FUZZ_DIALECT);
    if (adapter == nullptr) {
      std::fprintf(stderr, "no test adapter for %s\n", CLIENTGATE_FUZZ_DIALECT);
      std::abort();
    }
    auto setup = adapter->fuzz();
    return std::make_unique<clientgate::fuzz::DialectHarness>(setup.make, setup.fixture,
                                                              setup.settings, setup.uploads);
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  harness().run(data, size);
  return 0;
}
