// Issue 19 item 2 over HTTP: the `<b id=N><p>` description that took 22 s, 5.5 GB and stored
// 207 MB, and its neighbours, answered with code 18 and nothing stored; the bounds are
// [dialects.intervals] settings, and a bad one stops the start naming its key.
#include <rapidjson/document.h>
#include <catch2/catch.hpp>
#include <filesystem>

#include "fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate::test;

namespace {

Headers json_as(const std::string& token) {
  return {{"Accept", "application/json"},
          {"Content-Type", "application/json"},
          {"Authorization", basic_auth(token, "X")}};
}

std::string pairs_body(int pairs) {
  std::string body = R"({"name":"Pairs","description":")";
  for (int i = 0; i < pairs; ++i)
    body += "<b id=" + std::to_string(i) + "><p>";
  return body + "\"}";
}

int error_code(const HttpResponse& r) {
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("error"));
  return doc["error"]["code"].GetInt();
}

std::uintmax_t store_bytes(const ServerProcess& server) {
  std::uintmax_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto size = std::filesystem::file_size(server.db_path().string() + suffix, ec);
    if (!ec) total += size;
  }
  return total;
}

}  // namespace

TEST_CASE("intervals end to end: a description that would grow quadratically is refused") {
  ServerProcess server({intervals::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  auto before = http.get("/client/", json_as("ada-token")).body;
  auto bytes_before = store_bytes(server);

  for (int pairs : {2000, 4999}) {
    INFO(pairs << " pairs");
    auto body = pairs_body(pairs);
    auto created = http.request("POST", "/client/", json_as("ada-token"), body);
    CHECK(created.status == 400);
    CHECK(error_code(created) == 18);
    CHECK(created.body.find("The field description") != std::string::npos);
    auto updated = http.request("PUT", "/client/125/", json_as("ada-token"), body);
    CHECK(updated.status == 400);
    CHECK(error_code(updated) == 18);
  }
  CHECK(http.get("/client/", json_as("ada-token")).body == before);
  // Nothing stored: the store is no bigger than a few pages of ordinary writes.
  CHECK(store_bytes(server) < bytes_before + 1024 * 1024);

  auto few = http.request("PUT", "/client/125/", json_as("ada-token"), pairs_body(10));
  CHECK(few.status == 202);
  CHECK(few.body.size() < 16 * 1024);
}

TEST_CASE("intervals end to end: the description bounds are settings") {
  ServerProcess server(
      {intervals::kFixture, {}, "[dialects.intervals]\ndescription_max_bytes = 16\n"});
  HttpClient http(server.host(), server.port());
  auto ok = http.request("PUT", "/client/125/", json_as("ada-token"),
                         R"({"description":"<b>sixteen</b>"})");
  CHECK(ok.status == 202);
  auto refused = http.request("PUT", "/client/125/", json_as("ada-token"),
                              R"({"description":"<b>seventeens</b>"})");
  CHECK(refused.status == 400);
  CHECK(error_code(refused) == 18);
  CHECK(refused.body.find("16 bytes") != std::string::npos);
}

TEST_CASE("intervals end to end: a bad or unknown description setting stops the start") {
  TempDir dir;
  for (auto [toml, message] :
       {std::pair<std::string, std::string>{"description_max_bytes = -1",
                                            "dialects.intervals.description_max_bytes: must be"},
        {"description_max_depth = \"deep\"", "dialects.intervals.description_max_depth: must be"},
        {"description_max_bites = 1", "dialects.intervals.description_max_bites: unknown"}}) {
    INFO(toml);
    auto config = dir.write("c.toml", "[dialects.intervals]\n" + toml + "\n");
    auto result = run_clientgate({"serve", "--db", (dir / "db").string(), "--listen", "127.0.0.1:0",
                                  "--config", config.string()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(message) != std::string::npos);
  }
}
