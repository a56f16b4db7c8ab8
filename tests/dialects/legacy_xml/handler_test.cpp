// The legacy_xml handler called directly (no socket) over a real SQLite file.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <variant>

#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/legacy_xml/legacy_xml.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "fixture.hpp"
#include "support/dialect_world.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
namespace http = boost::beast::http;

namespace {

struct Reply {
  http::status status;
  http::fields headers;
  std::string body;
  bool streamed = false;
  std::string header(http::field f) const { return std::string(headers[f]); }
};

Reply collect(dialects::Response r) {
  Reply out{r.status, std::move(r.headers), std::move(r.body), false};
  if (r.stream) {
    out.streamed = true;
    while (auto piece = r.stream()) {
      CHECK(!piece->empty());
      out.body += *piece;
    }
  }
  return out;
}

struct Caller {
  std::string email, password, host = "127.0.0.1:8080";
};
const Caller kManager{"manager@example.com", "manager-pass"};
const Caller kResource{"resource@example.com", "resource-pass"};
const Caller kNorth{"north@example.com", "north-pass"};
const Caller kDormant{"dormant@example.com", "dormant-pass"};
const Caller kCmResource{"cm-resource@example.com", "cm-pass"};
const Caller kAdminNotManager{"admin@example.com", "admin-pass"};
const Caller kNobody{"", ""};

Caller on_host(Caller c, std::string host) {
  c.host = std::move(host);
  return c;
}

struct World : test::DialectWorld {
  explicit World(dialects::DialectSettings s = {})
      : DialectWorld(test::legacy_xml::kFixture, dialects::legacy_xml::make, std::move(s)) {}
  explicit World(const std::string& fixture) : DialectWorld(fixture, dialects::legacy_xml::make) {}

  Reply call(http::verb method, const std::string& target, const Caller& who,
             const std::string& body = "", const std::string& content_type = "application/xml") {
    http::request<http::empty_body> req{method, target, 11};
    req.set(http::field::host, who.host);
    if (!who.email.empty())
      req.set(http::field::authorization, test::basic_auth(who.email, who.password));
    if (!content_type.empty() && (method == http::verb::post || method == http::verb::put))
      req.set(http::field::content_type, content_type);
    REQUIRE(claim(req) ==
            (who.email.empty() ? dialects::Claim::path : dialects::Claim::credential));
    return collect(handle(req, body));
  }
  Reply get(const std::string& target, const Caller& who) {
    return call(http::verb::get, target, who);
  }
};

// The ids of the <client> elements of a list, in order.
std::vector<int> ids_of(const std::string& xml) {
  std::vector<int> ids;
  std::string marker = "<client>\n    <id type=\"integer\">";
  for (auto at = xml.find(marker); at != std::string::npos; at = xml.find(marker, at + 1))
    ids.push_back(std::stoi(xml.substr(at + marker.size())));
  return ids;
}

std::string root_of(const std::string& xml) {
  auto start = xml.find("<clients ");
  return xml.substr(start, xml.find('>', start) + 1 - start);
}

std::string errors_xml(const std::string& message) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>" + message +
         "</error>\n</errors>\n";
}

const std::string kXml = "application/xml; charset=utf-8";

}  // namespace

TEST_CASE("legacy_xml handler: show is the seed's sample, byte for byte") {
  World w;
  auto r = w.get("/clients/21.xml", kManager);
  CHECK(r.status == http::status::ok);
  CHECK(r.header(http::field::content_type) == kXml);
  CHECK(r.body == test::legacy_xml::kMunchMuseum);
  CHECK(!r.streamed);

  auto smith = w.get("/clients/22.xml", kManager);
  CHECK(smith.body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<client>\n"
        "  <id type=\"integer\">22</id>\n"
        "  <name>Smith &amp; Sons &lt;Ltd&gt;</name>\n"
        "  <active type=\"boolean\">false</active>\n"
        "  <code></code>\n"
        "  <description>two\nlines</description>\n"
        "  <url>http://smith.example/?a=1&amp;b=2</url>\n"
        "  <created-at type=\"datetime\">2007-04-01T10:00:00Z</created-at>\n"
        "  <updated-at type=\"datetime\">2008-01-01T00:00:00Z</updated-at>\n"
        "</client>\n");
}

TEST_CASE("legacy_xml handler: credentials") {
  World w;
  auto none = w.get("/clients.xml", kNobody);
  CHECK(none.status == http::status::unauthorized);
  CHECK(none.header(http::field::www_authenticate) == "Basic realm=\"clientgate\"");
  CHECK(none.header(http::field::content_type) == kXml);
  CHECK(none.body == errors_xml("HTTP Basic: Access denied."));

  for (const auto& bad : {Caller{"manager@example.com", "wrong"}, Caller{"nobody@example.com", "x"},
                          Caller{"manager@example.com", ""}}) {
    auto r = w.get("/clients/21.xml", bad);
    CHECK(r.status == http::status::unauthorized);
    CHECK(r.body == none.body);
    CHECK(r.header(http::field::www_authenticate) == "Basic realm=\"clientgate\"");
  }
  // E-mail is case-insensitive, as the web login.
  CHECK(w.get("/clients/21.xml", Caller{"Manager@Example.com", "manager-pass"}).status ==
        http::status::ok);
  // Credentials come before the route: an unknown path says 401, not 404.
  CHECK(w.get("/clients/abc.xml", kNobody).status == http::status::unauthorized);
}

TEST_CASE("legacy_xml handler: Host account and clients_enabled") {
  World w;
  // Host names the account: only its clients.
  auto north = w.get("/clients.xml", on_host(kManager, "northwind.example.com"));
  CHECK(north.status == http::status::ok);
  CHECK(ids_of(north.body) == std::vector<int>{31});  // a resource there: assigned only
  auto design = w.get("/clients.xml", on_host(kManager, "Design-Studio.example.com:3000"));
  CHECK(ids_of(design.body) == std::vector<int>{21, 22, 23, 25});
  // Not a member of the Host's account: 401.
  auto foreign = w.get("/clients.xml", on_host(kNorth, "design-studio.example.com"));
  CHECK(foreign.status == http::status::unauthorized);
  CHECK(foreign.header(http::field::www_authenticate) == "Basic realm=\"clientgate\"");
  // A host that names no account: all of the user's companies.
  CHECK(ids_of(w.get("/clients.xml", on_host(kNorth, "www.example.com")).body) ==
        std::vector<int>{31, 32});

  const std::string off =
      errors_xml("Your account must have the \"client\" classification enabled to view clients.");
  auto dormant = w.get("/clients.xml", kDormant);
  CHECK(dormant.status == http::status::forbidden);
  CHECK(dormant.body == off);
  auto dormant_host = w.get("/clients/41.xml", on_host(kDormant, "dormant.example.com"));
  CHECK(dormant_host.status == http::status::forbidden);
  CHECK(dormant_host.body == off);
  CHECK(w.get("/clients.xml", on_host(kManager, "dormant.example.com")).status ==
        http::status::unauthorized);
}

TEST_CASE("legacy_xml handler: who sees which clients") {
  World w;
  struct Row {
    Caller who;
    std::string path;
    std::vector<int> ids;
  };
  std::vector<Row> rows = {
      // Client manager of 10, resource of 20 (assigned to project 105 of client 31).
      {kManager, "/clients.xml", {21, 22, 23, 25, 31}},
      {kManager, "/clients/active.xml", {21, 23, 25, 31}},
      {kManager, "/clients/inactive.xml", {22}},
      {kManager, "/clients/my_assignments.xml", {31}},
      {kManager, "/clients/my_active_assignments.xml", {31}},
      {kManager, "/clients/my_inactive_assignments.xml", {}},
      // Resource: assigned to 101 (client 21, active project) and 103 (client 22, inactive).
      {kResource, "/clients.xml", {21, 22}},
      {kResource, "/clients/active.xml", {21}},
      {kResource, "/clients/inactive.xml", {22}},
      {kResource, "/clients/my_assignments.xml", {21, 22}},
      {kResource, "/clients/my_active_assignments.xml", {21}},
      {kResource, "/clients/my_inactive_assignments.xml", {22}},
      {kNorth, "/clients.xml", {31, 32}},
      {kNorth, "/clients/inactive.xml", {32}},
      {kNorth, "/clients/my_assignments.xml", {}},
      // Administrator role without the client_manager flag: only assigned clients (none).
      {kAdminNotManager, "/clients.xml", {}},
      {kCmResource, "/clients.xml", {21, 22, 23, 25}},
  };
  for (const auto& row : rows) {
    INFO(row.who.email << " " << row.path);
    auto r = w.get(row.path, row.who);
    CHECK(r.status == http::status::ok);
    CHECK(r.header(http::field::content_type) == kXml);
    CHECK(ids_of(r.body) == row.ids);
    CHECK(root_of(r.body) == "<clients type=\"array\" total=\"" + std::to_string(row.ids.size()) +
                                 "\" end=\"" + std::to_string(row.ids.size()) + "\" start=\"1\">");
  }
  auto empty = w.get("/clients.xml", kAdminNotManager);
  CHECK(empty.body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clients type=\"array\" total=\"0\" end=\"0\" "
        "start=\"1\">\n</clients>\n");

  // Show: not assigned, soft-deleted, another company's, missing: the same 404.
  auto missing = w.get("/clients/9999.xml", kResource);
  CHECK(missing.status == http::status::not_found);
  CHECK(missing.body.empty());
  for (auto [who, id] : std::vector<std::pair<Caller, int>>{
           {kResource, 23}, {kResource, 31}, {kManager, 24}, {kManager, 32}, {kNorth, 21}}) {
    auto r = w.get("/clients/" + std::to_string(id) + ".xml", who);
    CHECK(r.status == missing.status);
    CHECK(r.body == missing.body);
    CHECK(r.header(http::field::content_type) == missing.header(http::field::content_type));
  }
  CHECK(w.get("/clients/21.xml", kResource).body == test::legacy_xml::kMunchMuseum);
  CHECK(w.get("/clients/31.xml", kManager).status == http::status::ok);
}

TEST_CASE("legacy_xml handler: ranges, merged sources and streaming") {
  for (std::string batch : {"500", "2", "1"}) {
    INFO("batch_size " << batch);
    World w({{"batch_size", batch}});
    auto page = [&](const std::string& query) { return w.get("/clients.xml" + query, kManager); };
    auto r = page("?start=2&end=3");
    CHECK(root_of(r.body) == "<clients type=\"array\" total=\"5\" end=\"3\" start=\"2\">");
    CHECK(ids_of(r.body) == std::vector<int>{22, 23});
    CHECK(ids_of(page("?start=4").body) == std::vector<int>{25, 31});
    CHECK(root_of(page("?start=4").body) ==
          "<clients type=\"array\" total=\"5\" end=\"5\" start=\"4\">");
    CHECK(ids_of(page("?end=2").body) == std::vector<int>{21, 22});
    CHECK(root_of(page("?start=3&end=99").body) ==
          "<clients type=\"array\" total=\"5\" end=\"5\" start=\"3\">");
    CHECK(root_of(page("?start=9").body) ==
          "<clients type=\"array\" total=\"5\" end=\"8\" start=\"9\">");
    CHECK(ids_of(page("?start=9").body).empty());
    CHECK(root_of(page("?start=3&end=2").body) ==
          "<clients type=\"array\" total=\"5\" end=\"2\" start=\"3\">");
    auto all = page("");
    CHECK(ids_of(all.body) == std::vector<int>{21, 22, 23, 25, 31});
    CHECK(all.streamed == (batch != "500"));
    CHECK(all.body.ends_with("  </client>\n</clients>\n"));
    // The resource's list has one source: the store skips rows itself.
    auto resource = w.get("/clients.xml?start=2", kResource);
    CHECK(root_of(resource.body) == "<clients type=\"array\" total=\"2\" end=\"2\" start=\"2\">");
    CHECK(ids_of(resource.body) == std::vector<int>{22});
  }
  World w;
  for (auto query : {"?start=0", "?start=-1", "?start=3&end=1", "?start=x", "?end=4x",
                     "?end=", "?start=1.0", "?include=contacts", "?include=tasks"}) {
    INFO(query);
    auto r = w.get(std::string("/clients.xml") + query, kManager);
    CHECK(r.status == http::status::bad_request);
    CHECK(r.header(http::field::content_type) == kXml);
    CHECK(r.body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>"));
  }
}

TEST_CASE("legacy_xml handler: include=projects and include=projects,tasks") {
  World w;
  auto projects = w.get("/clients/21.xml?include=projects", kManager);
  CHECK(projects.status == http::status::ok);
  CHECK(projects.body.find("  <updated-at type=\"datetime\">2007-12-20T06:55:23Z</updated-at>\n"
                           "  <projects type=\"array\" total=\"2\" end=\"2\" start=\"1\">\n"
                           "    <project>\n"
                           "      <id type=\"integer\">101</id>\n"
                           "      <name>Website</name>\n"
                           "      <active type=\"boolean\">true</active>\n"
                           "      <code nil=\"true\"/>\n"
                           "      <description nil=\"true\"/>\n"
                           "      <url nil=\"true\"/>\n"
                           "      <created-at type=\"datetime\">2008-01-07T15:22:33Z</created-at>\n"
                           "      <updated-at type=\"datetime\">2008-01-08T15:22:33Z</updated-at>\n"
                           "    </project>\n"
                           "    <project>\n"
                           "      <id type=\"integer\">102</id>\n") != std::string::npos);
  CHECK(projects.body.find("<tasks") == std::string::npos);
  CHECK(projects.body.ends_with("    </project>\n  </projects>\n</client>\n"));

  auto tasks = w.get("/clients/21.xml?include=projects,tasks", kManager);
  CHECK(tasks.body.find("      <tasks type=\"array\" total=\"2\" end=\"2\" start=\"1\">\n"
                        "        <task>\n"
                        "          <id type=\"integer\">1001</id>\n"
                        "          <name>Design</name>\n"
                        "        </task>\n"
                        "        <task>\n"
                        "          <id type=\"integer\">1002</id>\n"
                        "          <name>Build</name>\n"
                        "        </task>\n"
                        "      </tasks>\n") != std::string::npos);
  CHECK(tasks.body.find(
            "      <tasks type=\"array\" total=\"0\" end=\"0\" start=\"1\">\n      </tasks>\n") !=
        std::string::npos);

  CHECK(w.get("/clients/21.xml?include=bogus", kManager).status == http::status::bad_request);

  for (std::string batch : {"500", "1"}) {
    World lw({{"batch_size", batch}});
    auto list = lw.get("/clients.xml?include=projects", kManager);
    auto count = [&](const std::string& needle) {
      std::size_t n = 0;
      for (auto at = list.body.find(needle); at != std::string::npos;
           at = list.body.find(needle, at + 1))
        ++n;
      return n;
    };
    CHECK(count("<projects type=\"array\" total=\"2\"") == 1);  // 21
    CHECK(count("<projects type=\"array\" total=\"1\"") == 3);  // 22, 23, 31
    CHECK(count("<projects type=\"array\" total=\"0\" end=\"0\" start=\"1\">\n    </projects>\n") ==
          1);  // 25
    CHECK(list.body.find("        <id type=\"integer\">105</id>") != std::string::npos);
  }
}

TEST_CASE("legacy_xml handler: create") {
  World w;
  auto created = w.call(http::verb::post, "/clients.xml", kManager,
                        "<client><name>ABC Corp</name><active>true</active><code>12345</code>"
                        "<description>One of our best clients</description>"
                        "<url>http://abc.com</url><id>5</id><bogus>x</bogus></client>");
  REQUIRE(created.status == http::status::created);
  CHECK(created.header(http::field::content_type) == kXml);
  auto id_at = created.body.find("<id type=\"integer\">") + 19;
  std::string id = created.body.substr(id_at, created.body.find('<', id_at) - id_at);
  CHECK(id != "5");
  CHECK(created.header(http::field::location) == "/clients/" + id + ".xml");
  CHECK(created.body.find("  <name>ABC Corp</name>\n  <active type=\"boolean\">true</active>\n"
                          "  <code>12345</code>\n  <description>One of our best "
                          "clients</description>\n  <url>http://abc.com</url>\n") !=
        std::string::npos);
  CHECK(w.get("/clients/" + id + ".xml", kManager).body == created.body);
  // Created in the caller's default company (10): the resource of 20 cannot see it.
  CHECK(w.get("/clients/" + id + ".xml", kNorth).status == http::status::not_found);

  // active defaults to true; text/xml is XML too.
  auto minimal = w.call(http::verb::post, "/clients.xml", kCmResource,
                        "<client><name>Minimal</name></client>", "text/xml");
  CHECK(minimal.status == http::status::created);
  CHECK(minimal.body.find("<active type=\"boolean\">true</active>") != std::string::npos);
  CHECK(minimal.body.find("<code nil=\"true\"/>") != std::string::npos);

  // With the Host account, the create goes there.
  auto north = w.call(http::verb::post, "/clients.xml", on_host(kNorth, "northwind.example.com"),
                      "<client><name>North New</name><active>false</active></client>");
  CHECK(north.status == http::status::created);
  CHECK(north.body.find("<active type=\"boolean\">false</active>") != std::string::npos);
  CHECK(ids_of(w.get("/clients/inactive.xml", kNorth).body).size() == 2);

  auto blank = w.call(http::verb::post, "/clients.xml", kManager, "<client><name></name></client>");
  CHECK(blank.status == http::status::unprocessable_entity);
  CHECK(blank.body == errors_xml("Name can't be blank"));
  CHECK(w.call(http::verb::post, "/clients.xml", kManager, "<client/>").body ==
        errors_xml("Name can't be blank"));
  CHECK(w.call(http::verb::post, "/clients.xml", kManager, "").status ==
        http::status::unprocessable_entity);
  auto too_long = w.call(http::verb::post, "/clients.xml", kManager,
                         "<client><name>" + std::string(256, 'x') + "</name></client>");
  CHECK(too_long.status == http::status::unprocessable_entity);
  CHECK(too_long.body == errors_xml("Name is too long (maximum is 255 characters)"));
}

TEST_CASE("legacy_xml handler: bad bodies") {
  World w;
  const std::string good = "<client><name>X</name></client>";
  for (auto type : {"", "application/json", "application/x-www-form-urlencoded", "text/plain",
                    "application/xml; charset=iso-8859-1"}) {
    INFO(type);
    auto r = w.call(http::verb::post, "/clients.xml", kManager, good, type);
    CHECK(r.status == http::status::unsupported_media_type);
    CHECK(r.header(http::field::content_type) == kXml);
    CHECK(r.body.find("<errors>") != std::string::npos);
  }
  CHECK(w.call(http::verb::post, "/clients.xml", kManager, good, "Application/XML; Charset=UTF-8")
            .status == http::status::created);
  CHECK(w.call(http::verb::put, "/clients/21.xml", kManager, good, "application/json").status ==
        http::status::unsupported_media_type);

  std::string billion_laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
      "<client><name>&lol3;</name></client>";
  std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE client [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<client><name>&xxe;</name></client>";
  for (const auto& body : {billion_laughs, external}) {
    auto r = w.call(http::verb::post, "/clients.xml", kManager, body);
    CHECK(r.status == http::status::bad_request);
    CHECK(r.body == errors_xml("Document type declarations are not allowed"));
    auto put = w.call(http::verb::put, "/clients/21.xml", kManager, body);
    CHECK(put.status == http::status::bad_request);
  }
  CHECK(w.call(http::verb::post, "/clients.xml", kManager, "<client><name>x</client>").body ==
        errors_xml("The request body is not well-formed XML"));
  CHECK(w.call(http::verb::post, "/clients.xml", kManager, "<client><name>caf\xe9</name></client>")
            .body == errors_xml("The request body is not valid UTF-8"));
  CHECK(w.call(http::verb::post, "/clients.xml", kManager, "<client><name>a\x02</name></client>")
            .status == http::status::bad_request);
  CHECK(w.call(http::verb::post, "/clients.xml", kManager, "<client><name>a&#2;</name></client>")
            .status == http::status::bad_request);
  // Nothing was written by any of them.
  CHECK(root_of(w.get("/clients.xml", kManager).body) ==
        "<clients type=\"array\" total=\"6\" end=\"6\" start=\"1\">");  // 5 + the one created above
  CHECK(w.get("/clients/21.xml", kManager).body == test::legacy_xml::kMunchMuseum);
}

TEST_CASE("legacy_xml handler: update and delete") {
  World w;
  auto nothing =
      w.call(http::verb::put, "/clients/21.xml", kManager, "<client><id>5</id></client>");
  CHECK(nothing.status == http::status::ok);
  CHECK(w.get("/clients/21.xml", kManager).body == test::legacy_xml::kMunchMuseum);
  auto put = w.call(http::verb::put, "/clients/21.xml", kManager,
                    "<client><name>Munch &amp; Co</name><url>http://munch.no</url></client>");
  CHECK(put.status == http::status::ok);
  CHECK(put.body.empty());
  auto after = w.get("/clients/21.xml", kManager).body;
  CHECK(after.find("<name>Munch &amp; Co</name>") != std::string::npos);
  CHECK(after.find("<url>http://munch.no</url>") != std::string::npos);
  CHECK(after.find("<code nil=\"true\"/>") != std::string::npos);  // untouched
  CHECK(after.find("<updated-at type=\"datetime\">2007-12-20T06:55:23Z") == std::string::npos);

  CHECK(w.call(http::verb::put, "/clients/21.xml", kManager, "<client><active>0</active></client>")
            .status == http::status::ok);
  CHECK(ids_of(w.get("/clients/inactive.xml", kManager).body) == std::vector<int>{21, 22});
  CHECK(w.call(http::verb::put, "/clients/21.xml", kManager, "<client><active>t</active></client>")
            .status == http::status::ok);
  CHECK(w.call(http::verb::put, "/clients/21.xml", kManager, "<client><code></code></client>")
            .status == http::status::ok);

  auto blank =
      w.call(http::verb::put, "/clients/21.xml", kManager, "<client><name>  </name></client>");
  CHECK(blank.status == http::status::unprocessable_entity);
  CHECK(blank.body == errors_xml("Name can't be blank"));
  CHECK(w.call(http::verb::put, "/clients/9999.xml", kManager, "<client/>").status ==
        http::status::not_found);
  CHECK(w.call(http::verb::put, "/clients/24.xml", kManager, "<client/>").status ==
        http::status::not_found);
  // A client of a company where the caller is not a client manager, but visible: 403.
  auto not_managed = w.call(http::verb::put, "/clients/31.xml", kManager, "<client/>");
  CHECK(not_managed.status == http::status::forbidden);
  CHECK(not_managed.body ==
        errors_xml("Only client managers can create, update and delete clients."));

  auto refused = w.call(http::verb::delete_, "/clients/23.xml", kManager);
  CHECK(refused.status == http::status::unprocessable_entity);
  CHECK(refused.body == errors_xml("Client has projects with time entries and cannot be deleted; "
                                   "make it inactive instead"));
  CHECK(w.get("/clients/23.xml", kManager).status == http::status::ok);

  auto deleted = w.call(http::verb::delete_, "/clients/25.xml", kManager);
  CHECK(deleted.status == http::status::ok);
  CHECK(deleted.body.empty());
  CHECK(w.get("/clients/25.xml", kManager).status == http::status::not_found);
  CHECK(w.call(http::verb::delete_, "/clients/25.xml", kManager).status == http::status::not_found);
  CHECK(w.call(http::verb::delete_, "/clients/24.xml", kManager).status == http::status::not_found);
  CHECK(w.call(http::verb::delete_, "/clients/31.xml", kManager).status == http::status::forbidden);
  CHECK(w.call(http::verb::delete_, "/clients/31.xml", kNorth).status == http::status::ok);
}

TEST_CASE("legacy_xml handler: an update with the stored values changes nothing") {
  // ActiveResource's save sends every attribute it read back, id and timestamps included.
  World w;
  auto same = w.call(http::verb::put, "/clients/21.xml", kManager, test::legacy_xml::kMunchMuseum);
  CHECK(same.status == http::status::ok);
  CHECK(w.get("/clients/21.xml", kManager).body == test::legacy_xml::kMunchMuseum);
  auto spelled = w.call(http::verb::put, "/clients/21.xml", kManager,
                        "<client><name>Munch Museum</name><active>t</active><code/>"
                        "<url nil=\"true\"/></client>");
  CHECK(spelled.status == http::status::ok);
  CHECK(w.get("/clients/21.xml", kManager).body == test::legacy_xml::kMunchMuseum);
  // One value that differs is a write, and updated-at moves.
  CHECK(w.call(http::verb::put, "/clients/21.xml", kManager,
               "<client><name>Munch Museum</name><code>M</code></client>")
            .status == http::status::ok);
  auto changed = w.get("/clients/21.xml", kManager).body;
  CHECK(changed.find("<code>M</code>") != std::string::npos);
  CHECK(changed.find("<updated-at type=\"datetime\">2007-12-20T06:55:23Z") == std::string::npos);
}

TEST_CASE("legacy_xml handler: non-managers may not write") {
  World w;
  const std::string refused =
      errors_xml("Only client managers can create, update and delete clients.");
  for (const auto& who : {kResource, kAdminNotManager}) {
    INFO(who.email);
    auto post = w.call(http::verb::post, "/clients.xml", who, "<client><name>X</name></client>");
    CHECK(post.status == http::status::forbidden);
    CHECK(post.body == refused);
    for (auto id : {"21", "23", "9999"}) {
      CHECK(w.call(http::verb::put, std::string("/clients/") + id + ".xml", who, "<client/>")
                .status == http::status::forbidden);
      CHECK(w.call(http::verb::delete_, std::string("/clients/") + id + ".xml", who).status ==
            http::status::forbidden);
    }
  }
  // On the account where the caller is only a resource.
  CHECK(w.call(http::verb::post, "/clients.xml", on_host(kManager, "northwind.example.com"),
               "<client><name>X</name></client>")
            .status == http::status::forbidden);
  CHECK(w.get("/clients/21.xml", kManager).body == test::legacy_xml::kMunchMuseum);
}

TEST_CASE("legacy_xml handler: wrong methods and unknown paths") {
  World w;
  struct Row {
    http::verb method;
    std::string path, allow;
  };
  for (const auto& row :
       std::vector<Row>{{http::verb::delete_, "/clients.xml", "GET, POST"},
                        {http::verb::put, "/clients.xml", "GET, POST"},
                        {http::verb::patch, "/clients/21.xml", "GET, PUT, DELETE"},
                        {http::verb::post, "/clients/21.xml", "GET, PUT, DELETE"},
                        {http::verb::post, "/clients/active.xml", "GET"},
                        {http::verb::delete_, "/clients/my_assignments.xml", "GET"}}) {
    INFO(row.path);
    auto r = w.call(row.method, row.path, kManager, "<client/>");
    CHECK(r.status == http::status::method_not_allowed);
    CHECK(r.header(http::field::allow) == row.allow);
    CHECK(r.body == errors_xml("Method not allowed"));
  }
  for (auto path : {"/clients/abc.xml", "/clients/0.xml", "/clients/21/projects.xml"}) {
    auto r = w.get(path, kManager);
    CHECK(r.status == http::status::not_found);
    CHECK(r.body.empty());
  }
}

TEST_CASE("legacy_xml handler: show_as and transport errors") {
  World w;
  auto manager = w.auth->by_password("manager@example.com", "manager-pass");
  REQUIRE(manager);
  auto shown = w.dialect->show_as(*manager, 21);
  REQUIRE(shown);
  CHECK(shown->status == http::status::ok);
  CHECK(shown->body == test::legacy_xml::kMunchMuseum);
  auto hidden = w.dialect->show_as(*manager, 32);
  REQUIRE(hidden);
  CHECK(hidden->status == http::status::not_found);

  http::request<http::empty_body> req{http::verb::post, "/clients.xml", 11};
  auto too_large = w.dialect->transport_error(dialects::TransportError::body_too_large, req.base());
  CHECK(too_large.status == http::status::payload_too_large);
  CHECK(too_large.body == errors_xml("The request body is too large"));
  CHECK(w.dialect->transport_error(dialects::TransportError::unavailable, req.base()).status ==
        http::status::service_unavailable);
}

// A user of 10,000 accounts (the second with clients disabled) and another account's user.
std::string many_accounts_fixture() {
  std::string json = R"({"format": "clientgate-dataset/1", "companies": [)";
  for (int c = 1; c <= 10001; ++c) {
    json += (c > 1 ? "," : "") + std::string(R"({"id": )") + std::to_string(c) +
            R"(, "title": "Account )" + std::to_string(c) + R"(", "slug": "acct-)" +
            std::to_string(c) + "\"" + (c == 2 ? R"(, "clients_enabled": false)" : "") + "}";
  }
  json += R"(], "users": [{"id": 1, "name": "Many", "email": "many@example.com",
    "password": "many-pass", "memberships": [)";
  for (int c = 1; c <= 10000; ++c) {
    json += (c > 1 ? "," : "") + std::string(R"({"company_id": )") + std::to_string(c) +
            R"(, "role": "administrator", "client_manager": true})";
  }
  json += R"(]}, {"id": 2, "name": "Other", "email": "other@example.com", "password": "other-pass",
    "memberships": [{"company_id": 10001, "role": "administrator", "client_manager": true}]}],
    "clients": [{"id": 1, "company_id": 1, "name": "One"}, {"id": 2, "company_id": 2, "name": "Off"},
      {"id": 3, "company_id": 5000, "name": "Mid"}, {"id": 4, "company_id": 10000, "name": "Last"},
      {"id": 5, "company_id": 10001, "name": "Theirs"}, {"id": 6, "company_id": 5000, "name": "Mid 2"}]})";
  return json;
}

TEST_CASE("legacy_xml handler: a user of 10,000 accounts, with and without a Host account") {
  World w(many_accounts_fixture());
  const Caller many{"many@example.com", "many-pass"};
  // No Host account: every enabled account of the user's, nothing of another's.
  auto all = w.get("/clients.xml", many);
  CHECK(all.status == http::status::ok);
  CHECK(ids_of(all.body) == std::vector<int>{1, 3, 4, 6});
  CHECK(w.get("/clients/5.xml", many).status == http::status::not_found);
  CHECK(w.get("/clients/2.xml", many).status == http::status::not_found);  // clients disabled
  // Narrowed to one account by the Host: that account's clients only.
  auto mid = w.get("/clients.xml", on_host(many, "acct-5000.example.com"));
  CHECK(mid.status == http::status::ok);
  CHECK(ids_of(mid.body) == std::vector<int>{3, 6});
  CHECK(w.get("/clients/3.xml", on_host(many, "acct-5000.example.com")).status == http::status::ok);
  CHECK(w.get("/clients/4.xml", on_host(many, "acct-5000.example.com")).status ==
        http::status::not_found);
  CHECK(ids_of(w.get("/clients.xml", on_host(many, "acct-10000.example.com")).body) ==
        std::vector<int>{4});
  CHECK(w.get("/clients.xml", on_host(many, "acct-10001.example.com")).status ==
        http::status::unauthorized);  // not a member
  CHECK(w.get("/clients.xml", on_host(many, "acct-2.example.com")).status ==
        http::status::forbidden);  // clients disabled there
  auto other = w.get("/clients.xml", Caller{"other@example.com", "other-pass"});
  CHECK(ids_of(other.body) == std::vector<int>{5});
}
