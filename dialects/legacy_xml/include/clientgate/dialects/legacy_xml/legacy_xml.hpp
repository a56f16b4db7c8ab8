// The legacy_xml dialect: LiveTimer's XML clients API (see dialects/legacy_xml/README.md).
#pragma once

#include <memory>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects::legacy_xml {

// Settings ([dialects.legacy_xml]): batch_size (clients read per step of a streamed list,
// default 500), company_cache_ms (how long Host/company lookups are remembered, default 5000).
std::unique_ptr<Dialect> make(const Services& services);

}  // namespace clientgate::dialects::legacy_xml
