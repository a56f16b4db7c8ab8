// The gateway's password pool, over sockets with a dialect written for the test: a request
// planned verifies_password runs off the io threads (where hashing is refused), with the
// client address; a full queue is answered 503 at once; a 429 waits throttled_answer_delay.
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "clientgate/gateway/server.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
using dialects::Claim;
using dialects::http::status;
using Clock = std::chrono::steady_clock;

namespace {

const char* outcome_name(core::PasswordOutcome o) {
  switch (o) {
    case core::PasswordOutcome::verified:
      return "verified";
    case core::PasswordOutcome::refused:
      return "refused";
    case core::PasswordOutcome::throttled:
      return "throttled";
    case core::PasswordOutcome::busy:
      return "busy";
  }
  return "?";
}

// /pw/... is planned verifies_password, /io/... is not. /*/check verifies a password for an
// unknown e-mail and answers the outcome and the client address; /pw/block waits for the test;
// /pw/throttled answers 429.
class PasswordDialect : public dialects::Dialect {
 public:
  explicit PasswordDialect(core::Authenticator& auth) : auth_(auth) {}
  std::string_view name() const override { return "pw"; }
  Claim claim(const dialects::Header&, boost::urls::url_view url) const override {
    auto path = std::string_view(url.encoded_path());
    return path.rfind("/pw/", 0) == 0 || path.rfind("/io/", 0) == 0 ? Claim::path : Claim::none;
  }
  dialects::RoutePlan plan(const dialects::Header&, boost::urls::url_view url,
                           const dialects::RoutePlan& defaults) const override {
    dialects::RoutePlan plan = defaults;
    plan.verifies_password = std::string_view(url.encoded_path()).rfind("/pw/", 0) == 0;
    return plan;
  }
  dialects::Response handle(const dialects::Request& request) override {
    auto path = std::string_view(request.url.encoded_path());
    dialects::Response response;
    if (path.substr(3) == "/check") {
      auto check = auth_.check_password("nobody@example.com", "x", request.client_address);
      response.body =
          std::string(outcome_name(check.outcome)) + " " + std::string(request.client_address);
    } else if (path == "/pw/block") {
      if (++blocked == 1) entered.set_value();
      released.wait();
      response.body = "released";
    } else if (path == "/pw/throttled") {
      response.status = status::too_many_requests;
      response.headers.set(dialects::http::field::retry_after, "7");
    }
    return response;
  }
  dialects::Response transport_error(dialects::TransportError error,
                                     const dialects::Header&) const override {
    dialects::Response response;
    response.status = error == dialects::TransportError::unavailable ? status::service_unavailable
                                                                     : status::bad_request;
    response.headers.set(dialects::http::field::retry_after, "1");
    response.body = "pw transport error";
    return response;
  }

  std::atomic<int> blocked{0};
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

 private:
  core::Authenticator& auth_;
};

struct PoolServer {
  test::TempDir dir;
  std::unique_ptr<storage::SqliteRepository> store =
      storage::SqliteRepository::open(dir / "db.sqlite");
  core::Authenticator auth{*store};
  PasswordDialect* dialect = nullptr;
  gateway::Router router = make_router();
  gateway::Settings settings;
  gateway::AccessLog log{2};
  gateway::Server server;
  std::uint16_t port;
  std::thread runner;

  PoolServer()
      : settings(make_settings()),
        server(settings, router, *store, log),
        port(server.listen().port()),
        runner([this] { server.run(); }) {}
  gateway::Router make_router() {
    std::vector<std::unique_ptr<dialects::Dialect>> all;
    auto d = std::make_unique<PasswordDialect>(auth);
    dialect = d.get();
    all.push_back(std::move(d));
    return gateway::Router(std::move(all));
  }
  static gateway::Settings make_settings() {
    gateway::Settings s;
    s.listen = gateway::parse_listen_address("127.0.0.1:0");
    s.threads = 2;
    s.password_threads = 1;
    s.password_queue = 1;
    s.throttled_answer_delay = std::chrono::milliseconds(300);
    return s;
  }
  ~PoolServer() {
    dialect->release.set_value();
    server.stop();
    runner.join();
  }
};

}  // namespace

TEST_CASE("a request with a password to verify runs on the password pool, with its address") {
  PoolServer s;
  test::HttpClient client("127.0.0.1", s.port);
  CHECK(client.get("/pw/check").body == "refused 127.0.0.1");  // hashed, off the io threads
  CHECK(client.get("/io/check").body == "busy 127.0.0.1");     // an io thread refuses to hash
  CHECK(client.request("POST", "/pw/check", {}, "x").body == "refused 127.0.0.1");
}

TEST_CASE("with the password pool's queue full, a request is answered 503 at once") {
  PoolServer s;
  test::HttpClient running("127.0.0.1", s.port);
  auto first = std::async(std::launch::async, [&] { return running.get("/pw/block"); });
  s.dialect->entered.get_future().wait();  // the pool's only thread is busy
  // Three more while it is: one waits in the queue (capacity 1), two are refused at once,
  // whatever order they arrive in.
  std::vector<std::unique_ptr<test::HttpClient>> clients;
  std::vector<std::future<test::HttpResponse>> answers;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<test::HttpClient>("127.0.0.1", s.port));
    answers.push_back(
        std::async(std::launch::async, [c = clients.back().get()] { return c->get("/pw/block"); }));
  }
  int refused = 0;
  for (int waited = 0; refused < 2 && waited < 2000; ++waited) {
    refused = 0;
    for (auto& a : answers)
      if (a.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) ++refused;
    if (refused < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(refused == 2);  // before the pool's thread was released
  // Requests that verify nothing are served meanwhile.
  test::HttpClient other("127.0.0.1", s.port);
  CHECK(other.get("/io/check").status == 200);
  s.dialect->release.set_value();
  CHECK(first.get().body == "released");
  int released = 0;
  for (auto& a : answers) {
    auto r = a.get();
    if (r.status == 503) {
      CHECK(r.header("Retry-After") == "1");
      CHECK(r.body == "pw transport error");
    } else {
      CHECK(r.body == "released");
      ++released;
    }
  }
  CHECK(released == 1);
  s.dialect->release = std::promise<void>();  // the destructor releases again
}

TEST_CASE("a 429 from the password pool is sent throttled_answer_delay after it is decided") {
  PoolServer s;
  test::HttpClient client("127.0.0.1", s.port);
  auto start = Clock::now();
  auto answer = client.get("/pw/throttled");
  auto took = Clock::now() - start;
  CHECK(answer.status == 429);
  CHECK(answer.header("Retry-After") == "7");
  CHECK(took >= std::chrono::milliseconds(300));
  // Other connections are not held up meanwhile.
  CHECK(client.get("/io/check").status == 200);
}
