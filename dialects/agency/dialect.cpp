#include "clientgate/dialects/agency/agency.hpp"

#include <algorithm>
#include <variant>

#include "clientgate/core/errors.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/transport_errors.hpp"
#include "parse.hpp"
#include "render.hpp"
#include "routes.hpp"
#include "settings.hpp"

namespace clientgate::dialects::agency {

namespace {

constexpr const char* json_content_type = "application/json; charset=utf-8";
constexpr const char* client_not_found = "Client not found";

Response json_response(http::status status, std::string body) {
  Response r;
  r.status = status;
  r.headers.set(http::field::content_type, json_content_type);
  r.body = std::move(body);
  return r;
}

Response message_response(http::status status, std::string_view message) {
  return json_response(status, render_message(message));
}

Response unauthorized() {
  return message_response(http::status::unauthorized, "Unauthorized");
}

Response not_found() {
  return message_response(http::status::not_found, client_not_found);
}

Response validation_failed(const Issues& issues) {
  return json_response(http::status::bad_request, render_validation_error(issues));
}

// Every core::Error in this API's shape. A name clash is the API's documented 409; the other
// kinds cannot normally arise from these endpoints but still answer in the same shape.
Response error_response(const core::Error& e) {
  switch (e.kind()) {
    case core::ErrorKind::not_found:
      return not_found();
    case core::ErrorKind::conflict: {
      const bool name_clash = std::any_of(e.fields().begin(), e.fields().end(), [](const auto& f) {
        return f.field == core::conflict_field::name;
      });
      return message_response(http::status::conflict,
                              name_clash ? "Client already exists" : "Conflict");
    }
    case core::ErrorKind::validation: {
      Issues issues;
      for (const auto& f : e.fields())
        issues.push_back(Issue{f.field, f.message});
      if (issues.empty()) issues.push_back(Issue{"name", e.what()});
      return validation_failed(issues);
    }
    case core::ErrorKind::forbidden:
      return message_response(http::status::forbidden, "Forbidden");
    case core::ErrorKind::unauthenticated:
      return unauthorized();
    case core::ErrorKind::unavailable: {
      Response r = message_response(http::status::service_unavailable, "Service unavailable");
      r.headers.set(http::field::retry_after, "1");
      return r;
    }
  }
  return message_response(http::status::internal_server_error, "Internal server error");
}

class AgencyDialect final : public Dialect {
 public:
  explicit AgencyDialect(const Services& services) : services_(services) {}

  std::string_view name() const override { return dialect_name; }

  std::span<const RouteShape> routes() const override { return route_shapes(); }

  RoutePlan plan(const Header&, boost::urls::url_view, const RoutePlan& defaults) const override {
    RoutePlan plan = defaults;
    plan.body_limit = std::min(defaults.body_limit, body_limit);
    plan.spool_body = false;
    return plan;
  }

  Response handle(const Request& request) override {
    try {
      // Credentials before anything else: an anonymous caller learns nothing, not even
      // whether a route or an id is well-formed.
      const auto token = bearer_token(request.header);
      if (!token) return unauthorized();
      const auto who = services_.auth.by_token(*token);
      if (!who) return unauthorized();

      const RouteMatch route = match_route(request.header.method(), request.url);
      switch (route.kind) {
        case RouteMatch::Kind::not_found:
          return message_response(http::status::not_found, "Route not found");
        case RouteMatch::Kind::method_not_allowed: {
          Response r = message_response(http::status::method_not_allowed, "Method not allowed");
          r.headers.set(http::field::allow, route.allow);
          return r;
        }
        case RouteMatch::Kind::endpoint:
          break;
      }

      switch (route.endpoint) {
        case Endpoint::list:
          return list(*who);
        case Endpoint::create:
          return create(*who, request.body);
        case Endpoint::show:
        case Endpoint::update:
        case Endpoint::destroy:
          break;
      }

      // As Fastify validates params before the body, a bad id is reported alone.
      const auto uuid = parse_client_uuid(route.id);
      if (!uuid) return validation_failed({Issue{"id", "Invalid UUID"}});
      if (route.endpoint == Endpoint::show) return show(*who, *uuid);
      if (route.endpoint == Endpoint::update) return update(*who, *uuid, request.body);
      return destroy(*who, *uuid);
    } catch (const core::Error& e) {
      return error_response(e);
    }
  }

  Response transport_error(TransportError error, const Header&) const override {
    // agency's own wording (Fastify's for 413), not the reason phrase.
    std::string_view text = "Bad request";
    switch (error) {
      case TransportError::body_too_large:
        text = "Request body is too large";
        break;
      case TransportError::timeout:
        text = "Request timeout";
        break;
      case TransportError::bad_request:
        break;
      case TransportError::unavailable:
        text = "Service unavailable";
        break;
    }
    Response r = message_response(transport_status(error), text);
    if (error == TransportError::unavailable) r.headers.set(http::field::retry_after, "1");
    return r;
  }

  std::optional<Response> show_as(const core::Principal& who, core::ClientId id) override {
    try {
      const auto client = services_.clients.find(who, id, core::states_live);
      if (!client) return not_found();
      return json_response(http::status::ok, render_client(*client));
    } catch (const core::Error& e) {
      return error_response(e);
    }
  }

 private:
  Response list(const core::Principal& who) {
    core::ClientQuery query;
    query.states = core::states_live;
    query.sort = core::ClientColumn::name;
    query.count_total = false;  // no paging in this API: the list is the whole scope
    query.load.counts = true;   // campaigns and links, in the list's own query
    const core::ClientPage page = services_.clients.list(who, std::move(query));
    return json_response(http::status::ok, render_client_list(page.items));
  }

  Response create(const core::Principal& who, std::string_view body) {
    auto parsed = parse_client_name(body);
    if (auto* issues = std::get_if<Issues>(&parsed)) return validation_failed(*issues);
    core::ClientDraft draft;  // the principal's default company
    draft.fields.name = std::move(std::get<std::string>(parsed));
    const core::Client client = services_.clients.create(who, draft, name_rules());
    return json_response(http::status::created, render_client(client));
  }

  Response show(const core::Principal& who, const std::string& uuid) {
    const auto client = services_.clients.find_by_uuid(who, uuid, core::states_live);
    if (!client) return not_found();
    return json_response(http::status::ok, render_client(*client));
  }

  Response update(const core::Principal& who, const std::string& uuid, std::string_view body) {
    auto parsed = parse_client_name(body);
    if (auto* issues = std::get_if<Issues>(&parsed)) return validation_failed(*issues);
    const auto client = services_.clients.find_by_uuid(who, uuid, core::states_live);
    if (!client) return not_found();
    core::ClientPatch patch;
    patch.name = std::move(std::get<std::string>(parsed));
    const core::Client updated =
        services_.clients.update(who, client->id, patch, name_rules(), core::states_live);
    return json_response(http::status::ok, render_client(updated));
  }

  Response destroy(const core::Principal& who, const std::string& uuid) {
    const auto client = services_.clients.find_by_uuid(who, uuid, core::states_live);
    if (!client) return not_found();
    // Irreversible, as documented: campaigns, links and click data go with the client, in
    // the store's one delete transaction.
    services_.clients.remove(who, client->id, core::DeleteMode::hard, core::states_live);
    Response r;
    r.status = http::status::no_content;
    return r;
  }

  // Exact-match name uniqueness within the company, checked inside the write transaction so
  // that two racing writers cannot both succeed.
  static core::WriteRules name_rules() {
    core::WriteRules rules;
    rules.unique_name = true;
    rules.touch_unchanged = true;  // Prisma's @updatedAt moves on every update
    return rules;
  }

  Services services_;
};

}  // namespace

std::unique_ptr<Dialect> make(const Services& services) {
  read_settings(services.settings);  // none declared: refuses any key
  return std::make_unique<AgencyDialect>(services);
}

}  // namespace clientgate::dialects::agency
