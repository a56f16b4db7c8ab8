// The ninja handler: routes, credentials, roles, and the mapping onto core. Wire formats are
// in render.cpp (out), php_input.cpp / client_input.cpp / list_params.cpp / upload.cpp (in).
#include "clientgate/dialects/ninja/ninja.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <variant>

#include <boost/url/url.hpp>

#include "client_settings.hpp"
#include "clientgate/core/errors.hpp"
#include "clientgate/core/secrets.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/transport_errors.hpp"
#include "hashid_codec.hpp"
#include "includes.hpp"
#include "list_params.hpp"
#include "multipart.hpp"
#include "parse.hpp"
#include "php_input.hpp"
#include "render.hpp"
#include "routes.hpp"
#include "settings.hpp"
#include "upload.hpp"
#include "upload_rules.hpp"

namespace clientgate::dialects::ninja {
namespace {

constexpr std::string_view kClientModel = "App\\Models\\Client";
constexpr std::string_view kDocumentModel = "App\\Models\\Document";
constexpr std::string_view kDeletedMessage =
    "Record is deleted and cannot be edited. Restore the record to enable editing";
constexpr std::string_view kUnauthorized = "This action is unauthorized.";
constexpr std::string_view kInvalid = "The given data was invalid.";
constexpr std::int64_t kMaxFileBytes = kUploadMaxKilobytes * 1024;  // `max:100000`
constexpr std::size_t kMaxFiles = 20;                               // PHP's max_file_uploads
// How much of a document one write of a download carries: at least 256 KiB, and at most 16
// pieces in all. Each piece is a fresh read (no snapshot is held while a slow client reads),
// and SQLite finds a blob's offset by walking its overflow pages from the start, so more
// pieces of a big document would cost time quadratic in its size; 16 keep it linear, and a
// slow reader holds 1/16 of the document at most (6.3 MiB of the largest upload).
constexpr std::size_t kDownloadPiece = 256 * 1024;
constexpr std::size_t kDownloadPieces = 16;

// Who may write: administrators and managers; a resource only with client_manager; an
// executive never (our choice, see README).
bool may_write(const core::Principal& who, core::CompanyId company) {
  const core::Membership* m = who.membership(company);
  if (!m) return false;
  switch (m->role) {
    case core::Role::administrator:
    case core::Role::manager:
      return true;
    case core::Role::resource:
      return m->client_manager;
    case core::Role::executive:
      return false;
  }
  return false;
}

std::string header_value(const Header& h, std::string_view name) {
  auto it = h.find(name);
  return it == h.end() ? std::string() : std::string(it->value());
}

// A helper's result, or the response that ends the request early (returned, not thrown).
template <class T>
using OrAnswer = std::variant<T, Response>;

class Ninja final : public Dialect {
 public:
  explicit Ninja(const Services& services) : Ninja(services, read_settings(services.settings)) {}

  Ninja(const Services& services, const Settings& settings)
      : services_(services),
        ids_(settings.hashids_salt, 10),
        api_secret_(settings.api_secret),
        base_url_setting_(settings.base_url),
        app_version_(settings.app_version),
        api_version_(settings.api_version),
        temp_dir_(settings.upload_temp_dir),
        max_contacts_(settings.max_contacts),
        upload_body_limit_(settings.upload_body_limit) {
    while (!base_url_setting_.empty() && base_url_setting_.back() == '/')
      base_url_setting_.pop_back();
  }

  std::string_view name() const override { return "ninja"; }

  std::span<const RouteShape> routes() const override { return route_shapes(); }

  RoutePlan plan(const Header& header, boost::urls::url_view url,
                 const RoutePlan& defaults) const override {
    RoutePlan p = defaults;
    Route r = route_of(url);
    bool write = header.method() == http::verb::put || header.method() == http::verb::post;
    if (r.kind == Route::client_upload && write) {
      // Uploads only: 100 MB a file plus the multipart framing, written to a temporary file.
      p.body_limit = std::max(defaults.body_limit, upload_body_limit_);
      p.spool_body = true;
      // The credential is checked on the header: a wrong one is answered before any of the
      // 100 MB is read or written to disk (as dispatch would answer it after).
      if (auto refusal = credential_refusal(header)) {
        p.refusal = std::make_shared<const Response>(std::move(*refusal));
      }
    }
    return p;
  }

  // dispatch's api_secret and token checks, on the header alone: the answer to a request
  // whose credential is wrong, nullopt when it is right.
  std::optional<Response> credential_refusal(const Header& h) const {
    if (!api_secret_.empty()) {
      std::string secret = header_value(h, "X-API-SECRET");
      if (secret.empty() || !core::secrets::constant_time_equal(secret, api_secret_))
        return error_response(http::status::forbidden, "Invalid secret", {});
    }
    std::string token = header_value(h, "X-API-TOKEN");
    if (token.empty() || !services_.auth.by_token(token))
      return error_response(http::status::forbidden, "Invalid token", {});
    return std::nullopt;
  }

  Response transport_error(TransportError error, const Header&) const override {
    std::string_view text = error == TransportError::body_too_large
                                ? "The request body is too large."
                                : transport_message(error);
    return error_response(transport_status(error), text, {});
  }

  Response handle(const Request& request) override {
    try {
      return dispatch(request);
    } catch (const core::Error& e) {
      return from_core_error(e);
    }
  }

  std::optional<Response> show_as(const core::Principal& who, core::ClientId id) override {
    auto client = services_.clients.find(who, id, core::states_all, full_load());
    if (!client) return std::nullopt;
    RenderContext ctx{ids_, base_url_setting_.empty() ? "http://localhost" : base_url_setting_};
    return json(http::status::ok, render_client_document(*client, ctx));
  }

 private:
  static core::ClientLoad full_load() {
    core::ClientLoad load;
    load.contacts = true;
    load.documents = true;
    return load;
  }

  Response json(http::status status, std::string body) const {
    Response r;
    r.status = status;
    r.headers.set(http::field::content_type, "application/json");
    r.headers.set("X-App-Version", app_version_);
    r.headers.set("X-Api-Version", api_version_);
    r.body = std::move(body);
    return r;
  }
  Response message(http::status status, std::string_view text) const {
    return json(status, render_message(text));
  }
  Response error_response(http::status status, std::string_view text,
                          const FieldErrors& errors) const {
    return json(status, render_errors(text, errors));
  }
  Response invalid(const FieldErrors& errors) const {
    return error_response(http::status::unprocessable_entity, kInvalid, errors);
  }
  Response not_found_model(std::string_view model) const {
    return message(http::status::bad_request,
                   "No query results for model [" + std::string(model) + "].");
  }
  Response unauthorized() const { return message(http::status::unauthorized, kUnauthorized); }

  Response from_core_error(const core::Error& e) const {
    switch (e.kind()) {
      case core::ErrorKind::not_found:
        return not_found_model(kClientModel);
      case core::ErrorKind::conflict: {
        FieldErrors errors;
        for (const auto& f : e.fields()) {
          if (f.field == core::conflict_field::deleted)
            return message(http::status::bad_request, kDeletedMessage);
          std::string attr = f.field;
          std::replace(attr.begin(), attr.end(), '_', ' ');
          errors.push_back({f.field, {"The " + attr + " has already been taken."}});
        }
        return error_response(http::status::unprocessable_entity, kInvalid, errors);
      }
      case core::ErrorKind::validation: {
        FieldErrors errors;
        for (const auto& f : e.fields())
          errors.push_back({f.field, {f.message}});
        return error_response(http::status::unprocessable_entity, kInvalid, errors);
      }
      case core::ErrorKind::forbidden:
        return unauthorized();
      case core::ErrorKind::unauthenticated:
        return error_response(http::status::forbidden, "Invalid token", {});
      case core::ErrorKind::unavailable:
        break;
    }
    return error_response(http::status::service_unavailable,
                          "The service is unavailable, retry later.", {});
  }

  std::string base_url(const Header& h) const {
    if (!base_url_setting_.empty()) return base_url_setting_;
    std::string host = header_value(h, "Host");
    bool clean =
        !host.empty() && host.size() <= 255 &&
        std::all_of(host.begin(), host.end(), [](unsigned char c) {
          return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
        });
    return "http://" + (clean ? host : std::string("localhost"));
  }

  // --- the request as a whole

  Response dispatch(const Request& request) {
    const Header& h = request.header;
    Route route = route_of(request.url);
    if (route.kind == Route::none || route.kind == Route::unknown)
      return message(http::status::not_found, "Method not supported for this route");

    // The api_secret check runs before the token, as the real middleware order has it.
    if (!api_secret_.empty()) {
      std::string secret = header_value(h, "X-API-SECRET");
      if (secret.empty() || !core::secrets::constant_time_equal(secret, api_secret_))
        return error_response(http::status::forbidden, "Invalid secret", {});
    }
    std::string token = header_value(h, "X-API-TOKEN");
    std::shared_ptr<const core::Principal> who;
    if (!token.empty()) who = services_.auth.by_token(token);
    if (!who) return error_response(http::status::forbidden, "Invalid token", {});

    http::verb method = h.method();
    if (method == http::verb::head) method = http::verb::get;
    if (route.kind == Route::bulk && method != http::verb::post) {
      route = Route{Route::client, "bulk"};  // Laravel matches clients/{client} here
    }

    if (route.kind == Route::client_upload) return upload(*who, request, route.id);
    if (route.kind == Route::document_download) {
      if (method != http::verb::get) return not_supported();
      return download(*who, route.id);
    }

    rapidjson::Document body;
    body.SetObject();
    bool writes =
        method == http::verb::post || method == http::verb::put || method == http::verb::patch;
    if (writes) {
      if (auto answer = read_body(request, body)) return std::move(*answer);
    }
    // Laravel's method spoofing: a POST form may say it is a PUT, PATCH or DELETE.
    if (method == http::verb::post && body.IsObject()) {
      auto it = body.FindMember("_method");
      if (it != body.MemberEnd() && it->value.IsString()) {
        std::string spoof = ascii_lower(it->value.GetString());
        if (spoof == "put") method = http::verb::put;
        if (spoof == "patch") method = http::verb::patch;
        if (spoof == "delete") method = http::verb::delete_;
      }
    }

    switch (route.kind) {
      case Route::clients:
        if (method == http::verb::get) return list(*who, request);
        if (method == http::verb::post) return create(*who, request, body);
        return not_supported();
      case Route::bulk:
        return bulk(*who, request, body);
      case Route::client:
        if (method == http::verb::get && route.id == "create") return create_form(*who, request);
        if (method == http::verb::get) return show(*who, request, route.id);
        if (method == http::verb::put || method == http::verb::patch)
          return update(*who, request, route.id, body);
        if (method == http::verb::delete_) return destroy(*who, request, route.id);
        return not_supported();
      case Route::client_edit:
        if (method == http::verb::get) return show(*who, request, route.id);
        return not_supported();
      default:
        return not_supported();
    }
  }

  Response not_supported() const {
    return message(http::status::not_found, "Method not supported for this route");
  }

  // JSON, a form, or a multipart form, into one tree; files of a multipart body are not
  // kept here (only the upload route stores files). Nullopt when the body is read, else the
  // response that refuses it.
  std::optional<Response> read_body(const Request& request, rapidjson::Document& out) const {
    std::string media = media_type(request.header);
    bool has_body = !request.body.empty() || !request.body_file.empty();
    if (!has_body) return std::nullopt;
    if (media == "application/json" ||
        (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0)) {
      switch (parse_json_body(request.body, out)) {
        case JsonBodyError::none:
          break;
        case JsonBodyError::too_deep:
          return error_response(http::status::bad_request, "The JSON body is nested too deeply.",
                                {});
        case JsonBodyError::invalid_utf8:
          return error_response(http::status::bad_request, "The JSON body is not valid UTF-8.", {});
        case JsonBodyError::malformed:
          return error_response(http::status::bad_request, "The JSON body is malformed.", {});
      }
      if (!out.IsObject())
        return error_response(http::status::bad_request, "The JSON body must be an object.", {});
      return std::nullopt;
    }
    if (media == "application/x-www-form-urlencoded") {
      if (build_php_input(parse_urlencoded(request.body), out) != InputError::none)
        return error_response(http::status::bad_request, "Too many input fields (at most 1000).",
                              {});
      return std::nullopt;
    }
    if (media == "multipart/form-data") {
      auto read = read_multipart_body(request);
      if (auto* answer = std::get_if<Response>(&read)) return std::move(*answer);
      MultipartBody& parts = std::get<MultipartBody>(read);
      if (build_php_input(parts.fields, out) != InputError::none)
        return error_response(http::status::bad_request, "Too many input fields (at most 1000).",
                              {});
      return std::nullopt;
    }
    return unsupported_media(media);
  }

  Response unsupported_media(const std::string& media) const {
    return error_response(http::status::unsupported_media_type,
                          "Unsupported Media Type: send application/json, "
                          "application/x-www-form-urlencoded or multipart/form-data" +
                              (media.empty() ? std::string() : " (not " + media + ")") + ".",
                          {});
  }

  OrAnswer<MultipartBody> read_multipart_body(const Request& request) const {
    auto boundary = multipart_boundary(header_value(request.header, "Content-Type"));
    if (!boundary)
      return error_response(http::status::bad_request,
                            "The multipart body has no valid boundary parameter.", {});
    MultipartLimitsForUpload limits;
    limits.max_file_bytes = kMaxFileBytes;
    MultipartBody parts =
        read_multipart(*boundary, request.body, request.body_file, temp_dir_, limits);
    if (!parts.error.empty())
      return error_response(http::status::bad_request,
                            "The multipart body is malformed: " + parts.error + ".", {});
    return parts;
  }

  // A path id: a plain number is refused as the real route binding does; anything that does
  // not decode, or names a client out of scope, is "no query results".
  OrAnswer<core::ClientId> resolve_id(std::string_view raw, std::string_view model) const {
    if (php_is_numeric(raw) && valid_utf8(raw))
      return message(http::status::bad_request,
                     "Record with value " + std::string(raw) + " not found");
    auto id = ids_.decode_id(raw);
    if (!id) return not_found_model(model);
    return *id;
  }

  OrAnswer<core::Client> load_client(const core::Principal& who, std::string_view raw) const {
    auto id = resolve_id(raw, kClientModel);
    if (auto* answer = std::get_if<Response>(&id)) return std::move(*answer);
    auto client =
        services_.clients.find(who, std::get<core::ClientId>(id), core::states_all, full_load());
    if (!client) return not_found_model(kClientModel);
    return std::move(*client);
  }

  // itemResponse after a write: `include` and `index` apply as on show.
  Response single(const core::Principal& who, core::ClientId id, const Request& request) const {
    auto client = services_.clients.find(who, id, core::states_all, full_load());
    if (!client) return not_found_model(kClientModel);
    return json(http::status::ok, render_client_document(*client, item_context(request)));
  }

  Response single(const core::Principal& who, core::ClientId id, const Header& h) const {
    auto client = services_.clients.find(who, id, core::states_all, full_load());
    if (!client) return not_found_model(kClientModel);
    return json(http::status::ok,
                render_client_document(*client, RenderContext{ids_, base_url(h)}));
  }

  // --- routes

  Response list(const core::Principal& who, const Request& request) {
    auto parsed = parse_list_params(request.url, &ids_);
    if (auto* e = std::get_if<ListError>(&parsed)) {
      if (e->status == 400) return message(http::status::bad_request, e->message);
      return error_response(http::status::unprocessable_entity, e->message, e->errors);
    }
    auto& p = std::get<ListParams>(parsed);
    return page_response(who, request, p);
  }

  Response page_response(const core::Principal& who, const Request& request, ListParams& p) {
    auto page = services_.clients.list(who, p.query);
    PageInfo info;
    info.total = page.total;
    info.per_page = p.per_page;
    info.page = p.page;
    std::string base = base_url(request.header);
    auto link = [&](std::int64_t n) {
      boost::urls::url u(request.url);
      u.params().set("page", std::to_string(n));
      return base + std::string(u.encoded_path()) + "?" + std::string(u.encoded_query());
    };
    std::int64_t last = total_pages(page.total, p.per_page);
    if (p.page > 1) info.previous_url = link(p.page - 1);
    if (p.page < last) info.next_url = link(p.page + 1);
    return json(
        http::status::ok,
        render_client_list(page.items, info, RenderContext{ids_, base, p.includes, p.index}));
  }

  // The item routes: includes render but are never refused (no eager loading there).
  Response show(const core::Principal& who, const Request& request, std::string_view raw) {
    auto loaded = load_client(who, raw);
    if (auto* answer = std::get_if<Response>(&loaded)) return std::move(*answer);
    core::Client& client = std::get<core::Client>(loaded);
    return json(http::status::ok, render_client_document(client, item_context(request)));
  }

  RenderContext item_context(const Request& request) const {
    RenderContext ctx{ids_, base_url(request.header)};
    if (auto include = last_param(request.url, "include"))
      ctx.includes = parse_includes(*include).render;
    ctx.index = response_index(request.url);
    return ctx;
  }

  // GET /clients/create: ClientFactory::create's unsaved client (no id, no number, the
  // default settings, a fresh client_hash), for a form to fill.
  Response create_form(const core::Principal& who, const Request& request) {
    auto company = who.default_company();
    if (!company || !may_write(who, *company)) return unauthorized();
    core::Client blank;
    blank.company_id = *company;
    blank.client_hash = core::secrets::random_alphanumeric(40);
    return json(http::status::ok, render_client_document(blank, item_context(request)));
  }

  static core::WriteRules rules() {
    core::WriteRules r;
    r.unique_id_number = true;
    r.refuse_deleted = true;
    r.unique_as_laravel = true;  // Rule::unique: _ci collation, deleted clients count
    return r;
  }

  Response create(const core::Principal& who, const Request& request,
                  const rapidjson::Document& body) {
    auto company = who.default_company();
    if (!company || !may_write(who, *company)) return unauthorized();
    ClientInput in = read_client_input(body, WriteMode::create, ids_, {}, max_contacts_);
    if (!in.errors.empty()) return invalid(in.errors);
    keep_settings(body, core::Text{}, true, in.patch);
    core::ClientDraft draft;
    draft.company_id = *company;
    draft.fields = std::move(in.patch);
    core::Client created = services_.clients.create(who, draft, rules());
    return single(who, created.id, request);
  }

  // The whole settings object into the patch. A settings object without currency_id resets
  // the currency to the company's, as the real UpdateClientRequest does.
  static void keep_settings(const rapidjson::Value& body, const core::Text& stored, bool creating,
                            core::ClientPatch& patch) {
    bool sent = body.IsObject() && body.HasMember("settings") && body["settings"].IsObject();
    if (sent && !patch.currency_id) patch.currency_id.emplace(std::nullopt);
    std::optional<std::int64_t> currency = patch.currency_id ? *patch.currency_id : std::nullopt;
    if (auto json = merged_settings(body, stored, creating, currency))
      patch.settings_json.emplace(core::Text{std::move(*json)});
  }

  Response update(const core::Principal& who, const Request& request, std::string_view raw,
                  const rapidjson::Document& body) {
    auto loaded = load_client(who, raw);
    if (auto* answer = std::get_if<Response>(&loaded)) return std::move(*answer);
    core::Client& client = std::get<core::Client>(loaded);
    if (!may_write(who, client.company_id)) return unauthorized();
    if (client.is_deleted) return message(http::status::bad_request, kDeletedMessage);
    ClientInput in =
        read_client_input(body, WriteMode::update, ids_, client.contacts, max_contacts_);
    if (!in.errors.empty()) return invalid(in.errors);
    keep_settings(body, client.settings_json, false, in.patch);
    services_.clients.update(who, client.id, in.patch, rules(), core::states_all);
    return single(who, client.id, request);
  }

  Response destroy(const core::Principal& who, const Request& request, std::string_view raw) {
    auto loaded = load_client(who, raw);
    if (auto* answer = std::get_if<Response>(&loaded)) return std::move(*answer);
    core::Client& client = std::get<core::Client>(loaded);
    if (!may_write(who, client.company_id)) return unauthorized();
    services_.clients.remove(who, client.id, core::DeleteMode::soft, core::states_all);
    return single(who, client.id, request);
  }

  Response bulk(const core::Principal& who, const Request& request,
                const rapidjson::Document& body) {
    auto company = who.default_company();
    if (!company || !may_write(who, *company)) return unauthorized();

    FieldErrors errors;
    std::optional<std::string> action;
    if (auto it = body.FindMember("action"); it != body.MemberEnd() && it->value.IsString())
      action = std::string(it->value.GetString(), it->value.GetStringLength());
    if (!action) action = last_param(request.url, "action");
    std::optional<core::BulkAction> bulk_action;
    if (!action || action->empty())
      errors.push_back({"action", {"The action field is required."}});
    else if (*action == "archive")
      bulk_action = core::BulkAction::archive;
    else if (*action == "restore")
      bulk_action = core::BulkAction::restore;
    else if (*action == "delete")
      bulk_action = core::BulkAction::soft_delete;
    else if (*action != "bulk_update")
      errors.push_back({"action", {"The selected action is invalid."}});
    std::optional<core::ClientPatch> bulk_patch;
    if (action && *action == "bulk_update") bulk_patch = read_bulk_update(body, errors);

    std::vector<core::ClientId> ids;
    auto it = body.FindMember("ids");
    if (it == body.MemberEnd() || it->value.IsNull() ||
        (it->value.IsString() && it->value.GetStringLength() == 0)) {
      errors.push_back({"ids", {"The ids field is required."}});
    } else if (!is_php_array(it->value)) {
      errors.push_back({"ids", {"The ids must be an array."}});
    } else {
      bool bad = false;
      for (const auto* v : php_array_values(it->value)) {
        std::optional<core::ClientId> id;
        if (v->IsString())
          id = ids_.decode_id(std::string_view(v->GetString(), v->GetStringLength()));
        if (!id) {
          bad = true;
          continue;
        }
        if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
      }
      if (ids.empty() && !bad) errors.push_back({"ids", {"The ids field is required."}});
      // Every id must name a client of the caller's companies: otherwise nothing changes.
      for (auto id : ids) {
        if (bad) break;
        auto client = services_.clients.find(who, id, core::states_all);
        if (!client) {
          bad = true;
        } else if (!may_write(who, client->company_id)) {
          return unauthorized();
        }
      }
      if (bad) errors.push_back({"ids", {"The selected ids is invalid."}});
    }
    if (!errors.empty()) return invalid(errors);

    if (bulk_patch) {
      // ClientRepository::bulkUpdate: one column set on every client, deleted ones included.
      for (auto id : ids)
        services_.clients.update(who, id, *bulk_patch);
    } else {
      services_.clients.bulk(who, ids, *bulk_action);
    }
    auto parsed = parse_list_params(request.url, &ids_);
    ListParams p;
    if (auto* lp = std::get_if<ListParams>(&parsed)) p = std::move(*lp);
    core::ClientQuery q;
    q.states = core::states_all;
    q.ids = ids;
    q.load = full_load();
    q.limit = p.per_page;
    q.offset = 0;
    p.page = 1;
    p.query = std::move(q);
    return page_response(who, request, p);
  }

  Response upload(const core::Principal& who, const Request& request, std::string_view raw) {
    http::verb method = request.header.method();
    if (method != http::verb::put && method != http::verb::post) return not_supported();
    auto loaded = load_client(who, raw);
    if (auto* answer = std::get_if<Response>(&loaded)) return std::move(*answer);
    core::Client& client = std::get<core::Client>(loaded);
    if (!may_write(who, client.company_id)) return unauthorized();

    std::string media = media_type(request.header);
    bool has_body = !request.body.empty() || !request.body_file.empty();
    MultipartBody parts;
    rapidjson::Document fields;
    fields.SetObject();
    if (media == "multipart/form-data") {
      auto read = read_multipart_body(request);
      if (auto* answer = std::get_if<Response>(&read)) return std::move(*answer);
      parts = std::move(std::get<MultipartBody>(read));
      if (build_php_input(parts.fields, fields) != InputError::none)
        return error_response(http::status::bad_request, "Too many input fields (at most 1000).",
                              {});
    } else if (has_body && media != "application/json" &&
               media != "application/x-www-form-urlencoded") {
      return unsupported_media(media);
    }
    if (method == http::verb::post) {
      auto it = fields.FindMember("_method");
      if (it == fields.MemberEnd() || !it->value.IsString() ||
          ascii_lower(it->value.GetString()) != "put")
        return not_supported();
    }

    bool is_public = true;
    FieldErrors errors;
    if (auto it = fields.FindMember("is_public"); it != fields.MemberEnd()) {
      if (auto b = php_boolean(it->value))
        is_public = *b;
      else
        errors.push_back({"is_public", {"The is public field must be true or false."}});
    }
    std::vector<const UploadedFile*> documents;
    for (const auto& f : parts.files) {
      std::string base = f.field.substr(0, f.field.find('['));
      if (base == "documents" && !f.filename.empty()) documents.push_back(&f);
    }
    if (documents.empty()) errors.push_back({"documents", {"The documents field is required."}});
    if (documents.size() > kMaxFiles)
      errors.push_back({"documents", {"The documents must not have more than 20 items."}});
    // The content decides the type, as Laravel's `mimes` rule does (upload_rules.hpp).
    std::vector<std::string> types(documents.size());
    for (std::size_t i = 0; i < documents.size() && i < kMaxFiles; ++i) {
      const UploadedFile& f = *documents[i];
      std::string field = "documents." + std::to_string(i);
      if (!f.too_large && f.size > 0) types[i] = guess_extension(read_head(f.temp_path));
      if (f.too_large)
        errors.push_back({field,
                          {"The " + field + " must not be greater than " +
                           std::to_string(kUploadMaxKilobytes) + " kilobytes."}});
      else if (f.size == 0)
        errors.push_back({field, {"The " + field + " failed to upload."}});
      else if (!valid_utf8(f.filename) || f.filename.size() > 255 ||
               !upload_type_allowed(types[i], f.filename))
        errors.push_back(
            {field,
             {"The " + field + " must be a file of type: " + std::string(kUploadTypesList) + "."}});
    }
    if (!errors.empty()) return invalid(errors);

    for (std::size_t i = 0; i < documents.size(); ++i) {
      const UploadedFile* f = documents[i];
      core::NewDocument doc;
      doc.name = f->filename;
      doc.type = types[i];  // UploadFile stores the content's extension (`jpeg` for a .jpg)
      doc.is_public = is_public;
      doc.content_path = f->temp_path;
      services_.clients.attach_document(who, client.id, doc);
    }
    return single(who, client.id, request.header);
  }

  Response download(const core::Principal& who, std::string_view raw) {
    auto resolved = resolve_id(raw, kDocumentModel);
    if (auto* answer = std::get_if<Response>(&resolved)) return std::move(*answer);
    core::DocumentId id = std::get<core::ClientId>(resolved);
    auto info = services_.clients.document(who, id);
    if (!info) return not_found_model(kDocumentModel);
    // The bytes go out one piece per write (chunked, as the real streamDownload answers), read
    // when the previous piece is on the wire: a slow reader holds one piece, not the document.
    std::size_t piece_bytes = std::max(
        kDownloadPiece,
        static_cast<std::size_t>(std::max<std::int64_t>(info->size, 0)) / kDownloadPieces + 1);
    auto first = services_.clients.read_document_piece(id, 0, piece_bytes);
    if (!first) return not_found_model(kDocumentModel);
    Response r;
    r.status = http::status::ok;
    r.headers.set(http::field::content_type, content_type_of(info->type));
    std::string safe;
    for (char c : info->name)
      safe += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
    r.headers.set(http::field::content_disposition, "attachment; filename=\"" + safe + "\"");
    r.headers.set("X-App-Version", app_version_);
    r.headers.set("X-Api-Version", api_version_);
    r.stream = [&clients = services_.clients, id, piece_bytes, next = std::move(first),
                offset = std::uint64_t{0}]() mutable -> std::optional<std::string> {
      if (!next) next = clients.read_document_piece(id, offset, piece_bytes);
      // Deleted with its client during the download: the body ends short (the header is gone).
      if (!next) throw std::runtime_error("document " + std::to_string(id) + " went away");
      std::optional<std::string> piece = std::move(next);
      next.reset();
      if (piece->empty()) return std::nullopt;
      offset += piece->size();
      return piece;
    };
    return r;
  }

  static std::string content_type_of(const std::string& ext) {
    static const std::map<std::string, std::string, std::less<>> types{
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"tiff", "image/tiff"},
        {"webp", "image/webp"},
        {"pdf", "application/pdf"},
        {"txt", "text/plain"},
        {"csv", "text/csv"},
        {"xml", "application/xml"},
        {"zip", "application/zip"},
        {"doc", "application/msword"},
        {"xls", "application/vnd.ms-excel"},
        {"ppt", "application/vnd.ms-powerpoint"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
        {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"odp", "application/vnd.oasis.opendocument.presentation"},
    };
    auto it = types.find(ext);
    return it == types.end() ? "application/octet-stream" : it->second;
  }

  Services services_;  // a copy: the references inside outlive the dialect, the struct may not
  HashidCodec ids_;
  std::string api_secret_;
  std::string base_url_setting_;
  std::string app_version_;
  std::string api_version_;
  std::string temp_dir_;
  std::size_t max_contacts_;
  std::size_t upload_body_limit_;
};

}  // namespace

std::unique_ptr<Dialect> make(const Services& services) {
  return std::make_unique<Ninja>(services);
}

}  // namespace clientgate::dialects::ninja
