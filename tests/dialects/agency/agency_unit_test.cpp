// Parsing, routing and rendering of the agency dialect, without a store or a socket.
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>

#include "agency/parse.hpp"
#include "agency/render.hpp"
#include "agency/routes.hpp"

using namespace clientgate;
using namespace clientgate::dialects::agency;
using boost::beast::http::verb;

namespace {

std::string parsed_name(std::string_view body) {
  auto r = parse_client_name(body);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}

std::string name_issue(std::string_view body) {
  auto r = parse_client_name(body);
  REQUIRE(std::holds_alternative<Issues>(r));
  const auto& issues = std::get<Issues>(r);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].field == "name");
  return issues[0].message;
}

RouteMatch route(verb method, std::string_view target) {
  return match_route(method, boost::urls::parse_origin_form(target).value());
}

bool agency_path(std::string_view target) {
  return is_agency_path(boost::urls::parse_origin_form(target).value());
}

core::Timestamp at(std::string_view iso) {
  return core::Timestamp::parse_iso8601(iso).value();
}

}  // namespace

TEST_CASE("agency: a path id is a UUID in any case, kept in lower case", "[agency][parse]") {
  CHECK(parse_client_uuid("123e4567-e89b-12d3-a456-426614174000") ==
        "123e4567-e89b-12d3-a456-426614174000");
  CHECK(parse_client_uuid("123E4567-E89B-12D3-A456-426614174ABC") ==
        "123e4567-e89b-12d3-a456-426614174abc");
  CHECK_FALSE(parse_client_uuid(""));
  CHECK_FALSE(parse_client_uuid("12"));
  CHECK_FALSE(parse_client_uuid("123e4567e89b12d3a456426614174000"));
  CHECK_FALSE(parse_client_uuid("123e4567-e89b-12d3-a456-42661417400g"));
  CHECK_FALSE(parse_client_uuid("{23e4567-e89b-12d3-a456-42661417400}"));
  CHECK_FALSE(parse_client_uuid("123e4567-e89b-12d3-a456-4266141740000"));
  CHECK_FALSE(parse_client_uuid("123e4567+e89b-12d3-a456-426614174000"));
}

TEST_CASE("agency: trimming is JavaScript's String.prototype.trim", "[agency][parse]") {
  CHECK(trim_js_whitespace("  Acme  ") == "Acme");
  CHECK(trim_js_whitespace("\t\r\n\v\fAcme Corp\n") == "Acme Corp");
  CHECK(trim_js_whitespace("\xC2\xA0"
                           "Acme\xE3\x80\x80") == "Acme");  // NBSP, ideographic space
  CHECK(trim_js_whitespace("\xEF\xBB\xBF"
                           "Acme\xE2\x80\xA8") == "Acme");  // BOM, LINE SEPARATOR
  CHECK(trim_js_whitespace("\xE2\x80\x8A"
                           "A  b") == "A  b");  // HAIR SPACE; inner spaces kept
  CHECK(trim_js_whitespace("   ") == "");
  CHECK(trim_js_whitespace("") == "");
  CHECK(trim_js_whitespace("\xE2\x80\x8B"
                           "ab") ==
        "\xE2\x80\x8B"
        "ab");  // ZWSP is no space
}

TEST_CASE("agency: lengths are JavaScript's UTF-16 lengths", "[agency][parse]") {
  CHECK(utf16_length("abc") == 3u);
  CHECK(utf16_length("\xC3\xA9t\xC3\xA9") == 3u);  // été
  CHECK(utf16_length("\xF0\x9F\x98\x80") == 2u);   // one emoji: a surrogate pair
  CHECK_FALSE(utf16_length("\xC3"));
  CHECK_FALSE(utf16_length("\xED\xA0\x80"));  // an encoded surrogate
}

TEST_CASE("agency: a valid name body", "[agency][parse]") {
  CHECK(parsed_name(R"({"name":"Acme"})") == "Acme");
  CHECK(parsed_name(R"({"name":"  New Client Inc  "})") == "New Client Inc");
  CHECK(parsed_name(R"({"name":"abc"})") == "abc");
  // Other keys are stripped, as by zod's default object schema.
  CHECK(parsed_name(R"({"id":"x","name":"Acme","extra":[1,2]})") == "Acme");
  // A repeated key counts as its last occurrence, as in JSON.parse.
  CHECK(parsed_name(R"({"name":"ab","name":"Abc"})") == "Abc");
  CHECK(parsed_name(R"({"name":"\u00e9t\u00e9"})") == "\xC3\xA9t\xC3\xA9");
  CHECK(parsed_name("{\"name\":\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\"}") ==
        "\xF0\x9F\x98\x80\xF0\x9F\x98\x80");  // two emoji: four UTF-16 units
  CHECK(parsed_name(R"({"name":"a\tb"})") == "a\tb");
  CHECK(parsed_name("{\"name\":\"" + std::string(255, 'x') + "\"}") == std::string(255, 'x'));
}

TEST_CASE("agency: an invalid name body names the problem", "[agency][parse]") {
  const std::string too_small = "Too small: expected string to have >=3 characters";
  CHECK(name_issue(R"({"name":"ab"})") == too_small);
  CHECK(name_issue(R"({"name":"  ab   "})") == too_small);
  CHECK(name_issue(R"({"name":""})") == too_small);
  CHECK(name_issue(R"({"name":"\u00a0\u00a0\u00a0"})") == too_small);
  CHECK(name_issue("{\"name\":\"\xF0\x9F\x98\x80\"}") == too_small);  // 2 units
  CHECK(name_issue("{\"name\":\"" + std::string(256, 'x') + "\"}") ==
        "Too big: expected string to have <=255 characters");
  CHECK(name_issue(R"({})") == "Invalid input: expected string, received undefined");
  CHECK(name_issue(R"({"Name":"Acme"})") == "Invalid input: expected string, received undefined");
  CHECK(name_issue(R"({"name":123})") == "Invalid input: expected string, received number");
  CHECK(name_issue(R"({"name":null})") == "Invalid input: expected string, received null");
  CHECK(name_issue(R"({"name":true})") == "Invalid input: expected string, received boolean");
  CHECK(name_issue(R"({"name":["Acme"]})") == "Invalid input: expected string, received array");
  CHECK(name_issue(R"({"name":{"x":1}})") == "Invalid input: expected string, received object");
  CHECK(name_issue(R"(["Acme"])") == "Invalid input: expected object, received array");
  CHECK(name_issue(R"("Acme")") == "Invalid input: expected object, received string");
  CHECK(name_issue("null") == "Invalid input: expected object, received null");
  CHECK(name_issue("42") == "Invalid input: expected object, received number");
  CHECK(name_issue("") == "Invalid input: expected object, received undefined");
  CHECK(name_issue(" \r\n") == "Invalid input: expected object, received undefined");
  CHECK(name_issue(R"({"name":"Acme")") == "Invalid input: malformed JSON");
  CHECK(name_issue(R"({"name":"Acme"} x)") == "Invalid input: malformed JSON");
  CHECK(name_issue("name=Acme") == "Invalid input: malformed JSON");
  CHECK(name_issue("{\"name\":\"Ac\xFFme\"}") == "Invalid input: not valid UTF-8");
  CHECK(name_issue(std::string(100, '[') + std::string(100, ']')) ==
        "Invalid input: JSON nested too deeply");
  CHECK(name_issue(R"({"name":"Acme\u0000Corp"})") ==
        "Invalid string: must not contain control characters");
  CHECK(name_issue(R"({"name":"Acme\u001bCorp"})") ==
        "Invalid string: must not contain control characters");
}

TEST_CASE("agency: paths under /clients are the dialect's except .xml", "[agency][routes]") {
  CHECK(agency_path("/clients"));
  CHECK(agency_path("/clients?x=1"));
  CHECK(agency_path("/clients/123e4567-e89b-12d3-a456-426614174000"));
  CHECK(agency_path("/clients/not-a-uuid"));
  CHECK(agency_path("/clients/"));
  CHECK(agency_path("/clients/a/b"));
  CHECK_FALSE(agency_path("/clients.xml"));
  CHECK_FALSE(agency_path("/clients/12.xml"));
  CHECK_FALSE(agency_path("/clients/active.xml"));
  CHECK_FALSE(agency_path("/clients/my_assignments.xml"));
  CHECK_FALSE(agency_path("/clientsx"));
  CHECK_FALSE(agency_path("/api/v1/clients"));
  CHECK_FALSE(agency_path("/client/"));
  CHECK_FALSE(agency_path("/"));
}

TEST_CASE("agency: routes by method and path", "[agency][routes]") {
  auto r = route(verb::get, "/clients");
  CHECK(r.kind == RouteMatch::Kind::endpoint);
  CHECK(r.endpoint == Endpoint::list);
  CHECK(route(verb::head, "/clients").endpoint == Endpoint::list);
  CHECK(route(verb::head, "/clients/x").endpoint == Endpoint::show);
  r = route(verb::post, "/clients");
  CHECK(r.kind == RouteMatch::Kind::endpoint);
  CHECK(r.endpoint == Endpoint::create);
  for (verb v : {verb::put, verb::patch, verb::delete_, verb::options}) {
    r = route(v, "/clients");
    CHECK(r.kind == RouteMatch::Kind::method_not_allowed);
    CHECK(r.allow == "GET, HEAD, POST");
  }

  const std::string id = "123e4567-e89b-12d3-a456-426614174000";
  r = route(verb::get, "/clients/" + id);
  CHECK(r.kind == RouteMatch::Kind::endpoint);
  CHECK(r.endpoint == Endpoint::show);
  CHECK(r.id == id);
  r = route(verb::put, "/clients/" + id);
  CHECK(r.endpoint == Endpoint::update);
  r = route(verb::delete_, "/clients/" + id);
  CHECK(r.endpoint == Endpoint::destroy);
  r = route(verb::get, "/clients/a%20b");
  CHECK(r.id == "a b");
  for (verb v : {verb::post, verb::patch}) {
    r = route(v, "/clients/" + id);
    CHECK(r.kind == RouteMatch::Kind::method_not_allowed);
    CHECK(r.allow == "GET, HEAD, PUT, DELETE");
  }

  CHECK(route(verb::get, "/clients/").kind == RouteMatch::Kind::not_found);
  CHECK(route(verb::get, "/clients/" + id + "/campaigns").kind == RouteMatch::Kind::not_found);
  CHECK(route(verb::get, "/clients.xml").kind == RouteMatch::Kind::not_found);
}

TEST_CASE("agency: timestamps have exactly three fractional digits", "[agency][render]") {
  CHECK(render_timestamp(at("2026-01-15T08:00:00Z")) == "2026-01-15T08:00:00.000Z");
  CHECK(render_timestamp(at("2026-01-15T08:00:00.123999Z")) == "2026-01-15T08:00:00.123Z");
  CHECK(render_timestamp(at("2026-03-09T10:30:00.5+02:00")) == "2026-03-09T08:30:00.500Z");
}

TEST_CASE("agency: single client and list item shapes", "[agency][render]") {
  core::Client c;
  c.id = 7;
  c.uuid = "123e4567-e89b-12d3-a456-426614174000";
  c.name = "Acme \"Corp\" \xC3\xA9";
  c.created_at = at("2026-01-15T08:00:00.123456Z");
  c.updated_at = at("2026-03-09T10:30:00Z");
  CHECK(render_client(c) ==
        R"({"id":"123e4567-e89b-12d3-a456-426614174000","name":"Acme \"Corp\" )"
        "\xC3\xA9"
        R"(","createdAt":"2026-01-15T08:00:00.123Z","updatedAt":"2026-03-09T10:30:00.000Z"})");

  core::Client d = c;
  d.uuid = "234e5678-e89b-12d3-a456-426614174111";
  d.name = "Tech Startup Inc";
  d.counts = core::ClientCounts{3, 64};
  CHECK(render_client_list({}) == "[]");
  CHECK(render_client_list({c, d}) ==
        R"([{"id":"123e4567-e89b-12d3-a456-426614174000","name":"Acme \"Corp\" )"
        "\xC3\xA9"
        R"(","campaignsCount":0,"linksCount":0,"createdAt":"2026-01-15T08:00:00.123Z"},)"
        R"({"id":"234e5678-e89b-12d3-a456-426614174111","name":"Tech Startup Inc",)"
        R"("campaignsCount":3,"linksCount":64,"createdAt":"2026-01-15T08:00:00.123Z"}])");
}

TEST_CASE("agency: message and validation bodies", "[agency][render]") {
  CHECK(render_message("Client not found") == R"({"message":"Client not found"})");
  CHECK(render_validation_error({Issue{"name", "Too small"}}) ==
        R"({"message":"Validation error","issues":{"name":["Too small"]}})");
  CHECK(render_validation_error(
            {Issue{"id", "Invalid UUID"}, Issue{"name", "a"}, Issue{"id", "b"}}) ==
        R"({"message":"Validation error","issues":{"id":["Invalid UUID","b"],"name":["a"]}})");
}
