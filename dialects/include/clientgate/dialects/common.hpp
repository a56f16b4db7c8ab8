// Small pieces that several dialects read the wire with. Each dialect decides what to do with
// what they return; nothing here renders a response.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects {

// `Authorization: Bearer <token>` (scheme case-insensitive). nullopt when absent or another
// scheme.
std::optional<std::string> bearer_token(const Header& header);

struct BasicCredentials {
  std::string user;
  std::string password;
};
// `Authorization: Basic base64(user:password)`. nullopt when absent, another scheme, or not
// decodable.
std::optional<BasicCredentials> basic_credentials(const Header& header);

// The path's segments, percent-decoded. "/clients/12.xml" -> {"clients", "12.xml"}; a
// trailing slash gives a last empty segment.
std::vector<std::string> path_segments(boost::urls::url_view url);

// The first value of a query parameter (percent-decoded, '+' as space).
std::optional<std::string> query_param(boost::urls::url_view url, std::string_view key);

// Parses a decimal integer that must fit int64: no sign unless allow_negative, no spaces,
// no leading '+', at most 18 digits (so "99999999999999999999" is refused, not wrapped).
std::optional<std::int64_t> parse_int64(std::string_view text, bool allow_negative = false);

// The media type of Content-Type, lower case, without parameters ("application/json").
std::string media_type(const Header& header);

// Validation messages by field, in the order the fields were first named (Laravel's
// `errors` object: json_v1 and ninja render it).
using FieldMessages = std::vector<std::pair<std::string, std::vector<std::string>>>;
// Appends `message` to `field`'s messages, naming the field first if it has none yet.
void add_field_message(FieldMessages& errors, const std::string& field, std::string message);

bool valid_utf8(std::string_view text);

// ASCII lower case (header values, media types, parameter names); other bytes unchanged.
std::string ascii_lower(std::string_view text);
// Without leading and trailing spaces and tabs (HTTP's optional white space).
std::string_view trim_blanks(std::string_view text);
// Characters of valid UTF-8 text (its non-continuation bytes).
std::size_t utf8_length(std::string_view text);

enum class JsonBodyError { none, malformed, too_deep, invalid_utf8 };

// Parses a JSON body into `doc` (memory-pool allocator: destruction never recurses). Bodies
// nested deeper than `max_depth` are refused before parsing. `numbers_as_text`: every number
// becomes a string holding its exact text as sent (`5550100`, `1.50`, `1e3`), for dialects
// whose real server reads a number sent for a text field as that text.
JsonBodyError parse_json_body(std::string_view body, rapidjson::Document& doc, int max_depth = 64,
                              bool numbers_as_text = false);

}  // namespace clientgate::dialects
