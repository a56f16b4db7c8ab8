// ninja over HTTP against a real clientgate process: what the official PHP SDK sends
// (Guzzle form_params, X-API-TOKEN + X-Requested-With), and the error rows of the spec.
#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "ninja/hashid_codec.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

const Headers kSdk = {{"X-API-TOKEN", "company-token-test"},
                      {"X-Requested-With", "XMLHttpRequest"}};
Headers with(Headers h, const std::string& key, const std::string& value) {
  h.push_back({key, value});
  return h;
}
const Headers kForm = with(kSdk, "Content-Type", "application/x-www-form-urlencoded");
const Headers kJson = with(kSdk, "Content-Type", "application/json");

std::string field(const std::string& body, const std::string& key) {
  auto at = body.find("\"" + key + "\":\"");
  REQUIRE(at != std::string::npos);
  at += key.size() + 4;
  return body.substr(at, body.find('"', at) - at);
}

}  // namespace

TEST_CASE("ninja end to end: the SDK's requests") {
  ServerProcess server({ninja::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());

  // $ninja->clients->create(['name' => 'Brand spanking new client'])
  auto created = http.request("POST", "/api/v1/clients", kForm, "name=Brand+spanking+new+client");
  REQUIRE(created.status == 200);
  CHECK(created.header("Content-Type") == "application/json");
  CHECK(created.has_header("X-App-Version"));
  CHECK(created.has_header("X-Api-Version"));
  std::string id = field(created.body, "id");
  CHECK(created.body.rfind(R"({"data":{"id":")", 0) == 0);

  // ->get($id), ->update($id, [...]), ->all(['balance' => '0:gt'])
  CHECK(http.get("/api/v1/clients/" + id, kSdk).body == created.body);
  auto updated = http.request("PUT", "/api/v1/clients/" + id, kForm,
                              "name=A+new+client+name+updated&contacts%5B0%5D%5Bemail%5D=a%40b.co"
                              "&contacts%5B0%5D%5Bsend_email%5D=1");
  REQUIRE(updated.status == 200);
  CHECK(updated.body.find(R"("name":"A new client name updated")") != std::string::npos);
  CHECK(updated.body.find(R"("email":"a@b.co")") != std::string::npos);
  auto all = http.get("/api/v1/clients?balance=0%3Agt", kSdk);
  CHECK(all.status == 200);
  CHECK(all.body.find(R"("name":"O'Reilly-Metz")") != std::string::npos);
  CHECK(all.body.find(R"("name":"A new client name updated")") == std::string::npos);

  // ->archive([$id]), ->restore([$id]), ->delete([$id]): bulk as a form.
  auto archived =
      http.request("POST", "/api/v1/clients/bulk", kForm, "action=archive&ids%5B0%5D=" + id);
  REQUIRE(archived.status == 200);
  CHECK(archived.body.find(R"("archived_at":0,"created_at")") == std::string::npos);
  auto restored =
      http.request("POST", "/api/v1/clients/bulk", kForm, "action=restore&ids%5B0%5D=" + id);
  CHECK(restored.body.find(R"("is_deleted":false)") != std::string::npos);
  auto deleted = http.request("POST", "/api/v1/clients/bulk?action=delete", kJson,
                              R"({"ids":[")" + id + R"("]})");
  CHECK(deleted.status == 200);
  CHECK(deleted.body.find(R"("is_deleted":true)") != std::string::npos);
  auto put_deleted = http.request("PUT", "/api/v1/clients/" + id, kJson, R"({"name":"x"})");
  CHECK(put_deleted.status == 400);
  CHECK(
      put_deleted.body ==
      R"({"message":"Record is deleted and cannot be edited. Restore the record to enable editing"})");

  // The old docs' path, and the seed client byte-exact parts.
  auto seed = http.get("/v1/api/clients/OpnelpJeKB", kSdk);
  CHECK(seed.status == 200);
  CHECK(seed.body.find(
            R"("website":"http:\/\/www.okeefe.com\/aut-nostrum-omnis-explicabo-nostrum.html")") !=
        std::string::npos);
  CHECK(seed.body.find(R"("link":"http:\/\/127.0.0.1:)") != std::string::npos);
}

TEST_CASE("ninja end to end: error rows") {
  ServerProcess server({ninja::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  auto r = http.get("/api/v1/clients", {{"X-API-TOKEN", "nope"}});
  CHECK(r.status == 403);
  CHECK(r.body == R"({"message":"Invalid token","errors":{}})");
  // Without X-API-TOKEN the path belongs to json_v1 (when compiled in) or to nobody.
  CHECK(http.get("/api/v1/clients").status != 200);
  CHECK(http.get("/api/v1/clients/zzz", kSdk).body ==
        R"({"message":"No query results for model [App\\Models\\Client]."})");
  CHECK(http.get("/api/v1/clients/12", kSdk).body ==
        R"({"message":"Record with value 12 not found"})");
  std::string foreign = clientgate::dialects::ninja::HashidCodec().encode(395);
  CHECK(http.get("/api/v1/clients/" + foreign, kSdk).body ==
        http.get("/api/v1/clients/zzz", kSdk).body);
  auto nf = http.request("PATCH", "/api/v1/clients", kSdk);
  CHECK(nf.status == 404);
  CHECK(nf.body == R"({"message":"Method not supported for this route"})");
  CHECK(http.get("/api/v1/clients?include=spaceships", kSdk).status == 400);
  CHECK(http.get("/api/v1/clients?balance=zz:1", kSdk).status == 422);
  CHECK(http.get("/api/v1/clients?per_page=-5", kSdk).body.find(R"("per_page":5)") !=
        std::string::npos);
  CHECK(http.get("/api/v1/clients?per_page=999999", kSdk).body.find(R"("per_page":5000)") !=
        std::string::npos);
  CHECK(http.get("/api/v1/clients?sort=name;drop%20table", kSdk).status == 200);
  auto media =
      http.request("POST", "/api/v1/clients", with(kSdk, "Content-Type", "text/csv"), "a,b");
  CHECK(media.status == 415);
  CHECK(media.body.find(R"("errors":{})") != std::string::npos);
  auto exec = http.request("POST", "/api/v1/clients",
                           {{"X-API-TOKEN", "exec-token"}, {"Content-Type", "application/json"}},
                           R"({"name":"x"})");
  CHECK(exec.status == 401);
  CHECK(exec.body == R"({"message":"This action is unauthorized."})");
  auto dup = http.request("POST", "/api/v1/clients", kJson, R"({"number":"0001"})");
  CHECK(dup.status == 422);
  CHECK(dup.body == R"({"message":"The given data was invalid.","errors":{"number":)"
                    R"(["The number has already been taken."]}})");
}

TEST_CASE("ninja end to end: api secret") {
  ServerProcess server({ninja::kFixture, {}, "[dialects.ninja]\napi_secret = \"s3cret\"\n"});
  HttpClient http(server.host(), server.port());
  CHECK(http.get("/api/v1/clients", kSdk).body == R"({"message":"Invalid secret","errors":{}})");
  CHECK(http.get("/api/v1/clients", with(kSdk, "X-API-SECRET", "s3cret")).status == 200);
}

TEST_CASE("ninja end to end: uploads larger than the default body limit, and downloads") {
  ServerProcess server({ninja::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  std::string content;
  content.reserve(3 * 1024 * 1024);
  for (int i = 0; content.size() < 3 * 1024 * 1024; ++i)
    content += "row " + std::to_string(i) + ",value\r\n";
  std::string body =
      "--B0UND\r\nContent-Disposition: form-data; name=\"_method\"\r\n\r\nPUT\r\n"
      "--B0UND\r\nContent-Disposition: form-data; name=\"documents[]\"; "
      "filename=\"../../big.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
      content + "\r\n--B0UND--\r\n";
  auto up = http.request("POST", "/api/v1/clients/OpnelpJeKB/upload",
                         with(kSdk, "Content-Type", "multipart/form-data; boundary=B0UND"), body);
  REQUIRE(up.status == 200);
  CHECK(up.body.find(R"("name":"big.csv")") != std::string::npos);
  const std::string marker = R"("documents":[{"id":")";
  auto docs = up.body.find(marker);
  REQUIRE(docs != std::string::npos);
  std::string doc_id = up.body.substr(docs + marker.size(), 10);
  auto dl = http.get("/api/v1/documents/" + doc_id + "/download", kSdk);
  CHECK(dl.status == 200);
  CHECK(dl.body.size() == content.size());
  CHECK((dl.body == content));
  CHECK(http.get("/api/v1/documents/" + doc_id + "/download", {{"X-API-TOKEN", "other-token"}})
            .status == 400);

  auto truncated = http.request("PUT", "/api/v1/clients/OpnelpJeKB/upload",
                                with(kSdk, "Content-Type", "multipart/form-data; boundary=B0UND"),
                                body.substr(0, 5000));
  CHECK(truncated.status == 400);
  auto bad = http.request("PUT", "/api/v1/clients/OpnelpJeKB/upload",
                          with(kSdk, "Content-Type", "multipart/form-data; boundary=B0UND"),
                          "--B0UND\r\nContent-Disposition: form-data; name=\"documents[]\"; "
                          "filename=\"x.exe\"\r\n\r\nMZ\r\n--B0UND--\r\n");
  CHECK(bad.status == 422);
  // A large body is refused on the other routes.
  auto big = http.request("POST", "/api/v1/clients", kJson,
                          R"({"name":")" + std::string(20 * 1024 * 1024, 'a') + R"("})");
  CHECK(big.status == 413);
}
