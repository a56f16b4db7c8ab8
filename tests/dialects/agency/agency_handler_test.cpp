// The agency dialect's handler over a real SQLite store, called without a socket.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <set>

#include "agency/parse.hpp"
#include "agency_world.hpp"

using namespace agency_test;
using http::verb;

namespace {

const std::string acme = "123e4567-e89b-12d3-a456-426614174000";       // company 1
const std::string tech = "234e5678-e89b-12d3-a456-426614174111";       // company 1
const std::string beta = "33333333-3333-4333-8333-333333333333";       // company 1, inactive
const std::string gone = "44444444-4444-4444-8444-444444444444";       // company 1, soft-deleted
const std::string zeta = "55555555-5555-4555-8555-555555555555";       // company 1
const std::string northwind = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";  // company 2
const std::string acme2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";      // company 2, "Acme Corp"
const std::string unknown = "99999999-9999-4999-8999-999999999999";

const std::string json_type = "application/json; charset=utf-8";
const std::string unauthorized = R"({"message":"Unauthorized"})";
const std::string client_not_found = R"({"message":"Client not found"})";
const std::string conflict = R"({"message":"Client already exists"})";

std::string name_error(const std::string& message) {
  return R"({"message":"Validation error","issues":{"name":[")" + message + R"("]}})";
}

rapidjson::Document json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

std::vector<std::string> names_of(const std::string& list) {
  auto d = json(list);
  REQUIRE(d.IsArray());
  std::vector<std::string> names;
  for (const auto& item : d.GetArray())
    names.emplace_back(item["name"].GetString());
  return names;
}

std::set<std::string> campaign_clients(core::Repository& repo) {
  std::set<std::string> out;
  for (const auto& c : repo.export_dataset().campaigns)
    out.insert(std::to_string(c.client_id));
  return out;
}

}  // namespace

TEST_CASE("agency handler: claims by path, more strongly with a Bearer credential",
          "[agency][handler]") {
  World w;
  auto claim = [&](const dialects::Header& h) {
    const std::string target(h.target());
    return w.dialect().claim(h, boost::urls::parse_origin_form(target).value());
  };
  CHECK(claim(w.header(verb::get, "/clients", "alice-token")) == dialects::Claim::credential);
  CHECK(claim(w.header(verb::get, "/clients", "")) == dialects::Claim::path);
  CHECK(claim(w.header(verb::delete_, "/clients/" + acme, "")) == dialects::Claim::path);
  auto basic = w.header(verb::get, "/clients", "");
  basic.set(http::field::authorization, "Basic YWxpY2U6cHc=");
  CHECK(claim(basic) == dialects::Claim::path);
  CHECK(claim(w.header(verb::get, "/clients.xml", "alice-token")) == dialects::Claim::none);
  CHECK(claim(w.header(verb::get, "/clients/1.xml", "alice-token")) == dialects::Claim::none);
  CHECK(claim(w.header(verb::get, "/api/v1/clients", "alice-token")) == dialects::Claim::none);
  CHECK(w.dialect().name() == "agency");
}

TEST_CASE("agency handler: credentials come first", "[agency][handler]") {
  World w;
  for (const auto& token : {std::string(), std::string("wrong-token")}) {
    const std::vector<std::pair<verb, std::string>> requests = {{verb::get, "/clients"},
                                                                {verb::post, "/clients"},
                                                                {verb::get, "/clients/" + acme},
                                                                {verb::put, "/clients/not-a-uuid"},
                                                                {verb::delete_, "/clients/" + acme},
                                                                {verb::patch, "/clients"},
                                                                {verb::get, "/clients/a/b"}};
    for (const auto& [method, target] : requests) {
      auto a = w.call(method, target, token, R"({"name":"x"})");
      CHECK(a.status == 401);
      CHECK(a.body == unauthorized);
      CHECK(a.content_type == json_type);
    }
  }
  auto basic = w.header(verb::get, "/clients", "");
  basic.set(http::field::authorization, "Basic YWxpY2UtdG9rZW46");
  CHECK(w.call_with(basic).body == unauthorized);
  // Nothing was deleted by the refused requests.
  CHECK(w.call(verb::get, "/clients/" + acme, "alice-token").status == 200);
}

TEST_CASE("agency handler: the list is every client in scope by name, with counts",
          "[agency][handler]") {
  World w;
  auto a = w.call(verb::get, "/clients", "alice-token");
  CHECK(a.status == 200);
  CHECK(a.content_type == json_type);
  CHECK(a.body ==
        "["
        R"({"id":"123e4567-e89b-12d3-a456-426614174000","name":"Acme Corp","campaignsCount":3,)"
        R"("linksCount":30,"createdAt":"2026-01-15T08:00:00.123Z"},)"
        R"({"id":"33333333-3333-4333-8333-333333333333","name":"Beta Brand","campaignsCount":1,)"
        R"("linksCount":2,"createdAt":"2026-01-20T12:00:00.000Z"},)"
        R"({"id":"234e5678-e89b-12d3-a456-426614174111","name":"Tech Startup Inc",)"
        R"("campaignsCount":1,"linksCount":5,"createdAt":"2026-02-01T10:30:00.000Z"},)"
        R"({"id":"55555555-5555-4555-8555-555555555555","name":"Zeta Zone","campaignsCount":0,)"
        R"("linksCount":0,"createdAt":"2026-01-22T12:00:00.000Z"})"
        "]");

  // Another company's caller sees only its own clients.
  a = w.call(verb::get, "/clients", "bob-token");
  CHECK(a.body ==
        "["
        R"({"id":"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb","name":"Acme Corp","campaignsCount":0,)"
        R"("linksCount":0,"createdAt":"2026-01-11T00:00:00.000Z"},)"
        R"({"id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa","name":"Northwind Client",)"
        R"("campaignsCount":2,"linksCount":8,"createdAt":"2026-01-10T00:00:00.000Z"})"
        "]");

  // A user of both companies sees both; equal names are ordered by id.
  a = w.call(verb::get, "/clients", "carol-token");
  CHECK(names_of(a.body) == std::vector<std::string>{"Acme Corp", "Acme Corp", "Beta Brand",
                                                     "Northwind Client", "Tech Startup Inc",
                                                     "Zeta Zone"});
  auto d = json(a.body);
  CHECK(std::string(d[0]["id"].GetString()) == acme);
  CHECK(std::string(d[1]["id"].GetString()) == acme2);

  // A company token narrows the scope to its company.
  a = w.call(verb::get, "/clients", "carol-company-1");
  CHECK(names_of(a.body) ==
        std::vector<std::string>{"Acme Corp", "Beta Brand", "Tech Startup Inc", "Zeta Zone"});

  // A query string changes nothing: there is no paging or filtering in this API.
  CHECK(w.call(verb::get, "/clients?page=2&limit=1", "alice-token").body ==
        w.call(verb::get, "/clients", "alice-token").body);
}

TEST_CASE("agency handler: show one client", "[agency][handler]") {
  World w;
  auto a = w.call(verb::get, "/clients/" + acme, "alice-token");
  CHECK(a.status == 200);
  CHECK(a.content_type == json_type);
  CHECK(a.body ==
        R"({"id":"123e4567-e89b-12d3-a456-426614174000","name":"Acme Corp",)"
        R"("createdAt":"2026-01-15T08:00:00.123Z","updatedAt":"2026-01-16T09:30:00.987Z"})");
  // Upper-case hex addresses the same client.
  CHECK(w.call(verb::get, "/clients/123E4567-E89B-12D3-A456-426614174000", "alice-token").body ==
        a.body);
  // Inactive clients are ordinary clients here.
  CHECK(w.call(verb::get, "/clients/" + beta, "alice-token").status == 200);

  // Unknown, another company's, soft-deleted: the same answer, byte for byte.
  for (const auto& id : {unknown, northwind, acme2, gone}) {
    a = w.call(verb::get, "/clients/" + id, "alice-token");
    CHECK(a.status == 404);
    CHECK(a.body == client_not_found);
    CHECK(a.content_type == json_type);
  }
  CHECK(w.call(verb::get, "/clients/" + northwind, "bob-token").status == 200);
  CHECK(w.call(verb::get, "/clients/" + northwind, "carol-company-1").status == 404);
}

TEST_CASE("agency handler: a path id that is not a UUID is a validation error",
          "[agency][handler]") {
  World w;
  const std::string body = R"({"message":"Validation error","issues":{"id":["Invalid UUID"]}})";
  for (const auto& id : {std::string("1"), std::string("not-a-uuid"), acme + "0",
                         acme.substr(0, 35) + "g", std::string("%7B%7D")}) {
    for (verb v : {verb::get, verb::put, verb::delete_}) {
      auto a = w.call(v, "/clients/" + id, "alice-token", R"({"name":"Valid Name"})");
      CHECK(a.status == 400);
      CHECK(a.body == body);
    }
  }
}

TEST_CASE("agency handler: create", "[agency][handler]") {
  World w;
  auto a = w.call(verb::post, "/clients", "alice-token", R"({"name":"  New Client Inc  "})");
  REQUIRE(a.status == 201);
  CHECK(a.content_type == json_type);
  auto d = json(a.body);
  const std::string id = d["id"].GetString();
  CHECK(dialects::agency::parse_client_uuid(id) == id);
  CHECK(std::string(d["name"].GetString()) == "New Client Inc");  // stored trimmed
  const std::string created = d["createdAt"].GetString();
  CHECK(created.size() == 24);
  CHECK(created[19] == '.');
  CHECK(created.back() == 'Z');
  CHECK(std::string(d["updatedAt"].GetString()) == created);
  CHECK(d.MemberCount() == 4);

  // Read back, in the list with zero counts, in the caller's company.
  CHECK(w.call(verb::get, "/clients/" + id, "alice-token").body == a.body);
  CHECK(w.call(verb::get, "/clients/" + id, "bob-token").status == 404);
  auto list = json(w.call(verb::get, "/clients", "alice-token").body);
  bool found = false;
  for (const auto& item : list.GetArray()) {
    if (std::string(item["id"].GetString()) != id) continue;
    found = true;
    CHECK(item["campaignsCount"].GetInt64() == 0);
    CHECK(item["linksCount"].GetInt64() == 0);
  }
  CHECK(found);
}

TEST_CASE("agency handler: a create goes to the credential's default company",
          "[agency][handler]") {
  World w;
  // carol-token: every company of Carol, whose first membership is company 2.
  auto a = w.call(verb::post, "/clients", "carol-token", R"({"name":"Carol Default"})");
  REQUIRE(a.status == 201);
  const std::string id = json(a.body)["id"].GetString();
  CHECK(w.call(verb::get, "/clients/" + id, "bob-token").status == 200);
  CHECK(w.call(verb::get, "/clients/" + id, "alice-token").status == 404);

  // carol-company-1: the token's company.
  a = w.call(verb::post, "/clients", "carol-company-1", R"({"name":"Carol Token"})");
  REQUIRE(a.status == 201);
  const std::string id1 = json(a.body)["id"].GetString();
  CHECK(w.call(verb::get, "/clients/" + id1, "alice-token").status == 200);
}

TEST_CASE("agency handler: names are unique within the company, exactly", "[agency][handler]") {
  World w;
  auto a = w.call(verb::post, "/clients", "alice-token", R"({"name":"Acme Corp"})");
  CHECK(a.status == 409);
  CHECK(a.body == conflict);
  CHECK(a.content_type == json_type);
  // Trimmed before comparing.
  CHECK(w.call(verb::post, "/clients", "alice-token", R"({"name":" Acme Corp\n"})").status == 409);
  // Exact match: another case is another name.
  CHECK(w.call(verb::post, "/clients", "alice-token", R"({"name":"ACME CORP"})").status == 201);
  // Another company's name is free here.
  CHECK(w.call(verb::post, "/clients", "alice-token", R"({"name":"Northwind Client"})").status ==
        201);
  CHECK(w.call(verb::post, "/clients", "bob-token", R"({"name":"Tech Startup Inc"})").status ==
        201);
  CHECK(w.call(verb::post, "/clients", "bob-token", R"({"name":"Acme Corp"})").status == 409);
  // A soft-deleted client does not exist here, nor does its name.
  CHECK(w.call(verb::post, "/clients", "alice-token", R"({"name":"Gone Co"})").status == 201);
  // Nothing was written by the refused creates.
  CHECK(names_of(w.call(verb::get, "/clients", "alice-token").body) ==
        std::vector<std::string>{"ACME CORP", "Acme Corp", "Beta Brand", "Gone Co",
                                 "Northwind Client", "Tech Startup Inc", "Zeta Zone"});
}

TEST_CASE("agency handler: invalid create bodies", "[agency][handler]") {
  World w;
  const std::string before = w.call(verb::get, "/clients", "alice-token").body;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"name":"ab"})", "Too small: expected string to have >=3 characters"},
      {R"({"name":"   ab  "})", "Too small: expected string to have >=3 characters"},
      {R"({})", "Invalid input: expected string, received undefined"},
      {R"({"name":42})", "Invalid input: expected string, received number"},
      {R"({"name":null})", "Invalid input: expected string, received null"},
      {R"([])", "Invalid input: expected object, received array"},
      {R"("Acme")", "Invalid input: expected object, received string"},
      {"", "Invalid input: expected object, received undefined"},
      {R"({"name":)", "Invalid input: malformed JSON"},
      {"{\"name\":\"\xC3\x28\"}", "Invalid input: not valid UTF-8"},
      {"{\"name\":\"" + std::string(256, 'n') + "\"}",
       "Too big: expected string to have <=255 characters"},
  };
  for (const auto& [body, message] : cases) {
    INFO(body);
    auto a = w.call(verb::post, "/clients", "alice-token", body);
    CHECK(a.status == 400);
    CHECK(a.body == name_error(message));
    CHECK(a.content_type == json_type);
  }
  CHECK(w.call(verb::get, "/clients", "alice-token").body == before);
}

TEST_CASE("agency handler: update", "[agency][handler]") {
  World w;
  auto a = w.call(verb::put, "/clients/" + acme, "alice-token", R"({"name":" Acme Corporation "})");
  REQUIRE(a.status == 200);
  CHECK(a.content_type == json_type);
  auto d = json(a.body);
  CHECK(std::string(d["id"].GetString()) == acme);
  CHECK(std::string(d["name"].GetString()) == "Acme Corporation");
  CHECK(std::string(d["createdAt"].GetString()) == "2026-01-15T08:00:00.123Z");
  CHECK(std::string(d["updatedAt"].GetString()) > "2026-01-16T09:30:00.987Z");
  CHECK(w.call(verb::get, "/clients/" + acme, "alice-token").body == a.body);

  // The client's own name is no clash; another client's is.
  CHECK(w.call(verb::put, "/clients/" + acme, "alice-token", R"({"name":"Acme Corporation"})")
            .status == 200);
  a = w.call(verb::put, "/clients/" + tech, "alice-token", R"({"name":"Acme Corporation"})");
  CHECK(a.status == 409);
  CHECK(a.body == conflict);
  CHECK(json(w.call(verb::get, "/clients/" + tech, "alice-token").body)["name"].GetString() ==
        std::string("Tech Startup Inc"));
  // A name used only in another company is free.
  CHECK(w.call(verb::put, "/clients/" + tech, "alice-token", R"({"name":"Northwind Client"})")
            .status == 200);

  // Unknown, out of scope, soft-deleted: one answer; nothing changes.
  for (const auto& id : {unknown, northwind, gone}) {
    a = w.call(verb::put, "/clients/" + id, "alice-token", R"({"name":"Taken Over"})");
    CHECK(a.status == 404);
    CHECK(a.body == client_not_found);
  }
  CHECK(json(w.call(verb::get, "/clients/" + northwind, "bob-token").body)["name"].GetString() ==
        std::string("Northwind Client"));

  // The body is validated before the id is looked up, as Fastify validates before the handler.
  a = w.call(verb::put, "/clients/" + unknown, "alice-token", R"({"name":"x"})");
  CHECK(a.status == 400);
  CHECK(a.body == name_error("Too small: expected string to have >=3 characters"));
  a = w.call(verb::put, "/clients/" + acme, "alice-token", "not json");
  CHECK(a.status == 400);
  CHECK(a.body == name_error("Invalid input: malformed JSON"));
}

TEST_CASE("agency handler: delete cascades to campaigns", "[agency][handler]") {
  World w;
  REQUIRE(campaign_clients(w.repository()).count("1") == 1);
  auto a = w.call(verb::delete_, "/clients/" + acme, "alice-token");
  CHECK(a.status == 204);
  CHECK(a.body.empty());
  CHECK(a.content_type.empty());
  CHECK(w.call(verb::get, "/clients/" + acme, "alice-token").status == 404);
  CHECK(w.call(verb::delete_, "/clients/" + acme, "alice-token").body == client_not_found);
  const auto left = campaign_clients(w.repository());
  CHECK(left.count("1") == 0);
  CHECK(left.count("2") == 1);
  CHECK(left.count("10") == 1);
  // The client is gone from the store, not hidden.
  bool still_stored = false;
  for (const auto& c : w.repository().export_dataset().clients)
    still_stored |= c.id == 1;
  CHECK_FALSE(still_stored);
  // The freed name can be used again.
  CHECK(w.call(verb::post, "/clients", "alice-token", R"({"name":"Acme Corp"})").status == 201);

  // Out of scope and soft-deleted: 404, and nothing is deleted.
  for (const auto& id : {northwind, gone, unknown}) {
    a = w.call(verb::delete_, "/clients/" + id, "alice-token");
    CHECK(a.status == 404);
    CHECK(a.body == client_not_found);
  }
  CHECK(w.call(verb::get, "/clients/" + northwind, "bob-token").status == 200);
  CHECK(campaign_clients(w.repository()).count("4") == 1);
}

TEST_CASE("agency handler: other methods are 405 with Allow; other paths 404",
          "[agency][handler]") {
  World w;
  auto a = w.call(verb::patch, "/clients", "alice-token");
  CHECK(a.status == 405);
  CHECK(a.allow == "GET, HEAD, POST");
  CHECK(a.body == R"({"message":"Method not allowed"})");
  CHECK(a.content_type == json_type);
  a = w.call(verb::post, "/clients/" + acme, "alice-token", R"({"name":"Acme"})");
  CHECK(a.status == 405);
  CHECK(a.allow == "GET, HEAD, PUT, DELETE");
  a = w.call(verb::patch, "/clients/not-a-uuid", "alice-token");
  CHECK(a.status == 405);

  for (const std::string& target : {std::string("/clients/"), "/clients/" + acme + "/campaigns"}) {
    a = w.call(verb::get, target, "alice-token");
    CHECK(a.status == 404);
    CHECK(a.body == R"({"message":"Route not found"})");
  }
}

TEST_CASE("agency handler: show_as answers what a GET would", "[agency][handler]") {
  World w;
  auto alice = w.auth().by_token("alice-token").value();
  auto r = w.dialect().show_as(alice, 1);
  REQUIRE(r);
  CHECK(World::answer_of(*r).body == w.call(verb::get, "/clients/" + acme, "alice-token").body);
  for (core::ClientId id : {4, 10, 999}) {
    r = w.dialect().show_as(alice, id);
    REQUIRE(r);
    CHECK(static_cast<int>(r->status) == 404);
    CHECK(r->body == client_not_found);
  }
}

TEST_CASE("agency handler: transport errors in the API's shape", "[agency][handler]") {
  World w;
  const auto h = w.header(verb::post, "/clients", "alice-token");
  auto check = [&](dialects::TransportError e, int status, const std::string& message) {
    auto a = World::answer_of(w.dialect().transport_error(e, h));
    CHECK(a.status == status);
    CHECK(a.body == R"({"message":")" + message + R"("})");
    CHECK(a.content_type == json_type);
  };
  check(dialects::TransportError::body_too_large, 413, "Request body is too large");
  check(dialects::TransportError::timeout, 408, "Request timeout");
  check(dialects::TransportError::bad_request, 400, "Bad request");
  check(dialects::TransportError::unavailable, 503, "Service unavailable");

  dialects::RoutePlan defaults;
  defaults.body_limit = 64 * 1024 * 1024;
  const std::string target = "/clients";
  auto plan = w.dialect().plan(h, boost::urls::parse_origin_form(target).value(), defaults);
  CHECK(plan.body_limit == dialects::agency::body_limit);
  CHECK_FALSE(plan.spool_body);
}

TEST_CASE("agency handler: a store that cannot write answers 503 in the API's shape",
          "[agency][handler]") {
  World w;
  storage::StorageSettings settings;
  settings.read_only = true;
  auto repo = storage::SqliteRepository::open(w.db_path(), settings);
  core::ClientService service(*repo);
  core::Authenticator auth(*repo);
  dialects::DialectSettings dialect_settings;
  auto dialect = dialects::agency::make(dialects::Services{service, auth, dialect_settings});
  auto call = [&](verb method, const std::string& target, const std::string& body) {
    const auto h = w.header(method, target, "alice-token");
    dialects::Request request{h, boost::urls::parse_origin_form(target).value(), body, ""};
    return dialect->handle(request);
  };

  CHECK(static_cast<int>(call(verb::get, "/clients", "").status) == 200);
  for (auto r : {call(verb::post, "/clients", R"({"name":"Cannot Write"})"),
                 call(verb::put, "/clients/" + acme, R"({"name":"Cannot Write"})"),
                 call(verb::delete_, "/clients/" + acme, "")}) {
    CHECK(static_cast<int>(r.status) == 503);
    CHECK(r.body == R"({"message":"Service unavailable"})");
    CHECK(r.headers[http::field::retry_after] == "1");
  }
  CHECK(w.call(verb::get, "/clients/" + acme, "alice-token").status == 200);
  CHECK(names_of(w.call(verb::get, "/clients", "alice-token").body).size() == 4);
}
