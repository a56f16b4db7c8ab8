// json_v1 wire parsing: the list query and the client body (parse.cpp). Kept apart from the
// handler (dialect.cpp) so it is testable without a socket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "clientgate/core/model.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/text_rules.hpp"

namespace clientgate::dialects::json_v1 {

// json_v1's parameters of the shared text rules: control characters are stored as sent, as
// Laravel's `string` rule lets them through; json_v1 writes no XML.
inline constexpr TextRules text_rules{RefusedOnInput::nothing};

inline constexpr std::int64_t kDefaultPerPage = 15;  // Laravel's paginator default
inline constexpr std::int64_t kMaxPerPage = 1000;
inline constexpr std::size_t kMaxTitle = 255;

// Laravel's validation errors: field -> messages, in the order the rules ran.
using ValidationErrors = FieldMessages;

struct ListParams {
  std::optional<core::CompanyId> company_id;
  std::optional<std::string> title;
  std::int64_t per_page = kDefaultPerPage;
  std::int64_t page = 1;
};

// Query string -> list parameters, or the 422 errors.
std::variant<ListParams, ValidationErrors> parse_list_params(boost::urls::url_view url);

struct ClientBody {
  std::optional<std::string> title;  // trimmed (Laravel's TrimStrings middleware)
  std::optional<core::CompanyId> company_id;
};

enum class BodyKind { create, update };

// The body of a POST or PUT (JSON, or a form as Laravel also reads). `malformed` is set for a
// body that is not JSON at all (400); otherwise validation errors or the parsed fields.
struct ParsedBody {
  bool malformed = false;
  ValidationErrors errors;
  ClientBody fields;
};
ParsedBody parse_client_body(std::string_view media_type, std::string_view body, BodyKind kind);

}  // namespace clientgate::dialects::json_v1
