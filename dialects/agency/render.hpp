// The agency API's JSON: list items, single clients, and the `{message}` / validation bodies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/model.hpp"
#include "parse.hpp"

namespace clientgate::dialects::agency {

// "2026-01-15T08:00:00.000Z": what JavaScript's Date#toISOString gives (milliseconds,
// truncated from the store's microseconds).
std::string render_timestamp(core::Timestamp at);

// `[{id, name, campaignsCount, linksCount, createdAt}, ...]` in the order given. A client
// without loaded counts shows 0 for both.
std::string render_client_list(const std::vector<core::Client>& clients);

// `{id, name, createdAt, updatedAt}`.
std::string render_client(const core::Client& client);

// `{"message": ...}`.
std::string render_message(std::string_view message);

// `{"message":"Validation error","issues":{field:[message, ...], ...}}`, fields in the order
// they first appear.
std::string render_validation_error(const Issues& issues);

}  // namespace clientgate::dialects::agency
