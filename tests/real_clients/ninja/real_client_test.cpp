// Real Invoice Ninja clients, unmodified, against a real clientgate on a loopback port: each
// test case starts the server over a small dataset and runs one client's driver script, which
// asserts what the library returns and exits non-zero on any failed check.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

// 64 characters: n8n's node sends the v5 headers (X-API-TOKEN) only for tokens this long.
const std::string kToken = "n8nT0kenForClientgateRealClientTestsAbcdefghijklmnopqrstuvwxyz01";
const std::string kExecToken = "exec-token-real-clients";

std::string client_json(int id, int company, const std::string& name, const std::string& number,
                        const std::string& extra) {
  return R"({"id": )" + std::to_string(id) + R"(, "company_id": )" + std::to_string(company) +
         R"(, "name": ")" + name + R"(", "number": ")" + number + "\"" + extra + "}";
}

// Company 1: four clients in every state; company 2: one client nobody here may see.
// `bulk` more clients in company 1 (named "Bulk NNN") make paging worth following.
std::string dataset(int bulk) {
  std::string clients =
      client_json(10, 1, "Acme Corp", "0001",
                  R"(, "balance": "120.5", "country_id": 840, "currency_id": 1,
       "created_at": "2021-01-01T00:00:00Z", "updated_at": "2021-01-01T00:00:00Z",
       "contacts": [{"id": 100, "first_name": "Jane", "last_name": "Roe",
                     "email": "jane@acme.example", "is_primary": true}])") +
      "," +
      client_json(11, 1, "Beta Industries", "0002",
                  R"(, "id_number": "ID-B", "balance": "5",
       "created_at": "2022-01-01T00:00:00Z", "updated_at": "2022-01-01T00:00:00Z",
       "contacts": [{"id": 101, "first_name": "Bea", "email": "bea@beta.example"}])") +
      "," +
      client_json(12, 1, "Archived Co", "0003",
                  R"(, "active": false, "archived_at": "2022-06-01T00:00:00Z", "balance": "-2.5",
       "created_at": "2022-02-01T00:00:00Z", "updated_at": "2022-06-01T00:00:00Z")") +
      "," +
      client_json(13, 1, "Deleted Co", "0004",
                  R"(, "active": false, "is_deleted": true, "archived_at": "2022-07-01T00:00:00Z",
       "created_at": "2022-03-01T00:00:00Z", "updated_at": "2022-07-01T00:00:00Z")") +
      "," +
      client_json(
          14, 2, "Northwind Client", "0001",
          R"(, "created_at": "2022-01-01T00:00:00Z", "updated_at": "2022-01-01T00:00:00Z")");
  for (int i = 0; i < bulk; ++i) {
    char number[16];
    std::snprintf(number, sizeof number, "%04d", 100 + i);
    clients += "," + client_json(1000 + i, 1, "Bulk " + std::string(number), number,
                                 R"(, "created_at": "2023-06-02T00:00:00Z",
       "updated_at": "2023-06-02T00:00:00Z")");
  }
  return R"({"format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "Acme Books", "slug": "acme"},
                {"id": 2, "title": "Northwind", "slug": "northwind"}],
  "users": [
    {"id": 1, "name": "Admin", "email": "admin@example.com",
     "memberships": [{"company_id": 1, "role": "administrator", "client_manager": true}],
     "tokens": [{"token": ")" +
         kToken + R"(", "company_id": 1}]},
    {"id": 2, "name": "Exec", "email": "exec@example.com",
     "memberships": [{"company_id": 1, "role": "executive"}],
     "tokens": [{"token": ")" +
         kExecToken + R"("}]},
    {"id": 3, "name": "Other", "email": "other@example.com",
     "memberships": [{"company_id": 2, "role": "administrator", "client_manager": true}],
     "tokens": [{"token": "other-company-token"}]}],
  "clients": [)" +
         clients + "]}";
}

// Runs a shell command, returns its exit status and its combined output.
std::pair<int, std::string> run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    output.append(buffer, n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string shell_word(const std::string& s) {
  return "'" + s + "'";
}

}  // namespace

TEST_CASE("ninja sdk-php: Invoice Ninja's PHP SDK drives every client operation") {
  ServerProcess server({dataset(0), {}, {}});
  std::string base = "http://" + server.host() + ":" + std::to_string(server.port());
  auto [code, output] =
      run("php " + shell_word(std::string(REAL_CLIENTS_DIR) + "/sdk_php.php") + " " +
          shell_word(std::string(SHARED_CLIENTS_DIR) + "/sdk-php") + " " + shell_word(base) + " " +
          shell_word(kToken) + " " + shell_word(kExecToken));
  INFO(output);
  CHECK(code == 0);
}

TEST_CASE("ninja n8n: n8n's Invoice Ninja node drives every client operation") {
  ServerProcess server({dataset(105), {}, {}});
  std::string base = "http://" + server.host() + ":" + std::to_string(server.port());
  auto [code, output] = run("node " + shell_word(std::string(REAL_CLIENTS_DIR) + "/n8n_node.js") +
                            " " + shell_word(base) + " " + shell_word(kToken));
  INFO(output);
  CHECK(code == 0);
}
