// The agency link manager's clients API (seed 003_afeb8005f3bcb86c): see README.md.
#pragma once

#include <memory>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects::agency {

// The dialect's name, also the key of its [dialects.agency] settings table.
inline constexpr const char* dialect_name = "agency";

// The real app is Fastify, whose default body limit is 1 MiB; a `{name}` body needs far less.
inline constexpr std::size_t body_limit = 1024 * 1024;

std::unique_ptr<Dialect> make(const Services& services);

}  // namespace clientgate::dialects::agency
