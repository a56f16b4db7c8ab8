// The Invoice Ninja v5 clients API (see README.md and shared/dialects/ninja.md).
#pragma once

#include <memory>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects::ninja {

std::unique_ptr<Dialect> make(const Services& services);

}  // namespace clientgate::dialects::ninja
