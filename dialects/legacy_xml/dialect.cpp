// The legacy_xml dialect: LiveTimer's XML clients API (Rails 2). The handler is thin: the
// account and caller from Basic credentials and Host, the route, then core calls; parsing and
// rendering live in parse.cpp and render.cpp.
#include <algorithm>
#include <charconv>
#include <memory>
#include <variant>

#include "client_cursor.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/legacy_xml/legacy_xml.hpp"
#include "clientgate/dialects/transport_errors.hpp"
#include "company_directory.hpp"
#include "parse.hpp"
#include "render.hpp"
#include "routes.hpp"
#include "settings.hpp"

namespace clientgate::dialects::legacy_xml {
namespace {

constexpr std::string_view realm_challenge = "Basic realm=\"clientgate\"";
constexpr std::string_view access_denied = "HTTP Basic: Access denied.";
constexpr std::string_view classification_off =
    "Your account must have the \"client\" classification enabled to view clients.";
constexpr std::string_view managers_only =
    "Only client managers can create, update and delete clients.";
constexpr std::string_view time_entries_refusal =
    "Client has projects with time entries and cannot be deleted; make it inactive instead";

Response xml(http::status status, std::string body) {
  Response response;
  response.status = status;
  response.headers.set(http::field::content_type, xml_content_type);
  response.body = std::move(body);
  return response;
}

Response error(http::status status, std::string_view message) {
  return xml(status, errors_document(message));
}

Response errors(http::status status, const std::vector<std::string>& messages) {
  return xml(status, errors_document(messages));
}

Response unauthorized() {
  Response response = error(http::status::unauthorized, access_denied);
  response.headers.set(http::field::www_authenticate, realm_challenge);
  return response;
}

// 404 has an empty body (Rails' `head :not_found`): a client of another company answers
// exactly like one that does not exist.
Response not_found() {
  return xml(http::status::not_found, "");
}

Response method_not_allowed(RouteKind kind) {
  Response response = error(http::status::method_not_allowed, "Method not allowed");
  response.headers.set(http::field::allow, allowed_methods(kind));
  return response;
}

Response unavailable() {
  Response response = error(http::status::service_unavailable,
                            "The service is temporarily unavailable; please retry");
  response.headers.set(http::field::retry_after, "1");
  return response;
}

// Too many failed sign-ins from this address or for this account (our choice: 429 with the
// errors document and Retry-After, as rack-attack's throttle answers).
Response throttled(std::chrono::milliseconds retry_after) {
  Response response =
      error(http::status::too_many_requests, "Too many failed sign-in attempts; retry later");
  auto seconds = (retry_after.count() + 999) / 1000;
  response.headers.set(http::field::retry_after,
                       std::to_string(std::max<std::int64_t>(1, seconds)));
  return response;
}

Response from_core_error(const core::Error& e) {
  switch (e.kind()) {
    case core::ErrorKind::not_found:
      return not_found();
    case core::ErrorKind::unauthenticated:
      return unauthorized();
    case core::ErrorKind::forbidden:
      return error(http::status::forbidden, e.what());
    case core::ErrorKind::unavailable:
      return unavailable();
    case core::ErrorKind::conflict:
      if (!e.fields().empty() && e.fields().front().field == core::conflict_field::time_entries)
        return error(http::status::unprocessable_entity, time_entries_refusal);
      [[fallthrough]];
    case core::ErrorKind::validation: {
      std::vector<std::string> messages;
      for (const auto& field : e.fields())
        messages.push_back(field.message);
      if (messages.empty()) messages.push_back(e.what());
      return errors(http::status::unprocessable_entity, messages);
    }
  }
  return error(http::status::internal_server_error, "Internal error");
}

// The authenticated caller, as the authenticator remembers it (shared, never copied).
using Caller = std::shared_ptr<const core::Principal>;

bool manages(const core::Principal& who, core::CompanyId company) {
  const auto* membership = who.membership(company);
  return membership && membership->client_manager;
}

bool manages_any(const core::Principal& who) {
  return who.client_managers_in_scope() > 0;
}

bool manages_all(const core::Principal& who) {
  return who.client_managers_in_scope() == who.scope().size();
}

// A write's body must be XML in UTF-8 (the only encoding read): 415 otherwise.
bool xml_content_type_accepted(const Header& header) {
  std::string type = media_type(header);
  if (type != "application/xml" && type != "text/xml") return false;
  auto it = header.find(http::field::content_type);
  std::string value = ascii_lower(it->value());
  auto at = value.find("charset=");
  if (at == std::string::npos) return true;
  std::string_view charset = std::string_view(value).substr(at + 8);
  charset = charset.substr(0, charset.find(';'));
  while (!charset.empty() && (charset.back() == ' ' || charset.back() == '\t'))
    charset.remove_suffix(1);
  if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"')
    charset = charset.substr(1, charset.size() - 2);
  return charset == "utf-8" || charset == "utf8" || charset == "us-ascii";
}

std::string location_of(core::ClientId id) {
  std::string out = "/clients/";
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, id);
  (void)ec;
  out.append(buf, end);
  out += ".xml";
  return out;
}

// The projects of a batch of clients, grouped so each client's are one span.
class ProjectsByClient {
 public:
  ProjectsByClient(const core::ClientService& clients, const std::vector<core::Client>& batch,
                   Embedding embedding) {
    if (!embedding.projects || batch.empty()) return;
    std::vector<core::ClientId> ids;
    ids.reserve(batch.size());
    for (const auto& client : batch)
      ids.push_back(client.id);
    projects_ = clients.projects(ids, embedding.tasks);
    std::stable_sort(projects_.begin(), projects_.end(),
                     [](const core::Project& a, const core::Project& b) {
                       return a.client_id != b.client_id ? a.client_id < b.client_id : a.id < b.id;
                     });
  }
  std::span<const core::Project> of(core::ClientId client) const {
    auto first = std::lower_bound(
        projects_.begin(), projects_.end(), client,
        [](const core::Project& p, core::ClientId id) { return p.client_id < id; });
    auto last = first;
    while (last != projects_.end() && last->client_id == client)
      ++last;
    return {first, last};
  }

 private:
  std::vector<core::Project> projects_;
};

void append_clients(std::string& out, const core::ClientService& clients,
                    const std::vector<core::Client>& batch, Embedding embedding) {
  ProjectsByClient projects(clients, batch, embedding);
  for (const auto& client : batch)
    append_client(out, client, projects.of(client.id), embedding, 1);
}

// What a streamed list still has to send: the first piece (declaration, root, first batch)
// was rendered before the header went out, so a store error could still get its status.
struct ListStream {
  std::shared_ptr<ClientCursor> cursor;
  const core::ClientService* clients = nullptr;
  Embedding embedding;
  std::string first;
  bool started = false;
  bool closed = false;

  std::optional<std::string> next_piece() {
    if (!started) {
      started = true;
      return std::move(first);
    }
    if (closed) return std::nullopt;
    auto batch = cursor->next();
    std::string piece;
    append_clients(piece, *clients, batch, embedding);
    if (batch.empty() || cursor->done()) {
      append_list_close(piece);
      closed = true;
    }
    return piece;  // never empty: an empty chunk would end the body
  }
};

class LegacyXmlDialect final : public Dialect {
 public:
  explicit LegacyXmlDialect(const Services& services)
      : LegacyXmlDialect(services, read_settings(services.settings)) {}

  LegacyXmlDialect(const Services& services, const Settings& settings)
      : clients_(services.clients),
        auth_(services.auth),
        batch_size_(settings.batch_size),
        companies_(services.clients, std::chrono::milliseconds(settings.company_cache_ms)) {}

  std::string_view name() const override { return "legacy_xml"; }

  std::span<const RouteShape> routes() const override { return route_shapes(); }

  // A password not verified lately costs an Argon2id hash: that request goes to the gateway's
  // password pool, and is not handled among the writes of a turn, which would all wait for it.
  RoutePlan plan(const Header& header, boost::urls::url_view,
                 const RoutePlan& defaults) const override {
    RoutePlan plan = defaults;
    if (auto credentials = basic_credentials(header)) {
      plan.verifies_password = !auth_.remembers_password(credentials->user, credentials->password);
    }
    return plan;
  }

  Response handle(const Request& request) override {
    try {
      return dispatch(request);
    } catch (const core::Error& e) {
      return from_core_error(e);
    }
  }

  Response transport_error(TransportError kind, const Header& header) const override {
    (void)header;
    switch (kind) {
      case TransportError::body_too_large:
        return error(transport_status(kind), "The request body is too large");
      case TransportError::timeout:
        return error(transport_status(kind), "The request was not received in time");
      case TransportError::bad_request:
        return error(transport_status(kind), "The request is not valid HTTP");
      case TransportError::unavailable:
        return unavailable();
    }
    return error(http::status::bad_request, "Bad request");
  }

  std::optional<Response> show_as(const core::Principal& who, core::ClientId id) override {
    try {
      // The migration view's one-company principal: copied once, outside any caller's path.
      auto caller = with_client_accounts(std::make_shared<const core::Principal>(who));
      if (auto* refused = std::get_if<Response>(&caller)) return std::move(*refused);
      return show(*std::get<Caller>(caller), id, Embedding{});
    } catch (const core::Error& e) {
      return from_core_error(e);
    }
  }

 private:
  Response dispatch(const Request& request) {
    // Credentials first: nothing about the route or the store is revealed without them.
    auto caller = authenticate(request.header, request.client_address);
    if (auto* refused = std::get_if<Response>(&caller)) return std::move(*refused);
    const auto& who = *std::get<Caller>(caller);

    Route route = route_of(request.url.path());
    auto method = request.header.method();
    switch (route.kind) {
      case RouteKind::unknown:
        return not_found();
      case RouteKind::collection:
        if (method == http::verb::get) return list(request, who, ListKind::all);
        if (method == http::verb::post) return create(request, who);
        break;
      case RouteKind::list:
        if (method == http::verb::get) return list(request, who, route.list);
        break;
      case RouteKind::member:
        if (method == http::verb::get) {
          auto embedding = parse_include(query_param(request.url, "include"));
          if (auto* message = std::get_if<std::string>(&embedding))
            return error(http::status::bad_request, *message);
          return show(who, route.id, std::get<Embedding>(embedding));
        }
        if (method == http::verb::put) return update(request, who, route.id);
        if (method == http::verb::delete_) return destroy(who, route.id);
        break;
    }
    return method_not_allowed(route.kind);
  }

  // The caller: Basic e-mail and password (the authenticator remembers a verified pair), then
  // the account: the company the Host names, else every company of the user that has clients.
  std::variant<Caller, Response> authenticate(const Header& header,
                                              std::string_view client_address) {
    auto credentials = basic_credentials(header);
    if (!credentials) return unauthorized();
    auto check = auth_.check_password(credentials->user, credentials->password, client_address);
    switch (check.outcome) {
      case core::PasswordOutcome::verified:
        break;
      case core::PasswordOutcome::refused:
        return unauthorized();
      case core::PasswordOutcome::throttled:
        return throttled(check.retry_after);
      case core::PasswordOutcome::busy:
        return unavailable();
    }
    auto& who = check.principal;
    if (!who) return unauthorized();

    auto host = header.find(http::field::host);
    if (host != header.end()) {
      if (auto label = account_label(host->value())) {
        if (auto company = companies_.by_slug(*label)) {
          auto narrowed = who->narrowed_to(company->id);
          if (!narrowed) return unauthorized();
          if (!company->clients_enabled) return error(http::status::forbidden, classification_off);
          return narrowed;
        }
      }
    }
    return with_client_accounts(std::move(who));
  }

  // The caller narrowed to its companies whose "client" classification is on; 403 when none.
  std::variant<Caller, Response> with_client_accounts(Caller who) {
    std::vector<core::CompanyId> enabled;
    enabled.reserve(who->scope().size());
    for (auto id : who->scope()) {
      auto company = companies_.by_id(id);
      if (company && company->clients_enabled) enabled.push_back(id);
    }
    if (enabled.empty()) return error(http::status::forbidden, classification_off);
    if (enabled.size() == who->scope().size()) return who;  // all of it: the same principal
    return std::make_shared<const core::Principal>(who->restricted_to(enabled));
  }

  // A client the caller may see: any client of a company it manages clients in, otherwise
  // only one with a project assigned to it.
  std::optional<core::Client> visible_client(const core::Principal& who, core::ClientId id) {
    core::ClientQuery assigned;
    assigned.assigned_user = who.user_id;
    if (!manages_any(who)) return clients_.find_where(who, id, assigned);
    auto client = clients_.find(who, id);
    if (!client || manages(who, client->company_id)) return client;
    if (!clients_.find_where(who, id, assigned)) return std::nullopt;
    return client;
  }

  Response show(const core::Principal& who, core::ClientId id, Embedding embedding) {
    auto client = visible_client(who, id);
    if (!client) return not_found();
    std::vector<core::Project> projects;
    if (embedding.projects) projects = clients_.projects({client->id}, embedding.tasks);
    return xml(http::status::ok, client_document(*client, projects, embedding));
  }

  // Where a list reads from: managed companies whole, the others through assignments.
  std::vector<ClientSource> list_sources(const core::Principal& who, ListKind kind) const {
    core::ClientQuery query;
    query.sort = core::ClientColumn::id;
    switch (kind) {
      case ListKind::all:
        query.states = core::states_live;
        break;
      case ListKind::active:
        query.states = core::state_active;
        break;
      case ListKind::inactive:
        query.states = core::state_archived;
        break;
      case ListKind::my_assignments:
      case ListKind::my_active_assignments:
      case ListKind::my_inactive_assignments:
        query.states = core::states_live;
        query.assigned_user = who.user_id;
        if (kind == ListKind::my_active_assignments) query.assigned_project_active = true;
        if (kind == ListKind::my_inactive_assignments) query.assigned_project_active = false;
        return {ClientSource{who, std::move(query)}};
    }
    if (manages_all(who)) return {ClientSource{who, std::move(query)}};
    std::vector<core::CompanyId> managed, assigned;
    for (auto id : who.scope())
      (manages(who, id) ? managed : assigned).push_back(id);
    std::vector<ClientSource> sources;
    if (!managed.empty()) sources.push_back(ClientSource{who.restricted_to(managed), query});
    query.assigned_user = who.user_id;
    sources.push_back(ClientSource{who.restricted_to(assigned), std::move(query)});
    return sources;
  }

  Response list(const Request& request, const core::Principal& who, ListKind kind) {
    auto range = parse_range(query_param(request.url, "start"), query_param(request.url, "end"));
    if (auto* message = std::get_if<std::string>(&range))
      return error(http::status::bad_request, *message);
    auto embedding = parse_include(query_param(request.url, "include"));
    if (auto* message = std::get_if<std::string>(&embedding))
      return error(http::status::bad_request, *message);
    const auto& wanted_range = std::get<RangeRequest>(range);

    auto cursor = std::make_shared<ClientCursor>(clients_, list_sources(who, kind), batch_size_);
    std::optional<std::int64_t> wanted;
    if (wanted_range.end) wanted = *wanted_range.end - wanted_range.start + 1;
    std::int64_t total = cursor->open(wanted_range.start - 1, wanted);
    RangeReport report = resolve_range(wanted_range, total);
    cursor->limit(report.count());

    auto stream = std::make_shared<ListStream>();
    stream->cursor = cursor;
    stream->clients = &clients_;
    stream->embedding = std::get<Embedding>(embedding);
    append_list_open(stream->first, report);
    auto batch = cursor->next();
    append_clients(stream->first, clients_, batch, stream->embedding);
    if (cursor->done()) {
      // It all fitted in one batch: an ordinary response with a Content-Length.
      append_list_close(stream->first);
      return xml(http::status::ok, std::move(stream->first));
    }
    Response response = xml(http::status::ok, "");
    response.stream = [stream] { return stream->next_piece(); };
    return response;
  }

  // The body of a create or update: 415 for another media type, 400 for bad XML.
  std::variant<ClientElements, Response> client_body(const Request& request) {
    if (!xml_content_type_accepted(request.header))
      return error(http::status::unsupported_media_type,
                   "Content-Type must be application/xml or text/xml (UTF-8)");
    auto elements = read_client_xml(request.body);
    if (auto* bad = std::get_if<BodyError>(&elements))
      return error(http::status::bad_request, bad->message);
    return std::move(std::get<ClientElements>(elements));
  }

  Response create(const Request& request, const core::Principal& who) {
    // A create goes to the account's company: the Host's, else the caller's default company.
    auto company = who.default_company();
    if (!company || !manages(who, *company)) return error(http::status::forbidden, managers_only);
    auto body = client_body(request);
    if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
    auto patch = client_patch(std::get<ClientElements>(body), true);
    if (auto* messages = std::get_if<std::vector<std::string>>(&patch))
      return errors(http::status::unprocessable_entity, *messages);
    core::ClientDraft draft;
    draft.company_id = company;
    draft.fields = std::move(std::get<core::ClientPatch>(patch));
    if (!draft.fields.active) draft.fields.active = true;
    auto client = clients_.create(who, draft);
    Response response = xml(http::status::created, client_document(client, {}, Embedding{}));
    response.headers.set(http::field::location, location_of(client.id));
    return response;
  }

  Response update(const Request& request, const core::Principal& who, core::ClientId id) {
    if (!manages_any(who)) return error(http::status::forbidden, managers_only);
    auto body = client_body(request);
    if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
    auto client = visible_client(who, id);
    if (!client) return not_found();
    if (!manages(who, client->company_id)) return error(http::status::forbidden, managers_only);
    auto patch = client_patch(std::get<ClientElements>(body), false);
    if (auto* messages = std::get_if<std::vector<std::string>>(&patch))
      return errors(http::status::unprocessable_entity, *messages);
    const auto& fields = std::get<core::ClientPatch>(patch);
    // Rails 2.1 partial updates: values equal to the stored ones (ActiveResource sends every
    // attribute on each save) and a body that sets nothing write nothing; core decides.
    clients_.update(who, id, fields);
    return xml(http::status::ok, "");
  }

  Response destroy(const core::Principal& who, core::ClientId id) {
    if (!manages_any(who)) return error(http::status::forbidden, managers_only);
    auto client = visible_client(who, id);
    if (!client) return not_found();
    if (!manages(who, client->company_id)) return error(http::status::forbidden, managers_only);
    clients_.remove(who, id, core::DeleteMode::hard_unless_time_entries);
    return xml(http::status::ok, "");
  }

  core::ClientService& clients_;
  core::Authenticator& auth_;
  std::size_t batch_size_;
  CompanyDirectory companies_;
};

}  // namespace

std::unique_ptr<Dialect> make(const Services& services) {
  return std::make_unique<LegacyXmlDialect>(services);
}

}  // namespace clientgate::dialects::legacy_xml
