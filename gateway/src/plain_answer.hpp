// The answers the gateway writes in its own words (no dialect known, or the dialect's own
// failed), and how it reports a failure on stderr. Internal to the gateway.
#pragma once

#include <exception>
#include <iostream>
#include <string_view>

#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/transport_errors.hpp"
#include "clientgate/gateway/access_log.hpp"

namespace clientgate::gateway::detail {

inline dialects::Response plain(dialects::http::status status, std::string_view message) {
  dialects::Response response;
  response.status = status;
  response.headers.set(dialects::http::field::content_type, "application/json");
  response.body = dialects::json_message_body(message);
  return response;
}

inline dialects::Response plain_transport_error(dialects::TransportError error) {
  return plain(dialects::transport_status(error), dialects::transport_message(error));
}

// Through std::cerr (unbuffered): a failure must be seen even if the process dies next. The
// path only, as in the access log: a query may carry a secret.
inline void report_failure(std::string_view where, std::string_view method, std::string_view target,
                           const std::exception& e) {
  std::cerr << "clientgate: error in " << where << " for " << (method.empty() ? "-" : method) << " "
            << loggable_path(target) << ": " << e.what() << "\n";
}

}  // namespace clientgate::gateway::detail
