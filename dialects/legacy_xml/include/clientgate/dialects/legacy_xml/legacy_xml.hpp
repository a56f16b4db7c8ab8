// The legacy_xml dialect: LiveTimer's XML clients API (see dialects/legacy_xml/README.md).
#pragma once

#include <memory>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects::legacy_xml {

// Its settings ([dialects.legacy_xml]) are declared in settings.hpp.
std::unique_ptr<Dialect> make(const Services& services);

}  // namespace clientgate::dialects::legacy_xml
