// The server in this process, with small dialects written for the test: streaming, spooling,
// a raised body limit, a handler that throws, HEAD, and a shutdown with a request in flight.
#include <atomic>
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

thread_local bool inside_together = false;  // see CountingRepository

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
    if (url.encoded_path() == "/test/slow") return {defaults.body_limit, false, true};
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
      if (inside_together) ++handled_together;
    } else if (path == "/test/slow") {
      std::lock_guard lock(threads_mutex);
      response.body = inside_together ? "together" : "alone";
    } else if (path == "/test/runs") {
      std::lock_guard lock(threads_mutex);
      response.body = "runs:" + std::to_string(++runs[std::string(request.body)]);
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
  int handled_together = 0;                                  // /test/thread inside one
  std::map<std::string, int> runs;                           // /test/runs: body -> runs
  std::promise<void> entered;
  std::promise<void> release;
};

// The store, counting the bodies of writes made together and marking the thread that runs
// one (so that the test dialect can tell whether a request was handled inside one); with
// fail_together, each such body is run and then reported as not committed.
class CountingRepository : public core::Repository {
 public:
  explicit CountingRepository(core::Repository& inner) : inner_(inner) {}
  std::atomic<int> bodies{0};
  std::atomic<bool> fail_together{false};

  bool write_together(const std::function<void()>& body) override {
    ++bodies;
    bool committed = inner_.write_together([&] {
      inside_together = true;
      body();
      inside_together = false;
    });
    return committed && !fail_together;
  }
  std::optional<core::TokenGrant> find_token(std::string_view t) override {
    return inner_.find_token(t);
  }
  std::optional<core::User> find_user(core::UserId id) override { return inner_.find_user(id); }
  std::optional<core::User> find_user_by_email(std::string_view e) override {
    return inner_.find_user_by_email(e);
  }
  std::optional<core::Company> find_company(core::CompanyId id) override {
    return inner_.find_company(id);
  }
  std::optional<core::Company> find_company_by_slug(std::string_view s) override {
    return inner_.find_company_by_slug(s);
  }
  core::ClientPage list_clients(const core::ClientQuery& q) override {
    return inner_.list_clients(q);
  }
  std::optional<core::CompanyId> client_company(core::ClientId id) override {
    return inner_.client_company(id);
  }
  core::Client create_client(core::CompanyId c, const core::ClientDraft& d,
                             const core::WriteRules& r, core::Timestamp now) override {
    return inner_.create_client(c, d, r, now);
  }
  std::optional<core::Client> update_client(core::ClientId id, const core::ClientPatch& p,
                                            const core::WriteRules& r,
                                            core::Timestamp now) override {
    return inner_.update_client(id, p, r, now);
  }
  bool delete_client(core::ClientId id, core::DeleteMode m, core::Timestamp now) override {
    return inner_.delete_client(id, m, now);
  }
  void bulk_update(const std::vector<core::ClientId>& ids, core::BulkAction a,
                   core::Timestamp now) override {
    inner_.bulk_update(ids, a, now);
  }
  std::vector<core::Project> list_projects(const std::vector<core::ClientId>& c,
                                           bool tasks) override {
    return inner_.list_projects(c, tasks);
  }
  core::DocumentInfo add_document(core::ClientId c, const core::NewDocument& d,
                                  core::Timestamp now) override {
    return inner_.add_document(c, d, now);
  }
  std::optional<core::DocumentInfo> find_document(core::DocumentId id) override {
    return inner_.find_document(id);
  }
  bool read_document(core::DocumentId id,
                     const std::function<void(std::string_view)>& sink) override {
    return inner_.read_document(id, sink);
  }
  std::optional<std::string> read_document_piece(core::DocumentId id, std::uint64_t offset,
                                                 std::size_t max_bytes) override {
    return inner_.read_document_piece(id, offset, max_bytes);
  }
  void import_dataset(const core::Dataset& d, const core::ImportOptions& o) override {
    inner_.import_dataset(d, o);
  }
  core::Dataset export_dataset() override { return inner_.export_dataset(); }
  bool healthy() override { return inner_.healthy(); }
  void keep_snapshots() override { inner_.keep_snapshots(); }
  void end_snapshot() override { inner_.end_snapshot(); }

 private:
  core::Repository& inner_;
};

struct InProcessServer {
  test::TempDir dir;
  std::unique_ptr<storage::SqliteRepository> store =
      storage::SqliteRepository::open(dir / "db.sqlite");
  CountingRepository repository{*store};
  TestDialect* dialect = nullptr;
  gateway::Router router = make_router();
  gateway::Settings settings;
  gateway::AccessLog log{2};
  gateway::Server server;
  std::uint16_t port;
  std::thread runner;

  explicit InProcessServer(unsigned write_threads = 2, bool write_batching = true)
      : settings(make_settings(write_threads, write_batching)),
        server(settings, router, repository, log),
        port(server.listen().port()),
        runner([this] { server.run(); }) {}

  gateway::Router make_router() {
    std::vector<std::unique_ptr<dialects::Dialect>> all;
    auto d = std::make_unique<TestDialect>();
    dialect = d.get();
    all.push_back(std::move(d));
    return gateway::Router(std::move(all));
  }
  static gateway::Settings make_settings(unsigned write_threads, bool write_batching) {
    gateway::Settings s;
    s.listen = gateway::parse_listen_address("127.0.0.1:0");
    s.threads = 2;
    s.write_threads = write_threads;
    s.write_batching = write_batching;
    s.limits.body_bytes = 1000;
    return s;
  }
  ~InProcessServer() {
    server.stop();
    runner.join();
  }
};

// Pipelined: a POST, a GET and a POST in one write are answered in order. A handler that
// throws where requests that may write run is a 500, and the connection stays usable.
void check_pipelined_and_throwing(test::HttpClient& client) {
  // Pipelined: a POST, a GET and a POST in one write are answered in order.
  auto first = client.raw(
      "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"
      "GET /test/echo HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nc");
  CHECK(first.body == "POST:a");
  CHECK(client.read_response().body == "GET:");
  CHECK(client.read_response().body == "POST:c");
  CHECK(client.request("POST", "/test/throw", {}, "").status == 500);
  CHECK(client.request("PUT", "/test/echo", {}, "x").body == "PUT:x");
}

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

TEST_CASE("requests that may write run together at the end of their io thread's turn") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  for (int i = 0; i < 10; ++i) {
    CHECK(client.get("/test/thread").status == 200);
    CHECK(client.request("POST", "/test/thread", {}, "").status == 200);
    CHECK(client.request("DELETE", "/test/thread", {}, "").status == 200);
  }
  {
    std::lock_guard lock(s.dialect->threads_mutex);
    auto& by = s.dialect->threads;
    REQUIRE(by["GET"].size() == 1);  // the connection's io thread, for every method
    CHECK(by["POST"] == by["GET"]);
    CHECK(by["DELETE"] == by["GET"]);
    CHECK(s.dialect->handled_together == 20);
  }
  CHECK(s.repository.bodies >= 20);
  check_pipelined_and_throwing(client);
  // Many connections writing at once: every request answered once, by its own handler.
  std::vector<std::thread> writers;
  std::atomic<int> ok{0};
  for (int c = 0; c < 8; ++c) {
    writers.emplace_back([&, c] {
      test::HttpClient mine("127.0.0.1", s.port);
      for (int i = 0; i < 25; ++i) {
        std::string body = std::to_string(c) + "-" + std::to_string(i);
        if (mine.request("POST", "/test/echo", {}, body).body == "POST:" + body) ++ok;
      }
    });
  }
  for (auto& t : writers)
    t.join();
  CHECK(ok == 200);
}

TEST_CASE("a request its dialect does not call quick is not handled among a turn's writes") {
  InProcessServer s;
  test::HttpClient client("127.0.0.1", s.port);
  CHECK(client.request("POST", "/test/slow", {}, "").body == "alone");
  CHECK(client.request("POST", "/test/echo", {}, "x").body == "POST:x");
}

TEST_CASE("when a turn's writes cannot be committed, each request runs again on its own") {
  InProcessServer s;
  s.repository.fail_together = true;
  test::HttpClient client("127.0.0.1", s.port);
  CHECK(client.request("POST", "/test/runs", {}, "a").body == "runs:2");
  CHECK(client.request("POST", "/test/runs", {}, "b").body == "runs:2");
  s.repository.fail_together = false;
  CHECK(client.request("POST", "/test/runs", {}, "c").body == "runs:1");
}

TEST_CASE("without write batching, requests that may write run on the write pool") {
  InProcessServer s(2, false);
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
  check_pipelined_and_throwing(client);
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
