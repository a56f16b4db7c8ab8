// The sixth dialect: a minimal JSON clients API at /sixth/clients, built only for tests. It
// proves that a dialect plugs in through the registries alone (docs/adding-a-dialect.md).
#pragma once

#include <memory>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects::sixth {

std::unique_ptr<Dialect> make(const Services& services);

}  // namespace clientgate::dialects::sixth
