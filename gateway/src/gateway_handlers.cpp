#include "gateway_handlers.hpp"

#include <memory>

#include "clientgate/gateway/admin_view.hpp"
#include "plain_answer.hpp"

namespace clientgate::gateway::detail {

namespace {

namespace http = dialects::http;

// The gateway's own handlers: named "-" in the access log, plain answers to transport errors.
class OwnHandler : public Handler {
 public:
  std::string_view name() const override { return "-"; }
  dialects::Response transport_error(dialects::TransportError error,
                                     const dialects::Header&) const override {
    return plain_transport_error(error);
  }
};

// GET /healthz (and HEAD): {"status":"ok"} when the store answers a trivial read, else 503.
class HealthHandler final : public OwnHandler {
 public:
  explicit HealthHandler(core::Repository& repository) : repository_(repository) {}

  dialects::Claim claim(const dialects::Header&, boost::urls::url_view url) const override {
    return url.encoded_path() == "/healthz" ? dialects::Claim::path : dialects::Claim::none;
  }

  dialects::Response handle(const dialects::Request& request) override {
    if (request.header.method() != http::verb::get) {
      auto response = plain(http::status::method_not_allowed, "Method Not Allowed");
      response.headers.set(http::field::allow, "GET, HEAD");
      return response;
    }
    bool healthy = false;
    try {
      healthy = repository_.healthy();
    } catch (const std::exception& e) {
      report_failure("healthz", request.header.method_string(), request.header.target(), e);
    }
    dialects::Response response;
    response.status = healthy ? http::status::ok : http::status::service_unavailable;
    response.headers.set(http::field::content_type, "application/json");
    response.headers.set(http::field::cache_control, "no-store");
    response.body = healthy ? R"({"status":"ok"})" : R"({"status":"unavailable"})";
    return response;
  }

 private:
  core::Repository& repository_;
};

// /_admin/...: the migration views (admin_view.cpp), behind the admin token.
class AdminHandler final : public OwnHandler {
 public:
  AdminHandler(core::Repository& repository, const DialectList& dialects, std::string token)
      : repository_(repository), dialects_(dialects), token_(std::move(token)) {}

  dialects::Claim claim(const dialects::Header&, boost::urls::url_view url) const override {
    return is_admin_path(url.encoded_path()) ? dialects::Claim::path : dialects::Claim::none;
  }

  dialects::Response handle(const dialects::Request& request) override {
    try {
      return admin_response(token_, repository_, dialects_, request.header, request.url);
    } catch (const std::exception& e) {
      report_failure("admin view", request.header.method_string(), request.header.target(), e);
      return plain(http::status::internal_server_error, "Internal Server Error");
    }
  }

 private:
  core::Repository& repository_;
  const DialectList& dialects_;
  std::string token_;
};

}  // namespace

void add_gateway_handlers(Router& router, core::Repository& repository, std::string admin_token) {
  router.add_own(std::make_unique<HealthHandler>(repository));
  router.add_own(
      std::make_unique<AdminHandler>(repository, router.dialects(), std::move(admin_token)));
}

}  // namespace clientgate::gateway::detail
