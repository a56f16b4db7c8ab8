// json_v1 over HTTP against a real clientgate process.
#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

const Headers kAda = {{"Authorization", "Bearer ada-token"}, {"Accept", "application/json"}};
Headers ada_json() {
  Headers h = kAda;
  h.push_back({"Content-Type", "application/json"});
  return h;
}

std::string export_db(const ServerProcess& server) {
  auto r = run_clientgate({"export", "--db", server.db_path().string()});
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("json_v1 end to end: every route") {
  ServerProcess server({json_v1::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());

  auto list = http.get("/api/v1/clients?company_id=456&per_page=25", kAda);
  CHECK(list.status == 200);
  CHECK(list.header("Content-Type") == "application/json");
  CHECK(list.body.rfind(R"([{"id":123,"title":"Acme Corporation","company":{"id":456,)", 0) == 0);

  auto created = http.request("POST", "/api/v1/clients", ada_json(),
                              R"({"title":"New Client Corp","company_id":456})");
  REQUIRE(created.status == 201);
  auto id_start = created.body.find("\"id\":") + 5;
  std::string id = created.body.substr(id_start, created.body.find(',') - id_start);

  auto shown = http.get("/api/v1/clients/" + id, kAda);
  CHECK(shown.status == 200);
  CHECK(shown.body == created.body);

  auto updated = http.request("PUT", "/api/v1/clients/" + id, ada_json(), R"({"title":"Renamed"})");
  CHECK(updated.status == 200);
  CHECK(updated.body.find(R"("title":"Renamed")") != std::string::npos);

  auto head = http.request("HEAD", "/api/v1/clients/" + id, kAda);
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  auto deleted = http.request("DELETE", "/api/v1/clients/" + id, kAda);
  CHECK(deleted.status == 204);
  CHECK(deleted.body.empty());
  CHECK(http.get("/api/v1/clients/" + id, kAda).status == 404);
}

TEST_CASE("json_v1 end to end: bad input gets the documented error and changes nothing") {
  ServerProcess server({json_v1::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  const std::string before = export_db(server);

  struct Case {
    std::string method, target, body;
    int status;
    std::string expected_body;  // empty: not checked
  };
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::vector<Case> cases = {
      {"POST", "/api/v1/clients", R"({"title":"x","company_id":)", 400,
       R"({"message":"Malformed JSON body."})"},
      {"POST", "/api/v1/clients", "{\"title\":\"trunc", 400, ""},
      {"POST", "/api/v1/clients", deep, 400, R"({"message":"Malformed JSON body."})"},
      {"POST", "/api/v1/clients", R"({"title":5,"company_id":456})", 422,
       R"({"message":"The title field must be a string.","errors":{"title":["The title field must be a string."]}})"},
      {"POST", "/api/v1/clients", "{\"title\":\"bad \xff\xfe utf8\",\"company_id\":456}", 400, ""},
      {"POST", "/api/v1/clients",
       "{\"title\":\"" + std::string(300, 'a') + "\",\"company_id\":456}", 422,
       R"({"message":"The title field must not be greater than 255 characters.","errors":{"title":["The title field must not be greater than 255 characters."]}})"},
      {"POST", "/api/v1/clients", R"({"title":"Theirs","company_id":457})", 422, ""},
      {"PUT", "/api/v1/clients/125", R"({"title":"Mine now"})", 404,
       R"({"message":"No query results for model [App\\Models\\Client] 125"})"},
      {"DELETE", "/api/v1/clients/125", "", 404, ""},
      {"GET", "/api/v1/clients?per_page=0", "", 422, ""},
      {"GET", "/api/v1/clients?per_page=1001", "", 422, ""},
      {"GET", "/api/v1/clients?per_page=abc", "", 422, ""},
      {"GET", "/api/v1/clients/abc", "", 404, ""},
      {"GET", "/api/v1/clients/-1", "", 404, ""},
      {"GET", "/api/v1/clients/99999999999999999999", "", 404, ""},
      {"PATCH", "/api/v1/clients", "{}", 405, ""},
      {"BREW", "/api/v1/clients", "", 405, ""},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.target << " " << c.body.substr(0, 80));
    auto r = http.request(c.method, c.target, ada_json(), c.body);
    CHECK(r.status == c.status);
    CHECK(r.header("Content-Type") == "application/json");
    if (!c.expected_body.empty()) CHECK(r.body == c.expected_body);
  }

  // Over the limits: a body over 1 MiB and a header over 8 KiB.
  auto big = http.request("POST", "/api/v1/clients", ada_json(),
                          "{\"title\":\"" + std::string(2 * 1024 * 1024, 'a') + "\"}");
  CHECK(big.status == 413);
  HttpClient http2(server.host(), server.port());
  Headers huge = kAda;
  huge.push_back({"X-Padding", std::string(9000, 'p')});
  CHECK(http2.get("/api/v1/clients", huge).status == 431);

  // A client of another company answers exactly like a missing one.
  HttpClient http3(server.host(), server.port());
  auto foreign = http3.get("/api/v1/clients/125", kAda);
  auto missing = http3.get("/api/v1/clients/125", {{"Authorization", "Bearer bob-token"}});
  CHECK(missing.status == 200);  // Bob's own client
  auto nothing = http3.get("/api/v1/clients/999", kAda);
  CHECK(foreign.status == nothing.status);
  CHECK(foreign.body.substr(0, 50) == nothing.body.substr(0, 50));

  // Still serving, and nothing was written.
  HttpClient after(server.host(), server.port());
  CHECK(after.get("/api/v1/clients", kAda).status == 200);
  CHECK(export_db(server) == before);
}
