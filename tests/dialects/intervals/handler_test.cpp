// The intervals handler called directly (no socket) over a real SQLite file.
#include <sodium.h>

#include <rapidjson/document.h>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <variant>

#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/intervals/intervals.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "fixture.hpp"
#include "support/dialect_world.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
namespace http = boost::beast::http;

namespace {

std::string basic(const std::string& user, const std::string& password) {
  std::string plain = user + ":" + password;
  std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()),
                    plain.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return "Basic " + out;
}

struct Call {
  http::verb method = http::verb::get;
  std::string target;
  std::string token;  // "" : no Authorization
  std::string body;
  std::string content_type;  // "" : none
  std::string accept;        // "" : none
};

struct World : test::DialectWorld {
  World() : DialectWorld(test::intervals::kFixture, dialects::intervals::make) {}

  dialects::Response call(http::verb method, const std::string& target,
                          const std::string& token = "", const std::string& body = "",
                          const std::string& content_type = "", const std::string& accept = "") {
    const Call c{method, target, token, body, content_type, accept};
    http::request<http::empty_body> req{c.method, c.target, 11};
    if (!c.token.empty()) req.set(http::field::authorization, basic(c.token, "X"));
    if (!c.content_type.empty()) req.set(http::field::content_type, c.content_type);
    if (!c.accept.empty()) req.set(http::field::accept, c.accept);
    return handle(req, c.body);
  }
  dialects::Response get(const std::string& target, const std::string& token = "ada-token",
                         const std::string& accept = "") {
    return call(http::verb::get, target, token, "", "", accept);
  }
  dialects::Response send(http::verb method, const std::string& target, const std::string& body,
                          const std::string& token = "ada-token",
                          const std::string& type = "application/json",
                          const std::string& accept = "") {
    return call(method, target, token, body, type, accept);
  }
  std::int64_t listcount() {
    auto r = get("/client/?limit=0&active=", "ada-token");
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    return doc["listcount"].GetInt64();
  }
};

rapidjson::Document json(const dialects::Response& r) {
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

int api_code(const dialects::Response& r) {
  if (r.body.rfind("<?xml", 0) == 0) {
    auto start = r.body.find("<error><code>");
    REQUIRE(start != std::string::npos);
    return std::stoi(r.body.substr(start + 13));
  }
  auto doc = json(r);
  return doc["error"]["code"].GetInt();
}

std::vector<std::string> ids_of(const dialects::Response& r) {
  auto doc = json(r);
  std::vector<std::string> ids;
  for (const auto& item : doc["client"].GetArray())
    ids.emplace_back(item["id"].GetString());
  return ids;
}

using Ids = std::vector<std::string>;

const std::string kAcmeJson =
    R"({"id":"123","localid":"000001","localidunpadded":"1","name":"Acme Corporation",)"
    R"("datecreated":"2023-01-01","description":"One of our <b>best</b>",)"
    R"("email":"info@acme.test","website":"https://acme.test","phone":"555-0100","fax":null,)"
    R"("address":"1 Main St\nSuite 4\nSpringfield, IL 62701","active":"t"})";

}  // namespace

TEST_CASE("intervals handler: member GET, with and without the trailing slash, JSON and XML") {
  World w;
  auto r = w.get("/client/123/");
  CHECK(r.status == http::status::ok);
  CHECK(r.headers[http::field::content_type] == "application/json; charset=utf-8");
  CHECK(r.body ==
        R"({"personid":"7","status":"OK","code":200,"listcount":1,"client":[)" + kAcmeJson + "]}");
  CHECK(w.get("/client/123").body == r.body);

  auto xml = w.get("/client/123", "ada-token", "application/xml");
  CHECK(xml.status == http::status::ok);
  CHECK(xml.headers[http::field::content_type] == "application/xml; charset=utf-8");
  CHECK(xml.body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><intervals><personid>7</personid>"
        "<status>OK</status><code>200</code><listcount>1</listcount><client><item>"
        "<id>123</id><localid>000001</localid><localidunpadded>1</localidunpadded>"
        "<name>Acme Corporation</name><datecreated>2023-01-01</datecreated>"
        "<description>One of our &lt;b&gt;best&lt;/b&gt;</description>"
        "<email>info@acme.test</email><website>https://acme.test</website>"
        "<phone>555-0100</phone><fax></fax>"
        "<address>1 Main St\nSuite 4\nSpringfield, IL 62701</address><active>t</active>"
        "</item></client></intervals>");
}

TEST_CASE("intervals handler: missing, other company's and soft-deleted clients look alike") {
  World w;
  for (const char* accept : {"", "application/xml"}) {
    auto missing = w.get("/client/999/", "ada-token", accept);
    CHECK(missing.status == http::status::not_found);
    CHECK(api_code(missing) == 14);
    auto other = w.get("/client/126/", "ada-token", accept);
    auto deleted = w.get("/client/127/", "ada-token", accept);
    std::string expected = missing.body;
    expected.replace(expected.find("999"), 3, "126");
    CHECK(other.status == http::status::not_found);
    CHECK(other.body == expected);
    expected.replace(expected.find("126"), 3, "127");
    CHECK(deleted.body == expected);
    // Writes answer the same.
    auto put_other = w.send(http::verb::put, "/client/126/", R"({"name":"x"})");
    CHECK(put_other.status == http::status::not_found);
    CHECK(api_code(put_other) == 14);
    CHECK(w.call(http::verb::delete_, "/client/126/", "ada-token").status ==
          http::status::not_found);
  }
  auto json_missing = w.get("/client/999/");
  CHECK(json_missing.body ==
        R"({"personid":"7","status":"Not Found","code":404,"error":{"code":14,)"
        R"("message":"Resource not found","verbose":["No client with id 999"]}})");
  CHECK(api_code(w.get("/client/abc/")) == 14);
  CHECK(api_code(w.get("/client/-1/")) == 14);
  CHECK(api_code(w.get("/client/123/extra/")) == 14);
  CHECK(w.get("/client/123/extra/").status == http::status::not_found);
}

TEST_CASE("intervals handler: the collection, in id order, 10 by default, with listcount") {
  World w;
  auto r = w.get("/client/");
  CHECK(r.status == http::status::ok);
  auto doc = json(r);
  CHECK(std::string(doc["personid"].GetString()) == "7");
  CHECK(std::string(doc["status"].GetString()) == "OK");
  CHECK(doc["code"].GetInt() == 200);
  CHECK(doc["listcount"].GetInt() == 3);
  CHECK(ids_of(r) == Ids{"123", "124", "125"});
  CHECK(r.body.find(kAcmeJson) != std::string::npos);
  CHECK(w.get("/client").body == r.body);

  auto xml = w.get("/client/", "ada-token", "application/xml");
  CHECK(xml.body.find("<listcount>3</listcount><client><item><id>123</id>") != std::string::npos);
  CHECK(xml.body.find("<item><id>125</id>") != std::string::npos);

  // An empty page still has its (empty) list.
  auto none = w.get("/client/?localid=99");
  CHECK(none.body == R"({"personid":"7","status":"OK","code":200,"listcount":0,"client":[]})");
  CHECK(w.get("/client/?localid=99", "ada-token", "application/xml").body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><intervals><personid>7</personid>"
        "<status>OK</status><code>200</code><listcount>0</listcount><client></client>"
        "</intervals>");
}

TEST_CASE("intervals handler: default limit is 10, no cap, offset pages") {
  World w;
  for (int i = 0; i < 12; ++i) {
    auto r = w.send(http::verb::post, "/client/", R"({"name":"Bulk )" + std::to_string(i) + "\"}");
    REQUIRE(r.status == http::status::created);
  }
  auto first = w.get("/client/");
  CHECK(json(first)["listcount"].GetInt() == 15);
  CHECK(json(first)["client"].Size() == 10);
  auto all = w.get("/client/?limit=1000");
  CHECK(json(all)["client"].Size() == 15);
  auto page = w.get("/client/?offset=1&limit=2");
  CHECK(ids_of(page) == Ids{"124", "125"});
  CHECK(json(page)["listcount"].GetInt() == 15);
  auto zero = w.get("/client/?limit=0");
  CHECK(json(zero)["client"].Size() == 0);
  CHECK(json(zero)["listcount"].GetInt() == 15);
  CHECK(json(w.get("/client/?offset=1000000000"))["client"].Size() == 0);
}

TEST_CASE("intervals handler: every filter, in JSON and XML") {
  World w;
  CHECK(ids_of(w.get("/client/?localid=1,3")) == Ids{"123", "125"});
  CHECK(ids_of(w.get("/client/?localid=2")) == Ids{"124"});
  CHECK(ids_of(w.get("/client/?active=t")) == Ids{"123", "125"});
  CHECK(ids_of(w.get("/client/?active=f")) == Ids{"124"});
  CHECK(ids_of(w.get("/client/?search=acme")) == Ids{"123"});
  CHECK(ids_of(w.get("/client/?search=ACME,cyber")) == Ids{"123", "125"});
  CHECK(ids_of(w.get("/client/?search=best")) == Ids{"123"});    // the description
  CHECK(ids_of(w.get("/client/?search=000002")) == Ids{"124"});  // the localid, padded ...
  CHECK(ids_of(w.get("/client/?search=3")) == Ids{"125"});       // ... or not
  CHECK(ids_of(w.get("/client/?projectsonly=t")) == Ids{"123", "125"});
  CHECK(ids_of(w.get("/client/?projectsonly=f")) == Ids{"123", "124", "125"});
  CHECK(ids_of(w.get("/client/?sortfield=name&sortdir=DESC")) == Ids{"125", "124", "123"});
  CHECK(ids_of(w.get("/client/?sortfield=datecreated")) == Ids{"125", "123", "124"});
  CHECK(ids_of(w.get("/client/?sortfield=localid&sortdir=desc")) == Ids{"125", "124", "123"});
  CHECK(ids_of(w.get("/client/?sortfield=id&sortdir=Desc")) == Ids{"125", "124", "123"});
  CHECK(ids_of(w.get("/client/?active=t&search=s&sortfield=name&sortdir=desc&limit=1")) ==
        Ids{"125"});
  CHECK(ids_of(w.get("/client/?")) == Ids{"123", "124", "125"});
  CHECK(ids_of(w.get("/client/?&localid=2&&")) == Ids{"124"});
  CHECK(w.get("/client/123/?").status == http::status::ok);
  auto xml = w.get("/client/?localid=1,3&active=t", "ada-token", "application/xml");
  CHECK(xml.body.find("<listcount>2</listcount>") != std::string::npos);
  CHECK(xml.body.find("<id>124</id>") == std::string::npos);
}

TEST_CASE("intervals handler: every role reads; administrator-only fields only for admins") {
  World w;
  for (const char* token : {"max-token", "rita-token", "eve-token"}) {
    for (const char* accept : {"", "application/xml"}) {
      auto r = w.get("/client/", token, accept);
      CHECK(r.status == http::status::ok);
      CHECK(r.body.find("datecreated") == std::string::npos);
      CHECK(r.body.find("description") == std::string::npos);
      CHECK(r.body.find("address") == std::string::npos);
      CHECK(r.body.find("info@acme.test") == std::string::npos);
    }
    auto member = w.get("/client/123/", token);
    CHECK(member.body.find(R"("client":[{"id":"123","localid":"000001","localidunpadded":"1",)"
                           R"("name":"Acme Corporation","active":"t"}])") != std::string::npos);
  }
  CHECK(json(w.get("/client/", "max-token"))["personid"].GetString() == std::string("8"));
  // Cy: administrator of 456, resource of 457: the fields follow the client's company.
  auto cy = json(w.get("/client/?limit=100", "cy-token"));
  for (const auto& item : cy["client"].GetArray()) {
    bool admin_fields = item.HasMember("description");
    CHECK(admin_fields == (std::string(item["id"].GetString()) != "126"));
  }
}

TEST_CASE("intervals handler: create with POST or PUT, JSON or XML") {
  World w;
  auto r =
      w.send(http::verb::post, "/client/",
             R"({"name":"New Co","email":"new@co.test","phone":"555",)"
             R"("address":"9 Elm St\nShelbyville","description":"<p onclick=\"x()\">Hi</p>"})");
  CHECK(r.status == http::status::created);
  auto doc = json(r);
  CHECK(std::string(doc["status"].GetString()) == "Created");
  CHECK(doc["code"].GetInt() == 201);
  CHECK_FALSE(doc.HasMember("listcount"));
  const auto& item = doc["client"][0];
  std::string id = item["id"].GetString();
  CHECK(std::string(item["localid"].GetString()) == "000005");  // after 1..4 of company 456
  CHECK(std::string(item["localidunpadded"].GetString()) == "5");
  CHECK(std::string(item["name"].GetString()) == "New Co");
  CHECK(std::string(item["datecreated"].GetString()) == core::Timestamp::now().date());
  CHECK(std::string(item["description"].GetString()) == "<p>Hi</p>");
  CHECK(std::string(item["address"].GetString()) == "9 Elm St\nShelbyville");
  CHECK(std::string(item["active"].GetString()) == "t");
  CHECK(item["fax"].IsNull());
  CHECK(w.get("/client/" + id + "/").body.find(R"("name":"New Co")") != std::string::npos);

  auto put = w.send(http::verb::put, "/client",
                    R"({"name":"Via Put","active":"f",)"
                    R"("datecreated":"2020-02-29"})");
  CHECK(put.status == http::status::created);
  CHECK(put.body.find(R"("datecreated":"2020-02-29")") != std::string::npos);
  CHECK(put.body.find(R"("active":"f")") != std::string::npos);

  auto xml = w.send(http::verb::post, "/client/",
                    "<client><name>Xml &amp; Co</name><website>https://x.test</website>"
                    "<active>t</active></client>",
                    "ada-token", "application/xml", "application/xml");
  CHECK(xml.status == http::status::created);
  CHECK(xml.headers[http::field::content_type] == "application/xml; charset=utf-8");
  CHECK(xml.body.find("<status>Created</status><code>201</code><client><item><id>") !=
        std::string::npos);
  CHECK(xml.body.find("<name>Xml &amp; Co</name>") != std::string::npos);
  CHECK(xml.body.find("<website>https://x.test</website>") != std::string::npos);
  // JSON in, XML out and the reverse.
  auto mixed = w.send(http::verb::post, "/client/", R"({"name":"Mixed"})", "ada-token",
                      "application/json", "application/xml");
  CHECK(mixed.status == http::status::created);
  CHECK(mixed.body.find("<name>Mixed</name>") != std::string::npos);
}

TEST_CASE("intervals handler: update changes only the fields sent, POST with an id too") {
  World w;
  auto r = w.send(http::verb::put, "/client/123/", R"({"phone":"555-9999","address":"PO Box 1"})");
  CHECK(r.status == http::status::accepted);
  auto doc = json(r);
  CHECK(std::string(doc["status"].GetString()) == "Accepted");
  CHECK(doc["code"].GetInt() == 202);
  const auto& item = doc["client"][0];
  CHECK(std::string(item["phone"].GetString()) == "555-9999");
  CHECK(std::string(item["address"].GetString()) == "PO Box 1");
  CHECK(std::string(item["name"].GetString()) == "Acme Corporation");
  CHECK(std::string(item["email"].GetString()) == "info@acme.test");
  CHECK(std::string(item["datecreated"].GetString()) == "2023-01-01");
  // The address is one text now: city, state and postal code went with the rewrite.
  auto stored = w.repo->export_dataset();
  for (const auto& c : stored.clients) {
    if (c.id != 123) continue;
    CHECK(*c.address1 == "PO Box 1");
    CHECK_FALSE(c.address2);
    CHECK_FALSE(c.city);
    CHECK_FALSE(c.state);
    CHECK_FALSE(c.postal_code);
  }

  auto post = w.send(http::verb::post, "/client/123", R"({"active":"f"})");
  CHECK(post.status == http::status::accepted);
  CHECK(post.body.find(R"("active":"f")") != std::string::npos);

  auto xml = w.send(http::verb::put, "/client/125/",
                    "<client><description/><name>Cyberdyne</name></client>", "ada-token",
                    "application/xml", "application/xml");
  CHECK(xml.status == http::status::accepted);
  CHECK(xml.body.find("<status>Accepted</status><code>202</code>") != std::string::npos);
  CHECK(xml.body.find("<name>Cyberdyne</name>") != std::string::npos);
  CHECK(xml.body.find("<description></description>") != std::string::npos);

  // A fetched element sent back as it is (id, localid ... included) is accepted.
  auto round = w.send(http::verb::put, "/client/123/", kAcmeJson);
  CHECK(round.status == http::status::accepted);
  CHECK(round.body.find(R"("address":"1 Main St\nSuite 4\nSpringfield, IL 62701")") !=
        std::string::npos);
  // An empty body changes nothing.
  CHECK(w.send(http::verb::put, "/client/123/", "").status == http::status::accepted);
}

TEST_CASE("intervals handler: delete, refused while projects hold time entries") {
  World w;
  for (const char* accept : {"", "application/xml"}) {
    auto refused = w.call(http::verb::delete_, "/client/123/", "ada-token", "", "", accept);
    CHECK(refused.status == http::status::bad_request);
    CHECK(api_code(refused) == 18);
    CHECK(refused.body.find("Client 123 has projects with time entries") != std::string::npos);
  }
  CHECK(w.get("/client/123/").status == http::status::ok);

  auto deleted = w.call(http::verb::delete_, "/client/125/", "ada-token");
  CHECK(deleted.status == http::status::ok);
  CHECK(deleted.body == R"({"personid":"7","status":"OK","code":200})");
  CHECK(w.get("/client/125/").status == http::status::not_found);
  auto xml = w.call(http::verb::delete_, "/client/124", "ada-token", "", "", "application/xml");
  CHECK(xml.body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><intervals><personid>7</personid>"
        "<status>OK</status><code>200</code></intervals>");
  // Removed for good: no other dialect sees it either.
  for (const auto& c : w.repo->export_dataset().clients) {
    CHECK(c.id != 124);
    CHECK(c.id != 125);
  }
}

TEST_CASE("intervals handler: writes are for administrators only (403, code 10)") {
  World w;
  auto before = w.listcount();
  for (const char* token : {"max-token", "rita-token", "eve-token"}) {
    for (const char* accept : {"", "application/xml"}) {
      auto post = w.send(http::verb::post, "/client/", R"({"name":"Nope"})", token,
                         "application/json", accept);
      CHECK(post.status == http::status::forbidden);
      CHECK(api_code(post) == 10);
      auto put = w.send(http::verb::put, "/client/123/", R"({"name":"Nope"})", token,
                        "application/json", accept);
      CHECK(put.status == http::status::forbidden);
      CHECK(api_code(put) == 10);
      auto del = w.call(http::verb::delete_, "/client/125/", token, "", "", accept);
      CHECK(del.status == http::status::forbidden);
      CHECK(api_code(del) == 10);
    }
  }
  auto max = json(w.send(http::verb::post, "/client/", R"({"name":"Nope"})", "max-token"));
  CHECK(std::string(max["personid"].GetString()) == "8");
  CHECK(std::string(max["status"].GetString()) == "Forbidden");
  // Cy creates in the first company (457) where Cy is a resource: refused. Cy administers
  // 456: updates there are fine, in 457 refused.
  CHECK(w.send(http::verb::post, "/client/", R"({"name":"Nope"})", "cy-token").status ==
        http::status::forbidden);
  CHECK(w.send(http::verb::put, "/client/123/", R"({"fax":"1"})", "cy-token").status ==
        http::status::accepted);
  CHECK(w.send(http::verb::put, "/client/126/", R"({"fax":"1"})", "cy-token").status ==
        http::status::forbidden);
  CHECK(w.listcount() == before);
  CHECK(w.get("/client/123/").body.find("Nope") == std::string::npos);
  // Bob creates in 457, where Ada does not see it.
  auto bob = w.send(http::verb::post, "/client/", R"({"name":"Bob's"})", "bob-token");
  CHECK(bob.status == http::status::created);
  CHECK(bob.body.find(R"("localid":"000002")") != std::string::npos);
  CHECK(w.listcount() == before);
}

TEST_CASE("intervals handler: credentials (401, code 9, personid empty)") {
  World w;
  for (const char* accept : {"", "application/xml"}) {
    auto none = w.call(http::verb::get, "/client/", "", "", "", accept);
    CHECK(none.status == http::status::unauthorized);
    CHECK(api_code(none) == 9);
    CHECK(none.headers[http::field::www_authenticate] == "Basic realm=\"Intervals API\"");
    auto wrong = w.call(http::verb::get, "/client/123/", "wrong-token", "", "", accept);
    CHECK(wrong.status == http::status::unauthorized);
    CHECK(wrong.body == none.body);
  }
  CHECK(w.get("/client/").body.find(R"("personid":"7")") != std::string::npos);
  CHECK(w.call(http::verb::get, "/client/")
            .body.rfind(R"({"personid":"","status":"Unauthorized","code":401,"error":{"code":9,)",
                        0) == 0);
  // The password is not looked at; a Bearer header is not Basic.
  http::request<http::empty_body> req{http::verb::get, "/client/", 11};
  req.set(http::field::authorization, basic("ada-token", "anything at all"));
  auto url = boost::urls::parse_origin_form("/client/");
  CHECK(w.dialect->handle({req.base(), *url, "", {}}).status == http::status::ok);
  req.set(http::field::authorization, "Bearer ada-token");
  CHECK(w.dialect->claim(req.base(), *url) == dialects::Claim::path);
  CHECK(w.dialect->handle({req.base(), *url, "", {}}).status == http::status::unauthorized);
  req.set(http::field::authorization, basic("", "ada-token"));
  CHECK(w.dialect->handle({req.base(), *url, "", {}}).status == http::status::unauthorized);
}

TEST_CASE("intervals handler: claims /client paths only") {
  World w;
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  auto claim = [&](const char* target) {
    auto url = boost::urls::parse_origin_form(target);
    REQUIRE(url);
    return w.dialect->claim(req.base(), *url);
  };
  CHECK(claim("/client/") == dialects::Claim::path);
  CHECK(claim("/client") == dialects::Claim::path);
  CHECK(claim("/client/5/?x=1") == dialects::Claim::path);
  CHECK(claim("/clients") == dialects::Claim::none);
  CHECK(claim("/clients.xml") == dialects::Claim::none);
  CHECK(claim("/api/v1/clients") == dialects::Claim::none);
  CHECK(claim("/") == dialects::Claim::none);
  req.set(http::field::authorization, basic("t", "X"));
  CHECK(claim("/client/") == dialects::Claim::credential);
}

TEST_CASE("intervals handler: methods not available (400, code 16)") {
  World w;
  for (const char* accept : {"", "application/xml"}) {
    auto del = w.call(http::verb::delete_, "/client/", "ada-token", "", "", accept);
    CHECK(del.status == http::status::bad_request);
    CHECK(api_code(del) == 16);
    CHECK(api_code(w.call(http::verb::patch, "/client/123/", "ada-token", "", "", accept)) == 16);
    CHECK(api_code(w.call(http::verb::options, "/client/", "ada-token", "", "", accept)) == 16);
  }
  CHECK(w.get("/client/125/").status == http::status::ok);
}

TEST_CASE("intervals handler: bad query strings (17 unknown, 18 bad value)") {
  World w;
  struct Case {
    const char* query;
    int code;
  };
  for (auto c :
       {Case{"statusid=1", 17}, Case{"limit=-1", 18}, Case{"limit=abc", 18}, Case{"offset=1e9", 18},
        Case{"sortfield=password", 18}, Case{"sortdir=sideways", 18}, Case{"active=maybe", 18},
        Case{"localid=1,,x", 18}, Case{"projectsonly=yes", 18}}) {
    for (const char* accept : {"", "application/xml"}) {
      auto r = w.get(std::string("/client/?") + c.query, "ada-token", accept);
      INFO(c.query << " " << accept);
      CHECK(r.status == http::status::bad_request);
      CHECK(api_code(r) == c.code);
    }
  }
  auto unknown = w.get("/client/?statusid=1");
  CHECK(unknown.body == R"({"personid":"7","status":"Bad Request","code":400,"error":{"code":17,)"
                        R"("message":"Parameter not recognized",)"
                        R"("verbose":["Unknown parameter: statusid"]}})");
  // A member and a write take no parameters of their own: an unknown one is still 17.
  CHECK(api_code(w.get("/client/123/?x=1")) == 17);
  CHECK(api_code(w.get("/client/123/?limit=1&x=1")) == 17);
  CHECK(api_code(w.send(http::verb::post, "/client/?x=1", R"({"name":"Q"})")) == 17);
}

TEST_CASE("intervals handler: list filters on a member route or a write are ignored") {
  // The Ruby intervals_api client re-sends its last list filters on later calls.
  World w;
  const std::string filters =
      "?localid=1,2&active=t&search=a&projectsonly=f&sortfield=name"
      "&sortdir=desc&offset=0&limit=1";
  auto shown = w.get("/client/123/" + filters);
  CHECK(shown.status == http::status::ok);
  CHECK(shown.body == w.get("/client/123/").body);
  // Ignored, not validated: a bad value for a list filter is no error here either.
  CHECK(w.get("/client/123/?limit=-1").status == http::status::ok);
  auto created = w.send(http::verb::post, "/client/" + filters, R"({"name":"Filtered"})");
  CHECK(created.status == http::status::created);
  auto updated = w.send(http::verb::put, "/client/123/" + filters, R"({"phone":"1"})");
  CHECK(updated.status == http::status::accepted);
}

TEST_CASE("intervals handler: bad bodies are refused and write nothing") {
  World w;
  auto before = w.listcount();
  std::string acme_before = w.get("/client/123/").body;
  struct Case {
    std::string body;
    std::string type;
    int code;
  };
  std::vector<Case> cases = {
      {R"([{"name":"Array"}])", "application/json", 18},
      {R"({"name":"Broken")", "application/json", 18},
      {R"({"name":"JSON as XML"})", "application/xml", 18},
      {"<client><name>XML as JSON</name></client>", "application/json", 18},
      {"<!DOCTYPE client [<!ENTITY x \"y\">]><client><name>&x;</name></client>", "application/xml",
       18},
      {R"({"name":")" + std::string(256, 'n') + "\"}", "application/json", 18},
      {R"({"name":"Ok","email":")" + std::string(256, 'e') + "\"}", "application/json", 18},
      {R"({"name":"Ok","website":")" + std::string(256, 'w') + "\"}", "application/json", 18},
      {R"({"name":"Ok","phone":")" + std::string(51, '5') + "\"}", "application/json", 18},
      {"<client><name>Ok</name><fax>" + std::string(51, '5') + "</fax></client>", "application/xml",
       18},
      {R"({"name":"Ok","active":"maybe"})", "application/json", 18},
      {R"({"name":"Ok","datecreated":"yesterday"})", "application/json", 18},
      {R"({"name":""})", "application/json", 18},
      {R"({"name":"Ok","statusid":"1"})", "application/json", 17},
      {"<client><name>Ok</name><statusid>1</statusid></client>", "application/xml", 17},
      {R"({"name":"Ok"})", "text/plain", 18},
  };
  for (const auto& c : cases) {
    for (const char* accept : {"", "application/xml"}) {
      INFO(c.body << " as " << c.type);
      auto post = w.send(http::verb::post, "/client/", c.body, "ada-token", c.type, accept);
      CHECK(post.status == http::status::bad_request);
      CHECK(api_code(post) == c.code);
      auto put = w.send(http::verb::put, "/client/123/", c.body, "ada-token", c.type, accept);
      CHECK(put.status == http::status::bad_request);
      CHECK(api_code(put) == c.code);
    }
  }
  auto missing_name = w.send(http::verb::post, "/client/", R"({"email":"a@b.test"})");
  CHECK(api_code(missing_name) == 18);
  CHECK(missing_name.body.find("The field name is required") != std::string::npos);
  auto array = w.send(http::verb::post, "/client/", R"([])");
  CHECK(array.body == R"({"personid":"7","status":"Bad Request","code":400,"error":{"code":18,)"
                      R"("message":"Validation error",)"
                      R"("verbose":["The request body must be one JSON object, not an array"]}})");
  CHECK(w.listcount() == before);
  CHECK(w.get("/client/123/").body == acme_before);
}

TEST_CASE("intervals handler: the description is cleaned with an HTML parser") {
  World w;
  auto r = w.send(http::verb::put, "/client/123/",
                  R"({"description":"<p>Keep <a href=\"javascript:alert(1)\" )"
                  R"(onmouseover=\"x()\">this</a><script>alert(2)</script><style>p{}</style>)"
                  R"(<b>bold<i>nested</b></p>"})");
  CHECK(r.status == http::status::accepted);
  CHECK(r.body.find(R"("description":"<p>Keep <a>this</a><b>bold<i>nested</i></b></p>")") !=
        std::string::npos);
}

TEST_CASE("intervals handler: show_as answers like a GET, and transport errors") {
  World w;
  auto ada = w.auth->by_token("ada-token");
  REQUIRE(ada);
  auto shown = w.dialect->show_as(*ada, 123);
  REQUIRE(shown);
  CHECK(shown->body == w.get("/client/123/").body);
  auto missing = w.dialect->show_as(*ada, 126);
  REQUIRE(missing);
  CHECK(missing->status == http::status::not_found);

  http::request<http::empty_body> req{http::verb::post, "/client/", 11};
  auto too_large = w.dialect->transport_error(dialects::TransportError::body_too_large, req.base());
  CHECK(too_large.status == http::status::payload_too_large);
  CHECK(too_large.body.rfind(R"({"personid":"","status":"Payload Too Large","code":413,)"
                             R"("error":{"code":18,)",
                             0) == 0);
  req.set(http::field::accept, "application/xml");
  auto offline = w.dialect->transport_error(dialects::TransportError::unavailable, req.base());
  CHECK(offline.status == http::status::service_unavailable);
  CHECK(offline.body.find("<error><code>20</code>") != std::string::npos);
  CHECK(w.dialect->transport_error(dialects::TransportError::timeout, req.base()).status ==
        http::status::request_timeout);
  CHECK(w.dialect->transport_error(dialects::TransportError::bad_request, req.base()).status ==
        http::status::bad_request);
}

TEST_CASE("intervals handler: a store that cannot write answers 503, code 20") {
  World w;
  storage::StorageSettings read_only;
  read_only.read_only = true;
  auto repo = storage::SqliteRepository::open(w.dir / "db.sqlite", read_only);
  core::ClientService clients(*repo);
  core::Authenticator auth(*repo);
  auto dialect = dialects::intervals::make(dialects::Services{clients, auth, w.settings});
  http::request<http::empty_body> req{http::verb::post, "/client/", 11};
  req.set(http::field::authorization, basic("ada-token", "X"));
  req.set(http::field::content_type, "application/json");
  auto url = boost::urls::parse_origin_form("/client/");
  auto r = dialect->handle({req.base(), *url, R"({"name":"Read only"})", {}});
  CHECK(r.status == http::status::service_unavailable);
  CHECK(api_code(r) == 20);
  CHECK(r.headers[http::field::retry_after] == "1");
}
