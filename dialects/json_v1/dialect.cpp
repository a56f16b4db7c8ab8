// The json_v1 handler: routes, credentials and the mapping onto core. Errors follow Laravel's
// JSON defaults (see README.md).
#include <map>
#include <string>
#include <vector>

#include "clientgate/core/errors.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/json_v1/json_v1.hpp"
#include "clientgate/dialects/transport_errors.hpp"
#include "parse.hpp"
#include "render.hpp"
#include "routes.hpp"
#include "settings.hpp"

namespace clientgate::dialects::json_v1 {
namespace {

constexpr std::string_view kCollectionMethods = "GET, HEAD, POST";
constexpr std::string_view kMemberMethods = "GET, HEAD, PUT, PATCH, DELETE";

// A json_v1 client shows its id, title, company and timestamps: nothing else is read.
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

Response message(http::status status, std::string_view text) {
  return json(status, render_message(text));
}

// The request's path as Laravel's Request::path() gives it, and as its route-not-found and
// method-not-allowed messages name it: as sent (not decoded), without the query and without
// leading and trailing slashes; "/" when nothing is left.
std::string laravel_path(boost::urls::url_view url) {
  std::string_view path = url.encoded_path();
  while (!path.empty() && path.front() == '/')
    path.remove_prefix(1);
  while (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  return path.empty() ? std::string("/") : std::string(path);
}

std::string method_name(const Header& h) {
  return std::string(h.method_string());
}

class JsonV1 final : public Dialect {
 public:
  explicit JsonV1(const Services& services) : services_(services) {}

  std::string_view name() const override { return "json_v1"; }

  std::span<const RouteShape> routes() const override { return route_shapes(); }

  Response transport_error(TransportError error, const Header&) const override {
    return message(transport_status(error), transport_message(error));
  }

  Response handle(const Request& request) override {
    try {
      return dispatch(request);
    } catch (const core::Error& e) {
      return render_error(e, "");
    }
  }

  std::optional<Response> show_as(const core::Principal& who, core::ClientId id) override {
    auto client = services_.clients.find(who, id, core::states_live, summary());
    if (!client) return std::nullopt;
    return json(http::status::ok, render_client(*client, nullptr));
  }

 private:
  Response dispatch(const Request& request) {
    const Header& h = request.header;
    Route route = route_of(request.url);
    if (route.kind == Route::unknown) {
      return message(http::status::not_found,
                     "The route " + laravel_path(request.url) + " could not be found.");
    }
    http::verb method = h.method();
    // Laravel matches the route (and answers 405) before any middleware reads the credential.
    bool allowed = route.kind == Route::collection
                       ? (method == http::verb::get || method == http::verb::head ||
                          method == http::verb::post)
                       : (method == http::verb::get || method == http::verb::head ||
                          method == http::verb::put || method == http::verb::patch ||
                          method == http::verb::delete_);
    if (!allowed) return method_not_allowed(h, route, request.url);

    auto token = bearer_token(h);
    std::shared_ptr<const core::Principal> who;
    if (token) who = services_.auth.by_token(*token);
    if (!who) return message(http::status::unauthorized, "Unauthenticated.");

    if (route.kind == Route::collection) {
      if (method == http::verb::post) return create(*who, request);
      return list(*who, request.url);
    }
    auto id = parse_int64(route.id);
    if (!id) return not_found(route.id);
    try {
      switch (method) {
        case http::verb::put:
        case http::verb::patch:
          return update(*who, *id, route.id, request);
        case http::verb::delete_:
          services_.clients.remove(*who, *id, core::DeleteMode::hard);
          return Response{http::status::no_content, {}, {}, {}};
        default:
          return show(*who, *id, route.id);
      }
    } catch (const core::Error& e) {
      return render_error(e, route.id);
    }
  }

  // Laravel's AbstractRouteCollection::requestMethodNotAllowed names the request's path
  // ($request->path()), not the route's template.
  Response method_not_allowed(const Header& h, const Route& route,
                              boost::urls::url_view url) const {
    std::string_view allow = route.kind == Route::collection ? kCollectionMethods : kMemberMethods;
    Response r =
        message(http::status::method_not_allowed,
                "The " + method_name(h) + " method is not supported for route " +
                    laravel_path(url) + ". Supported methods: " + std::string(allow) + ".");
    r.headers.set(http::field::allow, allow);
    return r;
  }

  static Response not_found(std::string_view raw_id) {
    // Laravel's ModelNotFoundException message names the id as given in the path.
    std::string shown = valid_utf8(raw_id) && raw_id.size() <= 200 ? std::string(raw_id) : "";
    return message(http::status::not_found,
                   "No query results for model [App\\Models\\Client] " + shown);
  }

  Response list(const core::Principal& who, boost::urls::url_view url) {
    auto parsed = parse_list_params(url);
    if (auto* errors = std::get_if<ValidationErrors>(&parsed))
      return json(http::status::unprocessable_entity, render_validation(*errors));
    const auto& p = std::get<ListParams>(parsed);
    core::ClientQuery q;
    q.company_id = p.company_id;
    q.name_contains = p.title;
    q.limit = p.per_page;
    // Beyond the last page is an empty array, as Laravel's paginator answers.
    q.offset = p.page > (INT64_MAX / p.per_page) ? INT64_MAX : (p.page - 1) * p.per_page;
    q.count_total = false;
    q.load = summary();
    auto page = services_.clients.list(who, std::move(q));
    std::map<core::CompanyId, std::optional<core::Company>> companies;
    auto company_of = [&](core::CompanyId id) -> const core::Company* {
      auto it = companies.find(id);
      if (it == companies.end())
        it = companies.emplace(id, services_.clients.company(who, id)).first;
      return it->second ? &*it->second : nullptr;
    };
    return json(http::status::ok, render_list(page.items, company_of));
  }

  Response show(const core::Principal& who, core::ClientId id, std::string_view raw_id) {
    auto client = services_.clients.find(who, id, core::states_live, summary());
    if (!client) return not_found(raw_id);
    return json(http::status::ok, render_client(*client, nullptr));
  }

  Response create(const core::Principal& who, const Request& request) {
    auto body = parse_client_body(media_type(request.header), request.body, BodyKind::create);
    if (body.malformed) return message(http::status::bad_request, "Malformed JSON body.");
    // Laravel's `exists` rule runs with the others: an unknown or foreign company is one more
    // validation error, never a 403 (existence of other companies is not revealed).
    if (body.fields.company_id && !who.in_scope(*body.fields.company_id))
      body.errors.push_back({"company_id", {"The selected company id is invalid."}});
    if (!body.errors.empty())
      return json(http::status::unprocessable_entity, render_validation(body.errors));
    core::ClientDraft draft;
    draft.company_id = body.fields.company_id;
    draft.fields.name = body.fields.title;
    auto client = services_.clients.create(who, draft);
    return json(http::status::created, render_client(client, nullptr));
  }

  Response update(const core::Principal& who, core::ClientId id, std::string_view raw_id,
                  const Request& request) {
    // A client outside the scope is not found before its body is looked at.
    if (!services_.clients.find(who, id, core::states_live, summary())) return not_found(raw_id);
    auto body = parse_client_body(media_type(request.header), request.body, BodyKind::update);
    if (body.malformed) return message(http::status::bad_request, "Malformed JSON body.");
    if (!body.errors.empty())
      return json(http::status::unprocessable_entity, render_validation(body.errors));
    core::ClientPatch patch;
    patch.name = body.fields.title;
    auto client = services_.clients.update(who, id, patch);
    return json(http::status::ok, render_client(client, nullptr));
  }

  Response render_error(const core::Error& e, std::string_view raw_id) const {
    switch (e.kind()) {
      case core::ErrorKind::not_found:
        return not_found(raw_id);
      case core::ErrorKind::validation:
      case core::ErrorKind::conflict: {
        ValidationErrors errors;
        for (const auto& f : e.fields())
          errors.push_back({f.field, {f.message}});
        return json(http::status::unprocessable_entity, render_validation(errors));
      }
      case core::ErrorKind::unauthenticated:
        return message(http::status::unauthorized, "Unauthenticated.");
      case core::ErrorKind::forbidden:
        return message(http::status::forbidden, "This action is unauthorized.");
      case core::ErrorKind::unavailable:
        break;
    }
    return message(http::status::service_unavailable, "Service Unavailable");
  }

  Services services_;
};

}  // namespace

std::unique_ptr<Dialect> make(const Services& services) {
  read_settings(services.settings);  // none declared: refuses any key
  return std::make_unique<JsonV1>(services);
}

}  // namespace clientgate::dialects::json_v1
