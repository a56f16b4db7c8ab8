// Behaviours read from the real Invoice Ninja v5 source (v5-stable) that clients observe:
// BaseController (includes, index, paging), ClientFilters/QueryFilters, the client requests.
#include <catch2/catch.hpp>

#include "handler_world.hpp"
#include "ninja/hashid_codec.hpp"
#include "ninja/strip_tags.hpp"
#include "ninja/upload_rules.hpp"

using namespace clientgate;
using namespace clientgate::test::ninja;
using V = std::vector<std::string>;

TEST_CASE("ninja real source: includes render as the transformer renders them") {
  World w;
  // The React UI's own first list query (the gateway passes the raw `|` through).
  auto ui = w.get(
      "/api/v1/clients?include=group_settings,contacts,documents,activities&per_page=20&page=1"
      "&sort=id%7Cdesc&status=active&filter=");
  CHECK(ui.status == http::status::ok);
  CHECK(names(ui.body) == V{"X", "Beta Industries", "O'Reilly-Metz"});
  CHECK(ui.body.find(R"("gateway_tokens":[],"activities":[]})") != std::string::npos);
  CHECK(ui.body.find("group_settings\":") == std::string::npos);  // null include: omitted
  auto all = w.get("/api/v1/clients?include=activities,ledger,system_logs,invoices,company");
  CHECK(all.status == http::status::ok);
  CHECK(all.body.find(R"("gateway_tokens":[],"activities":[],"ledger":[],"system_logs":[]})") !=
        std::string::npos);
  CHECK(all.body.find("\"invoices\"") == std::string::npos);
  // The item routes refuse nothing and render what they know.
  auto one = w.get("/api/v1/clients/OpnelpJeKB?include=ledger,spaceships");
  CHECK(one.status == http::status::ok);
  CHECK(one.body.find(R"("gateway_tokens":[],"ledger":[]}})") != std::string::npos);
  CHECK(w.get("/api/v1/clients?include=spaceships").body ==
        R"({"message":"Relation `spaceships` is not a valid include."})");
}

TEST_CASE("ninja real source: index renames or drops the envelope") {
  World w;
  auto renamed = w.get("/api/v1/clients?index=clients&per_page=1");
  CHECK(renamed.body.rfind(R"({"clients":[{"id":")", 0) == 0);
  CHECK(renamed.body.find(R"("meta":{"pagination")") != std::string::npos);
  auto bare = w.get("/api/v1/clients?index=none&per_page=1");
  CHECK(bare.body.rfind(R"([{"id":")", 0) == 0);
  CHECK(bare.body.find("meta") == std::string::npos);
  CHECK(w.get("/api/v1/clients/OpnelpJeKB?index=none").body.rfind(R"({"id":"OpnelpJeKB")", 0) == 0);
}

TEST_CASE("ninja real source: sort, status and dates as ClientFilters reads them") {
  World w;
  CHECK(names(w.get("/api/v1/clients?sort=display_name%7Cdesc").body) ==
        V{"X", "O'Reilly-Metz", "Deleted Co", "Beta Industries", "Archived Co"});
  CHECK(names(w.get("/api/v1/clients?sort=name%7Cdown").body).front() == "X");
  CHECK(names(w.get("/api/v1/clients?sort=name").body).front() == "O'Reilly-Metz");  // no dir
  CHECK(names(w.get("/api/v1/clients?status=bogus").body).size() == 5);
  CHECK(names(w.get("/api/v1/clients?with_trashed=false").body).size() == 4);
  CHECK(names(w.get("/api/v1/clients?created_at=2022-02-15T00:00:00").body) ==
        V{"Deleted Co", "X"});
  CHECK(names(w.get("/api/v1/clients?created_at=someday").body).size() == 5);
}

TEST_CASE("ninja real source: the newer transformer keys") {
  World w;
  auto r = w.get("/api/v1/clients/OpnelpJeKB");
  CHECK(r.body.find(R"("number":"0001","has_valid_vat_number":false,"is_tax_exempt":false,)"
                    R"("routing_id":"","tax_info":{},"classification":"","e_invoice":{},)") !=
        std::string::npos);
}

TEST_CASE("ninja real source: strip_tags on names") {
  using dialects::ninja::strip_tags;
  CHECK(strip_tags("SDK <b>Client</b>") == "SDK Client");
  CHECK(strip_tags("a < b") == "a < b");
  CHECK(strip_tags("x<script>alert(1)</script>y") == "xalert(1)y");
  CHECK(strip_tags("<a title=\"1 > 0\">t</a>") == "t");
  CHECK(strip_tags("keep<!-- gone -->this") == "keepthis");
  CHECK(strip_tags("open <tag never closed") == "open ");
  World w;
  auto r = w.json(http::verb::post, "/api/v1/clients", R"({"name":"<i>Acme</i> Ltd"})");
  CHECK(r.status == http::status::ok);
  CHECK(r.body.find(R"("name":"Acme Ltd")") != std::string::npos);
}

TEST_CASE("ninja real source: /v1/api without a token is ninja's 403") {
  World w;
  http::request<http::empty_body> req{http::verb::get, "/v1/api/clients", 11};
  CHECK(w.claim(req) == dialects::Claim::path);
  auto r = w.handle(req, "");
  CHECK(r.status == http::status::forbidden);
  CHECK(r.body == R"({"message":"Invalid token","errors":{}})");
  http::request<http::empty_body> plain{http::verb::get, "/api/v1/clients", 11};
  CHECK(w.claim(plain) == dialects::Claim::none);  // json_v1's without a token
}

TEST_CASE("ninja real source: the settings object is stored and returned whole") {
  World w;
  auto created = w.json(http::verb::post, "/api/v1/clients",
                        R"({"name":"Settings Co","settings":{"currency_id":"2",)"
                        R"("payment_terms":"14","send_reminders":true,"language_id":"",)"
                        R"("lock_invoices":"off","entity":"x"}})");
  REQUIRE(created.status == http::status::ok);
  CHECK(created.body.find(R"("settings":{"entity":"App\\Models\\Client","industry_id":"",)"
                          R"("size_id":"","currency_id":"2","payment_terms":"14",)"
                          R"("send_reminders":true,"lock_invoices":"off"})") != std::string::npos);
  auto doc = parse(created.body);
  std::string path = "/api/v1/clients/" + std::string(doc["data"]["id"].GetString());
  // An update without settings leaves them; one with settings merges into the stored ones
  // (and, without currency_id, resets the currency to the company's, as the real one does).
  auto renamed = w.json(http::verb::put, path, R"({"name":"Settings Co 2"})");
  CHECK(renamed.body.find(R"("currency_id":"2","payment_terms":"14")") != std::string::npos);
  auto merged = w.form(http::verb::put, path, "settings%5Bpayment_terms%5D=30");
  CHECK(merged.body.find(R"("settings":{"entity":"App\\Models\\Client","industry_id":"",)"
                         R"("size_id":"","currency_id":"1","payment_terms":"30",)"
                         R"("send_reminders":true,"lock_invoices":"off"})") != std::string::npos);
  // A client without stored settings shows the defaults and its currency.
  CHECK(
      w.get("/api/v1/clients/OpnelpJeKB")
          .body.find(R"("settings":{"entity":"App\\Models\\Client","industry_id":"","size_id":"",)"
                     R"("currency_id":"1"})") != std::string::npos);
}

TEST_CASE("ninja real source: bulk_update sets one of the bulk update columns") {
  World w;
  auto r = w.form(http::verb::post, "/api/v1/clients/bulk",
                  "action=bulk_update&column=custom_value1&new_value=gold&ids%5B%5D=OpnelpJeKB");
  REQUIRE(r.status == http::status::ok);
  CHECK(r.body.find(R"("custom_value1":"gold")") != std::string::npos);
  CHECK(names(r.body) == V{"O'Reilly-Metz"});
  auto country = w.json(http::verb::post, "/api/v1/clients/bulk",
                        R"({"action":"bulk_update","column":"country_id","new_value":"276",)"
                        R"("ids":["OpnelpJeKB"]})");
  CHECK(country.body.find(R"("country_id":"276")") != std::string::npos);
  auto cleared = w.json(http::verb::post, "/api/v1/clients/bulk",
                        R"({"action":"bulk_update","column":"public_notes","ids":["OpnelpJeKB"]})");
  CHECK(cleared.body.find(R"("public_notes":"")") != std::string::npos);
  auto bad = w.json(http::verb::post, "/api/v1/clients/bulk",
                    R"({"action":"bulk_update","column":"name","new_value":"x",)"
                    R"("ids":["OpnelpJeKB"]})");
  CHECK(bad.status == http::status::unprocessable_entity);
  CHECK(bad.body == R"({"message":"The given data was invalid.","errors":{"column":)"
                    R"(["The selected column is invalid."]}})");
  auto missing = w.json(http::verb::post, "/api/v1/clients/bulk",
                        R"({"action":"bulk_update","ids":["OpnelpJeKB"]})");
  CHECK(missing.body.find("The column field is required when action is bulk update.") !=
        std::string::npos);
  auto exec = w.json(http::verb::post, "/api/v1/clients/bulk",
                     R"({"action":"bulk_update","column":"public_notes","ids":["OpnelpJeKB"]})",
                     "exec-token");
  CHECK(exec.status == http::status::unauthorized);
}

TEST_CASE("ninja real source: client_id narrows the list to one client") {
  World w;
  CHECK(names(w.get("/api/v1/clients?client_id=OpnelpJeKB").body) == V{"O'Reilly-Metz"});
  CHECK(names(w.get("/api/v1/clients?client_id=zzz").body).empty());
  CHECK(names(w.get("/api/v1/clients?group=VolejRejNm").body).empty());
}

TEST_CASE("ninja real source: classification") {
  World w;
  auto ok = w.json(http::verb::post, "/api/v1/clients", R"({"classification":"business"})");
  CHECK(ok.body.find(R"("classification":"business")") != std::string::npos);
  auto bad = w.json(http::verb::post, "/api/v1/clients", R"({"classification":"alien"})");
  CHECK(bad.status == http::status::unprocessable_entity);
  CHECK(bad.body.find(R"("classification":["The selected classification is invalid."])") !=
        std::string::npos);
}

TEST_CASE("ninja real source: validation rules and their exact messages") {
  World w;
  auto post = [&](const std::string& body) {
    return w.json(http::verb::post, "/api/v1/clients", body);
  };
  auto errors_of = [&](const dialects::Response& r) {
    CHECK(r.status == http::status::unprocessable_entity);
    return r.body;
  };
  // Contact passwords: StoreClientRequest's rules, first failure only.
  CHECK(errors_of(post(R"({"contacts":[{"password":"Ab1"}]})")) ==
        R"({"message":"The given data was invalid.","errors":{"contacts.0.password":)"
        R"(["The contacts.0.password must be at least 7 characters."]}})");
  CHECK(errors_of(post(R"({"contacts":[{"password":"alllowercase1"}]})"))
            .find(R"(["The contacts.0.password format is invalid."])") != std::string::npos);
  CHECK(errors_of(post(R"({"contacts":[{"password":12345678}]})"))
            .find(R"(["The contacts.0.password must be a string."])") != std::string::npos);
  CHECK(post(R"({"contacts":[{"password":"Strong1pass"}]})").status == http::status::ok);
  CHECK(post(R"({"contacts":[{"password":"**********"}]})").status == http::status::ok);
  // UpdateClientRequest words them its own way.
  CHECK(errors_of(w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB",
                         R"({"contacts":[{"password":"weak"}]})")) ==
        R"({"message":"The given data was invalid.","errors":{"contacts.0.password":)"
        R"(["Password Strength"]}})");
  CHECK(errors_of(w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB",
                         R"({"contacts":[{"email":"nope"}]})"))
            .find(R"("contacts.0.email":["The email must be a valid email address."])") !=
        std::string::npos);
  CHECK(
      errors_of(post(R"({"contacts":[{"email":"nope"}]})"))
          .find(R"("contacts.0.email":["The contacts.0.email must be a valid email address."])") !=
      std::string::npos);
  // Countries must exist; codes resolve as the real lookups do (exact ISO alpha-2 / alpha-3).
  CHECK(errors_of(post(R"({"country_id":999})"))
            .find(R"("country_id":["The selected country id is invalid."])") != std::string::npos);
  CHECK(errors_of(post(R"({"shipping_country_id":"7"})"))
            .find(R"("shipping_country_id":["The selected shipping country id is invalid."])") !=
        std::string::npos);
  CHECK(errors_of(post(R"({"country_id":"DE"})"))
            .find(R"("country_id":["The country id must be an integer."])") != std::string::npos);
  auto coded = post(R"({"country_code":"DE","shipping_country_code":"USA",)"
                    R"("currency_code":"EUR","language_code":"de"})");
  REQUIRE(coded.status == http::status::ok);
  CHECK(coded.body.find(R"("country_id":"276")") != std::string::npos);
  CHECK(coded.body.find(R"("shipping_country_id":"840")") != std::string::npos);
  CHECK(coded.body.find(R"("currency_id":"3","language_id":"3"})") != std::string::npos);
  CHECK(errors_of(post(R"({"country_code":"de"})"))
            .find(R"("country_code":["The selected country code is invalid."])") !=
        std::string::npos);
  CHECK(errors_of(post(R"({"currency_code":"XXX"})"))
            .find(R"("currency_code":["Currency code does not exist"])") != std::string::npos);
  auto unknown_language = post(R"({"language_code":"xx"})");
  CHECK(unknown_language.status == http::status::ok);
  CHECK(unknown_language.body.find("language_id") == std::string::npos);
}

TEST_CASE("ninja real source: uploads are judged by content, as Laravel's mimes rule does") {
  using dialects::ninja::guess_extension;
  using dialects::ninja::upload_type_allowed;
  CHECK(guess_extension("\x89PNG\r\n\x1a\n....") == "png");
  CHECK(guess_extension("\xFF\xD8\xFF\xE0") == "jpeg");
  CHECK(guess_extension("%PDF-1.7\n") == "pdf");
  CHECK(guess_extension(std::string("II*\0", 4)) == "tif");  // not in the real list
  CHECK(guess_extension("plain words\n") == "txt");
  CHECK(guess_extension("a,b,c\n1,2,3\n4,5,6\n") == "csv");
  CHECK(guess_extension("<?xml version=\"1.0\"?><a/>") == "xml");
  CHECK(guess_extension("<!DOCTYPE html><html></html>") == "html");
  CHECK(guess_extension("<?php echo 1;") == "php");
  CHECK(guess_extension("{\"a\":1}") == "json");
  CHECK(guess_extension(std::string("\x00\x01\x02garbage", 10)).empty());
  CHECK(upload_type_allowed("pdf", "renamed.txt"));      // the name does not matter ...
  CHECK_FALSE(upload_type_allowed("txt", "shell.php"));  // ... except a PHP script's
  CHECK_FALSE(upload_type_allowed("html", "page.pdf"));
  CHECK_FALSE(upload_type_allowed("tif", "scan.tiff"));

  World w;
  const std::string target = "/api/v1/clients/OpnelpJeKB/upload";
  const std::string type = "multipart/form-data; boundary=BOUND";
  auto upload = [&](const std::string& name, const std::string& content) {
    return w.call({http::verb::put,
                   target,
                   "company-token-test",
                   "--BOUND\r\nContent-Disposition: form-data; name=\"documents[]\"; filename=\"" +
                       name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content +
                       "\r\n--BOUND--\r\n",
                   type,
                   {}});
  };
  // A PDF named .txt is a PDF; HTML named .pdf is refused; a JPEG's type is "jpeg".
  auto pdf = upload("notes.txt", "%PDF-1.4 body");
  REQUIRE(pdf.status == http::status::ok);
  CHECK(pdf.body.find(R"("name":"notes.txt","type":"pdf")") != std::string::npos);
  auto html = upload("report.pdf", "<html><body>hi</body></html>");
  CHECK(html.status == http::status::unprocessable_entity);
  CHECK(html.body ==
        R"({"message":"The given data was invalid.","errors":{"documents.0":["The documents.0 )"
        R"(must be a file of type: png, ai, jpeg, tiff, pdf, gif, psd, txt, doc, xls, ppt, xlsx, )"
        R"(docx, pptx, webp, xml, zip, csv, ods, odt, odp."]}})");
  auto jpeg = upload("photo.jpg", "\xFF\xD8\xFF\xE0 jpeg body");
  CHECK(jpeg.body.find(R"("name":"photo.jpg","type":"jpeg")") != std::string::npos);
  // Document objects as the DocumentTransformer writes them, `link` last.
  CHECK(jpeg.body.find(R"("is_deleted":false,"is_public":true,"link":"\/clients\/OpnelpJeKB"})") !=
        std::string::npos);
}

TEST_CASE("ninja real source: GET /clients/create is an unsaved blank client") {
  World w;
  auto r = w.get("/api/v1/clients/create");
  REQUIRE(r.status == http::status::ok);
  auto d = parse(r.body);
  CHECK(std::string(d["data"]["id"].GetString()).empty());
  CHECK(std::string(d["data"]["name"].GetString()).empty());
  CHECK(std::string(d["data"]["number"].GetString()).empty());
  CHECK(std::string(d["data"]["client_hash"].GetString()).size() == 40);
  CHECK(std::string(d["data"]["display_name"].GetString()) == "No Contact Set");
  CHECK(r.body.find(R"("settings":{"entity":"App\\Models\\Client","industry_id":"",)"
                    R"("size_id":""})") != std::string::npos);
  CHECK(d["data"]["contacts"].Size() == 0);
  CHECK(w.get("/api/v1/clients/create", "exec-token").status == http::status::unauthorized);
  // Nothing was created.
  CHECK(names(w.get("/api/v1/clients").body).size() == 5);
}

TEST_CASE("ninja real source: sort=number sorts by the number's digits as a number") {
  World w;
  for (const char* number : {"INV-10", "9", "A-100", "no digits"})
    REQUIRE(w.json(http::verb::post, "/api/v1/clients",
                   std::string(R"({"name":"zq)") + number + R"(","number":")" + number + R"("})")
                .status == http::status::ok);
  auto asc = names(w.get("/api/v1/clients?sort=number%7Casc&name=zq").body);
  CHECK(asc == V{"zqno digits", "zq9", "zqINV-10", "zqA-100"});
  auto desc = names(w.get("/api/v1/clients?sort=number%7Cdesc&name=zq").body);
  CHECK(desc == V{"zqA-100", "zqINV-10", "zq9", "zqno digits"});
}

TEST_CASE("ninja real source: with adds the picked client, listed first") {
  World w;
  // Archived Co (393) is not active, yet `with` brings it in, first.
  std::string archived = dialects::ninja::HashidCodec().encode(393);
  CHECK(names(w.get("/api/v1/clients?status=active&with=" + archived).body) ==
        V{"Archived Co", "O'Reilly-Metz", "Beta Industries", "X"});
  CHECK(names(w.get("/api/v1/clients?status=active&sort=name%7Cdesc&with=" + archived).body) ==
        V{"Archived Co", "X", "O'Reilly-Metz", "Beta Industries"});
  auto page = w.get("/api/v1/clients?status=active&per_page=2&with=" + archived);
  CHECK(page.body.find(R"("total":4)") != std::string::npos);
  // Another company's client never comes in.
  std::string foreign = dialects::ninja::HashidCodec().encode(395);
  CHECK(names(w.get("/api/v1/clients?status=active&with=" + foreign).body).size() == 3);
}

TEST_CASE("ninja real source: number and id_number uniqueness ignores case") {
  World w;
  CHECK(w.json(http::verb::post, "/api/v1/clients", R"({"number":"INV-7","id_number":"Ab-1"})")
            .status == http::status::ok);
  auto number = w.json(http::verb::post, "/api/v1/clients", R"({"number":"inv-7"})");
  CHECK(number.status == http::status::unprocessable_entity);
  CHECK(number.body == R"({"message":"The given data was invalid.","errors":{"number":)"
                       R"(["The number has already been taken."]}})");
  auto id_number = w.json(http::verb::post, "/api/v1/clients", R"({"id_number":"AB-1"})");
  CHECK(id_number.body.find(R"("id_number":["The id number has already been taken."])") !=
        std::string::npos);
  auto update = w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"number":"Inv-7"})");
  CHECK(update.status == http::status::unprocessable_entity);
  // A client may change the case of its own number.
  CHECK(w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"number":"abc"})").status ==
        http::status::ok);
  CHECK(w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB", R"({"number":"ABC"})").status ==
        http::status::ok);
}

TEST_CASE("ninja real source: writes answer through itemResponse, include and index too") {
  World w;
  auto created =
      w.json(http::verb::post, "/api/v1/clients?include=activities", R"({"name":"Inc"})");
  CHECK(created.body.find(R"("gateway_tokens":[],"activities":[]}})") != std::string::npos);
  auto bare = w.json(http::verb::put, "/api/v1/clients/OpnelpJeKB?index=none", R"({"city":"X"})");
  CHECK(bare.body.rfind(R"({"id":"OpnelpJeKB")", 0) == 0);
}

TEST_CASE("ninja real source: a deleted client's id_number is still taken") {
  World w;
  auto created = w.json(http::verb::post, "/api/v1/clients", R"({"id_number":"GONE-1"})");
  REQUIRE(created.status == http::status::ok);
  auto doc = parse(created.body);
  std::string id = doc["data"]["id"].GetString();
  REQUIRE(w.call({http::verb::delete_, "/api/v1/clients/" + id, "company-token-test", "", "", {}})
              .status == http::status::ok);
  CHECK(w.json(http::verb::post, "/api/v1/clients", R"({"id_number":"gone-1"})").status ==
        http::status::unprocessable_entity);
}

TEST_CASE("ninja real source: the number and id_number filters ignore case, as MySQL's _ci") {
  World w;
  REQUIRE(w.json(http::verb::post, "/api/v1/clients",
                 R"({"name":"Case Co","number":"INV-42","id_number":"Ab-9"})")
              .status == http::status::ok);
  for (const char* target : {"/api/v1/clients?number=inv-42", "/api/v1/clients?number=INV-42",
                             "/api/v1/clients?id_number=aB-9"}) {
    INFO(target);
    auto d = parse(w.get(target).body);
    REQUIRE(d["data"].Size() == 1);
    CHECK(std::string(d["data"][0]["name"].GetString()) == "Case Co");
  }
  // still the whole value, not a part of it
  CHECK(parse(w.get("/api/v1/clients?number=inv-4").body)["data"].Size() == 0);
}
