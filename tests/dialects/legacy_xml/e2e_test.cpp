// legacy_xml over HTTP against a real clientgate process: every route, role and error row.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

Headers as(const std::string& email, const std::string& password) {
  return {{"Authorization", basic_auth(email, password)}};
}
Headers xml_body(Headers h, const std::string& type = "application/xml") {
  h.push_back({"Content-Type", type});
  return h;
}
const Headers kManager = as("manager@example.com", "manager-pass");
const Headers kResource = as("resource@example.com", "resource-pass");
const Headers kNorth = as("north@example.com", "north-pass");
const Headers kDormant = as("dormant@example.com", "dormant-pass");

const std::string kXml = "application/xml; charset=utf-8";

std::string errors_xml(const std::string& message) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>" + message +
         "</error>\n</errors>\n";
}

std::vector<int> ids_of(const std::string& xml) {
  std::vector<int> ids;
  std::string marker = "<client>\n    <id type=\"integer\">";
  for (auto at = xml.find(marker); at != std::string::npos; at = xml.find(marker, at + 1))
    ids.push_back(std::stoi(xml.substr(at + marker.size())));
  return ids;
}

std::string root_of(const std::string& xml) {
  auto start = xml.find("<clients ");
  if (start == std::string::npos) return "";
  return xml.substr(start, xml.find('>', start) + 1 - start);
}

// A request with a chosen Host header (HttpClient sets its own).
HttpResponse on_host(HttpClient& http, const std::string& method, const std::string& target,
                     const std::string& host, const Headers& headers,
                     const std::string& body = "") {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
  for (const auto& [name, value] : headers)
    raw += name + ": " + value + "\r\n";
  raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return http.raw(raw);
}

std::string config(int batch_size) {
  return "[dialects.legacy_xml]\nbatch_size = " + std::to_string(batch_size) + "\n";
}

}  // namespace

TEST_CASE("legacy_xml end to end: reads over one keep-alive connection") {
  ServerProcess server({legacy_xml::kFixture, {}, config(2)});
  HttpClient http(server.host(), server.port());

  auto one = http.get("/clients/21.xml", kManager);
  CHECK(one.status == 200);
  CHECK(one.header("Content-Type") == kXml);
  CHECK(one.body == legacy_xml::kMunchMuseum);

  struct Row {
    std::string path;
    std::vector<int> ids;
  };
  for (const auto& row : std::vector<Row>{{"/clients.xml", {21, 22, 23, 25, 31}},
                                          {"/clients/active.xml", {21, 23, 25, 31}},
                                          {"/clients/inactive.xml", {22}},
                                          {"/clients/my_assignments.xml", {31}},
                                          {"/clients/my_active_assignments.xml", {31}},
                                          {"/clients/my_inactive_assignments.xml", {}}}) {
    INFO(row.path);
    auto r = http.get(row.path, kManager);
    CHECK(r.status == 200);
    CHECK(r.header("Content-Type") == kXml);
    CHECK(r.body.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clients type=\"array\" total=\""));
    CHECK(ids_of(r.body) == row.ids);
  }
  for (const auto& row : std::vector<Row>{{"/clients.xml", {21, 22}},
                                          {"/clients/active.xml", {21}},
                                          {"/clients/inactive.xml", {22}},
                                          {"/clients/my_assignments.xml", {21, 22}},
                                          {"/clients/my_active_assignments.xml", {21}},
                                          {"/clients/my_inactive_assignments.xml", {22}}}) {
    INFO("resource " << row.path);
    CHECK(ids_of(http.get(row.path, kResource).body) == row.ids);
  }

  // Ranges over a list streamed in batches of 2 from two sources.
  auto range = http.get("/clients.xml?start=2&end=4", kManager);
  CHECK(root_of(range.body) == "<clients type=\"array\" total=\"5\" end=\"4\" start=\"2\">");
  CHECK(ids_of(range.body) == std::vector<int>{22, 23, 25});
  auto empty = http.get("/clients/my_inactive_assignments.xml", kManager);
  CHECK(empty.body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clients type=\"array\" total=\"0\" end=\"0\" "
        "start=\"1\">\n</clients>\n");
  CHECK(root_of(http.get("/clients.xml?start=7", kManager).body) ==
        "<clients type=\"array\" total=\"5\" end=\"6\" start=\"7\">");
  for (auto bad : {"?start=0", "?start=2&end=0", "?end=x", "?include=contacts"}) {
    INFO(bad);
    auto r = http.get(std::string("/clients.xml") + bad, kManager);
    CHECK(r.status == 400);
    CHECK(r.header("Content-Type") == kXml);
    CHECK(r.body.find("<errors>\n  <error>") != std::string::npos);
  }

  auto with_tasks = http.get("/clients/21.xml?include=projects,tasks", kResource);
  CHECK(with_tasks.status == 200);
  CHECK(with_tasks.body.find("  <projects type=\"array\" total=\"2\" end=\"2\" start=\"1\">\n") !=
        std::string::npos);
  CHECK(with_tasks.body.find(
            "      <tasks type=\"array\" total=\"2\" end=\"2\" start=\"1\">\n        <task>\n"
            "          <id type=\"integer\">1001</id>\n") != std::string::npos);
  auto list_projects = http.get("/clients.xml?include=projects", kManager);
  CHECK(list_projects.status == 200);
  CHECK(ids_of(list_projects.body) == std::vector<int>{21, 22, 23, 25, 31});

  auto head = http.request("HEAD", "/clients/21.xml", kManager);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK_FALSE(http.closed());
}

TEST_CASE("legacy_xml end to end: credentials, accounts and scope") {
  ServerProcess server({legacy_xml::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());

  auto none = http.get("/clients.xml");
  CHECK(none.status == 401);
  CHECK(none.header("WWW-Authenticate") == "Basic realm=\"clientgate\"");
  CHECK(none.header("Content-Type") == kXml);
  CHECK(none.body == errors_xml("HTTP Basic: Access denied."));
  auto wrong = http.get("/clients/21.xml", as("manager@example.com", "nope"));
  CHECK(wrong.status == 401);
  CHECK(wrong.body == none.body);
  CHECK(http.get("/clients/21.xml", {{"Authorization", "Basic !!!"}}).status == 401);
  CHECK(http.get("/clients/21.xml", {{"Authorization", "Bearer manager-pass"}}).status == 401);

  // The Host's first label names the account.
  auto north = on_host(http, "GET", "/clients.xml", "northwind.example.com", kManager);
  CHECK(north.status == 200);
  CHECK(ids_of(north.body) == std::vector<int>{31});
  auto not_member = on_host(http, "GET", "/clients/31.xml", "northwind.example.com", kResource);
  CHECK(not_member.status == 401);
  CHECK(not_member.header("WWW-Authenticate") == "Basic realm=\"clientgate\"");
  CHECK(
      ids_of(on_host(http, "GET", "/clients.xml", "design-studio.livetimer.example:8080", kManager)
                 .body) == std::vector<int>{21, 22, 23, 25});

  const std::string off =
      errors_xml("Your account must have the \"client\" classification enabled to view clients.");
  auto dormant = http.get("/clients.xml", kDormant);
  CHECK(dormant.status == 403);
  CHECK(dormant.body == off);
  CHECK(on_host(http, "GET", "/clients/41.xml", "dormant.example.com", kDormant).status == 403);

  // Another company's client, a soft-deleted one, an unassigned one, a missing one: one answer.
  auto missing = http.get("/clients/9999.xml", kNorth);
  CHECK(missing.status == 404);
  CHECK(missing.body.empty());
  for (auto [who, id] : std::vector<std::pair<Headers, int>>{
           {kNorth, 21}, {kManager, 24}, {kResource, 23}, {kManager, 32}}) {
    auto r = http.get("/clients/" + std::to_string(id) + ".xml", who);
    CHECK(r.status == missing.status);
    CHECK(r.body == missing.body);
    CHECK(r.header("Content-Type") == missing.header("Content-Type"));
  }
  CHECK(http.get("/clients/abc.xml", kManager).status == 404);

  // Wrong methods: 405 with Allow.
  auto post_list = http.request("POST", "/clients/active.xml", xml_body(kManager), "<client/>");
  CHECK(post_list.status == 405);
  CHECK(post_list.header("Allow") == "GET");
  auto patch = http.request("PATCH", "/clients/21.xml", xml_body(kManager), "<client/>");
  CHECK(patch.status == 405);
  CHECK(patch.header("Allow") == "GET, PUT, DELETE");
  CHECK(patch.body == errors_xml("Method not allowed"));
  auto delete_all = http.request("DELETE", "/clients.xml", kManager);
  CHECK(delete_all.status == 405);
  CHECK(delete_all.header("Allow") == "GET, POST");

  // Without .xml the path is the agency dialect's, not ours.
  auto agency = http.get("/clients/21", kManager);
  CHECK(agency.header("Content-Type") != kXml);
}

TEST_CASE("legacy_xml end to end: writes") {
  ServerProcess server({legacy_xml::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());

  auto created = http.request(
      "POST", "/clients.xml", xml_body(kManager),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<client>\n  <name>ABC Corp</name>\n"
      "  <active>true</active>\n  <code>12345</code>\n"
      "  <description>One of our best clients</description>\n  <url>http://abc.com</url>\n"
      "  <unknown-field>ignored</unknown-field>\n</client>\n");
  REQUIRE(created.status == 201);
  CHECK(created.header("Content-Type") == kXml);
  auto id_at = created.body.find("<id type=\"integer\">") + 19;
  std::string id = created.body.substr(id_at, created.body.find('<', id_at) - id_at);
  CHECK(created.header("Location") == "/clients/" + id + ".xml");
  CHECK(created.body.find("  <name>ABC Corp</name>\n  <active type=\"boolean\">true</active>\n"
                          "  <code>12345</code>\n  <description>One of our best "
                          "clients</description>\n  <url>http://abc.com</url>\n"
                          "  <created-at type=\"datetime\">") != std::string::npos);
  CHECK(http.get(created.header("Location"), kManager).body == created.body);

  auto updated = http.request("PUT", "/clients/" + id + ".xml", xml_body(kManager, "text/xml"),
                              "<client><name>ABC &amp; Partners</name><active>false</active>"
                              "</client>");
  CHECK(updated.status == 200);
  CHECK(updated.body.empty());
  auto after = http.get("/clients/" + id + ".xml", kManager).body;
  CHECK(after.find("<name>ABC &amp; Partners</name>") != std::string::npos);
  CHECK(after.find("<active type=\"boolean\">false</active>") != std::string::npos);
  CHECK(after.find("<code>12345</code>") != std::string::npos);

  auto blank =
      http.request("POST", "/clients.xml", xml_body(kManager), "<client><name>  </name></client>");
  CHECK(blank.status == 422);
  CHECK(blank.body == errors_xml("Name can't be blank"));
  auto wrong_type = http.request("POST", "/clients.xml", xml_body(kManager, "application/json"),
                                 "{\"name\":\"x\"}");
  CHECK(wrong_type.status == 415);
  CHECK(wrong_type.header("Content-Type") == kXml);
  CHECK(http.request("POST", "/clients.xml", xml_body(kManager), "<client><name>x</nam>").status ==
        400);

  std::string billion_laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  std::string previous = "lol";
  for (int level = 2; level <= 9; ++level) {
    std::string name = "lol" + std::to_string(level);
    billion_laughs += "<!ENTITY " + name + " \"";
    for (int i = 0; i < 10; ++i)
      billion_laughs += "&" + previous + ";";
    billion_laughs += "\">\n";
    previous = name;
  }
  billion_laughs += "]>\n<client><name>&lol9;</name></client>";
  auto bomb = http.request("POST", "/clients.xml", xml_body(kManager), billion_laughs);
  CHECK(bomb.status == 400);
  CHECK(bomb.body == errors_xml("Document type declarations are not allowed"));
  auto xxe = http.request("PUT", "/clients/21.xml", xml_body(kManager),
                          "<?xml version=\"1.0\"?>\n<!DOCTYPE client [\n<!ENTITY xxe SYSTEM "
                          "\"file:///etc/passwd\">\n]>\n<client><name>&xxe;</name></client>");
  CHECK(xxe.status == 400);
  CHECK(xxe.body.find("root:") == std::string::npos);
  CHECK(http.get("/clients/21.xml", kManager).body == legacy_xml::kMunchMuseum);

  // Non-managers: 403 on every write.
  const std::string managers_only =
      errors_xml("Only client managers can create, update and delete clients.");
  auto resource_post = http.request("POST", "/clients.xml", xml_body(kResource),
                                    "<client><name>Nope</name></client>");
  CHECK(resource_post.status == 403);
  CHECK(resource_post.body == managers_only);
  CHECK(http.request("PUT", "/clients/21.xml", xml_body(kResource), "<client/>").status == 403);
  CHECK(http.request("DELETE", "/clients/21.xml", kResource).status == 403);

  auto guarded = http.request("DELETE", "/clients/23.xml", kManager);
  CHECK(guarded.status == 422);
  CHECK(guarded.body == errors_xml("Client has projects with time entries and cannot be deleted; "
                                   "make it inactive instead"));
  auto deleted = http.request("DELETE", "/clients/" + id + ".xml", kManager);
  CHECK(deleted.status == 200);
  CHECK(deleted.body.empty());
  CHECK(http.get("/clients/" + id + ".xml", kManager).status == 404);
  CHECK(http.request("DELETE", "/clients/" + id + ".xml", kManager).status == 404);
  CHECK_FALSE(http.closed());
}

TEST_CASE("legacy_xml end to end: a long list is streamed in id order") {
  const int count = 1234;
  std::string dataset =
      R"({"format":"clientgate-dataset/1","companies":[{"id":1,"title":"Big","slug":"big"}],)"
      R"("users":[{"id":1,"name":"B","email":"big@example.com","password":"big-pass",)"
      R"("memberships":[{"company_id":1,"role":"administrator","client_manager":true}]}],)"
      R"("clients":[)";
  for (int i = 1; i <= count; ++i) {
    if (i > 1) dataset += ',';
    dataset += R"({"id":)" + std::to_string(i) + R"(,"company_id":1,"name":"Client )" +
               std::to_string(i) + R"(","created_at":"2008-01-01T00:00:00Z"})";
  }
  dataset += "]}";
  ServerProcess server({dataset, {}, config(100)});
  HttpClient http(server.host(), server.port());
  const Headers big = as("big@example.com", "big-pass");

  auto all = http.get("/clients.xml", big);
  CHECK(all.status == 200);
  CHECK(all.header("Transfer-Encoding") == "chunked");
  CHECK(root_of(all.body) == "<clients type=\"array\" total=\"1234\" end=\"1234\" start=\"1\">");
  auto ids = ids_of(all.body);
  REQUIRE(ids.size() == count);
  for (int i = 0; i < count; ++i)
    REQUIRE(ids[static_cast<std::size_t>(i)] == i + 1);
  CHECK(all.body.ends_with("  </client>\n</clients>\n"));

  auto middle = http.get("/clients.xml?start=1000&end=1002", big);
  CHECK(root_of(middle.body) ==
        "<clients type=\"array\" total=\"1234\" end=\"1002\" start=\"1000\">");
  CHECK(ids_of(middle.body) == std::vector<int>{1000, 1001, 1002});
  auto tail = http.get("/clients.xml?start=1150", big);
  CHECK(ids_of(tail.body).size() == 85);
  CHECK(tail.header("Transfer-Encoding") == "");  // one batch: a plain body
}
