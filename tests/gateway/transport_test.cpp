// The HTTP transport over a real `clientgate serve`: what the gateway refuses on its own
// (Host, chunk extensions, trailers, request targets) is refused at once, in the words of the
// dialect whose path it is, and what real clients send is accepted.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

const std::string kXmlBadRequest =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n"
    "  <error>The request is not valid HTTP</error>\n</errors>\n";

std::string chunked_post(const std::string& target, const std::string& chunks) {
  return "POST " + target + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
}

// The response to `bytes`, and how long it took.
std::pair<HttpResponse, double> timed_raw(HttpClient& client, const std::string& bytes) {
  auto start = std::chrono::steady_clock::now();
  auto response = client.raw(bytes);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return {response, took.count()};
}

}  // namespace

TEST_CASE("chunk extensions and trailers count against the header limit") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nheader_bytes = 1024\n"});

  SECTION("a chunk-size line longer than the limit is refused before its end arrives") {
    HttpClient client(server.host(), server.port());
    auto [response, took] =
        timed_raw(client, chunked_post("/clients.xml", "1;" + std::string(64 * 1024, 'a')));
    CHECK(response.status == 400);
    CHECK(response.body == kXmlBadRequest);
    CHECK(took < 5);  // not the 10 s read timeout
    CHECK(response.header("Connection") == "close");
  }
  SECTION("small extensions add up") {
    HttpClient client(server.host(), server.port());
    std::string chunks;
    for (int i = 0; i < 40; ++i)
      chunks += "1;name=" + std::string(40, 'v') + "\r\nx\r\n";
    auto response = client.raw(chunked_post("/healthz", chunks + "0\r\n\r\n"));
    CHECK(response.status == 400);
    CHECK(response.header("Connection") == "close");
  }
  SECTION("a trailer section longer than the limit") {
    HttpClient client(server.host(), server.port());
    auto response = client.raw(chunked_post(
        "/clients.xml", "1\r\nx\r\n0\r\nX-Trailer: " + std::string(4000, 't') + "\r\n\r\n"));
    CHECK(response.status == 400);
    CHECK(response.body == kXmlBadRequest);
    CHECK(response.header("Connection") == "close");
  }
  SECTION("within the limit, both are accepted") {
    HttpClient client(server.host(), server.port());
    auto response = client.raw(
        chunked_post("/healthz", "1;a=b;c=\"d\"\r\nx\r\n0;last\r\nX-Trailer: t\r\n\r\n"));
    CHECK(response.status == 405);  // read whole, then answered by the route
    CHECK_FALSE(client.closed());
  }
}

TEST_CASE("a trailer field over 64 KiB gets a clean 400") {
  // A header limit above what one Beast field can hold: the parser's exception is an answer.
  ServerProcess server({demo_dataset(), {}, "[limits]\nheader_bytes = 262144\n"});
  HttpClient client(server.host(), server.port());
  auto response = client.raw(chunked_post(
      "/clients.xml", "1\r\nx\r\n0\r\nX-Trailer: " + std::string(70 * 1024, 't') + "\r\n\r\n"));
  CHECK(response.status == 400);
  CHECK(response.body == kXmlBadRequest);
  HttpClient fresh(server.host(), server.port());
  CHECK(fresh.get("/healthz").status == 200);
}

TEST_CASE("a chunk extension with an unterminated quoted string is 400 at once") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  auto [response, took] = timed_raw(client, chunked_post("/clients.xml", "1;a=\"x\r\nX\r\n"));
  CHECK(response.status == 400);
  CHECK(response.body == kXmlBadRequest);
  CHECK(took < 5);
  HttpClient last(server.host(), server.port());
  CHECK(last.raw(chunked_post("/healthz", "0;a=\"x\r\n\r\n")).status == 400);
}

TEST_CASE("a request needs exactly one Host (RFC 9112) though HTTP/1.0 may omit it") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  auto admin = "Authorization: " + basic_auth("admin@example.com", "demo-admin-pass") + "\r\n";

  auto none = client.raw("GET /clients.xml HTTP/1.1\r\n" + admin + "\r\n");
  CHECK(none.status == 400);
  CHECK(none.body == kXmlBadRequest);
  auto two = client.raw(
      "GET /clients.xml HTTP/1.1\r\nHost: design-studio.example.com\r\n"
      "Host: northwind.example.com\r\n" +
      admin + "\r\n");
  CHECK(two.status == 400);
  CHECK(two.body == kXmlBadRequest);
  CHECK(client.raw("GET /healthz HTTP/1.1\r\n\r\n").status == 400);
  CHECK(client.raw("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n").status == 400);
  CHECK_FALSE(client.closed());  // the framing was sound: the connection stays usable
  CHECK(client.raw("GET /clients.xml HTTP/1.1\r\nHost: t\r\n" + admin + "\r\n").status == 200);

  HttpClient old(server.host(), server.port());
  CHECK(old.raw("GET /healthz HTTP/1.0\r\n\r\n").status == 200);
  HttpClient old_two(server.host(), server.port());
  CHECK(old_two.raw("GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n").status == 400);
}

TEST_CASE("request targets as browsers send them are accepted") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  auto raw_get = [&](const std::string& target, const std::string& headers) {
    return client.raw("GET " + target + " HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n");
  };
  auto ninja = "X-API-TOKEN: demo-ninja-token\r\nX-Requested-With: XMLHttpRequest\r\n";
  // Invoice Ninja's React admin UI, on its first list.
  auto list = raw_get("/api/v1/clients?per_page=10&page=1&sort=id|desc&status=active", ninja);
  CHECK(list.status == 200);
  auto admin = "Authorization: " + basic_auth("admin@example.com", "demo-admin-pass") + "\r\n";
  CHECK(raw_get("/clients.xml?x={a}^`\"'[b]%zz%", admin).status == 200);

  // Not origin-form: refused, in the XML route's own shape.
  auto absolute = raw_get("http://example.com/clients.xml", admin);
  CHECK(absolute.status == 400);
  CHECK(absolute.body == kXmlBadRequest);
}

TEST_CASE("an upload with a wrong token is refused before its body is read") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  // 100 MiB announced, none of it sent: the answer cannot wait for the body.
  auto [response, took] = timed_raw(
      client,
      "PUT /api/v1/clients/OpnelpJeKB/upload HTTP/1.1\r\nHost: t\r\nX-API-TOKEN: wrong\r\n"
      "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: 104857600\r\n\r\n");
  CHECK(response.status == 403);
  CHECK(response.body == R"({"message":"Invalid token","errors":{}})");
  CHECK(response.header("Connection") == "close");
  CHECK(took < 5);

  HttpClient right(server.host(), server.port());
  auto accepted = right.raw(
      "PUT /api/v1/clients/OpnelpJeKB/upload HTTP/1.1\r\nHost: t\r\n"
      "X-API-TOKEN: demo-ninja-token\r\nContent-Type: multipart/form-data; boundary=B\r\n"
      "Content-Length: 8\r\n\r\n--B--\r\n\r\n");
  CHECK(accepted.status != 403);  // read, then judged by the handler
}
