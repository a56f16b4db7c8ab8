// The json_v1 dialect (the Outlign clients API): Laravel-style JSON over integer ids.
#pragma once

#include <memory>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects::json_v1 {

std::unique_ptr<Dialect> make(const Services& services);

}  // namespace clientgate::dialects::json_v1
