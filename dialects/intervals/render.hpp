// The Intervals response envelope (personid, status, code, listcount, client | error) and its
// two wire forms, JSON and XML. Everything a client field holds is a string or null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/text_rules.hpp"

namespace clientgate::dialects::intervals {

// intervals' parameters of the shared text rules: control characters are stored as sent (the
// JSON and XML bodies are read as the real API reads them); in XML, a character XML 1.0
// cannot carry is shown as U+FFFD.
inline constexpr TextRules text_rules{RefusedOnInput::nothing, "\xEF\xBF\xBD"};

enum class Format { json, xml };

// `Accept`: the first of application/xml and application/json named gives the format;
// neither named (or no header): JSON.
Format response_format(const Header& header);
std::string_view content_type(Format format);

// The API error codes of the Intervals errors page that this resource can answer.
enum class ApiCode : int {
  general = 1,
  invalid_auth = 9,
  permission = 10,
  no_such_resource = 14,
  method_not_available = 16,
  unknown_parameter = 17,
  validation = 18,
  service_offline = 20,
};

http::status status_of(ApiCode code);
std::string_view message_of(ApiCode code);

struct ApiError {
  ApiCode code = ApiCode::general;
  std::vector<std::string> verbose;  // sentences naming the field or parameter at fault
  // The HTTP status when it is not the code's usual one (transport errors: 408, 413).
  std::optional<http::status> status;
};

inline ApiError api_error(ApiCode code, std::string verbose) {
  return ApiError{code, {std::move(verbose)}, std::nullopt};
}

// One field of a client as the API shows it; nullopt is JSON null / an empty XML element.
struct ShownField {
  std::string_view name;
  std::optional<std::string> value;
};
using ShownClient = std::vector<ShownField>;

struct Envelope {
  std::string personid;  // "" when the caller is not authenticated
  http::status status = http::status::ok;
  std::optional<std::int64_t> listcount;            // collections only
  std::optional<std::vector<ShownClient>> clients;  // absent on DELETE and errors
  std::optional<ApiError> error;
};

// An error envelope: the status is the code's (or error.status).
Envelope error_envelope(std::string personid, ApiError error);

std::string render(const Envelope& envelope, Format format);

// A complete response: status, Content-Type and the rendered envelope.
Response respond(const Envelope& envelope, Format format);

}  // namespace clientgate::dialects::intervals
