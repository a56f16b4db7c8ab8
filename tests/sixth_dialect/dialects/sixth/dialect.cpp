// The sixth dialect's handler: routes, the Bearer credential and the mapping onto core.
// Every answer that is not a client is {"error": "..."} (render.cpp).
#include <string>

#include "clientgate/core/errors.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/sixth/sixth.hpp"
#include "parse.hpp"
#include "render.hpp"
#include "routes.hpp"
#include "settings.hpp"

namespace clientgate::dialects::sixth {
namespace {

constexpr std::string_view kCollectionMethods = "GET, HEAD, POST";
constexpr std::string_view kMemberMethods = "GET, HEAD, PUT, DELETE";
constexpr std::int64_t kListLimit = 1000;

core::ClientLoad summary() {
  core::ClientLoad load;
  load.summary = true;
  return load;
}

Response json(http::status status, std::string body) {
  Response r;
  r.status = status;
  r.headers.set(http::field::content_type, "application/json");
  r.body = std::move(body);
  return r;
}

Response error(http::status status, std::string_view message) {
  return json(status, render_error(message));
}

Response unavailable() {
  Response r = error(http::status::service_unavailable, "unavailable, retry later");
  r.headers.set(http::field::retry_after, "1");
  return r;
}

class Sixth final : public Dialect {
 public:
  explicit Sixth(const Services& services) : services_(services) {}

  std::string_view name() const override { return "sixth"; }

  std::span<const RouteShape> routes() const override { return route_shapes(); }

  Response transport_error(TransportError e, const Header&) const override {
    switch (e) {
      case TransportError::body_too_large:
        return error(http::status::payload_too_large, "body too large");
      case TransportError::timeout:
        return error(http::status::request_timeout, "request timeout");
      case TransportError::bad_request:
        return error(http::status::bad_request, "bad request");
      case TransportError::unavailable:
        break;
    }
    return unavailable();
  }

  Response handle(const Request& request) override {
    try {
      return dispatch(request);
    } catch (const core::Error& e) {
      return render(e);
    }
  }

  std::optional<Response> show_as(const core::Principal& who, core::ClientId id) override {
    auto client = services_.clients.find(who, id, core::states_live, summary());
    if (!client) return std::nullopt;
    return json(http::status::ok, render_client(*client));
  }

 private:
  Response dispatch(const Request& request) {
    Route route = route_of(request.url);
    if (route.kind == Route::unknown) return error(http::status::not_found, "no such route");
    const http::verb method = request.header.method();
    const bool collection = route.kind == Route::collection;
    const bool allowed = method == http::verb::get || method == http::verb::head ||
                         (collection ? method == http::verb::post
                                     : method == http::verb::put || method == http::verb::delete_);
    if (!allowed) {
      Response r = error(http::status::method_not_allowed, "method not allowed");
      r.headers.set(http::field::allow, collection ? kCollectionMethods : kMemberMethods);
      return r;
    }

    std::shared_ptr<const core::Principal> who;
    if (auto token = bearer_token(request.header)) who = services_.auth.by_token(*token);
    if (!who) return error(http::status::unauthorized, "unauthenticated");

    if (collection) {
      if (method == http::verb::post) return create(*who, request.body);
      core::ClientQuery q;
      q.limit = kListLimit;
      q.load = summary();
      return json(http::status::ok, render_list(services_.clients.list(*who, q).items));
    }
    auto id = parse_int64(route.id);
    if (!id) return error(http::status::not_found, "no such client");
    switch (method) {
      case http::verb::put:
        return update(*who, *id, request.body);
      case http::verb::delete_:
        services_.clients.remove(*who, *id, core::DeleteMode::hard);
        return Response{http::status::no_content, {}, {}, {}};
      default: {
        auto client = services_.clients.find(*who, *id, core::states_live, summary());
        if (!client) return error(http::status::not_found, "no such client");
        return json(http::status::ok, render_client(*client));
      }
    }
  }

  Response create(const core::Principal& who, std::string_view body) {
    NameBody parsed = parse_name_body(body);
    if (!parsed.error.empty()) return error(http::status::bad_request, parsed.error);
    if (!parsed.name) return error(http::status::unprocessable_entity, "name: required");
    core::ClientDraft draft;  // the principal's default company
    draft.fields.name = std::move(parsed.name);
    return json(http::status::created, render_client(services_.clients.create(who, draft)));
  }

  Response update(const core::Principal& who, core::ClientId id, std::string_view body) {
    // A client outside the scope is not found before its body is looked at.
    if (!services_.clients.find(who, id, core::states_live, summary()))
      return error(http::status::not_found, "no such client");
    NameBody parsed = parse_name_body(body);
    if (!parsed.error.empty()) return error(http::status::bad_request, parsed.error);
    core::ClientPatch patch;
    patch.name = std::move(parsed.name);
    return json(http::status::ok, render_client(services_.clients.update(who, id, patch)));
  }

  static Response render(const core::Error& e) {
    switch (e.kind()) {
      case core::ErrorKind::not_found:
        return error(http::status::not_found, "no such client");
      case core::ErrorKind::validation:
      case core::ErrorKind::conflict: {
        std::string message;
        for (const auto& f : e.fields())
          message += (message.empty() ? "" : "; ") + f.field + ": " + f.message;
        return error(http::status::unprocessable_entity, message);
      }
      case core::ErrorKind::unauthenticated:
        return error(http::status::unauthorized, "unauthenticated");
      case core::ErrorKind::forbidden:
        return error(http::status::forbidden, "forbidden");
      case core::ErrorKind::unavailable:
        break;
    }
    return unavailable();
  }

  Services services_;
};

}  // namespace

std::unique_ptr<Dialect> make(const Services& services) {
  read_settings(services.settings);  // none declared: refuses any key
  return std::make_unique<Sixth>(services);
}

}  // namespace clientgate::dialects::sixth
