// The ninja handler called directly (no socket) over a real SQLite file.
#include <rapidjson/document.h>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <variant>

#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/ninja/ninja.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "fixture.hpp"
#include "handler_world.hpp"
#include "ninja/hashid_codec.hpp"
#include "support/dialect_world.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
using namespace clientgate::test::ninja;
namespace http = boost::beast::http;

namespace {

const std::string kSeedClient =
    R"({"data":{"id":"OpnelpJeKB","user_id":"","assigned_user_id":"","name":"O'Reilly-Metz",)"
    R"("website":"http:\/\/www.okeefe.com\/aut-nostrum-omnis-explicabo-nostrum.html",)"
    R"("private_notes":"Laudantium enim numquam provident eius ipsa.","balance":10735.05,)"
    R"("group_settings_id":"","paid_to_date":0,"payment_balance":0,"credit_balance":0,)"
    R"("last_login":0,"size_id":"","public_notes":"",)"
    R"("client_hash":"VOYXVqOLrT1pc4FdKCg8AXVIeumby5IfKvkQ1eAB","address1":"83865",)"
    R"("address2":"28362 Carlotta Junctions Apt. 508","phone":"","city":"South Sibylstad",)"
    R"("state":"New York","postal_code":"52557-0628","country_id":"288","industry_id":"",)"
    R"("custom_value1":"","custom_value2":"","custom_value3":"","custom_value4":"",)"
    R"("shipping_address1":"9999","shipping_address2":"6540 Kari Meadows Apt. 411",)"
    R"("shipping_city":"East Jordy","shipping_state":"Illinois",)"
    R"("shipping_postal_code":"39913-0552","shipping_country_id":"4",)"
    R"("settings":{"entity":"App\\Models\\Client","industry_id":"","size_id":"",)"
    R"("currency_id":"1"},"is_deleted":false,"vat_number":"929146739","id_number":"",)"
    R"("updated_at":1631673918,"archived_at":0,"created_at":1631673918,)"
    R"("display_name":"O'Reilly-Metz","number":"0001","has_valid_vat_number":false,)"
    R"("is_tax_exempt":false,"routing_id":"","tax_info":{},"classification":"",)"
    R"("e_invoice":{},"contacts":[)"
    R"({"id":"YQdJqg9bOG","first_name":"Jewell","last_name":"McClure",)"
    R"("email":"user@example.com","created_at":1631673918,"updated_at":1631673918,)"
    R"("archived_at":0,"is_primary":true,"is_locked":false,"phone":"276-345-6722",)"
    R"("custom_value1":"","custom_value2":"","custom_value3":"","custom_value4":"",)"
    R"("contact_key":"d78CHQD80ePJbEn7tYX1fsRn5hXr7XiWQqjJYT9Q","send_email":true,)"
    R"("last_login":0,"password":"**********","link":)"
    R"("http:\/\/ninja.test:8000\/client\/key_login\/d78CHQD80ePJbEn7tYX1fsRn5hXr7XiWQqjJYT9Q"},)"
    R"({"id":"y1aKZjleQG","first_name":"Alaina","last_name":"Wuckert",)"
    R"("email":"amcdermott@example.org","created_at":1631673918,"updated_at":1631673918,)"
    R"("archived_at":0,"is_primary":false,"is_locked":false,"phone":"(641) 879-8481",)"
    R"("custom_value1":"","custom_value2":"","custom_value3":"","custom_value4":"",)"
    R"("contact_key":"KQoEiBxAQe05p43QubjoMcHxYKkBQLpWU4Swxi86","send_email":true,)"
    R"("last_login":0,"password":"**********","link":)"
    R"("http:\/\/ninja.test:8000\/client\/key_login\/KQoEiBxAQe05p43QubjoMcHxYKkBQLpWU4Swxi86"}],)"
    R"("documents":[],"gateway_tokens":[]}})";

}  // namespace

TEST_CASE("ninja handler: the seed's client, byte for byte") {
  World w;
  auto r = w.get("/api/v1/clients/OpnelpJeKB");
  CHECK(r.status == http::status::ok);
  CHECK(r.headers[http::field::content_type] == "application/json");
  CHECK(r.headers["X-App-Version"] != "");
  CHECK(r.headers["X-Api-Version"] != "");
  CHECK(r.body == kSeedClient);
  CHECK(w.get("/api/v1/clients/OpnelpJeKB/edit").body == kSeedClient);
  CHECK(w.get("/v1/api/clients/OpnelpJeKB").body == kSeedClient);  // the old docs' typo path
  auto shown = w.dialect->show_as(*w.auth->by_token("admin-token"), 391);
  REQUIRE(shown);
  CHECK(shown->body.find(R"("id":"OpnelpJeKB")") != std::string::npos);
}

TEST_CASE("ninja handler: credentials and secret") {
  World w;
  auto r = w.call({http::verb::get, "/api/v1/clients", "wrong", "", "", {}});
  CHECK(r.status == http::status::forbidden);
  CHECK(r.body == R"({"message":"Invalid token","errors":{}})");
  http::request<http::empty_body> req{http::verb::get, "/api/v1/clients", 11};
  auto url = boost::urls::parse_origin_form("/api/v1/clients");
  CHECK(w.dialect->claim(req.base(), *url) == dialects::Claim::none);  // json_v1's
  auto doc_url = boost::urls::parse_origin_form("/api/v1/documents/VolejRejNm/download");
  CHECK(w.dialect->claim(req.base(), *doc_url) == dialects::Claim::path);
  CHECK(w.dialect->handle({req.base(), *doc_url, "", {}}).status == http::status::forbidden);

  World s(dialects::DialectSettings{{"api_secret", "s3cret"}});
  CHECK(s.get("/api/v1/clients").body == R"({"message":"Invalid secret","errors":{}})");
  CHECK(s.call({http::verb::get,
                "/api/v1/clients",
                "company-token-test",
                "",
                "",
                {{"X-API-SECRET", "wrong"}}})
            .status == http::status::forbidden);
  CHECK(s.call({http::verb::get,
                "/api/v1/clients",
                "company-token-test",
                "",
                "",
                {{"X-API-SECRET", "s3cret"}}})
            .status == http::status::ok);
}

TEST_CASE("ninja handler: ids in the path") {
  World w;
  auto r = w.get("/api/v1/clients/garbage!!");
  CHECK(r.status == http::status::bad_request);
  CHECK(r.body == R"({"message":"No query results for model [App\\Models\\Client]."})");
  CHECK(w.get("/api/v1/clients/391").body == R"({"message":"Record with value 391 not found"})");
  // 395 is company 2's: answered exactly as a missing id.
  std::string foreign = w.get("/api/v1/clients/" + dialects::ninja::HashidCodec().encode(395)).body;
  std::string missing =
      w.get("/api/v1/clients/" + dialects::ninja::HashidCodec().encode(9999)).body;
  CHECK(foreign == missing);
  CHECK(foreign == r.body);
  // The all-companies token of the same user sees it.
  CHECK(w.get("/api/v1/clients/" + dialects::ninja::HashidCodec().encode(395), "admin-token")
            .status == http::status::ok);
}

TEST_CASE("ninja handler: unknown routes and methods") {
  World w;
  for (auto [m, t] : std::vector<std::pair<http::verb, std::string>>{
           {http::verb::get, "/api/v1/invoices"},
           {http::verb::delete_, "/api/v1/clients"},
           {http::verb::post, "/api/v1/clients/OpnelpJeKB/edit"},
           {http::verb::get, "/api/v1/clients/OpnelpJeKB/nope"},
           {http::verb::get, "/api/v1/clients/OpnelpJeKB/upload"}}) {
    auto r = w.call({m, t, "company-token-test", "", "", {}});
    CHECK(r.status == http::status::not_found);
    CHECK(r.body == R"({"message":"Method not supported for this route"})");
  }
}

TEST_CASE("ninja handler: listing, paging and links") {
  World w;
  auto r = w.get("/api/v1/clients");
  CHECK(r.status == http::status::ok);
  // Archived and deleted clients are in the default list; company 2's are not.
  CHECK(names(r.body) == std::vector<std::string>{"O'Reilly-Metz", "Beta Industries", "Archived Co",
                                                  "Deleted Co", "X"});
  CHECK(r.body.find(R"("meta":{"pagination":{"total":5,"count":5,"per_page":20,)"
                    R"("current_page":1,"total_pages":1,"links":[]}})") != std::string::npos);
  auto p2 = w.get("/api/v1/clients?per_page=1&page=2&name=e");
  CHECK(names(p2.body) == std::vector<std::string>{"Beta Industries"});
  CHECK(
      p2.body.find(
          R"("links":{"previous":"http:\/\/ninja.test:8000\/api\/v1\/clients?per_page=1&page=1&name=e",)"
          R"("next":"http:\/\/ninja.test:8000\/api\/v1\/clients?per_page=1&page=3&name=e"}})") !=
      std::string::npos);
  auto beyond = w.get("/api/v1/clients?page=9");
  CHECK(names(beyond.body).empty());
  CHECK(beyond.body.find(R"("total":5,"count":0,"per_page":20,"current_page":9,"total_pages":1)") !=
        std::string::npos);
  CHECK(w.get("/api/v1/clients?per_page=-5").body.find(R"("per_page":5)") != std::string::npos);
  CHECK(w.get("/api/v1/clients?per_page=0").body.find(R"("per_page":15)") != std::string::npos);
  CHECK(w.get("/api/v1/clients?per_page=999999").body.find(R"("per_page":5000)") !=
        std::string::npos);
  // The user token (no company) sees both companies.
  CHECK(names(w.get("/api/v1/clients", "admin-token").body).size() == 6);
}

TEST_CASE("ninja handler: every filter, status and sort") {
  World w;
  using V = std::vector<std::string>;
  CHECK(names(w.get("/api/v1/clients?balance=gt:0").body) == V{"O'Reilly-Metz", "Beta Industries"});
  CHECK(names(w.get("/api/v1/clients?balance=0:lt").body) == V{"Archived Co"});
  CHECK(names(w.get("/api/v1/clients?balance=eq:5").body) == V{"Beta Industries"});
  CHECK(names(w.get("/api/v1/clients?between_balance=-3:5").body) ==
        V{"Beta Industries", "Archived Co", "Deleted Co", "X"});
  CHECK(names(w.get("/api/v1/clients?email=bea@beta.example").body) == V{"Beta Industries"});
  CHECK(names(w.get("/api/v1/clients?id_number=ID-B").body) == V{"Beta Industries"});
  CHECK(names(w.get("/api/v1/clients?number=0003").body) == V{"Archived Co"});
  CHECK(names(w.get("/api/v1/clients?filter=blue").body) == V{"Beta Industries"});
  CHECK(names(w.get("/api/v1/clients?filter=wuckert").body) == V{"O'Reilly-Metz"});
  CHECK(names(w.get("/api/v1/clients?filter=879-8481").body) == V{"O'Reilly-Metz"});
  CHECK(names(w.get("/api/v1/clients?created_at=2022-02-01").body) ==
        V{"Archived Co", "Deleted Co", "X"});
  CHECK(names(w.get("/api/v1/clients?created_at=1672531200").body) == V{"X"});
  CHECK(names(w.get("/api/v1/clients?updated_at=2022-06-15").body) == V{"Deleted Co", "X"});
  CHECK(names(w.get("/api/v1/clients?is_deleted=true").body) == V{"Deleted Co"});
  CHECK(names(w.get("/api/v1/clients?is_deleted=false").body).size() == 4);
  CHECK(names(w.get("/api/v1/clients?status=active").body) ==
        V{"O'Reilly-Metz", "Beta Industries", "X"});
  CHECK(names(w.get("/api/v1/clients?status=archived").body) == V{"Archived Co"});
  CHECK(names(w.get("/api/v1/clients?status=archived,deleted").body) ==
        V{"Archived Co", "Deleted Co"});
  CHECK(names(w.get("/api/v1/clients?sort=name%7Casc").body) ==
        V{"Archived Co", "Beta Industries", "Deleted Co", "O'Reilly-Metz", "X"});
  CHECK(names(w.get("/api/v1/clients?sort=balance%7Cdesc").body).front() == "O'Reilly-Metz");
  CHECK(names(w.get("/api/v1/clients?sort=name;drop%20table").body).front() == "O'Reilly-Metz");
  CHECK(w.get("/api/v1/clients?include=contacts,documents,gateway_tokens").status ==
        http::status::ok);
  auto inc = w.get("/api/v1/clients?include=nonsense");
  CHECK(inc.status == http::status::bad_request);
  CHECK(inc.body == R"({"message":"Relation `nonsense` is not a valid include."})");
  auto bal = w.get("/api/v1/clients?balance=zz:1");
  CHECK(bal.status == http::status::unprocessable_entity);
  CHECK(bal.body.find(R"("errors":{"balance":[)") != std::string::npos);
  // display_name falls back to the first contact's e-mail for a one-letter name.
  CHECK(w.get("/api/v1/clients?number=0005").body.find(R"("display_name":"only@mail.example")") !=
        std::string::npos);
}

TEST_CASE("ninja handler: create, as JSON and as the SDK's form") {
  World w;
  auto r = w.json(http::verb::post, "/api/v1/clients/", R"({"name":"Brand spanking new client"})");
  REQUIRE(r.status == http::status::ok);
  auto d = parse(r.body);
  CHECK(std::string(d["data"]["name"].GetString()) == "Brand spanking new client");
  CHECK(std::string(d["data"]["number"].GetString()) == "0006");
  CHECK(d["data"]["contacts"].Size() == 1);  // one blank primary contact
  CHECK(d["data"]["contacts"][0]["is_primary"].GetBool());
  CHECK(std::string(d["data"]["client_hash"].GetString()).size() == 40);
  CHECK(std::string(d["data"]["contacts"][0]["contact_key"].GetString()).size() == 40);
  std::string id = d["data"]["id"].GetString();
  CHECK(w.get("/api/v1/clients/" + id).body == r.body);

  auto f = w.form(http::verb::post, "/api/v1/clients",
                  "name=Form+Co&number=F-1&country_id=840&settings%5Bcurrency_id%5D=2&"
                  "contacts%5B0%5D%5Bemail%5D=a%40b.co&contacts%5B0%5D%5Bsend_email%5D=0&"
                  "contacts%5B1%5D%5Bfirst_name%5D=Second&contacts%5B1%5D%5Bis_primary%5D=1");
  REQUIRE(f.status == http::status::ok);
  auto fd = parse(f.body);
  CHECK(std::string(fd["data"]["number"].GetString()) == "F-1");
  CHECK(std::string(fd["data"]["country_id"].GetString()) == "840");
  CHECK(std::string(fd["data"]["settings"]["currency_id"].GetString()) == "2");
  REQUIRE(fd["data"]["contacts"].Size() == 2);
  // The flagged contact is the primary one, listed first.
  CHECK(std::string(fd["data"]["contacts"][0]["first_name"].GetString()) == "Second");
  CHECK(std::string(fd["data"]["contacts"][1]["email"].GetString()) == "a@b.co");
  CHECK_FALSE(fd["data"]["contacts"][1]["send_email"].GetBool());
  CHECK(std::string(fd["data"]["display_name"].GetString()) == "Form Co");

  // Multipart with the same notation.
  std::string mp =
      "--q\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nMulti Co\r\n"
      "--q\r\nContent-Disposition: form-data; name=\"contacts[0][email]\"\r\n\r\n"
      "m@x.io\r\n--q--\r\n";
  auto m = w.call({http::verb::post,
                   "/api/v1/clients",
                   "company-token-test",
                   mp,
                   "multipart/form-data; boundary=q",
                   {}});
  REQUIRE(m.status == http::status::ok);
  CHECK(m.body.find(R"("email":"m@x.io")") != std::string::npos);
}

TEST_CASE("ninja handler: create and update validation") {
  World w;
  auto dup = w.json(http::verb::post, "/api/v1/clients", R"({"number":"0001"})");
  CHECK(dup.status == http::status::unprocessable_entity);
  CHECK(dup.body == R"({"message":"The given data was invalid.","errors":{"number":)"
                    R"(["The number has already been taken."]}})");
  // number is unique per company: company 2 may have its own 0001 (it does).
  auto idn = w.json(http::verb::post, "/api/v1/clients", R"({"id_number":"ID-B"})");
  CHECK(idn.status == http::status::unprocessable_entity);
  CHECK(idn.body.find(R"("id_number":["The id number has already been taken."])") !=
        std::string::npos);
  CHECK(w.json(http::verb::post, "/api/v1/clients", R"({"number":""})").status == http::status::ok);
  CHECK(w.json(http::verb::post, "/api/v1/clients", R"({"number":null})").status ==
        http::status::ok);
  auto contacts = w.json(http::verb::post, "/api/v1/clients", R"({"contacts":"wut"})");
  CHECK(contacts.status == http::status::unprocessable_entity);
  CHECK(contacts.body.find(R"("contacts":["The contacts must be an array."])") !=
        std::string::npos);
  auto email =
      w.json(http::verb::post, "/api/v1/clients", R"({"name":"E","contacts":[{"email":"nope"}]})");
  CHECK(email.status == http::status::unprocessable_entity);
  CHECK(email.body.find(R"("contacts.0.email":)") != std::string::npos);
  CHECK(w.json(http::verb::post, "/api/v1/clients", R"({"country_id":"A"})").status ==
        http::status::unprocessable_entity);
  CHECK(w.json(http::verb::post, "/api/v1/clients", R"({"documents":"wut"})").status ==
        http::status::unprocessable_entity);
  CHECK(w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"documents":null})").status ==
        http::status::unprocessable_entity);
  // Nothing of the refused writes was stored.
  CHECK(names(w.get("/api/v1/clients?per_page=100").body).size() == 7);

  auto bad_json = w.json(http::verb::post, "/api/v1/clients", R"({"name":)");
  CHECK(bad_json.status == http::status::bad_request);
  CHECK(bad_json.body.find(R"("errors":{})") != std::string::npos);
  auto media = w.call(
      {http::verb::post, "/api/v1/clients", "company-token-test", "name=x", "text/plain", {}});
  CHECK(media.status == http::status::unsupported_media_type);
  CHECK(media.body.find(R"("errors":{})") != std::string::npos);
}

TEST_CASE("ninja handler: partial update and contacts replacement") {
  World w;
  auto r = w.form(http::verb::put, "/api/v1/clients/OpnelpJeKB", "name=A+new+client+name+updated");
  REQUIRE(r.status == http::status::ok);
  auto d = parse(r.body);
  CHECK(std::string(d["data"]["name"].GetString()) == "A new client name updated");
  CHECK(std::string(d["data"]["city"].GetString()) == "South Sibylstad");  // untouched
  CHECK(d["data"]["contacts"].Size() == 2);

  // Keep 7065 (updated), drop 7064, add one; the new one is flagged primary.
  auto c = w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB",
                  R"({"contacts":[{"id":"y1aKZjleQG","first_name":"Alaina2"},)"
                  R"({"first_name":"New","is_primary":true}]})");
  REQUIRE(c.status == http::status::ok);
  auto cd = parse(c.body);
  REQUIRE(cd["data"]["contacts"].Size() == 2);
  CHECK(std::string(cd["data"]["contacts"][0]["first_name"].GetString()) == "New");
  CHECK(cd["data"]["contacts"][0]["is_primary"].GetBool());
  CHECK(std::string(cd["data"]["contacts"][1]["id"].GetString()) == "y1aKZjleQG");
  CHECK(std::string(cd["data"]["contacts"][1]["first_name"].GetString()) == "Alaina2");
  CHECK(std::string(cd["data"]["contacts"][1]["contact_key"].GetString()) ==
        "KQoEiBxAQe05p43QubjoMcHxYKkBQLpWU4Swxi86");

  // id_number unique on update too (ClientApiTest::testIdNumberPutValidation).
  auto idn = w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"id_number":"ID-B"})");
  CHECK(idn.status == http::status::unprocessable_entity);
  auto num = w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"number":"0002"})");
  CHECK(num.status == http::status::unprocessable_entity);
  // The same values again on the same client are fine.
  CHECK(w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"number":"0001"})").status ==
        http::status::ok);

  // PUT on a deleted client.
  auto del =
      w.json(http::verb::put, "/api/v1/clients/" + dialects::ninja::HashidCodec().encode(394),
             R"({"name":"x"})");
  CHECK(del.status == http::status::bad_request);
  CHECK(del.body == R"({"message":"Record is deleted and cannot be edited. Restore the record )"
                    R"(to enable editing"})");
}

TEST_CASE("ninja handler: roles") {
  World w;
  const std::string unauthorized = R"({"message":"This action is unauthorized."})";
  for (const std::string token : {"exec-token", "res-token"}) {
    auto c = w.json(http::verb::post, "/api/v1/clients", R"({"name":"x"})", token);
    CHECK(c.status == http::status::unauthorized);
    CHECK(c.body == unauthorized);
    CHECK(w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"name":"x"})", token).body ==
          unauthorized);
    CHECK(w.call({http::verb::delete_, "/api/v1/clients/OpnelpJeKB", token, "", "", {}}).body ==
          unauthorized);
    CHECK(w.json(http::verb::post, "/api/v1/clients/bulk",
                 R"({"action":"archive","ids":["OpnelpJeKB"]})", token)
              .body == unauthorized);
    CHECK(w.get("/api/v1/clients", token).status == http::status::ok);  // reading is fine
  }
  CHECK(w.json(http::verb::post, "/api/v1/clients", R"({"name":"x"})", "resmgr-token").status ==
        http::status::ok);
}

TEST_CASE("ninja handler: delete and bulk") {
  World w;
  auto r =
      w.call({http::verb::delete_, "/api/v1/clients/OpnelpJeKB", "company-token-test", "", "", {}});
  REQUIRE(r.status == http::status::ok);
  auto d = parse(r.body);
  CHECK(d["data"]["is_deleted"].GetBool());
  CHECK(d["data"]["archived_at"].GetInt64() > 0);

  // Restore through bulk, as the SDK sends it (form, ids[0]=...).
  auto restore =
      w.form(http::verb::post, "/api/v1/clients/bulk", "action=restore&ids%5B0%5D=OpnelpJeKB");
  REQUIRE(restore.status == http::status::ok);
  auto rd = parse(restore.body);
  CHECK(rd["data"][0]["archived_at"].GetInt64() == 0);
  CHECK_FALSE(rd["data"][0]["is_deleted"].GetBool());
  CHECK(rd["meta"]["pagination"]["total"].GetInt64() == 1);

  // Archive with the action in the query (ClientApiTest::testClientArchived).
  auto archive = w.json(http::verb::post, "/api/v1/clients/bulk?action=archive",
                        R"({"ids":["OpnelpJeKB","VolejRejNm"]})");
  CHECK(archive.status == http::status::unprocessable_entity);  // 1 is not a client of ours
  CHECK(archive.body == R"({"message":"The given data was invalid.","errors":{"ids":)"
                        R"(["The selected ids is invalid."]}})");
  CHECK(parse(w.get("/api/v1/clients/OpnelpJeKB").body)["data"]["archived_at"].GetInt64() == 0);
  auto ok =
      w.json(http::verb::post, "/api/v1/clients/bulk?action=archive", R"({"ids":["OpnelpJeKB"]})");
  REQUIRE(ok.status == http::status::ok);
  CHECK(parse(ok.body)["data"][0]["archived_at"].GetInt64() > 0);

  auto foreign = w.json(http::verb::post, "/api/v1/clients/bulk",
                        R"({"action":"delete","ids":["OpnelpJeKB",")" +
                            dialects::ninja::HashidCodec().encode(395) + R"("]})");
  CHECK(foreign.status == http::status::unprocessable_entity);
  CHECK_FALSE(parse(w.get("/api/v1/clients/OpnelpJeKB").body)["data"]["is_deleted"].GetBool());

  auto unknown = w.json(http::verb::post, "/api/v1/clients/bulk",
                        R"({"action":"muppet","ids":["OpnelpJeKB"]})");
  CHECK(unknown.status == http::status::unprocessable_entity);
  CHECK(unknown.body.find(R"("action":["The selected action is invalid."])") != std::string::npos);
  CHECK(
      w.json(http::verb::post, "/api/v1/clients/bulk", R"({"action":"archive","ids":"OpnelpJeKB"})")
          .status == http::status::unprocessable_entity);
  CHECK(w.json(http::verb::post, "/api/v1/clients/bulk", R"({"action":"archive","ids":[391]})")
            .status == http::status::unprocessable_entity);
  auto del =
      w.json(http::verb::post, "/api/v1/clients/bulk?action=delete", R"({"ids":["OpnelpJeKB"]})");
  CHECK(parse(del.body)["data"][0]["is_deleted"].GetBool());
}

namespace {
std::string upload_body(const std::string& filename, const std::string& content,
                        const std::string& extra = "") {
  return "--BOUND\r\nContent-Disposition: form-data; name=\"_method\"\r\n\r\nPUT\r\n" + extra +
         "--BOUND\r\nContent-Disposition: form-data; name=\"documents[]\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--BOUND--\r\n";
}
}  // namespace

TEST_CASE("ninja handler: uploads and downloads") {
  World w;
  const std::string type = "multipart/form-data; boundary=BOUND";
  const std::string target = "/api/v1/clients/OpnelpJeKB/upload";
  auto r = w.call({http::verb::post,
                   target,
                   "company-token-test",
                   upload_body("../../etc/report.pdf", "%PDF-1.4 hello"),
                   type,
                   {}});
  REQUIRE(r.status == http::status::ok);
  auto d = parse(r.body);
  REQUIRE(d["data"]["documents"].Size() == 1);
  const auto& doc = d["data"]["documents"][0];
  CHECK(std::string(doc["name"].GetString()) == "report.pdf");
  CHECK(std::string(doc["type"].GetString()) == "pdf");
  CHECK(doc["size"].GetInt64() == 14);
  CHECK(std::string(doc["hash"].GetString()).size() == 64);
  std::string doc_id = doc["id"].GetString();

  auto dl = w.get("/api/v1/documents/" + doc_id + "/download");
  CHECK(dl.status == http::status::ok);
  CHECK(dl.body == "%PDF-1.4 hello");
  CHECK(dl.headers[http::field::content_type] == "application/pdf");
  // Another company's token cannot see it.
  CHECK(w.get("/api/v1/documents/" + doc_id + "/download", "other-token").body ==
        R"({"message":"No query results for model [App\\Models\\Document]."})");

  // PUT works the same; is_public is read.
  auto put = w.call({http::verb::put,
                     target,
                     "company-token-test",
                     upload_body("notes.txt", "text",
                                 "--BOUND\r\nContent-Disposition: form-data; name=\"is_public\"\r\n"
                                 "\r\n0\r\n"),
                     type,
                     {}});
  REQUIRE(put.status == http::status::ok);
  CHECK_FALSE(parse(put.body)["data"]["documents"][1]["is_public"].GetBool());

  auto bad_ext = w.call(
      {http::verb::put, target, "company-token-test", upload_body("run.exe", "MZ"), type, {}});
  CHECK(bad_ext.status == http::status::unprocessable_entity);
  CHECK(bad_ext.body.find(R"("documents.0":["The documents.0 must be a file of type: png,)") !=
        std::string::npos);
  auto empty =
      w.call({http::verb::put, target, "company-token-test", upload_body("e.txt", ""), type, {}});
  CHECK(empty.status == http::status::unprocessable_entity);
  auto truncated = w.call({http::verb::put,
                           target,
                           "company-token-test",
                           upload_body("a.txt", "abc").substr(0, 150),
                           type,
                           {}});
  CHECK(truncated.status == http::status::bad_request);
  auto no_boundary = w.call({http::verb::put,
                             target,
                             "company-token-test",
                             upload_body("a.txt", "abc"),
                             "multipart/form-data",
                             {}});
  CHECK(no_boundary.status == http::status::bad_request);
  CHECK(no_boundary.body.find(R"("errors":{})") != std::string::npos);
  auto none = w.call({http::verb::put, target, "company-token-test", "", "", {}});
  CHECK(none.status == http::status::unprocessable_entity);
  auto no_spoof = w.call({http::verb::post,
                          target,
                          "company-token-test",
                          "--BOUND\r\nContent-Disposition: form-data; name=\"documents[]\"; "
                          "filename=\"a.txt\"\r\n\r\nabc\r\n--BOUND--",
                          type,
                          {}});
  CHECK(no_spoof.status == http::status::not_found);
  // Nothing of the refused uploads was stored.
  CHECK(parse(w.get("/api/v1/clients/OpnelpJeKB").body)["data"]["documents"].Size() == 2);
  CHECK(w.call({http::verb::put, target, "exec-token", upload_body("a.txt", "abc"), type, {}})
            .status == http::status::unauthorized);

  // plan(): the upload route alone gets the large limit and a spooled body.
  http::request<http::empty_body> req{http::verb::put, target, 11};
  auto url = boost::urls::parse_origin_form(target);
  dialects::RoutePlan defaults{1 << 20, false};
  auto plan = w.dialect->plan(req.base(), *url, defaults);
  CHECK(plan.spool_body);
  CHECK(plan.body_limit > 100000u * 1024);  // `max:100000` kilobytes a file, plus framing
  auto list_url = boost::urls::parse_origin_form("/api/v1/clients");
  CHECK_FALSE(w.dialect->plan(req.base(), *list_url, defaults).spool_body);
}
