// What answers a request, decided on the header alone: the router's table of handlers. A
// handler is a dialect or one of the gateway's own answers (/healthz, /_admin/...); the
// session only asks the table and runs what it returns.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::gateway {

// One entry of the router's table: the shape a dialect has, seen from the gateway.
class Handler {
 public:
  virtual ~Handler() = default;

  // The access log's DIALECT column: a dialect's name, "-" for the gateway's own answers.
  virtual std::string_view name() const = 0;

  virtual dialects::Claim claim(const dialects::Header& header,
                                boost::urls::url_view url) const = 0;

  // The body limit, spooling and placement hints of a claimed request (Dialect::plan).
  virtual dialects::RoutePlan plan(const dialects::Header& header, boost::urls::url_view url,
                                   const dialects::RoutePlan& defaults) const {
    (void)header;
    (void)url;
    return defaults;
  }

  // The answer to a request read whole; an exception is a plain 500 (the session logs it).
  virtual dialects::Response handle(const dialects::Request& request) = 0;

  // The answer, in this handler's error shape, to a request that failed in transport.
  virtual dialects::Response transport_error(dialects::TransportError error,
                                             const dialects::Header& header) const = 0;

  // Whether handling may write to the store: then a request other than GET and HEAD runs
  // where writes run (RequestPlacement). The gateway's own answers only read, on the io
  // thread, whatever the method.
  virtual bool may_write() const { return false; }
};

class Router {
 public:
  explicit Router(std::vector<std::unique_ptr<dialects::Dialect>> dialects);
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Adds an answer of the gateway's own. These are asked before any dialect, in the order
  // added, and the first that claims the request has it (an admin path wins over a dialect's
  // claim). The server adds /healthz and /_admin (gateway_handlers.hpp); the next one
  // (metrics, /readyz) is one more call.
  void add_own(std::unique_ptr<Handler> handler);

  // What answers the request: the first of the gateway's own handlers that claims it; else
  // the dialect with the strongest claim, on a tie the one whose name sorts first, so the
  // answer never depends on registration order; else the plain 404.
  Handler& route(const dialects::Header& header, boost::urls::url_view url) const;

  // The plain 404 route() gives when nothing claims the request.
  Handler& not_found() const;
  // The answer to a target that is not origin-form (no path to route on): a plain 400.
  Handler& bad_target() const;
  // The answer when routing itself failed (a claim or plan threw): a plain 500.
  Handler& failed() const;

  // In name order.
  const std::vector<std::unique_ptr<dialects::Dialect>>& dialects() const { return dialects_; }

 private:
  std::vector<std::unique_ptr<dialects::Dialect>> dialects_;
  std::vector<std::unique_ptr<Handler>> dialect_handlers_;  // one per dialect, in name order
  std::vector<std::unique_ptr<Handler>> own_;
  std::unique_ptr<Handler> not_found_;
  std::unique_ptr<Handler> bad_target_;
  std::unique_ptr<Handler> failed_;
};

}  // namespace clientgate::gateway
