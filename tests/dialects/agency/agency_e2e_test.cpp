// The agency dialect over HTTP against a real clientgate process.
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <latch>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

const std::string acme = "123e4567-e89b-12d3-a456-426614174000";       // company 1
const std::string tech = "234e5678-e89b-12d3-a456-426614174111";       // company 1
const std::string gone = "44444444-4444-4444-8444-444444444444";       // company 1, soft-deleted
const std::string northwind = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";  // company 2
const std::string unknown = "99999999-9999-4999-8999-999999999999";

const std::string json_type = "application/json; charset=utf-8";
const std::string client_not_found = R"({"message":"Client not found"})";

const Headers alice = {{"Authorization", "Bearer alice-token"}};
const Headers alice_json = {{"Authorization", "Bearer alice-token"},
                            {"Content-Type", "application/json"}};
const Headers bob_json = {{"Authorization", "Bearer bob-token"},
                          {"Content-Type", "application/json"}};

std::string fixture() {
  return read_source_file("tests/dialects/agency/fixture.json");
}

rapidjson::Document json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

std::string field(const std::string& body, const char* name) {
  auto d = json(body);
  REQUIRE(d.IsObject());
  REQUIRE(d.HasMember(name));
  return d[name].GetString();
}

// The client ids that still own campaigns, read from `clientgate export`.
std::vector<std::int64_t> campaign_owners(const ServerProcess& server) {
  auto r = run_clientgate({"export", "--db", server.db_path().string()});
  REQUIRE(r.exit_code == 0);
  auto d = json(r.out);
  std::vector<std::int64_t> owners;
  for (const auto& c : d["campaigns"].GetArray())
    owners.push_back(c["client_id"].GetInt64());
  return owners;
}

bool owns_campaigns(const std::vector<std::int64_t>& owners, std::int64_t client) {
  return std::find(owners.begin(), owners.end(), client) != owners.end();
}

}  // namespace

TEST_CASE("agency end to end: every route", "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  HttpClient http(server.host(), server.port());

  auto list = http.get("/clients", alice);
  CHECK(list.status == 200);
  CHECK(list.header("Content-Type") == json_type);
  CHECK(list.body.rfind(R"([{"id":"123e4567-e89b-12d3-a456-426614174000","name":"Acme Corp",)"
                        R"("campaignsCount":3,"linksCount":30,)"
                        R"("createdAt":"2026-01-15T08:00:00.123Z"},)",
                        0) == 0);
  CHECK(json(list.body).Size() == 4);

  auto created = http.request("POST", "/clients", alice_json, R"({"name":"New Client Inc"})");
  REQUIRE(created.status == 201);
  CHECK(created.header("Content-Type") == json_type);
  const std::string id = field(created.body, "id");
  CHECK(field(created.body, "name") == "New Client Inc");
  CHECK(field(created.body, "createdAt") == field(created.body, "updatedAt"));

  auto shown = http.get("/clients/" + id, alice);
  CHECK(shown.status == 200);
  CHECK(shown.body == created.body);

  auto head = http.request("HEAD", "/clients/" + id, alice);
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  auto updated = http.request("PUT", "/clients/" + id, alice_json, R"({"name":"Renamed Client"})");
  CHECK(updated.status == 200);
  CHECK(field(updated.body, "id") == id);
  CHECK(field(updated.body, "name") == "Renamed Client");
  CHECK(field(updated.body, "createdAt") == field(created.body, "createdAt"));
  CHECK(http.get("/clients/" + id, alice).body == updated.body);

  list = http.get("/clients", alice);
  CHECK(list.body.find(R"("name":"Renamed Client","campaignsCount":0,"linksCount":0,)") !=
        std::string::npos);

  auto deleted = http.request("DELETE", "/clients/" + id, alice);
  CHECK(deleted.status == 204);
  CHECK(deleted.body.empty());
  auto again = http.get("/clients/" + id, alice);
  CHECK(again.status == 404);
  CHECK(again.body == client_not_found);
}

TEST_CASE("agency end to end: credentials", "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  HttpClient http(server.host(), server.port());
  const std::vector<Headers> refused = {
      {},
      {{"Authorization", "Bearer nope"}},
      {{"Authorization", "Bearer "}},
      {{"Authorization", basic_auth("alice@example.com", "alice-token")}},
      {{"X-API-TOKEN", "alice-token"}},
  };
  for (const auto& headers : refused) {
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/clients"},
                                                          {"POST", "/clients"},
                                                          {"GET", "/clients/" + acme},
                                                          {"PUT", "/clients/" + acme},
                                                          {"DELETE", "/clients/" + acme},
                                                          {"GET", "/clients/not-a-uuid"}}) {
      auto r = http.request(method, target, headers, R"({"name":"Intruder"})");
      CHECK(r.status == 401);
      CHECK(r.body == R"({"message":"Unauthorized"})");
      CHECK(r.header("Content-Type") == json_type);
    }
  }
  // The scheme is case-insensitive.
  CHECK(http.get("/clients", {{"Authorization", "bearer alice-token"}}).status == 200);
  CHECK(http.get("/clients/" + acme, alice).status == 200);
}

TEST_CASE("agency end to end: not found, other companies and deleted clients alike",
          "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  HttpClient http(server.host(), server.port());
  for (const auto& id : {unknown, northwind, gone}) {
    for (const auto& method : {"GET", "PUT", "DELETE"}) {
      auto r = http.request(method, "/clients/" + id, alice_json, R"({"name":"Take Over"})");
      CHECK(r.status == 404);
      CHECK(r.body == client_not_found);
      CHECK(r.header("Content-Type") == json_type);
    }
  }
  CHECK(field(http.get("/clients/" + northwind, bob_json).body, "name") == "Northwind Client");
  CHECK(owns_campaigns(campaign_owners(server), 4));
  CHECK(owns_campaigns(campaign_owners(server), 10));
}

TEST_CASE("agency end to end: validation errors change nothing", "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  HttpClient http(server.host(), server.port());
  const std::string before = http.get("/clients", alice).body;
  auto name_error = [](const std::string& message) {
    return R"({"message":"Validation error","issues":{"name":[")" + message + R"("]}})";
  };
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {R"({"name":"ab"})", "Too small: expected string to have >=3 characters"},
      {R"({"name":"  a  "})", "Too small: expected string to have >=3 characters"},
      {R"({"title":"Acme"})", "Invalid input: expected string, received undefined"},
      {R"({"name":3})", "Invalid input: expected string, received number"},
      {R"([{"name":"Acme"}])", "Invalid input: expected object, received array"},
      {R"({"name":"Acme")", "Invalid input: malformed JSON"},
      {"", "Invalid input: expected object, received undefined"},
  };
  for (const auto& [body, message] : bodies) {
    INFO(body);
    auto r = http.request("POST", "/clients", alice_json, body);
    CHECK(r.status == 400);
    CHECK(r.body == name_error(message));
    CHECK(r.header("Content-Type") == json_type);
    r = http.request("PUT", "/clients/" + tech, alice_json, body);
    CHECK(r.status == 400);
    CHECK(r.body == name_error(message));
  }
  for (const auto& id : {std::string("1"), std::string("xyz"), acme.substr(1)}) {
    auto r = http.request("PUT", "/clients/" + id, alice_json, R"({"name":"Valid"})");
    CHECK(r.status == 400);
    CHECK(r.body == R"({"message":"Validation error","issues":{"id":["Invalid UUID"]}})");
    CHECK(http.request("DELETE", "/clients/" + id, alice).status == 400);
    CHECK(http.get("/clients/" + id, alice).status == 400);
  }
  CHECK(http.get("/clients", alice).body == before);
}

TEST_CASE("agency end to end: names are unique within the company", "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  HttpClient http(server.host(), server.port());
  const std::string conflict = R"({"message":"Client already exists"})";
  auto r = http.request("POST", "/clients", alice_json, R"({"name":"Acme Corp"})");
  CHECK(r.status == 409);
  CHECK(r.body == conflict);
  CHECK(r.header("Content-Type") == json_type);
  r = http.request("PUT", "/clients/" + tech, alice_json, R"({"name":"Acme Corp"})");
  CHECK(r.status == 409);
  CHECK(r.body == conflict);
  // Company 2 has its own "Acme Corp"; company 1's "Tech Startup Inc" is free there.
  CHECK(http.request("POST", "/clients", bob_json, R"({"name":"Tech Startup Inc"})").status == 201);
  CHECK(field(http.get("/clients/" + tech, alice).body, "name") == "Tech Startup Inc");
}

TEST_CASE("agency end to end: racing creates of one name never both succeed", "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  constexpr int racers = 8;
  for (int round = 0; round < 6; ++round) {
    const std::string name = "Racing Client " + std::to_string(round);
    std::atomic<int> created{0}, conflicts{0}, other{0};
    std::latch start(racers);
    std::vector<std::thread> threads;
    for (int i = 0; i < racers; ++i) {
      threads.emplace_back([&] {
        HttpClient http(server.host(), server.port());
        http.get("/clients/" + unknown, alice);  // connected and warm before the start
        start.arrive_and_wait();
        auto r = http.request("POST", "/clients", alice_json, R"({"name":")" + name + R"("})");
        if (r.status == 201)
          ++created;
        else if (r.status == 409 && r.body == R"({"message":"Client already exists"})")
          ++conflicts;
        else
          ++other;
      });
    }
    for (auto& t : threads)
      t.join();
    CHECK(created == 1);
    CHECK(conflicts == racers - 1);
    CHECK(other == 0);
  }

  // Two clients renamed to one new name at once: one rename wins.
  HttpClient http(server.host(), server.port());
  std::atomic<int> renamed{0}, conflicts{0};
  std::latch start(2);
  std::vector<std::thread> threads;
  for (const auto& id : {acme, tech}) {
    threads.emplace_back([&, id] {
      HttpClient mine(server.host(), server.port());
      mine.get("/clients/" + unknown, alice);
      start.arrive_and_wait();
      auto r = mine.request("PUT", "/clients/" + id, alice_json, R"({"name":"Same New Name"})");
      if (r.status == 200) ++renamed;
      if (r.status == 409) ++conflicts;
    });
  }
  for (auto& t : threads)
    t.join();
  CHECK(renamed == 1);
  CHECK(conflicts == 1);
  auto list = json(http.get("/clients", alice).body);
  int with_name = 0;
  for (const auto& item : list.GetArray())
    with_name += std::string(item["name"].GetString()) == "Same New Name";
  CHECK(with_name == 1);
}

TEST_CASE("agency end to end: delete takes the campaigns with it", "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  HttpClient http(server.host(), server.port());
  REQUIRE(owns_campaigns(campaign_owners(server), 1));
  CHECK(http.request("DELETE", "/clients/" + acme, alice).status == 204);
  const auto owners = campaign_owners(server);
  CHECK_FALSE(owns_campaigns(owners, 1));
  CHECK(owns_campaigns(owners, 2));
  CHECK(owns_campaigns(owners, 10));
  CHECK(json(http.get("/clients", alice).body).Size() == 3);
}

TEST_CASE("agency end to end: methods, other paths and .xml paths", "[agency][e2e]") {
  ServerProcess server({fixture(), {}, {}});
  HttpClient http(server.host(), server.port());
  auto r = http.request("PATCH", "/clients", alice_json, R"({"name":"Acme"})");
  CHECK(r.status == 405);
  CHECK(r.header("Allow") == "GET, HEAD, POST");
  CHECK(r.body == R"({"message":"Method not allowed"})");
  r = http.request("POST", "/clients/" + acme, alice_json, R"({"name":"Acme"})");
  CHECK(r.status == 405);
  CHECK(r.header("Allow") == "GET, HEAD, PUT, DELETE");
  r = http.get("/clients/" + acme + "/campaigns", alice);
  CHECK(r.status == 404);
  CHECK(r.body == R"({"message":"Route not found"})");

  auto head = http.request("HEAD", "/clients", alice);
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  // .xml paths are legacy_xml's (or nobody's, when it is not compiled in): never a JSON list.
  for (const std::string target : {"/clients.xml", "/clients/1.xml", "/clients/active.xml"}) {
    r = http.get(target, alice);
    CHECK_FALSE((r.status == 200 && !r.body.empty() && r.body.front() == '['));
    CHECK(r.body != R"({"message":"Unauthorized"})");
  }
}
