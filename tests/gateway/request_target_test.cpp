// What real clients put in a request target reaches the dialects decoded, as PHP and Rack
// would decode it; only what nginx would refuse is refused.
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>

#include "clientgate/gateway/request_target.hpp"

using clientgate::gateway::normalize_target;

namespace {

// The decoded value of `key` in the query of `target`, after normalization; "<absent>" when
// the key is missing, "<unparsed>" when Boost.URL still refuses the target.
std::string param(const std::string& target, const std::string& key) {
  auto normalized = normalize_target(target);
  auto url = boost::urls::parse_origin_form(normalized.text);
  if (!url) return "<unparsed>";
  auto params = url->params();
  auto it = params.find(key);
  if (it == params.end()) return "<absent>";
  return std::string((*it).value);
}

}  // namespace

TEST_CASE("characters browsers leave unencoded in a query reach the dialect as sent") {
  CHECK(param("/api/v1/clients?sort=id|desc", "sort") == "id|desc");
  CHECK(param("/clients?filter[name]=x", "filter[name]") == "x");
  CHECK(param("/c?a={x}^`\"'<>\\", "a") == "{x}^`\"'<>\\");
  CHECK(param("/c?a=b#frag", "a") == "b#frag");
  CHECK(param("/c?a=caf\xC3\xA9", "a") == "caf\xC3\xA9");
  CHECK(param("/c?a=1?2", "a") == "1?2");
  CHECK(normalize_target("/api/v1/clients?sort=id|desc").acceptable);
}

TEST_CASE("a percent sign that starts no escape stands for itself") {
  CHECK(param("/c?q=%zz", "q") == "%zz");
  CHECK(param("/c?q=100%", "q") == "100%");
  CHECK(param("/c?q=%4", "q") == "%4");
  CHECK(param("/c?q=%41%2f", "q") == "A/");
  CHECK(param("/c?q=a%20b+c", "q") == "a b c");
  std::string normalized = normalize_target("/clients/%zz").text;
  auto path = boost::urls::parse_origin_form(normalized);
  REQUIRE(path);
  CHECK(std::string(path->path()) == "/clients/%zz");
}

TEST_CASE("a target nginx would refuse is not acceptable, yet still names its path") {
  auto absolute = normalize_target("http://example.com/clients.xml?a=1");
  CHECK_FALSE(absolute.acceptable);
  CHECK(absolute.text == "/clients.xml?a=1");
  CHECK_FALSE(normalize_target("*").acceptable);
  CHECK(normalize_target("*").text == "/");
  auto control = normalize_target(std::string("/clients.xml?a=\x01") + '\0');
  CHECK_FALSE(control.acceptable);
  CHECK(boost::urls::parse_origin_form(control.text));
  CHECK_FALSE(normalize_target("/a b").acceptable);
  CHECK_FALSE(normalize_target("/a\x7f").acceptable);
}
