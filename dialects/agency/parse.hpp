// Reading the agency API's input: the `{name}` body of a create or update and the `{uuid}`
// path id. The rules follow the real app's zod schemas (`z.object({name: z.string()...})`,
// `z.uuid()`), and the messages are zod 4's English ones, so a client that shows them to a
// person shows what it always showed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "clientgate/dialects/text_rules.hpp"

namespace clientgate::dialects::agency {

// agency's parameters of the shared text rules: a name holding a control character (C0 other
// than tab, line feed and carriage return, or DEL) is refused (our choice: not every dialect
// can show one); agency writes no XML.
inline constexpr TextRules text_rules{RefusedOnInput::control_characters};

// One problem of the input, keyed as the 400 body's `issues` object keys it.
struct Issue {
  std::string field;  // "name" (anything about the body) or "id" (the path id)
  std::string message;

  bool operator==(const Issue&) const = default;
};
using Issues = std::vector<Issue>;

// Lengths are counted as JavaScript counts them (UTF-16 code units), after trimming.
inline constexpr std::size_t min_name_length = 3;
inline constexpr std::size_t max_name_length = 255;  // (our choice) the real app has none

// The body of POST and PUT: a JSON object with a string `name` (other keys are ignored, as
// zod's default object schema strips them; a repeated key counts as its last occurrence, as
// in JSON.parse). On success, the name trimmed as JavaScript's String.prototype.trim does.
std::variant<std::string, Issues> parse_client_name(std::string_view body);

// A path id: 8-4-4-4-12 hexadecimal digits, either case. Returns it in lower case (the form
// the store keeps), nullopt when it is not a UUID.
std::optional<std::string> parse_client_uuid(std::string_view text);

// String.prototype.trim on UTF-8: removes leading and trailing WhiteSpace and LineTerminator
// code points (ECMA-262). Invalid UTF-8 is returned unchanged.
std::string trim_js_whitespace(std::string_view utf8);

// The length JavaScript's String.prototype.length gives (UTF-16 code units); nullopt for
// invalid UTF-8.
std::optional<std::size_t> utf16_length(std::string_view utf8);

}  // namespace clientgate::dialects::agency
