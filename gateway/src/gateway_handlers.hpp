// The answers the gateway gives itself, as handlers in the router's table: GET /healthz and
// the /_admin views. Internal to the gateway: the server adds them to the router it serves.
#pragma once

#include <string>

#include "clientgate/core/repository.hpp"
#include "clientgate/gateway/router.hpp"

namespace clientgate::gateway::detail {

// Adds /healthz and /_admin/... to `router`, before any dialect. `admin_token` empty: the
// admin views answer 404, as for a path nobody serves.
void add_gateway_handlers(Router& router, core::Repository& repository, std::string admin_token);

}  // namespace clientgate::gateway::detail
