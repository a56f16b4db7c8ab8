// Request bodies: {"name": "..."}.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clientgate::dialects::sixth {

struct NameBody {
  std::optional<std::string> name;  // absent: no change (update) or missing (create)
  std::string error;                // not empty: the body is refused with this message
};

NameBody parse_name_body(std::string_view body);

}  // namespace clientgate::dialects::sixth
