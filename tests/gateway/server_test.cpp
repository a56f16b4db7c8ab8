// The gateway over a real `clientgate serve`: limits, keep-alive, pipelining, shutdown, log.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "clientgate/dialects/dialect.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

bool has_dialect(const std::string& name) {
  auto names = clientgate::dialects::dialect_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Waits (bounded) for something the server does on its own clock; the bound is generous so
// that a slow machine does not fail the test, and nothing asserts how fast it happened.
template <typename Condition>
bool eventually(Condition condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

std::string request_text(const std::string& method, const std::string& target,
                         const std::string& extra_headers = "", const std::string& body = "") {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers;
  if (!body.empty()) text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return text + "\r\n" + body;
}

}  // namespace

TEST_CASE("healthz, 404 and bad targets are answered by the gateway") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());

  auto health = client.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == R"({"status":"ok"})");
  CHECK(health.header("Content-Type") == "application/json");

  auto head = client.request("HEAD", "/healthz");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Length") == "15");

  auto post = client.request("POST", "/healthz");
  CHECK(post.status == 405);
  CHECK(post.header("Allow") == "GET, HEAD");

  auto missing = client.get("/no/such/route");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"message":"Not Found"})");

  CHECK(client.raw(request_text("GET", "http://example.com/healthz")).status == 400);
  // A `%` that starts no escape stands for itself (as PHP and Rack read it): no 400.
  CHECK(client.raw(request_text("GET", "/clients/%zz")).status != 400);
  CHECK(client.raw(request_text("GET", "*")).status == 400);
  // All of them on one keep-alive connection.
  CHECK_FALSE(client.closed());
  CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("a header over the limit is 431 and the connection closes") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  auto response = client.get("/healthz", {{"X-Padding", std::string(9000, 'a')}});
  CHECK(response.status == 431);
  CHECK(response.body == R"({"message":"Request Header Fields Too Large"})");
  CHECK(eventually([&] { return client.closed(); }));

  HttpClient fresh(server.host(), server.port());
  CHECK(fresh.get("/healthz", {{"X-Padding", std::string(7000, 'a')}}).status == 200);
}

TEST_CASE("the header limit is a setting") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nheader_bytes = 1024\n"});
  HttpClient client(server.host(), server.port());
  CHECK(client.get("/healthz", {{"X-Padding", std::string(2000, 'a')}}).status == 431);
}

TEST_CASE("a body over the limit is 413") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nbody_bytes = 1000\n"});

  SECTION("declared by Content-Length") {
    HttpClient client(server.host(), server.port());
    auto response = client.request("POST", "/nowhere", {}, std::string(5000, 'x'));
    CHECK(response.status == 413);
    CHECK(response.body == R"({"message":"Payload Too Large"})");
  }
  SECTION("chunked, found while reading") {
    HttpClient client(server.host(), server.port());
    std::string chunk(600, 'x');
    std::string body = "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n";
    auto response =
        client.raw(request_text("POST", "/nowhere", "Transfer-Encoding: chunked\r\n") + body);
    CHECK(response.status == 413);
  }
  SECTION("with Expect: 100-continue the body is refused before it is sent") {
    HttpClient client(server.host(), server.port());
    auto response = client.raw(
        request_text("POST", "/nowhere", "Content-Length: 5000\r\nExpect: 100-continue\r\n"));
    CHECK(response.status == 413);
  }
  SECTION("a body under the limit is read and the connection kept") {
    HttpClient client(server.host(), server.port());
    CHECK(client.request("POST", "/nowhere", {}, std::string(900, 'x')).status == 404);
    std::string chunked = "5\r\nhello\r\n0\r\n\r\n";
    CHECK(client.raw(request_text("POST", "/nowhere", "Transfer-Encoding: chunked\r\n") + chunked)
              .status == 404);
    CHECK(client.get("/healthz").status == 200);
  }
  if (has_dialect("json_v1")) {
    SECTION("a dialect's route answers in the dialect's shape") {
      HttpClient client(server.host(), server.port());
      auto response =
          client.request("POST", "/api/v1/clients", {{"Content-Type", "application/json"}},
                         "{\"name\":\"" + std::string(5000, 'x') + "\"}");
      CHECK(response.status == 413);
    }
  }
}

TEST_CASE("a request not received within read_timeout_ms is 408") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nread_timeout_ms = 300\n"});
  SECTION("a header that never ends") {
    HttpClient client(server.host(), server.port());
    auto response = client.raw("GET /healthz HTTP/1.1\r\nHost: test\r\n");
    CHECK(response.status == 408);
    CHECK(eventually([&] { return client.closed(); }));
  }
  SECTION("a body shorter than announced") {
    HttpClient client(server.host(), server.port());
    auto response =
        client.raw("POST /nowhere HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nabc");
    CHECK(response.status == 408);
  }
  if (has_dialect("json_v1")) {
    SECTION("on a dialect's route") {
      HttpClient client(server.host(), server.port());
      auto response =
          client.raw("POST /api/v1/clients HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n{");
      CHECK(response.status == 408);
    }
  }
}

TEST_CASE("an idle keep-alive connection is closed after idle_timeout_ms") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nidle_timeout_ms = 1000\n"});
  HttpClient client(server.host(), server.port());
  CHECK(client.get("/healthz").status == 200);
  CHECK_FALSE(client.closed());
  CHECK(eventually([&] { return client.closed(); }));
}

TEST_CASE("pipelined requests are answered in order") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  auto first = client.raw(request_text("GET", "/healthz") + request_text("GET", "/missing") +
                          request_text("GET", "/healthz?third"));
  CHECK(first.status == 200);
  CHECK(first.body == R"({"status":"ok"})");
  auto second = client.raw("");
  CHECK(second.status == 404);
  auto third = client.raw("");
  CHECK(third.status == 200);
  CHECK(third.body == R"({"status":"ok"})");
  CHECK_FALSE(client.closed());
  CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("connections beyond max_connections are refused cleanly") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nmax_connections = 2\n"});
  auto a = std::make_unique<HttpClient>(server.host(), server.port());
  HttpClient b(server.host(), server.port());
  REQUIRE(a->get("/healthz").status == 200);
  REQUIRE(b.get("/healthz").status == 200);
  // Both in the middle of a request (an idle one would be closed to make room).
  a->raw_send("GET /healthz HTTP/1.1\r\n");
  b.raw_send("GET /healthz HTTP/1.1\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  HttpClient c(server.host(), server.port());
  auto refused = c.get("/healthz");
  CHECK(refused.status == 503);
  CHECK(refused.header("Connection") == "close");

  a.reset();  // one slot frees up once the server sees the close
  CHECK(eventually([&] {
    HttpClient d(server.host(), server.port());
    return d.get("/healthz").status == 200;
  }));
  CHECK(b.raw("Host: t\r\n\r\n").status == 200);
}

TEST_CASE("SIGTERM stops the server with exit 0; it serves again after a restart") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  CHECK(client.get("/healthz").status == 200);
  CHECK(server.stop() == 0);
  server.restart();
  HttpClient again(server.host(), server.port());
  CHECK(again.get("/healthz").status == 200);
  CHECK(server.stop() == 0);
}

TEST_CASE("the access log has one line per request, without the query string") {
  ServerProcess server({demo_dataset(), {}, ""});
  HttpClient client(server.host(), server.port());
  CHECK(client.get("/healthz?api_token=topsecret42").status == 200);
  CHECK(client.get("/missing?password=hunter2").status == 404);
  REQUIRE(server.stop() == 0);  // flushes the log
  auto log = server.stderr_text();
  CHECK(log.find("GET /healthz - 200 15 ") != std::string::npos);
  CHECK(log.find("GET /missing - 404 23 ") != std::string::npos);
  CHECK(log.find("topsecret42") == std::string::npos);
  CHECK(log.find("hunter2") == std::string::npos);
}

TEST_CASE("a flag wins over the config file") {
  // The config asks for port 1 (not ours to take); ServerProcess passes --listen ...:0.
  ServerProcess server({demo_dataset(), {}, "listen = \"127.0.0.1:1\"\n"});
  CHECK(server.port() != 1);
  HttpClient client(server.host(), server.port());
  CHECK(client.get("/healthz").status == 200);
}
