// One server, five dialects: every dialect writes, every dialect reads, and after each step
// each reader shows the mapped state (docs/mapping.md). The canonical truth is the migration
// view, GET /_admin/clients/{id}, on the same server.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "ninja/hashid_codec.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "wire.hpp"

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

std::string unquote(const std::string& json) {
  if (json.size() >= 2 && json.front() == '"') return json.substr(1, json.size() - 2);
  return json;
}

// The canonical record, from the migration view.
struct Canonical {
  bool exists = false;
  std::string name, uuid, state, created_at, updated_at;
  std::int64_t localid = 0;
};

// What one dialect's GET shows.
struct Seen {
  int status = 0;
  std::optional<Flat> client;
  std::string get(const std::string& key) const {
    auto it = client->find(key);
    return it == client->end() ? "<missing>" : unquote(it->second);
  }
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

  Seen read(const std::string& dialect, std::int64_t id, const std::string& uuid) {
    HttpResponse r;
    Seen s;
    if (dialect == "json_v1") {
      r = http_.get("/api/v1/clients/" + std::to_string(id),
                    {{"Authorization", "Bearer " + token}});
      s.status = r.status;
      if (r.status == 200) s.client = flatten_json(r.body, "");
    } else if (dialect == "ninja") {
      r = http_.get("/api/v1/clients/" + codec_.encode(id), {{"X-API-TOKEN", token}});
      s.status = r.status;
      if (r.status == 200) s.client = flatten_json(r.body, "data");
    } else if (dialect == "legacy_xml") {
      r = http_.get("/clients/" + std::to_string(id) + ".xml",
                    {{"Authorization", basic_auth("admin@matrix.example", "matrix-pass-1")}});
      s.status = r.status;
      if (r.status == 200) s.client = flatten_xml(r.body, "client");
    } else if (dialect == "agency") {
      r = http_.get("/clients/" + uuid, {{"Authorization", "Bearer " + token}});
      s.status = r.status;
      if (r.status == 200) s.client = flatten_json(r.body, "");
    } else if (dialect == "intervals") {
      r = http_.get("/client/" + std::to_string(id) + "/",
                    {{"Authorization", basic_auth(token, "X")}});
      s.status = r.status;
      if (r.status == 200) s.client = flatten_json(r.body, "client[0]");
    }
    INFO(dialect << " GET: " << r.status << " " << r.body);
    if (s.status == 200) REQUIRE(s.client.has_value());
    return s;
  }

  const dialects::ninja::HashidCodec& codec() const { return codec_; }

 private:
  ServerProcess server_;
  HttpClient http_;
  dialects::ninja::HashidCodec codec_;
};

// The canonical instant at a format's precision.
std::string at_digits(const std::string& iso6, int digits) {
  // "2023-01-01T12:00:00.123456Z"
  std::string base = iso6.substr(0, 19);
  if (digits == 0) return base + "Z";
  return base + iso6.substr(19, digits + 1) + "Z";
}

std::int64_t unix_seconds(const std::string& iso6) {
  std::tm tm{};
  strptime(iso6.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  return static_cast<std::int64_t>(timegm(&tm));
}

// Every reader against the canonical record: same name, same instants at each precision, ids
// that decode to the record, the state as mapped, not-found where the record is gone.
void check_readers(World& w, std::int64_t id, const std::string& step) {
  const Canonical c = w.canonical(id);
  INFO("after " << step << ": client " << id << " state " << (c.exists ? c.state : "gone"));
  const bool hard_gone = !c.exists;
  const bool soft_gone = c.exists && c.state == "deleted";
  for (const std::string d : {"json_v1", "ninja", "legacy_xml", "agency", "intervals"}) {
    INFO("reader " << d);
    // A gone record has no uuid left to ask agency with: any well-formed one must be 404.
    Seen s = w.read(d, id, hard_gone ? "00000000-0000-4000-8000-000000000000" : c.uuid);
    if (hard_gone || (soft_gone && d != "ninja")) {
      CHECK(s.status == (d == "ninja" ? 400 : 404));
      continue;
    }
    REQUIRE(s.status == 200);
    if (d == "json_v1") {
      CHECK(s.get("id") == std::to_string(id));
      CHECK(s.get("title") == c.name);
      CHECK(s.get("created_at") == c.created_at);
      CHECK(s.get("updated_at") == c.updated_at);
    } else if (d == "ninja") {
      CHECK(w.codec().decode_id(s.get("id")) == id);
      CHECK(s.get("name") == c.name);
      CHECK(s.get("created_at") == std::to_string(unix_seconds(c.created_at)));
      CHECK(s.get("updated_at") == std::to_string(unix_seconds(c.updated_at)));
      CHECK(s.get("is_deleted") == (soft_gone ? "true" : "false"));
      CHECK((s.get("archived_at") != "0") == (c.state != "active"));
    } else if (d == "legacy_xml") {
      CHECK(s.get("id") == std::to_string(id));
      CHECK(s.get("name") == c.name);
      CHECK(s.get("created-at") == at_digits(c.created_at, 0));
      CHECK(s.get("updated-at") == at_digits(c.updated_at, 0));
      CHECK(s.get("active") == (c.state == "active" ? "true" : "false"));
    } else if (d == "agency") {
      CHECK(s.get("id") == c.uuid);
      CHECK(s.get("name") == c.name);
      CHECK(s.get("createdAt") == at_digits(c.created_at, 3));
      CHECK(s.get("updatedAt") == at_digits(c.updated_at, 3));
    } else if (d == "intervals") {
      CHECK(s.get("id") == std::to_string(id));
      CHECK(s.get("localidunpadded") == std::to_string(c.localid));
      CHECK(s.get("name") == c.name);
      CHECK(s.get("datecreated") == c.created_at.substr(0, 10));
      CHECK(s.get("active") == (c.state == "active" ? "t" : "f"));
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
  std::string dialect;

  Headers auth() const {
    if (dialect == "ninja") return {{"X-API-TOKEN", token}, {"Content-Type", "application/json"}};
    if (dialect == "legacy_xml") {
      return {{"Authorization", basic_auth("admin@matrix.example", "matrix-pass-1")},
              {"Content-Type", "application/xml"}};
    }
    if (dialect == "intervals") {
      return {{"Authorization", basic_auth(token, "X")}, {"Content-Type", "application/json"}};
    }
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  }

  std::int64_t create(const std::string& name) {
    auto& h = w.http();
    HttpResponse r;
    if (dialect == "json_v1") {
      r = h.request("POST", "/api/v1/clients", auth(),
                    R"({"title":")" + name + R"(","company_id":1})");
      REQUIRE(r.status == 201);
      return std::stoll(flatten_json(r.body, "")->at("id"));
    }
    if (dialect == "ninja") {
      r = h.request("POST", "/api/v1/clients", auth(), R"({"name":")" + name + R"("})");
      REQUIRE(r.status == 200);
      return w.codec().decode_id(unquote(flatten_json(r.body, "data")->at("id"))).value();
    }
    if (dialect == "legacy_xml") {
      r = h.request("POST", "/clients.xml", auth(), xml_client("<name>" + name + "</name>"));
      REQUIRE(r.status == 201);
      return std::stoll(flatten_xml(r.body, "client")->at("id"));
    }
    if (dialect == "agency") {
      r = h.request("POST", "/clients", auth(), R"({"name":")" + name + R"("})");
      REQUIRE(r.status == 201);
      // agency has only the uuid: find the integer id through json_v1's title filter.
      std::string query = name;
      for (std::size_t at = query.find(' '); at != std::string::npos; at = query.find(' '))
        query.replace(at, 1, "%20");
      auto list = h.get("/api/v1/clients?title=" + query, {{"Authorization", "Bearer " + token}});
      REQUIRE(list.status == 200);
      auto pos = list.body.find("\"id\":");
      REQUIRE(pos != std::string::npos);
      return std::stoll(list.body.substr(pos + 5));
    }
    r = h.request("POST", "/client/", auth(), R"({"name":")" + name + R"("})");
    INFO(r.body);
    REQUIRE(r.status == 201);
    return std::stoll(unquote(flatten_json(r.body, "client[0]")->at("id")));
  }

  std::string uuid(std::int64_t id) { return w.canonical(id).uuid; }

  void rename(std::int64_t id, const std::string& name) {
    auto& h = w.http();
    HttpResponse r;
    std::string sid = std::to_string(id);
    if (dialect == "json_v1") {
      r = h.request("PUT", "/api/v1/clients/" + sid, auth(), R"({"title":")" + name + R"("})");
    } else if (dialect == "ninja") {
      r = h.request("PUT", "/api/v1/clients/" + w.codec().encode(id), auth(),
                    R"({"name":")" + name + R"("})");
    } else if (dialect == "legacy_xml") {
      r = h.request("PUT", "/clients/" + sid + ".xml", auth(),
                    xml_client("<name>" + name + "</name>"));
    } else if (dialect == "agency") {
      r = h.request("PUT", "/clients/" + uuid(id), auth(), R"({"name":")" + name + R"("})");
    } else {
      r = h.request("PUT", "/client/" + sid + "/", auth(), R"({"name":")" + name + R"("})");
    }
    INFO(dialect << " rename: " << r.body);
    CHECK(r.status / 100 == 2);
  }

  // active = false: archive / make inactive; true: restore.
  bool set_active(std::int64_t id, bool active) {
    auto& h = w.http();
    HttpResponse r;
    std::string sid = std::to_string(id);
    if (dialect == "ninja") {
      r = h.request("POST", "/api/v1/clients/bulk", auth(),
                    std::string(R"({"action":")") + (active ? "restore" : "archive") +
                        R"(","ids":[")" + w.codec().encode(id) + "\"]}");
    } else if (dialect == "legacy_xml") {
      r = h.request(
          "PUT", "/clients/" + sid + ".xml", auth(),
          xml_client(std::string("<active>") + (active ? "true" : "false") + "</active>"));
    } else if (dialect == "intervals") {
      r = h.request("PUT", "/client/" + sid + "/", auth(),
                    std::string(R"({"active":")") + (active ? "t" : "f") + "\"}");
    } else {
      return false;  // json_v1 and agency have no state
    }
    INFO(dialect << " set_active: " << r.body);
    CHECK(r.status / 100 == 2);
    return true;
  }

  bool soft_delete(std::int64_t id) {
    if (dialect != "ninja") return false;
    auto r = w.http().request("DELETE", "/api/v1/clients/" + w.codec().encode(id), auth());
    CHECK(r.status == 200);
    return true;
  }

  bool hard_delete(std::int64_t id) {
    auto& h = w.http();
    HttpResponse r;
    std::string sid = std::to_string(id);
    if (dialect == "json_v1") {
      r = h.request("DELETE", "/api/v1/clients/" + sid, auth());
    } else if (dialect == "legacy_xml") {
      r = h.request("DELETE", "/clients/" + sid + ".xml", auth());
    } else if (dialect == "agency") {
      r = h.request("DELETE", "/clients/" + uuid(id), auth());
    } else if (dialect == "intervals") {
      r = h.request("DELETE", "/client/" + sid + "/", auth());
    } else {
      return false;  // ninja deletes only softly
    }
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
  for (const std::string writer_name : {"json_v1", "ninja", "legacy_xml", "agency", "intervals"}) {
    INFO("writer " << writer_name);
    Writer writer{world, writer_name};
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
      writer.set_active(id, true);  // ninja's bulk restore un-deletes
      CHECK(world.canonical(id).state == "active");
      check_readers(world, id, "undelete");
    }
    if (!writer.hard_delete(id)) {
      // ninja cannot delete for good: another dialect does, and ninja sees it gone.
      Writer{world, "json_v1"}.hard_delete(id);
    }
    CHECK_FALSE(world.canonical(id).exists);
    check_readers(world, id, "hard delete");
  }
}

TEST_CASE("no lost updates across dialects") {
  World world;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  Writer creator{world, "json_v1"};
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
