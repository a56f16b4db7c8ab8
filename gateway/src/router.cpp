#include "clientgate/gateway/router.hpp"

#include <algorithm>

#include "plain_answer.hpp"

namespace clientgate::gateway {

namespace {

// A dialect in the router's table: its answers are its own, and its requests may write.
class DialectHandler final : public Handler {
 public:
  explicit DialectHandler(dialects::Dialect& dialect) : dialect_(dialect) {}
  std::string_view name() const override { return dialect_.name(); }
  dialects::Claim claim(const dialects::Header& header, boost::urls::url_view url) const override {
    return dialect_.claim(header, url);
  }
  dialects::RoutePlan plan(const dialects::Header& header, boost::urls::url_view url,
                           const dialects::RoutePlan& defaults) const override {
    return dialect_.plan(header, url, defaults);
  }
  dialects::Response handle(const dialects::Request& request) override {
    return dialect_.handle(request);
  }
  dialects::Response transport_error(dialects::TransportError error,
                                     const dialects::Header& header) const override {
    return dialect_.transport_error(error, header);
  }
  bool may_write() const override { return true; }

 private:
  dialects::Dialect& dialect_;
};

// One fixed answer of the gateway's own (404, 400, 500), claimed by no request: the router
// hands it out when nothing else answers.
class PlainHandler final : public Handler {
 public:
  PlainHandler(dialects::http::status status, std::string_view message)
      : status_(status), message_(message) {}
  std::string_view name() const override { return "-"; }
  dialects::Claim claim(const dialects::Header&, boost::urls::url_view) const override {
    return dialects::Claim::none;
  }
  dialects::Response handle(const dialects::Request&) override {
    return detail::plain(status_, message_);
  }
  dialects::Response transport_error(dialects::TransportError error,
                                     const dialects::Header&) const override {
    return detail::plain_transport_error(error);
  }

 private:
  dialects::http::status status_;
  std::string_view message_;
};

}  // namespace

Router::Router(std::vector<std::unique_ptr<dialects::Dialect>> dialects)
    : dialects_(std::move(dialects)),
      not_found_(std::make_unique<PlainHandler>(dialects::http::status::not_found, "Not Found")),
      bad_target_(
          std::make_unique<PlainHandler>(dialects::http::status::bad_request, "Bad Request")),
      failed_(std::make_unique<PlainHandler>(dialects::http::status::internal_server_error,
                                             "Internal Server Error")) {
  std::sort(dialects_.begin(), dialects_.end(),
            [](const auto& a, const auto& b) { return a->name() < b->name(); });
  for (const auto& dialect : dialects_)
    dialect_handlers_.push_back(std::make_unique<DialectHandler>(*dialect));
}

Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add_own(std::unique_ptr<Handler> handler) {
  own_.push_back(std::move(handler));
}

Handler& Router::route(const dialects::Header& header, boost::urls::url_view url) const {
  for (const auto& own : own_) {
    if (own->claim(header, url) != dialects::Claim::none) return *own;
  }
  Handler* best = not_found_.get();
  auto best_claim = dialects::Claim::none;
  for (const auto& dialect : dialect_handlers_) {
    auto claim = dialect->claim(header, url);
    // Strictly stronger only: in name order, the first of equal claims keeps the request.
    if (static_cast<int>(claim) > static_cast<int>(best_claim)) {
      best = dialect.get();
      best_claim = claim;
    }
  }
  return *best;
}

Handler& Router::not_found() const {
  return *not_found_;
}
Handler& Router::bad_target() const {
  return *bad_target_;
}
Handler& Router::failed() const {
  return *failed_;
}

}  // namespace clientgate::gateway
