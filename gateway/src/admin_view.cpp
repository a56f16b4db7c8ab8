#include "clientgate/gateway/admin_view.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "clientgate/core/errors.hpp"
#include "clientgate/core/secrets.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/transport_errors.hpp"

namespace clientgate::gateway {

namespace {

namespace http = boost::beast::http;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_text(Writer& w, const char* key, const core::Text& value) {
  w.Key(key);
  if (value) {
    w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
  } else {
    w.Null();
  }
}

void write_string(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// Microseconds, as the store keeps them.
void write_time(Writer& w, const char* key, const core::Timestamp& t) {
  write_string(w, key, t.iso8601(6));
}

// The one lifecycle state, as the mapping document names it.
std::string_view state_name(const core::Client& c) {
  if (c.is_deleted) return "deleted";
  return c.active ? "active" : "archived";
}

void write_contact(Writer& w, const core::Contact& c) {
  w.StartObject();
  w.Key("id");
  w.Int64(c.id);
#define CLIENTGATE_X(f) write_text(w, #f, c.f);
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  w.Key("is_primary");
  w.Bool(c.is_primary);
  w.Key("send_email");
  w.Bool(c.send_email);
  write_string(w, "contact_key", c.contact_key);
  // The password hash is a secret: the view says only whether there is one.
  w.Key("has_password");
  w.Bool(c.password_hash.has_value() && !c.password_hash->empty());
  write_time(w, "created_at", c.created_at);
  write_time(w, "updated_at", c.updated_at);
  w.EndObject();
}

void write_document(Writer& w, const core::DocumentInfo& d) {
  w.StartObject();
  w.Key("id");
  w.Int64(d.id);
  write_string(w, "name", d.name);
  write_string(w, "type", d.type);
  w.Key("size");
  w.Int64(d.size);
  write_string(w, "hash", d.hash);
  w.Key("is_public");
  w.Bool(d.is_public);
  write_time(w, "created_at", d.created_at);
  write_time(w, "updated_at", d.updated_at);
  w.EndObject();
}

// Not the dataset codec's client writer (dataset/src/dataset_json_write.cpp), though both list
// every canonical field: that one is the export format, with password hashes, document bytes
// (content_base64) and settings, and it leaves out ids not yet allocated; this view must never
// show a hash nor inline a document, and adds lifecycle, has_password and counts.
void write_canonical(Writer& w, const core::Client& c) {
  w.StartObject();
  w.Key("id");
  w.Int64(c.id);
  w.Key("company_id");
  w.Int64(c.company_id);
  write_string(w, "name", c.name);
  write_string(w, "uuid", c.uuid);
  write_string(w, "number", c.number);
  w.Key("localid");
  w.Int64(c.localid);
  write_string(w, "lifecycle", state_name(c));  // "state" is the address field
  w.Key("active");
  w.Bool(c.active);
  w.Key("is_deleted");
  w.Bool(c.is_deleted);
#define CLIENTGATE_X(f) write_text(w, #f, c.f);
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) \
  w.Key(#f);            \
  if (c.f) {            \
    w.Int64(*c.f);      \
  } else {              \
    w.Null();           \
  }
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  // Money as exact decimal text: a JSON number would invite binary floating point.
#define CLIENTGATE_X(f) write_string(w, #f, c.f.canonical());
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  write_time(w, "created_at", c.created_at);
  write_time(w, "updated_at", c.updated_at);
  w.Key("archived_at");
  if (c.archived_at) {
    auto text = c.archived_at->iso8601(6);
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  } else {
    w.Null();
  }
  write_string(w, "client_hash", c.client_hash);
  w.Key("contacts");
  w.StartArray();
  for (const auto& contact : c.contacts)
    write_contact(w, contact);
  w.EndArray();
  w.Key("documents");
  w.StartArray();
  for (const auto& document : c.documents)
    write_document(w, document);
  w.EndArray();
  w.Key("counts");
  if (c.counts) {
    w.StartObject();
    w.Key("campaigns");
    w.Int64(c.counts->campaigns);
    w.Key("links");
    w.Int64(c.counts->links);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
}

// What one dialect answers; a dialect that cannot show the client at all (nullopt) is
// written with a null status and body: its GET answers its own not-found.
void write_dialect_answer(Writer& w, dialects::Dialect& dialect, const core::Principal& who,
                          core::ClientId id) {
  std::optional<dialects::Response> answer;
  std::string failure;
  try {
    answer = dialect.show_as(who, id);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  w.StartObject();
  if (!answer) {
    w.Key("status");
    w.Null();
    w.Key("content_type");
    w.Null();
    w.Key("body");
    w.Null();
    write_string(w, "note",
                 failure.empty() ? "not visible through this dialect: a GET answers its not-found"
                                 : "the dialect failed to render: " + failure);
  } else {
    w.Key("status");
    w.Uint(static_cast<unsigned>(answer->status));
    auto type = answer->headers[http::field::content_type];
    write_string(w, "content_type", std::string_view(type.data(), type.size()));
    std::string body = answer->body;
    if (answer->stream) {
      while (auto piece = answer->stream())
        body += *piece;
    }
    write_string(w, "body", body);
  }
  w.EndObject();
}

dialects::Response json_message(http::status status, std::string_view message) {
  dialects::Response response;
  response.status = status;
  response.headers.set(http::field::content_type, "application/json");
  response.headers.set(http::field::cache_control, "no-store");
  response.body = dialects::json_message_body(message);
  return response;
}

}  // namespace

core::Principal view_principal(core::CompanyId company) {
  core::Principal who;
  who.user_id = 0;
  who.name = "clientgate migration view";
  who.memberships.push_back(core::Membership{company, core::Role::administrator, true});
  who.scope = {company};
  return who;
}

std::optional<std::string> client_view_document(core::Repository& repository,
                                                const DialectList& dialects, core::ClientId id) {
  auto company = repository.client_company(id);
  if (!company) return std::nullopt;
  core::ClientQuery query;
  query.companies = {*company};
  query.ids = {id};
  query.states = core::states_all;
  query.count_total = false;
  query.limit = 1;
  query.load.contacts = true;
  query.load.documents = true;
  query.load.counts = true;
  auto page = repository.list_clients(query);
  if (page.items.empty()) return std::nullopt;  // deleted between the two reads
  const core::Client& client = page.items.front();

  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("id");
  w.Int64(id);
  w.Key("canonical");
  write_canonical(w, client);
  w.Key("dialects");
  w.StartObject();
  const core::Principal who = view_principal(client.company_id);
  for (const auto& dialect : dialects) {
    auto name = dialect->name();
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    write_dialect_answer(w, *dialect, who, id);
  }
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool is_admin_path(std::string_view path) {
  return path == "/_admin" || path.rfind("/_admin/", 0) == 0;
}

dialects::Response admin_response(const std::string& admin_token, core::Repository& repository,
                                  const DialectList& dialects, const dialects::Header& header,
                                  boost::urls::url_view url) {
  // Disabled: indistinguishable from a path nobody serves.
  if (admin_token.empty()) return json_message(http::status::not_found, "Not Found");
  auto presented = dialects::bearer_token(header);
  if (!presented || !core::secrets::constant_time_equal(*presented, admin_token)) {
    auto response = json_message(http::status::unauthorized, "Unauthenticated.");
    response.headers.set(http::field::www_authenticate, "Bearer realm=\"clientgate admin\"");
    return response;
  }
  auto segments = dialects::path_segments(url);
  if (segments.size() != 3 || segments[0] != "_admin" || segments[1] != "clients") {
    return json_message(http::status::not_found, "Not Found");
  }
  if (header.method() != http::verb::get) {
    auto response = json_message(http::status::method_not_allowed, "Method Not Allowed");
    response.headers.set(http::field::allow, "GET, HEAD");
    return response;
  }
  auto id = dialects::parse_int64(segments[2]);
  if (!id) return json_message(http::status::not_found, "No client with id " + segments[2]);
  try {
    auto document = client_view_document(repository, dialects, *id);
    if (!document) {
      return json_message(http::status::not_found, "No client with id " + std::to_string(*id));
    }
    dialects::Response response;
    response.status = http::status::ok;
    response.headers.set(http::field::content_type, "application/json");
    response.headers.set(http::field::cache_control, "no-store");
    response.body = std::move(*document);
    return response;
  } catch (const core::Error& e) {
    if (e.kind() == core::ErrorKind::unavailable) {
      auto response = json_message(http::status::service_unavailable, "Service Unavailable");
      response.headers.set(http::field::retry_after, "1");
      return response;
    }
    throw;
  }
}

}  // namespace clientgate::gateway
