#include "clientgate/dialects/intervals/intervals.hpp"

#include <string>
#include <variant>
#include <vector>

#include "client_fields.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/transport_errors.hpp"
#include "list_params.hpp"
#include "parse.hpp"
#include "render.hpp"
#include "routes.hpp"
#include "settings.hpp"

namespace clientgate::dialects::intervals {
namespace {

bool is_administrator(const core::Principal& who, core::CompanyId company) {
  const auto* membership = who.membership(company);
  return membership && membership->role == core::Role::administrator;
}

bool administrator_anywhere(const core::Principal& who) {
  return who.administrators_in_scope() > 0;
}

ApiError no_such_client(std::string_view id_text) {
  return api_error(ApiCode::no_such_resource, "No client with id " + std::string(id_text));
}

ApiError permission_denied(std::string_view what) {
  return api_error(ApiCode::permission, "Only administrators may " + std::string(what));
}

ApiError from_core(const core::Error& error, std::string_view id_text) {
  using core::ErrorKind;
  switch (error.kind()) {
    case ErrorKind::not_found:
      return no_such_client(id_text);
    case ErrorKind::forbidden:
      return api_error(ApiCode::permission, error.what());
    case ErrorKind::unauthenticated:
      return api_error(ApiCode::invalid_auth, error.what());
    case ErrorKind::unavailable:
      return api_error(ApiCode::service_offline,
                       "The service cannot serve this request now; try again later");
    case ErrorKind::conflict:
    case ErrorKind::validation: {
      ApiError api{ApiCode::validation, {}, std::nullopt};
      for (const auto& field : error.fields()) {
        if (field.field == core::conflict_field::time_entries)
          api.verbose.push_back("Client " + std::string(id_text) +
                                " has projects with time entries and cannot be deleted");
        else if (!field.field.empty())
          api.verbose.push_back(field.field + ": " + field.message);
        else
          api.verbose.push_back(field.message);
      }
      if (api.verbose.empty()) api.verbose.push_back(error.what());
      return api;
    }
  }
  return api_error(ApiCode::general, "Something went wrong");
}

class IntervalsDialect final : public Dialect {
 public:
  explicit IntervalsDialect(const Services& services)
      : clients_(services.clients),
        auth_(services.auth),
        description_limits_(read_settings(services.settings)) {}

  std::string_view name() const override { return "intervals"; }

  std::span<const RouteShape> routes() const override { return route_shapes(); }

  Response handle(const Request& request) override {
    Format format = response_format(request.header);
    std::string personid;
    std::string id_text;
    try {
      auto credentials = basic_credentials(request.header);
      std::shared_ptr<const core::Principal> who;
      if (credentials && !credentials->user.empty()) who = auth_.by_token(credentials->user);
      if (!who) return unauthenticated(format);
      personid = std::to_string(who->user_id);

      Target target = target_of(request.url);
      id_text = target.id_text;
      auto method = request.header.method();
      bool write = method == http::verb::post || method == http::verb::put;
      switch (target.kind) {
        case Target::nowhere:
          return fail(personid, api_error(ApiCode::no_such_resource, "No such resource"), format);
        case Target::collection:
          if (method == http::verb::get) return list(*who, request, format);
          if (write) return create(*who, request, format);
          return method_not_available(personid, request, format);
        case Target::member: {
          if (method != http::verb::get && method != http::verb::delete_ && !write)
            return method_not_available(personid, request, format);
          if (auto refused = refuse_parameters(request)) return fail(personid, *refused, format);
          auto id = parse_int64(target.id_text);
          if (method == http::verb::get) return show(*who, id, id_text, format);
          if (!administrator_anywhere(*who)) {
            return fail(personid, permission_denied(write ? "update clients" : "delete clients"),
                        format);
          }
          if (write) return update(*who, id, id_text, request, format);
          return remove(*who, id, id_text, format);
        }
      }
      return fail(personid, api_error(ApiCode::general, "Something went wrong"), format);
    } catch (const core::Error& error) {
      Response response = fail(personid, from_core(error, id_text), format);
      if (error.kind() == core::ErrorKind::unavailable)
        response.headers.set(http::field::retry_after, "1");
      return response;
    } catch (const std::exception&) {
      return fail(personid, api_error(ApiCode::general, "Something went wrong on our end"), format);
    }
  }

  Response transport_error(TransportError error, const Header& header) const override {
    Format format = response_format(header);
    ApiError api;
    switch (error) {
      case TransportError::body_too_large:
        api = api_error(ApiCode::validation, "The request body is too large");
        break;
      case TransportError::timeout:
        api = api_error(ApiCode::general, "The request was not received in time");
        break;
      case TransportError::bad_request:
        api = api_error(ApiCode::validation, "The request is not well-formed HTTP");
        break;
      case TransportError::unavailable:
        api = api_error(ApiCode::service_offline,
                        "The service cannot serve this request now; try again later");
        break;
    }
    api.status = transport_status(error);
    return respond(error_envelope("", std::move(api)), format);
  }

  std::optional<Response> show_as(const core::Principal& who, core::ClientId id) override {
    std::string id_text = std::to_string(id);
    try {
      return show(who, id, id_text, Format::json);
    } catch (const core::Error& error) {
      return fail(std::to_string(who.user_id), from_core(error, id_text), Format::json);
    }
  }

 private:
  static Response fail(const std::string& personid, ApiError error, Format format) {
    return respond(error_envelope(personid, std::move(error)), format);
  }

  static Response unauthenticated(Format format) {
    Response response = fail("",
                             api_error(ApiCode::invalid_auth,
                                       "Send your API token as the user name of HTTP "
                                       "Basic authentication"),
                             format);
    response.headers.set(http::field::www_authenticate, "Basic realm=\"Intervals API\"");
    return response;
  }

  static Response method_not_available(const std::string& personid, const Request& request,
                                       Format format) {
    std::string method(request.header.method_string());
    return fail(
        personid,
        api_error(ApiCode::method_not_available, "The method " + method + " is not available for " +
                                                     std::string(request.url.path())),
        format);
  }

  // A member route and a write take no query parameters. The collection's filters are
  // ignored there (the Ruby intervals_api client re-sends its last filters on later calls);
  // any other parameter is one this resource does not recognize.
  static std::optional<ApiError> refuse_parameters(const Request& request) {
    ApiError api{ApiCode::unknown_parameter, {}, std::nullopt};
    for (auto param : request.url.params()) {
      if (!param.key.empty() && !is_list_parameter(param.key))
        api.verbose.push_back("Unknown parameter: " + std::string(param.key));
    }
    if (api.verbose.empty()) return std::nullopt;
    return api;
  }

  Envelope envelope_for(const core::Principal& who, http::status status) const {
    Envelope e;
    e.personid = std::to_string(who.user_id);
    e.status = status;
    return e;
  }

  Response list(const core::Principal& who, const Request& request, Format format) const {
    auto parsed = list_query(request.url.params());
    if (auto* error = std::get_if<ApiError>(&parsed))
      return fail(std::to_string(who.user_id), std::move(*error), format);
    auto page = clients_.list(who, std::get<core::ClientQuery>(std::move(parsed)));
    Envelope e = envelope_for(who, http::status::ok);
    e.listcount = page.total;
    e.clients.emplace();
    for (const auto& client : page.items)
      e.clients->push_back(show_client(client, is_administrator(who, client.company_id)));
    return respond(e, format);
  }

  Response show(const core::Principal& who, std::optional<core::ClientId> id,
                std::string_view id_text, Format format) const {
    std::optional<core::Client> client;
    if (id) client = clients_.find(who, *id);
    if (!client) return fail(std::to_string(who.user_id), no_such_client(id_text), format);
    Envelope e = envelope_for(who, http::status::ok);
    e.listcount = 1;
    e.clients.emplace();
    e.clients->push_back(show_client(*client, is_administrator(who, client->company_id)));
    return respond(e, format);
  }

  Response create(const core::Principal& who, const Request& request, Format format) const {
    std::string personid = std::to_string(who.user_id);
    if (auto refused = refuse_parameters(request)) return fail(personid, *refused, format);
    auto company = who.default_company();
    if (!company || !is_administrator(who, *company))
      return fail(personid, permission_denied("create clients"), format);
    auto patch = patch_from(request, /*creating=*/true);
    if (auto* error = std::get_if<ApiError>(&patch))
      return fail(personid, std::move(*error), format);
    core::ClientDraft draft;
    draft.company_id = company;
    draft.fields = std::get<core::ClientPatch>(std::move(patch));
    core::Client created = clients_.create(who, draft);
    Envelope e = envelope_for(who, http::status::created);
    e.clients.emplace();
    e.clients->push_back(show_client(created, true));
    return respond(e, format);
  }

  Response update(const core::Principal& who, std::optional<core::ClientId> id,
                  std::string_view id_text, const Request& request, Format format) const {
    std::string personid = std::to_string(who.user_id);
    std::optional<core::Client> current;
    if (id) current = clients_.find(who, *id);
    if (!current) return fail(personid, no_such_client(id_text), format);
    if (!is_administrator(who, current->company_id))
      return fail(personid, permission_denied("update clients"), format);
    auto patch = patch_from(request, /*creating=*/false);
    if (auto* error = std::get_if<ApiError>(&patch))
      return fail(personid, std::move(*error), format);
    core::Client updated = clients_.update(who, *id, std::get<core::ClientPatch>(patch));
    Envelope e = envelope_for(who, http::status::accepted);
    e.clients.emplace();
    e.clients->push_back(show_client(updated, true));
    return respond(e, format);
  }

  Response remove(const core::Principal& who, std::optional<core::ClientId> id,
                  std::string_view id_text, Format format) const {
    std::string personid = std::to_string(who.user_id);
    std::optional<core::Client> current;
    if (id) current = clients_.find(who, *id);
    if (!current) return fail(personid, no_such_client(id_text), format);
    if (!is_administrator(who, current->company_id))
      return fail(personid, permission_denied("delete clients"), format);
    clients_.remove(who, *id, core::DeleteMode::hard_unless_time_entries);
    return respond(envelope_for(who, http::status::ok), format);
  }

  std::variant<core::ClientPatch, ApiError> patch_from(const Request& request,
                                                       bool creating) const {
    auto fields = parse_body(media_type(request.header), request.body);
    if (auto* error = std::get_if<ApiError>(&fields)) return std::move(*error);
    return client_patch(std::get<BodyFields>(fields), creating, description_limits_);
  }

  core::ClientService& clients_;
  core::Authenticator& auth_;
  DescriptionLimits description_limits_;
};

}  // namespace

std::unique_ptr<Dialect> make(const Services& services) {
  return std::make_unique<IntervalsDialect>(services);
}

}  // namespace clientgate::dialects::intervals
