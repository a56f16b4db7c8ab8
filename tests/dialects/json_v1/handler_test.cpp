// The json_v1 handler called directly (no socket) over a real SQLite file.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <variant>

#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/json_v1/json_v1.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "fixture.hpp"
#include "support/dialect_world.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
namespace http = boost::beast::http;

namespace {

struct World : test::DialectWorld {
  World() : DialectWorld(test::json_v1::kFixture, dialects::json_v1::make) {}

  dialects::Response call(http::verb method, const std::string& target, const std::string& token,
                          const std::string& body = "") {
    http::request<http::empty_body> req{method, target, 11};
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    REQUIRE(claim(req) == dialects::Claim::path);
    return handle(req, body);
  }
};

}  // namespace

TEST_CASE("json_v1 handler: list is scoped, paged and ordered") {
  World w;
  auto r = w.call(http::verb::get, "/api/v1/clients", "ada-token");
  CHECK(r.status == http::status::ok);
  CHECK(r.headers[http::field::content_type] == "application/json");
  CHECK(
      r.body ==
      R"([{"id":123,"title":"Acme Corporation","company":{"id":456,"title":"Design Studio Inc"},)"
      R"("created_at":"2023-01-01T12:00:00.000000Z","updated_at":"2023-01-01T12:00:00.000000Z"},)"
      R"({"id":124,"title":"Beta Industries","company":{"id":456,"title":"Design Studio Inc"},)"
      R"("created_at":"2023-01-02T10:30:00.000000Z","updated_at":"2023-01-02T10:30:00.000000Z"}])");
  // Cy's all-companies token sees both companies; the company token only one.
  CHECK(w.call(http::verb::get, "/api/v1/clients", "cy-all").body.find("Gamma") !=
        std::string::npos);
  CHECK(w.call(http::verb::get, "/api/v1/clients", "cy-456").body.find("Gamma") ==
        std::string::npos);
  // A company outside the scope filters to nothing.
  CHECK(w.call(http::verb::get, "/api/v1/clients?company_id=457", "ada-token").body == "[]");
  CHECK(w.call(http::verb::get, "/api/v1/clients?per_page=1&page=2", "ada-token")
            .body.find("\"id\":124") != std::string::npos);
  CHECK(w.call(http::verb::get, "/api/v1/clients?title=BETA", "ada-token").body.find("Acme") ==
        std::string::npos);
}

TEST_CASE("json_v1 handler: credentials") {
  World w;
  auto r = w.call(http::verb::get, "/api/v1/clients", "");
  CHECK(r.status == http::status::unauthorized);
  CHECK(r.body == R"({"message":"Unauthenticated."})");
  CHECK(w.call(http::verb::get, "/api/v1/clients/123", "nope").status ==
        http::status::unauthorized);
}

TEST_CASE("json_v1 handler: show, and the cross-tenant rule") {
  World w;
  auto r = w.call(http::verb::get, "/api/v1/clients/123", "ada-token");
  CHECK(r.status == http::status::ok);
  CHECK(r.body ==
        R"({"id":123,"title":"Acme Corporation","created_at":"2023-01-01T12:00:00.000000Z",)"
        R"("updated_at":"2023-01-01T12:00:00.000000Z"})");
  auto foreign = w.call(http::verb::get, "/api/v1/clients/125", "ada-token");
  auto missing = w.call(http::verb::get, "/api/v1/clients/125000", "ada-token");
  CHECK(foreign.status == http::status::not_found);
  CHECK(foreign.body == R"({"message":"No query results for model [App\\Models\\Client] 125"})");
  CHECK(missing.status == http::status::not_found);
  // Soft-deleted (ninja) clients do not exist here.
  CHECK(w.call(http::verb::get, "/api/v1/clients/126", "ada-token").status ==
        http::status::not_found);
  for (const char* id : {"abc", "-1", "99999999999999999999", "1.5"}) {
    auto bad = w.call(http::verb::get, std::string("/api/v1/clients/") + id, "ada-token");
    CHECK(bad.status == http::status::not_found);
    CHECK(bad.body ==
          std::string(R"({"message":"No query results for model [App\\Models\\Client] )") + id +
              "\"}");
  }
}

TEST_CASE("json_v1 handler: create, update, delete") {
  World w;
  auto r = w.call(http::verb::post, "/api/v1/clients", "ada-token",
                  R"({"title":"New Client Corp","company_id":456})");
  REQUIRE(r.status == http::status::created);
  CHECK(r.body.find(R"("title":"New Client Corp")") != std::string::npos);
  CHECK(r.body.find("company") == std::string::npos);

  r = w.call(http::verb::post, "/api/v1/clients", "ada-token", R"({"title":"X","company_id":457})");
  CHECK(r.status == http::status::unprocessable_entity);
  CHECK(r.body == R"({"message":"The selected company id is invalid.","errors":{"company_id":)"
                  R"(["The selected company id is invalid."]}})");

  r = w.call(http::verb::put, "/api/v1/clients/123", "ada-token",
             R"({"title":"Acme Corporation Ltd"})");
  CHECK(r.status == http::status::ok);
  CHECK(r.body.find("Acme Corporation Ltd") != std::string::npos);
  CHECK(r.body.find(R"("created_at":"2023-01-01T12:00:00.000000Z")") != std::string::npos);
  CHECK(r.body.find(R"("updated_at":"2023-01-01T12:00:00.000000Z")") == std::string::npos);

  CHECK(w.call(http::verb::put, "/api/v1/clients/123", "ada-token", R"({"title":""})").status ==
        http::status::unprocessable_entity);
  CHECK(w.call(http::verb::put, "/api/v1/clients/125", "ada-token", R"({"title":"Mine"})").status ==
        http::status::not_found);
  CHECK(w.call(http::verb::put, "/api/v1/clients/123", "ada-token", "{bad").status ==
        http::status::bad_request);

  r = w.call(http::verb::delete_, "/api/v1/clients/124", "ada-token");
  CHECK(r.status == http::status::no_content);
  CHECK(r.body.empty());
  CHECK(w.call(http::verb::get, "/api/v1/clients/124", "ada-token").status ==
        http::status::not_found);
  CHECK(w.call(http::verb::delete_, "/api/v1/clients/125", "ada-token").status ==
        http::status::not_found);
  // Permanent: the client's projects and campaigns go with it.
  CHECK(w.call(http::verb::delete_, "/api/v1/clients/123", "ada-token").status ==
        http::status::no_content);
  CHECK(w.repo->list_projects({123}, false).empty());
}

TEST_CASE("json_v1 handler: wrong method and unknown path") {
  World w;
  auto r = w.call(http::verb::patch, "/api/v1/clients", "");
  CHECK(r.status == http::status::method_not_allowed);
  CHECK(r.headers[http::field::allow] == "GET, HEAD, POST");
  CHECK(r.body == R"({"message":"The PATCH method is not supported for route api/v1/clients. )"
                  R"(Supported methods: GET, HEAD, POST."})");
  r = w.call(http::verb::post, "/api/v1/clients/123", "ada-token");
  CHECK(r.status == http::status::method_not_allowed);
  CHECK(r.headers[http::field::allow] == "GET, HEAD, PUT, PATCH, DELETE");
  // The message names the request's path (Laravel's $request->path()), not the template.
  CHECK(r.body == R"({"message":"The POST method is not supported for route api/v1/clients/123. )"
                  R"(Supported methods: GET, HEAD, PUT, PATCH, DELETE."})");
  r = w.call(http::verb::post, "/api/v1/clients/abc%20d/?x=1", "");
  CHECK(r.status == http::status::method_not_allowed);
  CHECK(r.body ==
        R"({"message":"The POST method is not supported for route api/v1/clients/abc%20d. )"
        R"(Supported methods: GET, HEAD, PUT, PATCH, DELETE."})");
  r = w.call(http::verb::delete_, "/api/v1/clients/", "");
  CHECK(r.body == R"({"message":"The DELETE method is not supported for route api/v1/clients. )"
                  R"(Supported methods: GET, HEAD, POST."})");
  // Laravel matches with the trailing slash trimmed: a member with one is still the member.
  CHECK(w.call(http::verb::get, "/api/v1/clients/123/", "ada-token").body ==
        w.call(http::verb::get, "/api/v1/clients/123", "ada-token").body);
  CHECK(w.call(http::verb::get, "/api/v1/clients/123/", "ada-token").status == http::status::ok);
  CHECK(w.call(http::verb::get, "/api/v1/clients/123//", "ada-token").status == http::status::ok);
  CHECK(w.call(http::verb::get, "/api/v1/clients//123", "ada-token").status ==
        http::status::not_found);
  r = w.call(http::verb::get, "/api/v1/clients/123/extra", "ada-token");
  CHECK(r.status == http::status::not_found);
  CHECK(r.body == R"({"message":"The route api/v1/clients/123/extra could not be found."})");
}
