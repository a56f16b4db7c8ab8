// docs/mapping.md cannot drift from the code: its two machine-readable tables are parsed here
// and checked against what each dialect's own renderer (Dialect::show_as) answers for one
// client with a distinctive value in every field, in each lifecycle state.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <set>
#include <sstream>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/gateway/admin_view.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/dialect_adapter.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/wire.hpp"

namespace clientgate::test {
namespace {

using Row = std::vector<std::string>;

std::string trim(std::string s) {
  auto b = s.find_first_not_of(' ');
  auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The rows of the markdown table between <!-- mapping:NAME --> and <!-- /mapping:NAME -->,
// without the header and separator lines.
std::vector<Row> table(const std::string& doc, const std::string& name) {
  auto begin = doc.find("<!-- mapping:" + name + " -->");
  auto end = doc.find("<!-- /mapping:" + name + " -->");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  std::istringstream lines(doc.substr(begin, end - begin));
  std::vector<Row> rows;
  std::string line;
  int seen = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '|') continue;
    if (seen++ < 2) continue;  // header, separator
    Row row;
    std::size_t at = 1;
    while (at < line.size()) {
      auto bar = line.find(" |", at);
      if (bar == std::string::npos) break;
      row.push_back(trim(line.substr(at, bar - at)));
      at = bar + 2;
    }
    rows.push_back(row);
  }
  return rows;
}

constexpr const char* fixture = R"({
  "format": "clientgate-dataset/1",
  "companies": [{"id": 31, "title": "Mapping Co", "slug": "mapping", "clients_enabled": true}],
  "users": [{"id": 5, "name": "Map Admin", "email": "map@example.com", "password": "map-pass-1",
             "memberships": [{"company_id": 31, "role": "administrator", "client_manager": true}],
             "tokens": [{"token": "map-token"}]}],
  "clients": [{
    "id": 4242, "company_id": 31, "name": "Distinct Name Ltd",
    "uuid": "4a4b4c4d-1111-4222-8333-444455556666", "number": "N-77", "localid": 42,
    "active": true, "is_deleted": false,
    "code": "CODE-1", "description": "Plain description text", "website": "https://distinct.example",
    "email": "client@distinct.example", "phone": "+44 20 1111", "fax": "+44 20 2222",
    "address1": "1 First Line", "address2": "Second Line", "city": "Gotham", "state": "GT",
    "postal_code": "G1 2AB", "country_id": 826,
    "shipping_address1": "S1", "shipping_address2": "S2", "shipping_city": "Scity",
    "shipping_state": "Sstate", "shipping_postal_code": "S-999", "shipping_country_id": 250,
    "vat_number": "VAT-123", "id_number": "IDN-456", "private_notes": "private n",
    "public_notes": "public n", "custom_value1": "cv-1", "custom_value2": "cv-2",
    "custom_value3": "cv-3", "custom_value4": "cv-4", "currency_id": 3, "classification": "trust",
    "balance": "10735.05", "paid_to_date": "200.5", "credit_balance": "-3.25",
    "created_at": "2021-03-04T05:06:07.891234Z", "updated_at": "2022-06-07T08:09:10.123456Z",
    "archived_at": null, "client_hash": "HASHhashHASHhashHASHhashHASHhashHASHhash",
    "settings": {"entity": "App\\Models\\Client", "industry_id": "", "size_id": "",
                 "payment_terms": "14", "send_reminders": true},
    "contacts": [
      {"id": 901, "first_name": "Primo", "last_name": "Contact", "email": "primo@distinct.example",
       "phone": "555-0001", "custom_value1": "c1", "custom_value2": "c2", "custom_value3": "c3",
       "custom_value4": "c4", "is_primary": true, "send_email": false,
       "contact_key": "KEYkeyKEYkeyKEYkeyKEYkeyKEYkeyKEYkeyKEYk", "password": "secret-pass",
       "created_at": "2021-03-04T05:06:07Z", "updated_at": "2021-05-06T07:08:09Z"},
      {"id": 902, "first_name": "Secondo", "last_name": null, "email": "second@distinct.example",
       "is_primary": false, "send_email": true}
    ]
  }]
})";

constexpr core::ClientId client_id = 4242;

// Where the client object is in each dialect's GET answer (docs/mapping.md, first table):
// the dialect's test adapter knows.
std::optional<Flat> client_object(std::string_view dialect, const std::string& body) {
  const DialectAdapter* adapter = adapter_named(dialect);
  REQUIRE(adapter != nullptr);
  return adapter->client_object(body);
}

// One canonical value, whatever its type.
struct Raw {
  core::Text text;
  std::optional<std::int64_t> integer;
  std::optional<core::Timestamp> time;
  std::optional<bool> flag;
  std::optional<core::Money> money;
};

Raw raw(const core::Client& c, const std::string& name) {
  Raw r;
  if (name.rfind("contacts.", 0) == 0) {
    REQUIRE_FALSE(c.contacts.empty());
    const core::Contact& k = c.contacts.front();
    std::string f = name.substr(9);
#define CLIENTGATE_X(x) \
  if (f == #x) r.text = k.x;
    CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
    if (f == "id") r.integer = k.id;
    if (f == "is_primary") r.flag = k.is_primary;
    if (f == "send_email") r.flag = k.send_email;
    if (f == "contact_key") r.text = k.contact_key;
    if (f == "password_hash") r.text = k.password_hash;
    if (f == "created_at") r.time = k.created_at;
    if (f == "updated_at") r.time = k.updated_at;
    return r;
  }
#define CLIENTGATE_X(x) \
  if (name == #x) r.text = c.x;
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(x) \
  if (name == #x) r.integer = c.x;
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(x) \
  if (name == #x) r.money = c.x;
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  if (name == "id") r.integer = c.id;
  if (name == "company_id") r.integer = c.company_id;
  if (name == "localid") r.integer = c.localid;
  if (name == "name") r.text = c.name;
  if (name == "uuid") r.text = c.uuid;
  if (name == "number") r.text = c.number;
  if (name == "client_hash") r.text = c.client_hash;
  if (name == "active") r.flag = c.active;
  if (name == "is_deleted") r.flag = c.is_deleted;
  if (name == "created_at") r.time = c.created_at;
  if (name == "updated_at") r.time = c.updated_at;
  if (name == "archived_at") r.time = c.archived_at;
  return r;
}

std::string address_lines(const core::Client& c) {
  std::vector<std::string> lines;
  auto add = [&](const core::Text& t) {
    if (t && !t->empty()) lines.push_back(*t);
  };
  add(c.address1);
  add(c.address2);
  std::string last = c.city.value_or("");
  std::string region = c.state.value_or("");
  if (c.postal_code && !c.postal_code->empty())
    region += (region.empty() ? "" : " ") + *c.postal_code;
  if (!region.empty()) last += (last.empty() ? "" : ", ") + region;
  if (!last.empty()) lines.push_back(last);
  if (lines.empty()) return "null";
  std::string joined;
  for (const auto& l : lines)
    joined += (joined.empty() ? "" : "\n") + l;
  return json_string(joined);
}

// The wire value a format makes of a canonical value, as compact JSON.
std::string expected(const std::string& format, const std::string& canonical,
                     const core::Client& c) {
  if (format.rfind("const:", 0) == 0) return format.substr(6);
  if (format.rfind("settings-member:", 0) == 0) {  // that member of the stored settings JSON
    rapidjson::Document settings;
    settings.Parse(c.settings_json.value().c_str());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    settings[format.substr(16).c_str()].Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
  }
  Raw r = raw(c, canonical);
  auto text_or_null = [&] { return r.text ? json_string(*r.text) : std::string("null"); };
  if (format == "int") return std::to_string(r.integer.value());
  if (format == "int-string") return json_string(std::to_string(r.integer.value()));
  if (format == "text" || format == "html") return text_or_null();
  if (format == "text-or-empty") return json_string(r.text.value_or(""));
  if (format == "iso8601-6") return json_string(r.time.value().iso8601(6));
  if (format == "iso8601-3") return json_string(r.time.value().iso8601(3));
  if (format == "iso8601-0") return json_string(r.time.value().iso8601(0));
  if (format == "unix") return std::to_string(r.time.value().unix_seconds());
  if (format == "unix-or-0") return r.time ? std::to_string(r.time->unix_seconds()) : "0";
  if (format == "date") return json_string(r.time.value().date());
  if (format == "hashid") {  // Invoice Ninja's encoding, as its adapter writes it
    const DialectAdapter* ninja = adapter_named("ninja");
    REQUIRE(ninja != nullptr);
    return json_string(ninja->encode_id(r.integer.value()));
  }
  if (format == "bool") return r.flag.value() ? "true" : "false";
  if (format == "t-f") return json_string(r.flag.value() ? "t" : "f");
  if (format == "localid-6") {
    std::string digits = std::to_string(r.integer.value());
    if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
    return json_string(digits);
  }
  if (format == "money") return r.money.value().shortest();
  if (format == "int-string-or-empty") {
    return json_string(r.integer ? std::to_string(*r.integer) : "");
  }
  if (format == "int-string-or-1") return json_string(std::to_string(r.integer.value_or(1)));
  if (format == "address-lines") return address_lines(c);
  if (format == "display-name") return json_string(c.name);
  if (format == "password-mask") {
    return json_string(r.text && !r.text->empty() ? "**********" : "");
  }
  if (format == "key-login-link") {
    return json_string("http://localhost/client/key_login/" + r.text.value());
  }
  if (format == "count") {
    REQUIRE(c.documents.empty());  // the fixture has none: the array is empty
    return "[]";
  }
  FAIL("docs/mapping.md names an unknown format: " << format);
  return "";
}

struct Store {
  TempDir dir;
  std::unique_ptr<storage::SqliteRepository> repository;
  std::unique_ptr<core::ClientService> clients;
  std::unique_ptr<core::Authenticator> auth;
  std::vector<std::unique_ptr<dialects::Dialect>> dialects;

  Store() {
    repository = storage::SqliteRepository::open(dir / "mapping.db");
    auto parsed = dataset::parse(fixture);
    REQUIRE(std::holds_alternative<core::Dataset>(parsed));
    repository->import_dataset(std::get<core::Dataset>(parsed), {});
    clients = std::make_unique<core::ClientService>(*repository);
    auth = std::make_unique<core::Authenticator>(*repository, core::AuthSettings{});
    dialects = dialects::make_dialects(*clients, *auth, {});
  }

  core::Client canonical() {
    core::ClientQuery q;
    q.companies = {31};
    q.ids = {client_id};
    q.states = core::states_all;
    q.load.contacts = true;
    q.load.documents = true;
    auto page = repository->list_clients(q);
    REQUIRE(page.items.size() == 1);
    return page.items.front();
  }
};

std::vector<std::string> canonical_field_names() {
  std::vector<std::string> names = {"id",         "company_id",   "name",        "uuid",
                                    "number",     "localid",      "active",      "is_deleted",
                                    "created_at", "updated_at",   "archived_at", "client_hash",
                                    "documents",  "settings_json"};
#define CLIENTGATE_X(x) names.push_back(#x);
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(x) names.push_back("contacts." #x);
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_X(id)
  CLIENTGATE_X(is_primary)
  CLIENTGATE_X(send_email)
  CLIENTGATE_X(contact_key)
  CLIENTGATE_X(password_hash)
  CLIENTGATE_X(created_at)
  CLIENTGATE_X(updated_at)
#undef CLIENTGATE_X
  return names;
}

}  // namespace

TEST_CASE(
    "docs/mapping.md: every listed wire field carries the mapped value, and nothing else "
    "is rendered") {
  const std::string doc = read_source_file("docs/mapping.md");
  auto rows = table(doc, "fields");
  REQUIRE(rows.size() > 50);
  Store store;
  const core::Client client = store.canonical();

  std::set<std::string> canonical_listed;
  for (const auto& row : rows) {
    REQUIRE(row.size() == 5);
    canonical_listed.insert(row[0]);
  }
  // contacts.client_id only links the contact to this client: no dialect shows it.
  for (const auto& name : canonical_field_names()) {
    INFO("canonical field " << name << " is missing from docs/mapping.md");
    CHECK(canonical_listed.count(name) == 1);
  }

  const core::Principal who = gateway::view_principal(31);
  for (const auto& dialect : store.dialects) {
    const std::string name(dialect->name());
    SECTION(name) {
      auto answer = dialect->show_as(who, client_id);
      REQUIRE(answer.has_value());
      REQUIRE(answer->status == boost::beast::http::status::ok);
      auto flat = client_object(name, answer->body);
      INFO(answer->body);
      REQUIRE(flat.has_value());
      std::set<std::string> listed;
      for (const auto& row : rows) {
        if (row[1] != name || row[3] == "-") continue;  // create-only body fields
        listed.insert(row[2]);
        INFO(name << " field " << row[2] << " (" << row[0] << ", " << row[3] << ")");
        auto it = flat->find(row[2]);
        REQUIRE(it != flat->end());
        CHECK(it->second == expected(row[3], row[0], client));
      }
      for (const auto& [path, value] : *flat) {
        INFO(name << " renders " << path << " = " << value << ", not in docs/mapping.md");
        CHECK(listed.count(path) == 1);
      }
    }
  }
}

TEST_CASE("docs/mapping.md: every state looks in every dialect as the state table says") {
  const std::string doc = read_source_file("docs/mapping.md");
  auto rows = table(doc, "states");
  Store store;
  const core::Principal who = gateway::view_principal(31);

  for (const std::string state : {"active", "archived", "deleted"}) {
    if (state == "archived") {
      store.repository->bulk_update({client_id}, core::BulkAction::archive, core::Timestamp::now());
    }
    if (state == "deleted") {
      store.repository->bulk_update({client_id}, core::BulkAction::soft_delete,
                                    core::Timestamp::now());
    }
    const core::Client client = store.canonical();
    INFO("state " << state);
    std::set<std::string> covered;
    for (const auto& row : rows) {
      REQUIRE(row.size() == 5);
      if (row[0] != state) continue;
      covered.insert(row[1]);
      dialects::Dialect* dialect = nullptr;
      for (const auto& d : store.dialects)
        if (d->name() == row[1]) dialect = d.get();
      REQUIRE(dialect != nullptr);
      INFO("dialect " << row[1] << " field " << row[3]);
      auto answer = dialect->show_as(who, client_id);
      if (row[2] == "not-found") {
        // nullopt: the dialect cannot show it at all (its GET answers its not-found).
        bool not_found = !answer || answer->status == boost::beast::http::status::not_found;
        CHECK(not_found);
        continue;
      }
      REQUIRE(row[2] == "shown");
      REQUIRE(answer.has_value());
      CHECK(answer->status == boost::beast::http::status::ok);
      if (row[3] == "-") continue;
      auto flat = client_object(row[1], answer->body);
      REQUIRE(flat.has_value());
      auto it = flat->find(row[3]);
      REQUIRE(it != flat->end());
      CHECK(it->second == expected(row[4], row[3], client));
    }
    CHECK(covered.size() == store.dialects.size());
  }
}

TEST_CASE("the migration view shows the canonical record and every dialect's answer") {
  Store store;
  auto document = gateway::client_view_document(*store.repository, store.dialects, client_id);
  REQUIRE(document.has_value());
  auto flat = flatten_json(*document, "");
  REQUIRE(flat.has_value());
  CHECK(flat->at("canonical.name") == "\"Distinct Name Ltd\"");
  CHECK(flat->at("canonical.created_at") == "\"2021-03-04T05:06:07.891234Z\"");
  CHECK(flat->at("canonical.lifecycle") == "\"active\"");
  CHECK(flat->at("canonical.contacts[].has_password") == "true");
  CHECK(document->find("secret-pass") == std::string::npos);
  CHECK(document->find("$argon2") == std::string::npos);
  for (const auto& d : store.dialects) {
    std::string name(d->name());
    CHECK(flat->at("dialects." + name + ".status") == "200");
  }
  CHECK_FALSE(gateway::client_view_document(*store.repository, store.dialects, 999999));

  store.repository->bulk_update({client_id}, core::BulkAction::soft_delete, core::Timestamp::now());
  document = gateway::client_view_document(*store.repository, store.dialects, client_id);
  REQUIRE(document.has_value());
  flat = flatten_json(*document, "");
  CHECK(flat->at("canonical.lifecycle") == "\"deleted\"");
  CHECK(flat->at("dialects.ninja.status") == "200");
  CHECK(flat->at("dialects.json_v1.status") == "null");
  CHECK(flat->at("dialects.agency.status") == "404");
}

}  // namespace clientgate::test
