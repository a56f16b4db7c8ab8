// A real full disk end to end (issue 19 item 8), on a pretend file system (`[storage]
// disk_bytes`, a VFS-level testing aid that fails writes as ENOSPC would): the write that
// meets the full disk releases the reserve (`[storage] reserve_bytes`), deletes are then taken
// — before and after a restart — while other writes get 503, and writes resume once the disk
// has room again.
#include <rapidjson/document.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

std::string dataset() {
  return R"({"format":"clientgate-dataset/1",
    "companies":[{"id":1,"title":"Full Disk Inc","slug":"full","clients_enabled":true}],
    "users":[{"id":1,"name":"Admin","email":"admin@full.test","password":"full disk password",
              "memberships":[{"company_id":1,"role":"administrator","client_manager":true}],
              "tokens":[{"token":"full-admin-token"}]}],
    "clients":[{"id":1,"company_id":1,"name":"Existing Client",
                "uuid":"11111111-1111-4111-8111-111111111111"}]})";
}

const Headers kAdmin = {{"Accept", "application/json"},
                        {"Content-Type", "application/json"},
                        {"Authorization", basic_auth("full-admin-token", "X")}};

void write_config(const ServerProcess& server, const std::string& toml) {
  std::ofstream out(server.db_path().parent_path() / "clientgate.toml", std::ios::trunc);
  out << toml;
}

std::int64_t bytes_of(const std::filesystem::path& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

std::string id_of(const HttpResponse& created) {
  rapidjson::Document doc;
  doc.Parse(created.body.c_str());
  REQUIRE(doc.IsObject());
  return doc["client"][0]["id"].GetString();
}

}  // namespace

TEST_CASE("a real full disk: deletes work through the API, before and after a restart",
          "[hardening][faults]") {
  ServerProcess server({dataset(), {}, "[storage]\nbusy_timeout_ms = 2000\n"});
  server.stop();
  auto db = server.db_path().string();
  std::filesystem::remove(db + "-reserve");
  std::int64_t used = bytes_of(db) + bytes_of(db + "-wal");
  std::string storage = "[storage]\nbusy_timeout_ms = 2000\nreserve_bytes = 1048576\n";
  // Room for a dozen fillers and more: each is about 30 KB of text, and as much again in the
  // trigram index of searched text (storage/README.md).
  std::int64_t disk = used + 8 * 1024 * 1024;
  write_config(server, storage + "disk_bytes = " + std::to_string(disk) + "\n");
  server.restart();
  CHECK(bytes_of(db + "-reserve") == 1048576);
  HttpClient http(server.host(), server.port());

  std::vector<std::string> fillers;
  bool full = false;
  for (int i = 0; i < 400 && !full; ++i) {
    auto r = http.request("POST", "/client/", kAdmin,
                          R"({"name":"Filler )" + std::to_string(i) + R"(","description":")" +
                              std::string(30000, 'x') + "\"}");
    if (r.status == 503) {
      full = true;
      CHECK(r.header("Retry-After") == "1");
    } else {
      REQUIRE(r.status == 201);
      fillers.push_back(id_of(r));
    }
  }
  REQUIRE(full);
  REQUIRE(fillers.size() > 12);
  CHECK(bytes_of(db + "-reserve") == 0);

  // Creates and updates are refused; deletes are taken; reads work.
  CHECK(http.request("POST", "/client/", kAdmin, R"({"name":"One more"})").status == 503);
  CHECK(http.request("PUT", "/client/1/", kAdmin, R"({"name":"Renamed"})").status == 503);
  for (int i = 0; i < 6; ++i) {
    auto r = http.request("DELETE", "/client/" + fillers[i] + "/", kAdmin);
    INFO("delete " << i << ": " << r.body);
    CHECK(r.status == 200);
  }
  CHECK(http.get("/client/" + fillers[0] + "/", kAdmin).status == 404);
  CHECK(http.get("/client/1/", kAdmin).status == 200);

  // After a restart on the same full disk, still.
  server.restart();
  HttpClient again(server.host(), server.port());
  for (int i = 6; i < 12; ++i) {
    auto r = again.request("DELETE", "/client/" + fillers[i] + "/", kAdmin);
    INFO("delete " << i << " after restart: " << r.body);
    CHECK(r.status == 200);
  }
  // (The stop closed the store, which copied the WAL back and removed it: that room may have
  // let the reserve come back already, so a create may be taken here.)

  // The disk grows: the reserve comes back and every write is taken again.
  server.stop();
  write_config(server, storage + "disk_bytes = " + std::to_string(disk + 64 * 1024 * 1024) + "\n");
  server.restart();
  HttpClient roomy(server.host(), server.port());
  CHECK(roomy.request("POST", "/client/", kAdmin, R"({"name":"Room again"})").status == 201);
  CHECK(bytes_of(db + "-reserve") == 1048576);
}
