// The intervals dialect over HTTP against a real clientgate process: every route, format,
// filter, role and error, each in JSON and in XML.
#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

const char* const kFormats[] = {"application/json", "application/xml"};

Headers as(const std::string& token, const std::string& accept,
           const std::string& content_type = "") {
  Headers h = {{"Accept", accept}};
  if (!token.empty()) h.push_back({"Authorization", basic_auth(token, "X")});
  if (!content_type.empty()) h.push_back({"Content-Type", content_type});
  return h;
}

bool is_xml(const std::string& accept) {
  return accept == "application/xml";
}

// The API code of an error envelope, in either format.
int api_code(const HttpResponse& r) {
  if (r.body.rfind("<?xml", 0) == 0) {
    auto start = r.body.find("<error><code>");
    REQUIRE(start != std::string::npos);
    return std::stoi(r.body.substr(start + 13));
  }
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("error"));
  return doc["error"]["code"].GetInt();
}

// "123,124": the ids of a collection answer, in either format.
std::string ids(const HttpResponse& r) {
  std::string out;
  std::string open = r.body.rfind("<?xml", 0) == 0 ? "<item><id>" : "{\"id\":\"";
  for (auto at = r.body.find(open); at != std::string::npos; at = r.body.find(open, at + 1)) {
    auto start = at + open.size();
    if (!out.empty()) out += ',';
    out += r.body.substr(start, r.body.find_first_of("<\"", start) - start);
  }
  return out;
}

std::string body_for(const std::string& accept, const std::string& json, const std::string& xml) {
  return is_xml(accept) ? xml : json;
}

std::string export_db(const ServerProcess& server) {
  auto r = run_clientgate({"export", "--db", server.db_path().string()});
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("intervals end to end: every route in both formats") {
  ServerProcess server({intervals::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());

  for (const std::string accept : kFormats) {
    INFO(accept);
    const std::string type = accept;  // the request body in the same format
    auto list = http.get("/client/", as("ada-token", accept));
    CHECK(list.status == 200);
    CHECK(list.header("Content-Type") == accept + "; charset=utf-8");
    CHECK(ids(list) == "123,124,125");
    CHECK(http.get("/client", as("ada-token", accept)).body == list.body);

    auto created = http.request(
        "POST", "/client/", as("ada-token", accept, type),
        body_for(accept, R"({"name":"Made over HTTP","phone":"555","active":"t"})",
                 "<client><name>Made over HTTP</name><phone>555</phone><active>t</active>"
                 "</client>"));
    REQUIRE(created.status == 201);
    std::string id = ids(created);
    REQUIRE_FALSE(id.empty());
    CHECK(created.body.find(is_xml(accept)
                                ? "<status>Created</status><code>201</code>"
                                : R"("status":"Created","code":201)") != std::string::npos);

    auto shown = http.get("/client/" + id + "/", as("ada-token", accept));
    CHECK(shown.status == 200);
    CHECK(shown.body.find(is_xml(accept) ? "<name>Made over HTTP</name>"
                                         : R"("name":"Made over HTTP")") != std::string::npos);
    CHECK(http.get("/client/" + id, as("ada-token", accept)).body == shown.body);

    auto updated =
        http.request("PUT", "/client/" + id + "/", as("ada-token", accept, type),
                     body_for(accept, R"({"fax":"556"})", "<client><fax>556</fax></client>"));
    CHECK(updated.status == 202);
    CHECK(updated.body.find(is_xml(accept) ? "<fax>556</fax>" : R"("fax":"556")") !=
          std::string::npos);
    CHECK(updated.body.find(is_xml(accept) ? "<phone>555</phone>" : R"("phone":"555")") !=
          std::string::npos);

    // POST with an id updates; PUT without one creates.
    auto post_update =
        http.request("POST", "/client/" + id, as("ada-token", accept, type),
                     body_for(accept, R"({"active":"f"})", "<client><active>f</active></client>"));
    CHECK(post_update.status == 202);
    auto put_create = http.request(
        "PUT", "/client", as("ada-token", accept, type),
        body_for(accept, R"({"name":"Put creates"})", "<client><name>Put creates</name></client>"));
    CHECK(put_create.status == 201);

    for (const auto& gone : {id, ids(put_create)}) {
      auto deleted = http.request("DELETE", "/client/" + gone + "/", as("ada-token", accept));
      CHECK(deleted.status == 200);
      CHECK(deleted.body.find("client") == std::string::npos);
      CHECK(http.get("/client/" + gone + "/", as("ada-token", accept)).status == 404);
    }
  }
}

TEST_CASE("intervals end to end: filters, sorting and paging in both formats") {
  ServerProcess server({intervals::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  struct Case {
    const char* query;
    const char* ids;
  };
  const Case cases[] = {
      {"", "123,124,125"},
      {"localid=1,3", "123,125"},
      {"localid=2", "124"},
      {"active=t", "123,125"},
      {"active=f", "124"},
      {"search=acme", "123"},
      {"search=acme,cyber", "123,125"},
      {"search=000002", "124"},
      {"search=best", "123"},
      {"projectsonly=t", "123,125"},
      {"projectsonly=f", "123,124,125"},
      {"sortfield=name&sortdir=DESC", "125,124,123"},
      {"sortfield=datecreated&sortdir=asc", "125,123,124"},
      {"sortfield=localid&sortdir=Desc", "125,124,123"},
      {"sortfield=id", "123,124,125"},
      {"offset=1&limit=1", "124"},
      {"limit=2", "123,124"},
      {"limit=0", ""},
      {"offset=1000000000", ""},
  };
  for (const std::string accept : kFormats) {
    for (const auto& c : cases) {
      INFO(accept << " ?" << c.query);
      auto r = http.get(std::string("/client/?") + c.query, as("ada-token", accept));
      CHECK(r.status == 200);
      CHECK(ids(r) == c.ids);
    }
    auto paged = http.get("/client/?offset=1&limit=1", as("ada-token", accept));
    CHECK(paged.body.find(is_xml(accept) ? "<listcount>3</listcount>" : R"("listcount":3)") !=
          std::string::npos);
  }
}

TEST_CASE("intervals end to end: roles and credentials in both formats") {
  ServerProcess server({intervals::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  const std::string before = export_db(server);

  for (const std::string accept : kFormats) {
    INFO(accept);
    for (const char* token : {"max-token", "rita-token", "eve-token"}) {
      INFO(token);
      auto list = http.get("/client/", as(token, accept));
      CHECK(list.status == 200);
      CHECK(ids(list) == "123,124,125");
      CHECK(list.body.find("datecreated") == std::string::npos);
      CHECK(list.body.find("info@acme.test") == std::string::npos);
      auto one = http.get("/client/123/", as(token, accept));
      CHECK(one.status == 200);
      CHECK(one.body.find("description") == std::string::npos);

      auto post = http.request("POST", "/client/", as(token, accept, "application/json"),
                               R"({"name":"Nope"})");
      CHECK(post.status == 403);
      CHECK(api_code(post) == 10);
      auto put = http.request("PUT", "/client/123/", as(token, accept, "application/json"),
                              R"({"name":"Nope"})");
      CHECK(put.status == 403);
      CHECK(api_code(put) == 10);
      auto del = http.request("DELETE", "/client/125/", as(token, accept));
      CHECK(del.status == 403);
      CHECK(api_code(del) == 10);
    }
    auto admin = http.get("/client/123/", as("ada-token", accept));
    CHECK(admin.body.find("info@acme.test") != std::string::npos);

    auto anonymous = http.get("/client/", {{"Accept", accept}});
    CHECK(anonymous.status == 401);
    CHECK(api_code(anonymous) == 9);
    CHECK(anonymous.header("WWW-Authenticate") == "Basic realm=\"Intervals API\"");
    CHECK(anonymous.body.find(is_xml(accept) ? "<personid></personid>" : R"("personid":"")") !=
          std::string::npos);
    auto wrong = http.get("/client/123/", as("not-a-token", accept));
    CHECK(wrong.status == 401);
    CHECK(wrong.body == anonymous.body);
    auto bearer = http.get("/client/", {{"Accept", accept}, {"Authorization", "Bearer ada-token"}});
    CHECK(bearer.status == 401);

    // Another company's client is a missing client, byte for byte (but the id).
    auto foreign = http.get("/client/126/", as("ada-token", accept));
    auto missing = http.get("/client/999/", as("ada-token", accept));
    CHECK(foreign.status == 404);
    std::string expected = missing.body;
    expected.replace(expected.find("999"), 3, "126");
    CHECK(foreign.body == expected);
    CHECK(http.get("/client/126/", as("bob-token", accept)).status == 200);
  }
  CHECK(export_db(server) == before);
}

TEST_CASE("intervals end to end: every error, in both formats, writes nothing") {
  ServerProcess server({intervals::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  const std::string before = export_db(server);

  struct Case {
    std::string method, target, body, type;
    int status, code;
  };
  const std::vector<Case> cases = {
      {"GET", "/client/?statusid=1", "", "", 400, 17},
      {"GET", "/client/?limit=-1", "", "", 400, 18},
      {"GET", "/client/?limit=abc", "", "", 400, 18},
      {"GET", "/client/?offset=1e9", "", "", 400, 18},
      {"GET", "/client/?sortfield=password", "", "", 400, 18},
      {"GET", "/client/?sortdir=sideways", "", "", 400, 18},
      {"GET", "/client/?active=maybe", "", "", 400, 18},
      {"GET", "/client/?localid=1,,x", "", "", 400, 18},
      {"GET", "/client/123/?x=1", "", "", 400, 17},
      {"GET", "/client/999/", "", "", 404, 14},
      {"GET", "/client/abc/", "", "", 404, 14},
      {"GET", "/client/123/extra", "", "", 404, 14},
      {"DELETE", "/client/", "", "", 400, 16},
      {"PATCH", "/client/123/", "{}", "application/json", 400, 16},
      {"DELETE", "/client/123/", "", "", 400, 18},  // its project holds time entries
      {"DELETE", "/client/999/", "", "", 404, 14},
      {"PUT", "/client/999/", R"({"name":"x"})", "application/json", 404, 14},
      {"POST", "/client/", R"({"name":"JSON as XML"})", "application/xml", 400, 18},
      {"POST", "/client/", "<client><name>XML as JSON</name></client>", "application/json", 400,
       18},
      {"POST", "/client/", R"([{"name":"array"}])", "application/json", 400, 18},
      {"POST", "/client/", R"({"name":"broken")", "application/json", 400, 18},
      {"POST", "/client/", "<!DOCTYPE client [<!ENTITY e \"x\">]><client><name>&e;</name></client>",
       "application/xml", 400, 18},
      {"POST", "/client/", R"({"phone":"1"})", "application/json", 400, 18},  // no name
      {"POST", "/client/", R"({"name":")" + std::string(256, 'n') + "\"}", "application/json", 400,
       18},
      {"POST", "/client/", R"({"name":"x","email":")" + std::string(256, 'e') + "\"}",
       "application/json", 400, 18},
      {"POST", "/client/", R"({"name":"x","website":")" + std::string(256, 'w') + "\"}",
       "application/json", 400, 18},
      {"PUT", "/client/123/", R"({"phone":")" + std::string(51, '5') + "\"}", "application/json",
       400, 18},
      {"PUT", "/client/123/", "<client><fax>" + std::string(51, '5') + "</fax></client>",
       "application/xml", 400, 18},
      {"PUT", "/client/123/", R"({"active":"maybe"})", "application/json", 400, 18},
      {"PUT", "/client/123/", R"({"name":""})", "application/json", 400, 18},
      {"PUT", "/client/123/", R"({"statusid":"1"})", "application/json", 400, 17},
      {"POST", "/client/", R"({"name":"x"})", "text/plain", 400, 18},
  };
  for (const std::string accept : kFormats) {
    for (const auto& c : cases) {
      INFO(accept << " " << c.method << " " << c.target << " " << c.body.substr(0, 60));
      auto r = http.request(c.method, c.target, as("ada-token", accept, c.type), c.body);
      CHECK(r.status == c.status);
      CHECK(r.header("Content-Type") == accept + "; charset=utf-8");
      CHECK(api_code(r) == c.code);
      CHECK(r.body.find(is_xml(accept) ? "<personid>7</personid>" : R"("personid":"7")") !=
            std::string::npos);
    }
  }
  // Over the body limit: the Intervals envelope, not a bare status.
  auto big =
      http.request("POST", "/client/", as("ada-token", "application/json", "application/json"),
                   "{\"name\":\"" + std::string(2 * 1024 * 1024, 'a') + "\"}");
  CHECK(big.status == 413);
  CHECK(big.body.find(R"("error":{"code":18)") != std::string::npos);

  HttpClient after(server.host(), server.port());
  CHECK(after.get("/client/", as("ada-token", "application/json")).status == 200);
  CHECK(export_db(server) == before);
}

TEST_CASE("intervals end to end: the description is cleaned, the address is one text") {
  ServerProcess server({intervals::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  auto r = http.request(
      "PUT", "/client/125/", as("ada-token", "application/xml", "application/xml"),
      "<client><description>&lt;p onclick=\"x()\"&gt;Hi&lt;script&gt;alert(1)&lt;/script&gt;"
      "&lt;a href=\"javascript:alert(2)\"&gt;link&lt;/a&gt;&lt;/p&gt;</description>"
      "<address>9 Elm St\nShelbyville</address></client>");
  CHECK(r.status == 202);
  CHECK(r.body.find("<description>&lt;p&gt;Hi&lt;a&gt;link&lt;/a&gt;&lt;/p&gt;</description>") !=
        std::string::npos);
  CHECK(r.body.find("<address>9 Elm St\nShelbyville</address>") != std::string::npos);
  auto json = http.get("/client/125/", as("ada-token", "application/json"));
  CHECK(json.body.find(R"("description":"<p>Hi<a>link</a></p>")") != std::string::npos);
  CHECK(json.body.find(R"("address":"9 Elm St\nShelbyville")") != std::string::npos);
}
