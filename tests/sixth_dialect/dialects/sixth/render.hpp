// Response bodies: a client, a list of clients, an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/model.hpp"

namespace clientgate::dialects::sixth {

// {"id":1,"name":"...","created_at":"...Z","updated_at":"...Z"} (instants to the microsecond)
std::string render_client(const core::Client& client);
// {"clients":[...]}
std::string render_list(const std::vector<core::Client>& clients);
// {"error":"..."}
std::string render_error(std::string_view message);

}  // namespace clientgate::dialects::sixth
