// One server, every registered dialect: every dialect writes, every dialect reads, and after
// each step each reader shows the mapped state (docs/mapping.md). The canonical truth is the
// migration view, GET /_admin/clients/{id}, on the same server. What each dialect's requests
// and answers look like is its test adapter's (tests/support/dialect_adapter.hpp).
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/dialect_adapter.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/wire.hpp"

namespace clientgate::test {
namespace {

constexpr const char* fixture = R"({
  "format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "Matrix Co", "slug": "matrix", "clients_enabled": true}],
  "users": [{"id": 7, "name": "Matrix Admin", "email": "admin@matrix.example",
             "password": "matrix-pass-1",
             "memberships": [{"company_id": 1, "role": "administrator", "client_manager": true}],
             "tokens": [{"token": "matrix-token"}]}],
  "clients": [{"id": 1, "company_id": 1, "name": "Seed Client"}]
})";

constexpr const char* admin_token = "matrix-admin-token-0123456789";
const std::string token = "matrix-token";
const Credential user{token, "admin@matrix.example", "matrix-pass-1", ""};

// What one dialect's GET shows.
struct Seen {
  int status = 0;
  std::optional<Flat> client;
};

class World {
 public:
  World()
      : server_(
            ServerOptions{fixture, {}, std::string("[admin]\ntoken = \"") + admin_token + "\"\n"}),
        http_(server_.host(), server_.port()) {}

  HttpClient& http() { return http_; }
  std::uint16_t port() const { return server_.port(); }
  std::string http_host() const { return server_.host(); }

  Canonical canonical(std::int64_t id) {
    auto r = http_.get("/_admin/clients/" + std::to_string(id),
                       {{"Authorization", std::string("Bearer ") + admin_token}});
    Canonical c;
    if (r.status == 404) return c;
    REQUIRE(r.status == 200);
    auto flat = flatten_json(r.body, "");
    REQUIRE(flat);
    c.exists = true;
    c.name = unquote(flat->at("canonical.name"));
    c.uuid = unquote(flat->at("canonical.uuid"));
    c.state = unquote(flat->at("canonical.lifecycle"));
    c.created_at = unquote(flat->at("canonical.created_at"));
    c.updated_at = unquote(flat->at("canonical.updated_at"));
    c.localid = std::stoll(flat->at("canonical.localid"));
    return c;
  }

  Seen read(const DialectAdapter& dialect, const ClientRef& client) {
    HttpResponse r = send(http_, dialect.get_one(user, client));
    Seen s;
    s.status = r.status;
    if (r.status == 200) s.client = dialect.client_object(r.body);
    INFO(dialect.name() << " GET: " << r.status << " " << r.body);
    if (s.status == 200) REQUIRE(s.client.has_value());
    return s;
  }

 private:
  ServerProcess server_;
  HttpClient http_;
};

// Every reader against the canonical record: same name, same instants at each precision, ids
// that decode to the record, the state as mapped, not-found where the record is gone.
void check_readers(World& w, std::int64_t id, const std::string& step) {
  const Canonical c = w.canonical(id);
  INFO("after " << step << ": client " << id << " state " << (c.exists ? c.state : "gone"));
  const bool hard_gone = !c.exists;
  const bool soft_gone = c.exists && c.state == "deleted";
  for (const auto& d : adapters()) {
    INFO("reader " << d->name());
    // A gone record has no uuid left to ask with: any well-formed one must be not-found.
    Seen s = w.read(*d, {id, hard_gone ? "00000000-0000-4000-8000-000000000000" : c.uuid});
    if (hard_gone || (soft_gone && !d->shows_soft_deleted())) {
      CHECK(s.status == d->not_found_status());
      continue;
    }
    REQUIRE(s.status == 200);
    for (const Check& check : d->mapped_state(*s.client, c, id)) {
      INFO(check.what);
      CHECK(check.actual == check.expected);
    }
  }
}

std::string xml_client(const std::string& inner) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><client>" + inner + "</client>";
}

// One dialect as a writer. Each returns false when the dialect has no way to do it (the gap
// is documented in docs/mapping.md).
struct Writer {
  World& w;
  const DialectAdapter& dialect;

  std::int64_t create(const std::string& name) {
    auto r = send(w.http(), dialect.create(user, name, 1));
    INFO(dialect.name() << " create: " << r.body);
    REQUIRE(r.status == dialect.create_status());
    auto created = dialect.created(r);
    REQUIRE(created.has_value());
    if (created->id != 0) return created->id;
    // Only a uuid: find the integer id through a dialect that filters by name.
    for (const auto& other : adapters()) {
      auto find = other->find_by_name(user, name);
      if (!find) continue;
      auto list = send(w.http(), *find);
      REQUIRE(list.status == 200);
      auto id = other->first_id(list);
      REQUIRE(id.has_value());
      return *id;
    }
    FAIL("no registered dialect finds a client by name");
    return 0;
  }

  ClientRef ref(std::int64_t id) { return {id, w.canonical(id).uuid}; }

  void rename(std::int64_t id, const std::string& name) {
    auto r = send(w.http(), dialect.rename(user, ref(id), name));
    INFO(dialect.name() << " rename: " << r.body);
    CHECK(r.status / 100 == 2);
  }

  // active = false: archive / make inactive; true: restore.
  bool set_active(std::int64_t id, bool active) {
    auto request = dialect.set_active(user, ref(id), active);
    if (!request) return false;
    auto r = send(w.http(), *request);
    INFO(dialect.name() << " set_active: " << r.body);
    CHECK(r.status / 100 == 2);
    return true;
  }

  bool soft_delete(std::int64_t id) {
    auto request = dialect.soft_delete(user, ref(id));
    if (!request) return false;
    auto r = send(w.http(), *request);
    CHECK(r.status == dialect.soft_delete_status());
    return true;
  }

  bool hard_delete(std::int64_t id) {
    auto request = dialect.hard_delete(user, ref(id));
    if (!request) return false;
    auto r = send(w.http(), *request);
    CHECK(r.status / 100 == 2);
    return true;
  }
};

}  // namespace

TEST_CASE("every dialect writes, every dialect reads the mapped state") {
  World world;
  // The admin view is behind its token: none, a user token and a wrong one are refused.
  CHECK(world.http().get("/_admin/clients/1").status == 401);
  CHECK(world.http().get("/_admin/clients/1", {{"Authorization", "Bearer " + token}}).status ==
        401);
  CHECK(world.http()
            .get("/_admin/clients/999", {{"Authorization", std::string("Bearer ") + admin_token}})
            .status == 404);

  int n = 0;
  for (const auto& writer_dialect : adapters()) {
    const std::string writer_name(writer_dialect->name());
    INFO("writer " << writer_name);
    Writer writer{world, *writer_dialect};
    const std::string base = "Matrix " + writer_name + " " + std::to_string(++n);
    std::int64_t id = writer.create(base);
    check_readers(world, id, "create");

    auto before = world.canonical(id);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    writer.rename(id, base + " renamed");
    auto after = world.canonical(id);
    CHECK(after.name == base + " renamed");
    CHECK(after.updated_at > before.updated_at);
    CHECK(after.created_at == before.created_at);
    check_readers(world, id, "rename");

    if (writer.set_active(id, false)) {
      CHECK(world.canonical(id).state == "archived");
      check_readers(world, id, "archive");
      writer.set_active(id, true);
      CHECK(world.canonical(id).state == "active");
      check_readers(world, id, "restore");
    }
    if (writer.soft_delete(id)) {
      CHECK(world.canonical(id).state == "deleted");
      check_readers(world, id, "soft delete");
      // A dialect that deletes softly restores (un-deletes) with set_active.
      REQUIRE(writer.set_active(id, true));
      CHECK(world.canonical(id).state == "active");
      check_readers(world, id, "undelete");
    }
    if (!writer.hard_delete(id)) {
      // A dialect that cannot delete for good: another dialect does, and it sees it gone.
      bool deleted = false;
      for (const auto& other : adapters()) {
        if (Writer{world, *other}.hard_delete(id)) {
          deleted = true;
          break;
        }
      }
      REQUIRE(deleted);
    }
    CHECK_FALSE(world.canonical(id).exists);
    check_readers(world, id, "hard delete");
  }
}

TEST_CASE("no lost updates across dialects") {
  World world;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const DialectAdapter* json_v1 = adapter_named("json_v1");
  REQUIRE(json_v1 != nullptr);
  Writer creator{world, *json_v1};
  std::int64_t id = creator.create("Race Client");
  const std::string sid = std::to_string(id);
  const std::string admin = std::string("Bearer ") + admin_token;

  SECTION("different fields through different dialects: both win") {
    for (int i = 0; i < 40 && std::chrono::steady_clock::now() < deadline; ++i) {
      const std::string code = "code-" + std::to_string(i);
      const std::string fax = "fax-" + std::to_string(i);
      std::atomic<int> ready{0};
      int xml_status = 0, intervals_status = 0;
      std::thread a([&] {
        HttpClient c(world.http_host(), world.port());
        ready++;
        while (ready.load() < 2) {
        }
        xml_status =
            c.request("PUT", "/clients/" + sid + ".xml",
                      {{"Authorization", basic_auth("admin@matrix.example", "matrix-pass-1")},
                       {"Content-Type", "application/xml"}},
                      xml_client("<code>" + code + "</code>"))
                .status;
      });
      std::thread b([&] {
        HttpClient c(world.http_host(), world.port());
        ready++;
        while (ready.load() < 2) {
        }
        intervals_status = c.request("PUT", "/client/" + sid + "/",
                                     {{"Authorization", basic_auth(token, "X")},
                                      {"Content-Type", "application/json"}},
                                     R"({"fax":")" + fax + "\"}")
                               .status;
      });
      a.join();
      b.join();
      CHECK(xml_status == 200);
      CHECK(intervals_status == 202);
      auto view = world.http().get("/_admin/clients/" + sid, {{"Authorization", admin}});
      auto flat = flatten_json(view.body, "");
      REQUIRE(flat);
      CHECK(flat->at("canonical.code") == json_string(code));
      CHECK(flat->at("canonical.fax") == json_string(fax));
    }
  }

  SECTION("the same field: the last committed wins and updated_at says so") {
    for (int i = 0; i < 40 && std::chrono::steady_clock::now() < deadline; ++i) {
      const std::string json_name = "Json Name " + std::to_string(i);
      const std::string agency_name = "Agency Name " + std::to_string(i);
      const std::string uuid = world.canonical(id).uuid;
      std::atomic<int> ready{0};
      HttpResponse json_answer, agency_answer;
      std::thread a([&] {
        HttpClient c(world.http_host(), world.port());
        ready++;
        while (ready.load() < 2) {
        }
        json_answer =
            c.request("PUT", "/api/v1/clients/" + sid,
                      {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                      R"({"title":")" + json_name + "\"}");
      });
      std::thread b([&] {
        HttpClient c(world.http_host(), world.port());
        ready++;
        while (ready.load() < 2) {
        }
        agency_answer =
            c.request("PUT", "/clients/" + uuid,
                      {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                      R"({"name":")" + agency_name + "\"}");
      });
      a.join();
      b.join();
      REQUIRE(json_answer.status == 200);
      REQUIRE(agency_answer.status == 200);
      const std::string json_updated =
          unquote(flatten_json(json_answer.body, "")->at("updated_at"));
      const std::string agency_updated =
          unquote(flatten_json(agency_answer.body, "")->at("updatedAt"));
      const Canonical c = world.canonical(id);
      INFO("json_v1 wrote at " << json_updated << ", agency at " << agency_updated << "; canonical "
                               << c.name << " at " << c.updated_at);
      if (c.name == json_name) {
        // json_v1 committed last: the record's instant is exactly the one it answered.
        CHECK(c.updated_at == json_updated);
        CHECK(at_digits(c.updated_at, 3) >= agency_updated);
      } else {
        REQUIRE(c.name == agency_name);
        CHECK(at_digits(c.updated_at, 3) == agency_updated);
        CHECK(c.updated_at > json_updated);
      }
    }
  }
}

}  // namespace clientgate::test
