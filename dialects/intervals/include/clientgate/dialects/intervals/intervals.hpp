// The Intervals "client" resource (seed 004): /client/ and /client/{id}/, JSON or XML.
#pragma once

#include <memory>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects::intervals {

std::unique_ptr<Dialect> make(const Services& services);

}  // namespace clientgate::dialects::intervals
