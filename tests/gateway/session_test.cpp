// The server in this process, with small dialects written for the test: streaming, spooling,
// a raised body limit, a handler that throws, HEAD, and a shutdown with a request in flight.
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "clientgate/gateway/server.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
using dialects::Claim;
using dialects::http::status;

namespace {

// Routes under /test/...: /test/stream?n=N (N pieces of 64 KiB), /test/throw, /test/spool
// (raised limit, spooled), /test/echo, /test/block (waits for the test to release it).
class TestDialect : public dialects::Dialect {
 public:
  std::string_view name() const override { return "test"; }

  Claim claim(const dialects::Header&, boost::urls::url_view url) const override {
    return std::string_view(url.encoded_path()).rfind("/test/", 0) == 0 ? Claim::path : Claim::none;
  }

  dialects::RoutePlan plan(const dialects::Header&, boost::urls::url_view url,
                           const dialects::RoutePlan& defaults) const override {
    if (url.encoded_path() == "/test/spool") return {defaults.body_limit * 4, true};
    return defaults;
  }

  dialects::Response handle(const dialects::Request& request) override {
    std::string_view path = request.url.encoded_path();
    dialects::Response response;
    response.headers.set(dialects::http::field::content_type, "text/plain");
    if (path == "/test/stream") {
      auto pieces =
          std::make_shared<int>(std::stoi(std::string(request.url.encoded_query().substr(2))));
      response.stream = [pieces, piece = std::string(65536, 'z')]() -> std::optional<std::string> {
        if ((*pieces)-- <= 0) return std::nullopt;
        return piece;
      };
    } else if (path == "/test/throw") {
      throw std::runtime_error("the handler failed");
    } else if (path == "/test/spool") {
      last_spool_file = request.body_file;
      std::ifstream in(request.body_file, std::ios::binary);
      std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      response.body = std::to_string(content.size()) + " " + std::to_string(request.body.size()) +
                      " " + std::string(request.header.method_string());
    } else if (path == "/test/echo") {
      response.body = std::string(request.header.method_string()) + ":" + std::string(request.body);
    } else if (path == "/test/thread") {
      std::lock_guard lock(threads_mutex);
      threads[std::string(request.header.method_string())].insert(std::this_thread::get_id());
    } else if (path == "/test/block") {
      entered.set_value();
      release.get_future().wait();
      response.body = "released";
    } else {
      response.status = status::not_found;
    }
    return response;
  }

  dialects::Response transport_error(dialects::TransportError error,
                                     const dialects::Header&) const override {
    dialects::Response response;
    response.status = error == dialects::TransportError::body_too_large ? status::payload_too_large
                                                                        : status::bad_request;
    response.body = "test dialect transport error";
    return response;
  }

  std::string last_spool_file;
  std::mutex threads_mutex;
  std::map<std::string, std::set<std::thread::id>> threads;  // method -> handling threads
  std::promise<void> entered;
  std::promise<void> release;
};

struct InProcessServer {
  test::TempDir dir;
  std::unique_ptr<storage::SqliteRepository> repository =
      storage::SqliteRepository::open(dir / "db.sqlite");
  TestDialect* dialect = nullptr;
  gateway::Router router = make_router();
  gateway::Settings settings;
  gateway::AccessLog log{2};
  gateway::Server server;
  std::uint16_t port;
  std::thread runner;

  explicit InProcessServer(unsigned write_threads = 2)
      : settings(make_settings(write_threads)),
        server(settings, router, *repository, log),
        port(server.listen().port()),
        runner([this] { server.run(); }) {}

  gateway::Router make_router() {
    std::vector<std::unique_ptr<dialects::Dialect>> all;
    auto d = std::make_unique<TestDialect>();
    dialect = d.get();
    all.push_back(std::move(d));
    return gateway::Router(std::move(all));
  }
  static gateway::Settings make_settings(unsigned write_threads) {
    gateway::Settings s;
    s.listen = gateway::parse_listen_address("127.0.0.1:0");
    s.threads = 2;
    s.write_threads = write_threads;
    s.limits.body_bytes = 1000;
    return s;
  }
  ~InProcessServer() {
    server.stop();
    runner.join();
  }
};

}  // namespace

TEST_CASE("a streamed response is sent chunked, whole") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  auto response = client.get("/test/stream?n=160");  // 10 MiB
  CHECK(response.status == 200);
  CHECK(response.header("Transfer-Encoding") == "chunked");
  CHECK(response.body.size() == 160u * 65536u);
  CHECK(response.body.find_first_not_of('z') == std::string::npos);
  CHECK(client.get("/test/stream?n=0").body.empty());

  auto head = client.request("HEAD", "/test/stream?n=3");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(client.get("/test/echo").body == "GET:");
}

TEST_CASE("HEAD is answered as GET without a body") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  auto head = client.request("HEAD", "/test/echo");
  CHECK(head.status == 200);
  CHECK(head.header("Content-Length") == "4");  // "GET:"
  CHECK(head.body.empty());
  CHECK(client.get("/test/echo").body == "GET:");
}

TEST_CASE("an exception escaping a handler is a plain 500 and the connection stays usable") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  auto response = client.get("/test/throw");
  CHECK(response.status == 500);
  CHECK(response.body == R"({"message":"Internal Server Error"})");
  CHECK_FALSE(client.closed());
  CHECK(client.request("POST", "/test/echo", {}, "hi").body == "POST:hi");
}

TEST_CASE("requests that may write run on the write pool, answered in order on the connection") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  for (int i = 0; i < 20; ++i) {
    CHECK(client.get("/test/thread").status == 200);
    CHECK(client.request("POST", "/test/thread", {}, "").status == 200);
    CHECK(client.request("DELETE", "/test/thread", {}, "").status == 200);
  }
  {
    std::lock_guard lock(s.dialect->threads_mutex);
    auto& by = s.dialect->threads;
    REQUIRE(by["GET"].size() == 1);  // the connection's io thread
    for (const char* method : {"POST", "DELETE"}) {
      INFO(method);
      CHECK_FALSE(by[method].empty());
      CHECK(by[method].count(*by["GET"].begin()) == 0);
    }
  }
  // Pipelined: a POST, a GET and a POST in one write are answered in order.
  auto first = client.raw(
      "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"
      "GET /test/echo HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nc");
  CHECK(first.body == "POST:a");
  CHECK(client.read_response().body == "GET:");
  CHECK(client.read_response().body == "POST:c");
  // A handler that throws on the pool is a 500 too, and the connection stays usable.
  CHECK(client.request("POST", "/test/throw", {}, "").status == 500);
  CHECK(client.request("PUT", "/test/echo", {}, "x").body == "PUT:x");
}

TEST_CASE("with write_threads = 0 every request runs on its io thread") {
  InProcessServer s(0);
  test::HttpClient client("127.0.0.1", s.port);
  CHECK(client.get("/test/thread").status == 200);
  CHECK(client.request("POST", "/test/thread", {}, "").status == 200);
  std::lock_guard lock(s.dialect->threads_mutex);
  CHECK(s.dialect->threads["GET"] == s.dialect->threads["POST"]);
}

TEST_CASE("a route's plan raises its body limit and spools the body to a file") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  // 3000 bytes: over the default 1000, under the route's 4000.
  auto response = client.request("POST", "/test/spool", {}, std::string(3000, 'b'));
  CHECK(response.status == 200);
  CHECK(response.body == "3000 0 POST");
  REQUIRE_FALSE(s.dialect->last_spool_file.empty());
  CHECK_FALSE(std::filesystem::exists(s.dialect->last_spool_file));  // removed after

  auto chunked = client.raw(
      "POST /test/spool HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nabcd\r\n0\r\n\r\n");
  CHECK(chunked.body == "4 0 POST");

  auto over = client.request("POST", "/test/spool", {}, std::string(5000, 'b'));
  CHECK(over.status == 413);
  CHECK(over.body == "test dialect transport error");

  test::HttpClient other("127.0.0.1", s.port);
  auto default_limit = other.request("POST", "/test/echo", {}, std::string(3000, 'b'));
  CHECK(default_limit.status == 413);
  CHECK(default_limit.body == "test dialect transport error");
}

TEST_CASE("a malformed body framing goes to the dialect as bad_request") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  auto response =
      client.raw("POST /test/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  CHECK(response.status == 400);
  CHECK(response.body == "test dialect transport error");
}

// A request blocked in its handler when the server is told to stop: it is answered, with
// Connection: close, and then the connection is closed.
void check_shutdown_with_request_in_flight(const std::string& method) {
  auto s = std::make_unique<InProcessServer>();
  test::HttpClient client("127.0.0.1", s->port);
  auto answer =
      std::async(std::launch::async, [&] { return client.request(method, "/test/block", {}, ""); });
  s->dialect->entered.get_future().wait();
  s->server.stop();
  s->dialect->release.set_value();
  auto response = answer.get();
  CHECK(response.status == 200);
  CHECK(response.body == "released");
  CHECK(response.header("Connection") == "close");
  s.reset();  // run() returned: the destructor's join completes
  CHECK(client.closed());
}

TEST_CASE("shutdown lets the request in flight finish, then closes") {
  check_shutdown_with_request_in_flight("GET");
}

TEST_CASE("shutdown lets a write in flight on the write pool finish, then closes") {
  check_shutdown_with_request_in_flight("POST");
}
