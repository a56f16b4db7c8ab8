// PHP's strip_tags(), which the real Store/UpdateClientRequest apply to `name`.
#pragma once

#include <string>
#include <string_view>

namespace clientgate::dialects::ninja {

// Removes HTML and PHP tags and comments as PHP's state machine does: `<` followed by
// whitespace is text; a tag runs to its `>` outside quotes (nested `<` counted); an
// unterminated tag removes the rest; NUL bytes are dropped.
std::string strip_tags(std::string_view text);

}  // namespace clientgate::dialects::ninja
