// Storage faults end to end: a full disk (SQLite's max_page_count, `[storage]
// max_page_count`) and a read-only database (`[storage] read_only`) give every dialect's own
// 503 for writes while reads keep working, nothing is half written, and the server writes
// again once the fault is gone (restarted without it: the cap and the open mode are fixed
// when the store opens).
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "hardening/hardening_support.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;
using namespace clientgate::test::hardening;

namespace {

const Credential admin{"faults-admin-token", "admin@faults.test", "faults admin password", ""};

std::string dataset() {
  return R"({"format":"clientgate-dataset/1",
    "companies":[{"id":1,"title":"Faults Inc","slug":"faults","clients_enabled":true}],
    "users":[{"id":1,"name":"Admin","email":"admin@faults.test",
              "password":"faults admin password",
              "memberships":[{"company_id":1,"role":"administrator","client_manager":true}],
              "tokens":[{"token":"faults-admin-token"}]}],
    "clients":[{"id":1,"company_id":1,"name":"Existing Client",
                "uuid":"11111111-1111-4111-8111-111111111111"}]})";
}

// Rewrites the server's config file (read again by restart()).
void write_config(const ServerProcess& server, const std::string& toml) {
  std::ofstream out(server.db_path().parent_path() / "clientgate.toml", std::ios::trunc);
  out << toml;
}

// The dialect's own 503: status, shape, and (where the dialect sends one) Retry-After.
void check_unavailable(const DialectAdapter& d, const HttpResponse& r) {
  INFO(d.name() << ": " << r.status << " " << r.body);
  REQUIRE(r.status == 503);
  for (const Check& c : d.unavailable(r)) {
    INFO(c.what);
    CHECK(c.actual == c.expected);
  }
}

bool created(const HttpResponse& r) {
  return r.status == 200 || r.status == 201;
}

// Every dialect reads its list (and the existing client is in it).
void check_reads_work(HttpClient& http) {
  for (const auto& d : adapters()) {
    auto r = send(http, d->list(admin));
    INFO(d->name() << ": " << r.status << " " << r.body.substr(0, 300));
    CHECK(r.status == 200);
    CHECK(r.body.find("Existing Client") != std::string::npos);
  }
}

// The names of every client in the store, from `clientgate export`.
std::string exported(const ServerProcess& server) {
  auto r = run_clientgate({"export", "--db", server.db_path().string()});
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Creates in every dialect work again.
void check_writes_work(HttpClient& http, const std::string& tag) {
  for (const auto& d : adapters()) {
    auto r = send(http, d->create(admin, "Recovered " + tag + " " + std::string(d->name()), 1));
    INFO(d->name() << ": " << r.status << " " << r.body);
    CHECK(created(r));
  }
}

}  // namespace

TEST_CASE("a full disk: every dialect answers 503 for writes, reads work, a raised cap recovers",
          "[hardening][faults]") {
  ServerProcess server({dataset(), {}, "[storage]\nbusy_timeout_ms = 2000\n"});
  server.stop();
  // The cap is the file's size now: any write that needs one more page fails as a full disk.
  long long pages = page_count(server.db_path().string());
  REQUIRE(pages > 0);
  write_config(server, "[storage]\nmax_page_count = " + std::to_string(pages) + "\n");
  server.restart();
  HttpClient http(server.host(), server.port());

  for (const auto& d : adapters()) {
    // A write may still fit in the free space of the pages the file has; each dialect keeps
    // creating (long names) until the store is full, which must come within a few writes.
    bool refused = false;
    for (int i = 0; i < 200 && !refused; ++i) {
      std::string name = "Filler " + std::string(d->name()) + " " + std::to_string(i) + " " +
                         std::string(200, static_cast<char>('a' + i % 26));
      auto r = send(http, d->create(admin, name, 1));
      if (r.status == 503) {
        check_unavailable(*d, r);
        refused = true;
        // Nothing of the refused write is there.
        CHECK(exported(server).find(name) == std::string::npos);
      } else {
        INFO(d->name() << ": " << r.status << " " << r.body);
        REQUIRE(created(r));
      }
    }
    CHECK(refused);
  }
  check_reads_work(http);
  CHECK(http.get("/healthz").status == 200);

  write_config(server, "[storage]\nmax_page_count = " + std::to_string(pages + 100000) + "\n");
  server.restart();
  HttpClient after(server.host(), server.port());
  check_writes_work(after, "after full");
  check_reads_work(after);
  CHECK(integrity_check(server.db_path().string()) == "ok");
}

TEST_CASE("a read-only store: every dialect answers 503 for writes, reads work, writable recovers",
          "[hardening][faults]") {
  ServerProcess server({dataset(), {}, "[storage]\nread_only = true\n"});
  HttpClient http(server.host(), server.port());
  for (const auto& d : adapters()) {
    auto r = send(http, d->create(admin, "Never written " + std::string(d->name()), 1));
    check_unavailable(*d, r);
  }
  // Updates and deletes of an existing client are refused the same way, in every dialect
  // that has them.
  const ClientRef existing{1, "11111111-1111-4111-8111-111111111111"};
  for (const auto& d : adapters()) {
    check_unavailable(*d, send(http, d->rename(admin, existing, "Renamed")));
    if (auto gone = d->hard_delete(admin, existing)) check_unavailable(*d, send(http, *gone));
  }
  check_reads_work(http);
  CHECK(exported(server).find("Never written") == std::string::npos);

  write_config(server, "[storage]\nread_only = false\n");
  server.restart();
  HttpClient after(server.host(), server.port());
  check_writes_work(after, "after read-only");
  check_reads_work(after);
  CHECK(integrity_check(server.db_path().string()) == "ok");
}
