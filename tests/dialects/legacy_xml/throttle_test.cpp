// legacy_xml's side of password verification: the plan sends an unverified password to the
// gateway's password pool; failed sign-ins are throttled per address and per account with a
// 429 in the dialect's shape; an unknown e-mail is answered exactly like a wrong password.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <map>

#include "clientgate/dialects/legacy_xml/legacy_xml.hpp"
#include "fixture.hpp"
#include "support/dialect_world.hpp"
#include "support/http_client.hpp"

using namespace clientgate;
namespace http = boost::beast::http;

namespace {

struct Answer {
  unsigned status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  bool operator==(const Answer& o) const {
    return status == o.status && headers == o.headers && body == o.body;
  }
};

struct World : test::DialectWorld {
  explicit World(core::AuthSettings auth)
      : DialectWorld(test::legacy_xml::kFixture, dialects::legacy_xml::make, {}, auth) {}

  http::request<http::empty_body> request(const std::string& email, const std::string& password) {
    http::request<http::empty_body> req{http::verb::get, "/clients.xml", 11};
    req.set(http::field::host, "127.0.0.1:8080");
    req.set(http::field::authorization, test::basic_auth(email, password));
    return req;
  }

  Answer call(const std::string& email, const std::string& password, std::string_view address) {
    auto req = request(email, password);
    auto url = boost::urls::parse_origin_form(req.target());
    REQUIRE(url);
    auto response = dialect->handle(dialects::Request{req.base(), *url, {}, {}, address});
    Answer out{static_cast<unsigned>(response.status), {}, response.body};
    for (const auto& field : response.headers)
      out.headers[std::string(field.name_string())] = std::string(field.value());
    return out;
  }

  dialects::RoutePlan plan(const std::string& email, const std::string& password) {
    auto req = request(email, password);
    auto url = boost::urls::parse_origin_form(req.target());
    REQUIRE(url);
    return dialect->plan(req.base(), *url, dialects::RoutePlan{1024, false});
  }
};

core::AuthSettings limits(std::size_t per_address, std::size_t per_account) {
  core::AuthSettings settings;
  settings.failures_per_address = per_address;
  settings.failures_per_account = per_account;
  return settings;
}

}  // namespace

TEST_CASE("legacy_xml: a password not verified lately is planned for the password pool") {
  World w(limits(20, 10));
  CHECK(w.plan("manager@example.com", "manager-pass").verifies_password);
  CHECK_FALSE(w.plan("manager@example.com", "manager-pass").quick());
  CHECK(w.plan("nobody@example.com", "x").verifies_password);
  REQUIRE(w.call("manager@example.com", "manager-pass", "10.0.0.1").status == 200);
  CHECK_FALSE(w.plan("manager@example.com", "manager-pass").verifies_password);
  CHECK(w.plan("manager@example.com", "manager-pass").quick());
  CHECK(w.plan("manager@example.com", "wrong").verifies_password);
}

TEST_CASE("legacy_xml: an unknown e-mail is answered and throttled exactly like a wrong password") {
  // Two worlds with the same limits: one is asked about a real account, one about an unknown
  // e-mail; every answer must be the same, the 401s and then the 429.
  World real(limits(100, 2));
  World unknown(limits(100, 2));
  for (int i = 0; i < 3; ++i) {
    auto a = real.call("manager@example.com", "wrong-" + std::to_string(i), "10.0.0.1");
    auto b = unknown.call("nobody@example.com", "wrong-" + std::to_string(i), "10.0.0.1");
    CHECK(a.status == (i < 2 ? 401u : 429u));
    CHECK(a == b);
  }
}

TEST_CASE("legacy_xml: too many failures from one address get 429 in the errors document") {
  World w(limits(2, 100));
  CHECK(w.call("a@example.com", "x", "10.0.0.7").status == 401);
  CHECK(w.call("manager@example.com", "x", "10.0.0.7").status == 401);
  auto refused = w.call("manager@example.com", "manager-pass", "10.0.0.7");
  CHECK(refused.status == 429);
  CHECK(refused.headers["Content-Type"] == "application/xml; charset=utf-8");
  CHECK(refused.body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>Too many failed sign-in "
        "attempts; retry later</error>\n</errors>\n");
  int retry_after = std::stoi(refused.headers["Retry-After"]);
  CHECK(retry_after >= 59);
  CHECK(retry_after <= 60);
  CHECK(refused.headers.count("WWW-Authenticate") == 0);
  // Another address is not held back by this one.
  CHECK(w.call("manager@example.com", "manager-pass", "10.0.0.8").status == 200);
}
