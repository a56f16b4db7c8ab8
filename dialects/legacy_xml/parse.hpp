// Reading what a LiveTimer client sends: the <client> body of a create or update (with
// pugixml, never expanding a DOCTYPE or an entity), the start/end range and include=.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/url/url_view.hpp>

#include "clientgate/core/query.hpp"
#include "render.hpp"

namespace clientgate::dialects::legacy_xml {

// A body that is not an acceptable XML document at all: 400.
struct BodyError {
  std::string message;
};

// One field element of <client> as Rails' XML parameter parser sees it.
struct FieldElement {
  bool nil = false;         // nil="true", or empty without type="string" (Rails' typecast)
  std::string text;         // the text content (character data and CDATA, concatenated)
  bool structured = false;  // has child elements: not a scalar
  bool repeated = false;    // the element appears more than once
};

// The fields of <client> that a client may set; unknown elements are ignored.
struct ClientElements {
  std::optional<FieldElement> name, active, code, description, url;
};

// Size limits of the fields, in characters (Rails string columns: 255).
inline constexpr std::size_t max_name_length = 255;
inline constexpr std::size_t max_code_length = 255;
inline constexpr std::size_t max_url_length = 255;
inline constexpr std::size_t max_description_length = 65535;  // a TEXT column

// Checks the bytes (UTF-8, XML 1.0 characters, character references, no DOCTYPE or ENTITY
// declaration) and parses. An empty or all-whitespace body, and a root other than <client>,
// give no fields (Rails: no `client` parameter).
std::variant<ClientElements, BodyError> read_client_xml(std::string_view body);

// The patch a create (`creating`: name required, active defaults to true in the store) or an
// update asks for, or the Rails full messages of every invalid field, in field order.
std::variant<core::ClientPatch, std::vector<std::string>> client_patch(
    const ClientElements& elements, bool creating);

// Rails 2.1's boolean column cast, after trimming: "true", "t", "1" (any case) are true,
// anything else false. nullopt for a blank value.
std::optional<bool> rails_boolean(std::string_view text);

// ?start=&end= : 1-based, inclusive.
struct RangeRequest {
  std::int64_t start = 1;
  std::optional<std::int64_t> end;  // nullopt: to the last
};
// nullopt start/end: absent. A message (400) when a value is not a whole number, start < 1 or
// end < start - 1.
std::variant<RangeRequest, std::string> parse_range(const std::optional<std::string>& start,
                                                    const std::optional<std::string>& end);
// What a list of `total` matching rows returns for `request` (end clamped to total; an empty
// result has end == start - 1).
RangeReport resolve_range(const RangeRequest& request, std::int64_t total);

// include=projects | projects,tasks (any order, spaces allowed, empty: nothing). A message
// (400) for anything else.
std::variant<Embedding, std::string> parse_include(const std::optional<std::string>& value);

}  // namespace clientgate::dialects::legacy_xml
