// How a canonical client looks through the Intervals API, and the reverse for `address`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clientgate/core/model.hpp"
#include "render.hpp"

namespace clientgate::dialects::intervals {

// "000042": the per-company local id, zero-padded to 6 digits (wider numbers as they are).
std::string padded_localid(std::int64_t localid);

// address1, address2, then "city, state postal_code", the non-empty lines joined with "\n";
// nullopt when every part is empty.
std::optional<std::string> address_text(const core::Client& client);

// The fields in the API's order; the administrator-only ones (datecreated, description,
// email, website, phone, fax, address) only when `administrator`.
ShownClient show_client(const core::Client& client, bool administrator);

}  // namespace clientgate::dialects::intervals
