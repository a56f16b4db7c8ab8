// The answers the gateway writes in its own words (no dialect known, or the dialect's own
// failed), and how it reports a failure on stderr. Internal to the gateway.
#pragma once

#include <exception>
#include <iostream>
#include <string_view>

#include "clientgate/dialects/dialect.hpp"
#include "clientgate/gateway/access_log.hpp"

namespace clientgate::gateway::detail {

inline dialects::Response plain(dialects::http::status status, std::string_view message) {
  dialects::Response response;
  response.status = status;
  response.headers.set(dialects::http::field::content_type, "application/json");
  response.body = "{\"message\":\"";
  response.body += message;
  response.body += "\"}";
  return response;
}

inline dialects::Response plain_transport_error(dialects::TransportError error) {
  using dialects::TransportError;
  using status = dialects::http::status;
  switch (error) {
    case TransportError::body_too_large:
      return plain(status::payload_too_large, "Payload Too Large");
    case TransportError::timeout:
      return plain(status::request_timeout, "Request Timeout");
    case TransportError::bad_request:
      return plain(status::bad_request, "Bad Request");
    case TransportError::unavailable:
      return plain(status::service_unavailable, "Service Unavailable");
  }
  return plain(status::internal_server_error, "Internal Server Error");
}

// Through std::cerr (unbuffered): a failure must be seen even if the process dies next. The
// path only, as in the access log: a query may carry a secret.
inline void report_failure(std::string_view where, std::string_view method, std::string_view target,
                           const std::exception& e) {
  std::cerr << "clientgate: error in " << where << " for " << (method.empty() ? "-" : method) << " "
            << loggable_path(target) << ": " << e.what() << "\n";
}

}  // namespace clientgate::gateway::detail
