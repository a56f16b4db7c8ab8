// `include=`, read as the real BaseController reads it: the list eager-loads every named
// relation (Eloquent refuses one the Client model does not have), and Fractal renders only
// those the ClientTransformer knows. The item routes never eager-load, so there nothing is
// refused and an unknown name is ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clientgate::dialects::ninja {

// The transformer's available includes that render; clientgate holds no such records, so
// each is an empty array when asked for (group_settings renders nothing: no client here has
// group settings, and Fractal omits a null include).
enum IncludeFlag : unsigned {
  include_activities = 1u << 0,
  include_ledger = 1u << 1,
  include_system_logs = 1u << 2,
};

struct Includes {
  unsigned render = 0;                   // IncludeFlag bits
  std::optional<std::string> not_known;  // the first relation the Client model does not have
};

Includes parse_includes(std::string_view text);

}  // namespace clientgate::dialects::ninja
