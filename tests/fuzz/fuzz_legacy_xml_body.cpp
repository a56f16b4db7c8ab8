// legacy_xml's <client> body reader (pugixml, no DOCTYPE, no entities) and the patch rules.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "fuzz_check.hpp"
#include "legacy_xml/parse.hpp"

namespace legacy_xml = clientgate::dialects::legacy_xml;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto read = legacy_xml::read_client_xml(body);
  if (auto* elements = std::get_if<legacy_xml::ClientElements>(&read)) {
    (void)legacy_xml::client_patch(*elements, true);
    (void)legacy_xml::client_patch(*elements, false);
  } else {
    clientgate::fuzz::check(!std::get<legacy_xml::BodyError>(read).message.empty(),
                            "a refused body without a message");
  }
  (void)legacy_xml::rails_boolean(body);
  return 0;
}
