// A PUT/POST body (JSON or XML, as Content-Type says) to the fields it sets, and those
// fields to a core::ClientPatch.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "clientgate/core/query.hpp"
#include "description_html.hpp"
#include "render.hpp"

namespace clientgate::dialects::intervals {

// One field as sent: nullopt is JSON null or an empty XML element.
struct BodyField {
  std::string name;
  std::optional<std::string> value;
};
using BodyFields = std::vector<BodyField>;  // in the order sent; a repeated name: the last wins

// Limits of the seed ("string (xxx)"), in characters.
inline constexpr std::size_t max_name_length = 255;
inline constexpr std::size_t max_email_length = 255;
inline constexpr std::size_t max_website_length = 255;
inline constexpr std::size_t max_phone_length = 50;
inline constexpr std::size_t max_fax_length = 50;

// `media_type` is Content-Type without parameters, lower case. JSON: one object whose values
// are strings, numbers (taken as their exact text) or null (`active` may also be a JSON
// boolean). XML: a <client> root whose child
// elements hold text; a DOCTYPE is refused (entities are never expanded). An empty body sets
// nothing, whatever its type. Errors are API code 18.
std::variant<BodyFields, ApiError> parse_body(std::string_view media_type, std::string_view body);

// Checks and converts: unknown fields are API code 17; id, localid and localidunpadded (what
// a GET shows) are accepted and ignored so that a fetched element can be sent back; bad
// values are API code 18, every problem named. `creating`: `name` is required. `description`
// is cleaned within `limits`.
std::variant<core::ClientPatch, ApiError> client_patch(const BodyFields& fields, bool creating,
                                                       const DescriptionLimits& limits = {});

// `t`/`f` (also true/false, 1/0; any case).
std::optional<bool> parse_boolean(std::string_view text);

}  // namespace clientgate::dialects::intervals
