// What every dialect, and the gateway when no dialect is known, answers to a request that
// failed in transport. The status is the same everywhere; a dialect renders the body in its
// own error shape, with transport_message's text unless its real API words it otherwise.
#pragma once

#include <string>
#include <string_view>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects {

// 413, 408, 400, 503.
http::status transport_status(TransportError error);

// The standard text: the status's reason phrase ("Payload Too Large", "Request Timeout",
// "Bad Request", "Service Unavailable").
std::string_view transport_message(TransportError error);

// `{"message":"..."}` (RapidJSON's escaping, no white space): the error body json_v1, agency
// and the gateway's own answers share.
std::string json_message_body(std::string_view message);

}  // namespace clientgate::dialects
