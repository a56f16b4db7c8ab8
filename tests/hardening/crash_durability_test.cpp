// Crash durability end to end: a writer in every registered dialect at once, SIGKILL at a random
// moment, a restart on the same file, then: every write that was answered 2xx is there, every
// client that is there is whole (a ninja client has exactly the contacts it was created with), the
// lists' totals agree with the store, and `PRAGMA integrity_check` says ok. Twenty rounds on
// one database, so each round also checks the survivors of every earlier crash.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hardening/hardening_support.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;
using namespace clientgate::test::hardening;

namespace {

const Credential admin{"crash-admin-token", "admin@crash.test", "crash admin password", ""};

std::string dataset() {
  return R"({"format":"clientgate-dataset/1",
    "companies":[{"id":1,"title":"Crash Inc","slug":"crash","clients_enabled":true}],
    "users":[{"id":1,"name":"Admin","email":"admin@crash.test","password":"crash admin password",
              "memberships":[{"company_id":1,"role":"administrator","client_manager":true}],
              "tokens":[{"token":"crash-admin-token"}]}]})";
}

// What the writers were told, by client name.
struct Acknowledged {
  std::mutex mutex;
  std::set<std::string> created;                          // a 2xx create
  std::map<std::string, std::string> renamed;             // old name -> new name, a 2xx rename
  std::set<std::string> rename_sent;                      // renames sent (answered or not)
  std::set<std::string> deleted;                          // a 2xx delete
  std::set<std::string> delete_sent;                      // deletes sent (answered or not)
  std::map<std::string, std::set<std::string>> contacts;  // ninja: name -> contact e-mails
  std::vector<std::string> unexpected;  // answers that were neither 2xx nor a lost connection
};

// Catch2 assertions are not thread-safe: writers note surprises, the main thread checks.
void note_unexpected(Acknowledged& acks, const std::string& what, const HttpResponse& r) {
  std::lock_guard lock(acks.mutex);
  acks.unexpected.push_back(what + ": " + std::to_string(r.status) + " " + r.body);
}

std::string contact_email(const std::string& name, int k) {
  return "c" + std::to_string(k) + "." + name + "@crash.test";
}

// One dialect's writer until the server goes away: creates, and in json_v1 renames, in
// agency deletes, in ninja creates with three contacts.
void write_until_killed(const DialectAdapter* adapter, std::uint16_t port, int round,
                        Acknowledged& acks) {
  const DialectAdapter& d = *adapter;
  const bool ninja = d.name() == "ninja";
  try {
    HttpClient http("127.0.0.1", port);
    for (int i = 0;; ++i) {
      std::string name =
          std::string(d.name()) + "-" + std::to_string(round) + "-" + std::to_string(i);
      Request create = d.create(admin, name, 1);
      if (ninja) {
        create.body = R"({"name":")" + name + R"(","contacts":[)";
        for (int k = 0; k < 3; ++k) {
          create.body += std::string(k ? "," : "") + R"({"first_name":"C)" + std::to_string(k) +
                         R"(","email":")" + contact_email(name, k) + "\"}";
        }
        create.body += "]}";
      }
      auto r = send(http, create);
      if (r.status == 0) return;
      if (r.status != 200 && r.status != 201) return note_unexpected(acks, "create " + name, r);
      {
        std::lock_guard lock(acks.mutex);
        acks.created.insert(name);
        if (ninja) {
          for (int k = 0; k < 3; ++k)
            acks.contacts[name].insert(contact_email(name, k));
        }
      }
      if (d.name() == "json_v1" && i % 3 == 0) {
        auto id = parse_json(r.body)["id"].GetInt64();
        {
          std::lock_guard lock(acks.mutex);
          acks.rename_sent.insert(name);
        }
        auto renamed = send(http, d.rename(admin, ClientRef{id, {}}, name + "-v2"));
        if (renamed.status == 0) return;
        if (renamed.status != 200) return note_unexpected(acks, "rename " + name, renamed);
        std::lock_guard lock(acks.mutex);
        acks.renamed[name] = name + "-v2";
      }
      if (d.name() == "agency" && i % 2 == 0) {
        std::string uuid = parse_json(r.body)["id"].GetString();
        {
          std::lock_guard lock(acks.mutex);
          acks.delete_sent.insert(name);
        }
        auto gone = send(http, *d.hard_delete(admin, ClientRef{0, uuid}));
        if (gone.status == 0) return;
        if (gone.status != 204) return note_unexpected(acks, "delete " + name, gone);
        std::lock_guard lock(acks.mutex);
        acks.deleted.insert(name);
      }
    }
  } catch (const std::exception&) {
    // The server was killed under this request: its fate is unknown, and that is allowed.
  }
}

struct StoredClient {
  long long id = 0;
  std::set<std::string> contact_emails;
};

std::map<std::string, StoredClient> stored_clients(const ServerProcess& server) {
  auto r = run_clientgate({"export", "--db", server.db_path().string()});
  REQUIRE(r.exit_code == 0);
  auto doc = parse_json(r.out);
  std::map<std::string, StoredClient> out;
  for (const auto& c : doc["clients"].GetArray()) {
    std::string name = c["name"].GetString();
    REQUIRE(out.count(name) == 0);  // every write used a new name
    StoredClient& s = out[name];
    s.id = c["id"].GetInt64();
    if (c.HasMember("contacts")) {
      for (const auto& contact : c["contacts"].GetArray()) {
        if (contact.HasMember("email") && contact["email"].IsString())
          s.contact_emails.insert(contact["email"].GetString());
      }
    }
  }
  return out;
}

void check_store(ServerProcess& server, Acknowledged& acks) {
  std::lock_guard lock(acks.mutex);
  auto stored = stored_clients(server);
  for (const auto& name : acks.created) {
    INFO("acknowledged create: " << name);
    if (acks.deleted.count(name)) {
      CHECK(stored.count(name) == 0);
    } else if (acks.renamed.count(name)) {
      CHECK(stored.count(acks.renamed[name]) == 1);
      CHECK(stored.count(name) == 0);
    } else {
      bool there = stored.count(name) == 1;
      bool renamed = acks.rename_sent.count(name) && stored.count(name + "-v2") == 1;
      bool maybe_deleted = acks.delete_sent.count(name) > 0;
      CHECK((there || renamed || maybe_deleted));
    }
  }
  for (const auto& [name, client] : stored) {
    INFO("stored client: " << name);
    if (name.rfind("ninja-", 0) == 0) {
      // Whole or not at all: exactly the three contacts it was created with.
      std::set<std::string> expected;
      for (int k = 0; k < 3; ++k)
        expected.insert(contact_email(name, k));
      CHECK(client.contact_emails == expected);
    }
  }
  // The lists' totals (kept by triggers in the store) agree with the rows.
  HttpClient http(server.host(), server.port());
  if (const auto* d = adapter_named("ninja")) {
    auto ninja = http.get("/api/v1/clients?per_page=1", d->credentials(admin));
    REQUIRE(ninja.status == 200);
    CHECK(parse_json(ninja.body)["meta"]["pagination"]["total"].GetInt64() ==
          static_cast<std::int64_t>(stored.size()));
  }
  if (const auto* d = adapter_named("intervals")) {
    auto intervals = http.get("/client/?limit=1", d->credentials(admin));
    REQUIRE(intervals.status == 200);
    CHECK(parse_json(intervals.body)["listcount"].GetInt64() ==
          static_cast<std::int64_t>(stored.size()));
  }
  CHECK(integrity_check(server.db_path().string()) == "ok");
}

// Rounds of: writers (`per_dialect` connections in every dialect) until a SIGKILL at a
// random moment, a restart, and the store checked against what was acknowledged.
void crash_rounds(const std::string& config, int rounds, int per_dialect) {
  std::random_device seed_source;
  const auto seed = seed_source();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_after_ms(20, 250);

  ServerProcess server({dataset(), {}, config});
  Acknowledged acks;
  std::size_t total_acknowledged = 0;
  for (int round = 0; round < rounds; ++round) {
    INFO("round " << round);
    std::vector<std::thread> writers;
    for (int k = 0; k < per_dialect; ++k) {
      for (const auto& d : adapters())
        writers.emplace_back(write_until_killed, d.get(), server.port(), round * per_dialect + k,
                             std::ref(acks));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(random)));
    server.kill_hard();
    for (auto& w : writers)
      w.join();
    server.restart();
    {
      std::lock_guard lock(acks.mutex);
      for (const auto& what : acks.unexpected)
        FAIL_CHECK(what);
      acks.unexpected.clear();
    }
    check_store(server, acks);
    std::lock_guard lock(acks.mutex);
    total_acknowledged = acks.created.size();
  }
  // The rounds did write (a server that refused everything would prove nothing).
  CHECK(total_acknowledged > static_cast<std::size_t>(rounds));
}

}  // namespace

TEST_CASE("acknowledged writes survive SIGKILL at a random moment, 20 rounds",
          "[hardening][crash]") {
  crash_rounds("threads = 2\n", 20, 1);
}

// power_loss: every commit is fsynced before its answer, and the io threads' turns and the
// write pool's writes commit in the store's one queue; four connections per dialect keep
// several turns and pool writes waiting together when the SIGKILL comes.
TEST_CASE("power_loss: acknowledged writes survive SIGKILL, several connections per dialect",
          "[hardening][crash]") {
  crash_rounds("threads = 2\n[storage]\ndurability = \"power_loss\"\n", 8, 4);
}
