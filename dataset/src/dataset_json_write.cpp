// Writing the `clientgate-dataset/1` codec: a whole core::Dataset as pretty-printed JSON,
// secrets only as hashes.
#include "clientgate/dataset/dataset_json.hpp"

#include <sodium.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "clientgate/core/types.hpp"
#include "dataset_json_internal.hpp"

namespace clientgate::dataset {

namespace {

using core::Text;
using core::Timestamp;
using detail::format_name;

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void key(Writer& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
void str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void text(Writer& w, std::string_view k, const Text& t) {
  key(w, k);
  if (t) {
    str(w, *t);
  } else {
    w.Null();
  }
}
void integer(Writer& w, std::string_view k, const std::optional<std::int64_t>& v) {
  key(w, k);
  if (v) {
    w.Int64(*v);
  } else {
    w.Null();
  }
}
// Store-allocated values (ids, numbers, keys) are left out while they are unallocated, so
// that parse(write(d)) == d also holds for a dataset that has not been imported yet.
void allocated(Writer& w, std::string_view k, std::int64_t v) {
  if (v == 0) return;
  key(w, k);
  w.Int64(v);
}
void allocated(Writer& w, std::string_view k, const std::string& v) {
  if (v.empty()) return;
  key(w, k);
  str(w, v);
}
void stamp(Writer& w, std::string_view k, const std::optional<Timestamp>& t) {
  key(w, k);
  if (t) {
    str(w, t->iso8601(6));
  } else {
    w.Null();
  }
}

std::string base64(const std::string& bin) {
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()),
                    bin.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

void write_client(Writer& w, const core::Client& c,
                  const std::vector<const core::Document*>& docs) {
  w.StartObject();
  allocated(w, "id", c.id);
  integer(w, "company_id", c.company_id);
  key(w, "name");
  str(w, c.name);
  allocated(w, "uuid", c.uuid);
  allocated(w, "number", c.number);
  allocated(w, "localid", c.localid);
  key(w, "active");
  w.Bool(c.active);
  key(w, "is_deleted");
  w.Bool(c.is_deleted);
#define CLIENTGATE_X(f) text(w, #f, c.f);
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) integer(w, #f, c.f);
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) \
  key(w, #f);           \
  str(w, c.f.canonical());
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  stamp(w, "created_at", c.created_at);
  stamp(w, "updated_at", c.updated_at);
  stamp(w, "archived_at", c.archived_at);
  allocated(w, "client_hash", c.client_hash);
  if (c.settings_json) {
    rapidjson::Document settings;
    settings.Parse(c.settings_json->data(), c.settings_json->size());
    if (!settings.HasParseError() && settings.IsObject()) {
      key(w, "settings");
      settings.Accept(w);
    }
  }
  key(w, "contacts");
  w.StartArray();
  for (const auto& k : c.contacts) {
    w.StartObject();
    allocated(w, "id", k.id);
#define CLIENTGATE_X(f) text(w, #f, k.f);
    CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
    key(w, "is_primary");
    w.Bool(k.is_primary);
    key(w, "send_email");
    w.Bool(k.send_email);
    allocated(w, "contact_key", k.contact_key);
    text(w, "password_hash", k.password_hash);
    stamp(w, "created_at", k.created_at);
    stamp(w, "updated_at", k.updated_at);
    w.EndObject();
  }
  w.EndArray();
  key(w, "documents");
  w.StartArray();
  for (const auto* d : docs) {
    w.StartObject();
    allocated(w, "id", d->info.id);
    key(w, "name");
    str(w, d->info.name);
    key(w, "type");
    str(w, d->info.type);
    key(w, "is_public");
    w.Bool(d->info.is_public);
    integer(w, "size", d->info.size);
    key(w, "hash");
    str(w, d->info.hash);
    stamp(w, "created_at", d->info.created_at);
    stamp(w, "updated_at", d->info.updated_at);
    key(w, "content_base64");
    str(w, base64(d->content));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string write(const core::Dataset& data) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  key(w, "format");
  str(w, format_name);

  key(w, "companies");
  w.StartArray();
  for (const auto& c : data.companies) {
    w.StartObject();
    allocated(w, "id", c.id);
    key(w, "title");
    str(w, c.title);
    text(w, "slug", c.slug);
    key(w, "clients_enabled");
    w.Bool(c.clients_enabled);
    w.EndObject();
  }
  w.EndArray();

  key(w, "users");
  w.StartArray();
  for (const auto& u : data.users) {
    w.StartObject();
    allocated(w, "id", u.id);
    key(w, "name");
    str(w, u.name);
    key(w, "email");
    str(w, u.email);
    text(w, "password_hash", u.password_hash);
    key(w, "memberships");
    w.StartArray();
    for (const auto& m : u.memberships) {
      w.StartObject();
      integer(w, "company_id", m.company_id);
      key(w, "role");
      str(w, core::role_name(m.role));
      key(w, "client_manager");
      w.Bool(m.client_manager);
      w.EndObject();
    }
    w.EndArray();
    key(w, "tokens");
    w.StartArray();
    for (const auto& t : u.tokens) {
      w.StartObject();
      key(w, "token_sha256");
      str(w, t.token_sha256);
      integer(w, "company_id", t.company_id);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  key(w, "clients");
  w.StartArray();
  std::multimap<core::ClientId, const core::Document*> docs_by_client;
  for (const auto& d : data.documents)
    docs_by_client.emplace(d.info.client_id, &d);
  for (std::size_t i = 0; i < data.clients.size(); ++i) {
    const auto& c = data.clients[i];
    core::ClientId owner = c.id != 0 ? c.id : -static_cast<core::ClientId>(i + 1);
    std::vector<const core::Document*> docs;
    auto [from, to] = docs_by_client.equal_range(owner);
    for (auto it = from; it != to; ++it)
      docs.push_back(it->second);
    write_client(w, c, docs);
  }
  w.EndArray();

  key(w, "projects");
  w.StartArray();
  for (const auto& p : data.projects) {
    w.StartObject();
    allocated(w, "id", p.id);
    integer(w, "client_id", p.client_id);
    key(w, "name");
    str(w, p.name);
    key(w, "active");
    w.Bool(p.active);
    text(w, "code", p.code);
    text(w, "description", p.description);
    text(w, "url", p.url);
    stamp(w, "created_at", p.created_at);
    stamp(w, "updated_at", p.updated_at);
    key(w, "assignees");
    w.StartArray();
    for (auto a : p.assignees)
      w.Int64(a);
    w.EndArray();
    integer(w, "time_entries", p.time_entries);
    key(w, "tasks");
    w.StartArray();
    for (const auto& t : p.tasks) {
      w.StartObject();
      allocated(w, "id", t.id);
      key(w, "name");
      str(w, t.name);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  key(w, "campaigns");
  w.StartArray();
  for (const auto& c : data.campaigns) {
    w.StartObject();
    allocated(w, "id", c.id);
    integer(w, "client_id", c.client_id);
    key(w, "name");
    str(w, c.name);
    integer(w, "links", c.links);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::string out(buffer.GetString(), buffer.GetSize());
  out += '\n';
  return out;
}

}  // namespace clientgate::dataset
