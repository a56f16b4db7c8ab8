// Behaviours read from the real Invoice Ninja v5 source (v5-stable) that clients observe:
// BaseController (includes, index, paging), ClientFilters/QueryFilters, the client requests.
#include <catch2/catch.hpp>

#include "handler_world.hpp"
#include "strip_tags.hpp"

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
