// The sixth dialect answers in clientgate_with_sixth and nowhere else: the production
// `clientgate` executable, built from the same tree, does not know /sixth/clients.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

constexpr const char* dataset = R"({
  "format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "Sixth Co"}],
  "users": [{"id": 1, "name": "Six", "email": "six@example.com",
             "memberships": [{"company_id": 1, "role": "administrator"}],
             "tokens": [{"token": "sixth-token"}]}],
  "clients": [{"id": 1, "company_id": 1, "name": "First"}]
})";

HttpResponse list_sixth(const ServerProcess& server) {
  HttpClient http(server.host(), server.port());
  return http.get("/sixth/clients", {{"Authorization", "Bearer sixth-token"}});
}

}  // namespace

TEST_CASE("the sixth dialect is in clientgate_with_sixth only") {
  ::unsetenv("CLIENTGATE_TEST_BINARY");
  {
    ServerProcess production({dataset, {}, {}});
    auto answer = list_sixth(production);
    INFO(answer.status << " " << answer.body);
    CHECK(answer.status == 404);
    CHECK(answer.body.find("First") == std::string::npos);
  }
  ::setenv("CLIENTGATE_TEST_BINARY", CLIENTGATE_WITH_SIXTH_BINARY, 1);
  {
    ServerProcess with_sixth({dataset, {}, {}});
    auto answer = list_sixth(with_sixth);
    INFO(answer.status << " " << answer.body);
    CHECK(answer.status == 200);
    CHECK(answer.body.rfind(R"({"clients":[{"id":1,"name":"First",)", 0) == 0);
  }
  ::unsetenv("CLIENTGATE_TEST_BINARY");
}
