// The unit every API emulation implements. A dialect is value in, value out: given a parsed
// HTTP request and the core services, it returns a response. It needs no socket, so its tests
// call handle() directly.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/url/url_view.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"

namespace clientgate::dialects {

namespace http = boost::beast::http;
using Header = http::request_header<>;

// How strongly a dialect claims a request. The router gives the request to the strongest
// claim; a tie goes to the dialect whose name sorts first (deterministic, documented).
enum class Claim : int {
  none = 0,
  path = 1,        // the path has this dialect's shape
  credential = 2,  // the path has its shape and the request carries its credential style
};

struct Response;
struct RouteShape;  // route_shape.hpp

// Decided on the header alone, before the body is read.
struct RoutePlan {
  std::size_t body_limit = 0;  // bytes; over it: transport_error(body_too_large)
  bool spool_body = false;     // the body goes to a temporary file (Request::body_file)
  // Whether the request carries a password the authenticator must verify (an Argon2id hash,
  // not remembered lately): the gateway hands it to its bounded password pool, never to an io
  // thread, and answers transport_error(unavailable) at once when that pool's queue is full.
  bool verifies_password = false;
  // Whether the request may be handled among the writes of its io thread's turn, inside their
  // transaction (the gateway's write_batching): not when it may take long before it writes,
  // which today means a password to verify, so that the other writes do not wait for it.
  bool quick() const { return !verifies_password; }
  // When set, the answer at once, before any of the body is read (or spooled), and the
  // connection closed: a credential the header already shows to be wrong.
  std::shared_ptr<const Response> refusal = nullptr;
};

enum class TransportError {
  body_too_large,  // 413
  timeout,         // 408: the request was not received in time
  bad_request,     // 400: HTTP framing the parser refused (after the header was read)
  unavailable,     // 503: the gateway is shutting down or over capacity
};

struct Request {
  const Header& header;       // method, target, fields
  boost::urls::url_view url;  // the parsed target (origin-form)
  std::string_view body;      // empty when spooled
  std::string body_file;      // the spooled body's path, when RoutePlan::spool_body
  // The peer's IP address as text ("127.0.0.1", "::1"); empty when unknown (tests). Keys the
  // per-address throttle of failed passwords.
  std::string_view client_address = {};
};

struct Response {
  http::status status = http::status::ok;
  http::fields headers;
  std::string body;
  // When set, the body is produced piece by piece after the header is sent (chunked
  // transfer encoding): each call returns the next piece, nullopt at the end. It is called
  // on the connection's thread between writes, so memory does not grow with the body.
  std::function<std::optional<std::string>()> stream;
};

// Settings of one dialect: the [dialects.NAME] table of the config file, each value as text
// (an integer in decimal, a boolean `true` or `false`). The dialect declares what it accepts
// and reads them into a struct of its own (settings_schema.hpp); the config reader checks the
// file against the same declaration before any dialect is made.
using DialectSettings = std::map<std::string, std::string>;

struct Services {
  core::ClientService& clients;
  core::Authenticator& auth;
  const DialectSettings& settings;
};

class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual std::string_view name() const = 0;

  // The request shapes this dialect answers, declared as data in its routes.cpp
  // (route_shape.hpp): methods, path pattern, suffix, credential style.
  virtual std::span<const RouteShape> routes() const { return {}; }

  // How strongly it claims a request. By default computed from routes() (claim_of in
  // route_shape.hpp), so that the declared shapes and the claim cannot drift apart.
  virtual Claim claim(const Header& header, boost::urls::url_view url) const;

  // The body limit and spooling for a claimed request; `defaults` has the gateway's limit.
  virtual RoutePlan plan(const Header& header, boost::urls::url_view url,
                         const RoutePlan& defaults) const {
    (void)header;
    (void)url;
    return defaults;
  }

  // Answers a claimed request. Renders every core::Error and bad input itself; the gateway
  // turns an escaping exception into a plain 500 and logs it.
  virtual Response handle(const Request& request) = 0;

  // The answer, in this dialect's error shape, to a request that failed in transport.
  virtual Response transport_error(TransportError error, const Header& header) const = 0;

  // What this dialect answers to a GET of one client for `who`, skipping the credential
  // check (the migration view). nullopt when the dialect cannot show that client.
  virtual std::optional<Response> show_as(const core::Principal& who, core::ClientId id) {
    (void)who;
    (void)id;
    return std::nullopt;
  }
};

// Every dialect compiled in, constructed with its settings (the registry is generated by
// CMake from the folders under dialects/).
std::vector<std::unique_ptr<Dialect>> make_dialects(
    core::ClientService& clients, core::Authenticator& auth,
    const std::map<std::string, DialectSettings>& settings);

std::vector<std::string> dialect_names();

}  // namespace clientgate::dialects
