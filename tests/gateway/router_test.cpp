#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>

#include "clientgate/gateway/router.hpp"

using namespace clientgate;
using dialects::Claim;

namespace {

// Claims a path prefix; with `credential_header` present, claims it more strongly.
class FakeDialect : public dialects::Dialect {
 public:
  FakeDialect(std::string name, std::string prefix, std::string credential_header = "")
      : name_(std::move(name)),
        prefix_(std::move(prefix)),
        credential_header_(std::move(credential_header)) {}

  std::string_view name() const override { return name_; }

  Claim claim(const dialects::Header& header, boost::urls::url_view url) const override {
    if (std::string_view(url.encoded_path()).rfind(prefix_, 0) != 0) return Claim::none;
    if (!credential_header_.empty() && header.find(credential_header_) != header.end()) {
      return Claim::credential;
    }
    return Claim::path;
  }

  dialects::Response handle(const dialects::Request&) override { return {}; }
  dialects::Response transport_error(dialects::TransportError,
                                     const dialects::Header&) const override {
    return {};
  }

 private:
  std::string name_;
  std::string prefix_;
  std::string credential_header_;
};

std::string routed(const gateway::Router& router, const std::string& target,
                   const std::string& header_name = "") {
  dialects::Header header;
  header.method(dialects::http::verb::get);
  header.target(target);
  if (!header_name.empty()) header.set(header_name, "x");
  auto url = boost::urls::parse_origin_form(target).value();
  auto& handler = router.route(header, url);
  return &handler == &router.not_found() ? "(none)" : std::string(handler.name());
}

template <typename... D>
gateway::Router make_router(D... dialects) {
  std::vector<std::unique_ptr<dialects::Dialect>> all;
  (all.push_back(std::make_unique<FakeDialect>(std::move(dialects))), ...);
  return gateway::Router(std::move(all));
}

}  // namespace

TEST_CASE("the router gives a request to the dialect that claims it") {
  auto router = make_router(FakeDialect("xml", "/clients"), FakeDialect("json", "/api"));
  CHECK(routed(router, "/api/v1/clients") == "json");
  CHECK(routed(router, "/clients.xml") == "xml");
  CHECK(routed(router, "/elsewhere") == "(none)");
}

TEST_CASE("the strongest claim wins whatever the name order") {
  auto router =
      make_router(FakeDialect("zeta", "/api", "X-Api-Token"), FakeDialect("alpha", "/api"));
  CHECK(routed(router, "/api/v1/clients", "X-Api-Token") == "zeta");
  CHECK(routed(router, "/api/v1/clients") == "alpha");  // tie: the first name
}

TEST_CASE("a tie goes to the name that sorts first, whatever the registration order") {
  for (bool reversed : {false, true}) {
    std::vector<std::unique_ptr<dialects::Dialect>> all;
    all.push_back(std::make_unique<FakeDialect>("ninja", "/api"));
    all.push_back(std::make_unique<FakeDialect>("json_v1", "/api"));
    all.push_back(std::make_unique<FakeDialect>("agency", "/other"));
    if (reversed) std::reverse(all.begin(), all.end());
    gateway::Router router(std::move(all));
    CHECK(routed(router, "/api/v1/clients") == "json_v1");
    REQUIRE(router.dialects().size() == 3);
    CHECK(router.dialects()[0]->name() == "agency");
  }
}

TEST_CASE("a router without dialects claims nothing") {
  gateway::Router router({});
  CHECK(routed(router, "/api/v1/clients") == "(none)");
}

namespace {

// A handler of the gateway's own under /_own, as /healthz and /_admin are.
class OwnFake : public gateway::Handler {
 public:
  std::string_view name() const override { return "own"; }
  dialects::Claim claim(const dialects::Header&, boost::urls::url_view url) const override {
    return std::string_view(url.encoded_path()).rfind("/_own", 0) == 0 ? dialects::Claim::path
                                                                       : dialects::Claim::none;
  }
  dialects::Response handle(const dialects::Request&) override { return {}; }
  dialects::Response transport_error(dialects::TransportError,
                                     const dialects::Header&) const override {
    return {};
  }
};

}  // namespace

TEST_CASE("the gateway's own handlers are asked before any dialect, and win over its claim") {
  auto router = make_router(FakeDialect("json", "/", "X-Api-Token"));
  router.add_own(std::make_unique<OwnFake>());
  CHECK(routed(router, "/_own/x", "X-Api-Token") == "own");
  CHECK(routed(router, "/api/v1/clients", "X-Api-Token") == "json");
  CHECK_FALSE(router.route(dialects::Header{}, boost::urls::parse_origin_form("/_own").value())
                  .may_write());
}
