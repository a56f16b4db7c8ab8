// Parsing and rendering of json_v1, without a socket or a store.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <boost/url/url_view.hpp>
#include <catch2/catch.hpp>

#include "json_v1/parse.hpp"
#include "json_v1/render.hpp"

using namespace clientgate;
using namespace clientgate::dialects::json_v1;

namespace {
ListParams list_ok(const char* target) {
  auto parsed = parse_list_params(boost::urls::url_view(target));
  REQUIRE(std::holds_alternative<ListParams>(parsed));
  return std::get<ListParams>(parsed);
}
ValidationErrors list_errors(const char* target) {
  auto parsed = parse_list_params(boost::urls::url_view(target));
  REQUIRE(std::holds_alternative<ValidationErrors>(parsed));
  return std::get<ValidationErrors>(parsed);
}
}  // namespace

TEST_CASE("json_v1 list parameters: defaults and values") {
  auto p = list_ok("/api/v1/clients");
  CHECK(p.per_page == 15);
  CHECK(p.page == 1);
  CHECK(!p.company_id);
  p = list_ok("/api/v1/clients?company_id=456&per_page=25&page=2&title=%20acme%20");
  CHECK(p.company_id == 456);
  CHECK(p.per_page == 25);
  CHECK(p.page == 2);
  CHECK(p.title == "acme");  // trimmed, as Laravel's TrimStrings does
  CHECK(list_ok("/api/v1/clients?per_page=1000").per_page == 1000);
  CHECK(!list_ok("/api/v1/clients?title=").title);
}

TEST_CASE("json_v1 list parameters: bad per_page and page are 422 errors") {
  auto e = list_errors("/api/v1/clients?per_page=0");
  REQUIRE(e.size() == 1);
  CHECK(e[0].first == "per_page");
  CHECK(e[0].second[0] == "The per page field must be at least 1.");
  e = list_errors("/api/v1/clients?per_page=1001");
  CHECK(e[0].second[0] == "The per page field must not be greater than 1000.");
  e = list_errors("/api/v1/clients?per_page=abc");
  CHECK(e[0].second[0] == "The per page field must be an integer.");
  e = list_errors("/api/v1/clients?company_id=x&page=0");
  REQUIRE(e.size() == 2);
  CHECK(e[0].first == "company_id");
  CHECK(e[1].first == "page");
  e = list_errors("/api/v1/clients?per_page=99999999999999999999");
  CHECK(e[0].second[0] == "The per page field must be an integer.");
}

TEST_CASE("json_v1 bodies: create rules") {
  auto b = parse_client_body("application/json",
                             R"({"title":" New Client Corp ","company_id":456})", BodyKind::create);
  CHECK(!b.malformed);
  CHECK(b.errors.empty());
  CHECK(b.fields.title == "New Client Corp");
  CHECK(b.fields.company_id == 456);

  b = parse_client_body("application/json", R"({"company_id":"456","title":"x"})",
                        BodyKind::create);
  CHECK(b.errors.empty());
  CHECK(b.fields.company_id == 456);

  b = parse_client_body("application/json", "{}", BodyKind::create);
  REQUIRE(b.errors.size() == 2);
  CHECK(b.errors[0].second[0] == "The title field is required.");
  CHECK(b.errors[1].second[0] == "The company id field is required.");

  b = parse_client_body("application/json", R"({"title":5,"company_id":true})", BodyKind::create);
  CHECK(b.errors[0].second[0] == "The title field must be a string.");
  CHECK(b.errors[1].second[0] == "The company id field must be an integer.");

  b = parse_client_body("application/json", R"({"title":"   ","company_id":1})", BodyKind::create);
  CHECK(b.errors[0].second[0] == "The title field is required.");

  std::string long_title(256, 'a');
  b = parse_client_body("application/json", "{\"title\":\"" + long_title + "\",\"company_id\":1}",
                        BodyKind::create);
  CHECK(b.errors[0].second[0] == "The title field must not be greater than 255 characters.");
  // 255 characters of two bytes each are fine: the limit counts characters.
  std::string wide;
  for (int i = 0; i < 255; ++i)
    wide += "\xC3\xA9";
  b = parse_client_body("application/json", "{\"title\":\"" + wide + "\",\"company_id\":1}",
                        BodyKind::create);
  CHECK(b.errors.empty());

  // Not an object: no fields at all.
  b = parse_client_body("application/json", "[1,2]", BodyKind::create);
  CHECK(!b.malformed);
  CHECK(b.errors.size() == 2);
}

TEST_CASE("json_v1 bodies: malformed, deep, invalid UTF-8, forms") {
  CHECK(parse_client_body("application/json", "{\"title\":", BodyKind::create).malformed);
  CHECK(parse_client_body("application/json", "{} x", BodyKind::create).malformed);
  CHECK(parse_client_body("application/json", std::string(100000, '[') + std::string(100000, ']'),
                          BodyKind::create)
            .malformed);
  CHECK(parse_client_body("application/json", "{\"title\":\"\xff\xfe\",\"company_id\":1}",
                          BodyKind::create)
            .malformed);
  auto b = parse_client_body("application/x-www-form-urlencoded", "title=Acme+Form&company_id=456",
                             BodyKind::create);
  CHECK(b.errors.empty());
  CHECK(b.fields.title == "Acme Form");
}

TEST_CASE("json_v1 bodies: update rules") {
  auto b = parse_client_body("application/json", "{}", BodyKind::update);
  CHECK(b.errors.empty());
  CHECK(!b.fields.title);
  b = parse_client_body("application/json", R"({"title":""})", BodyKind::update);
  CHECK(b.errors[0].second[0] == "The title field is required.");
  b = parse_client_body("application/json", R"({"title":null})", BodyKind::update);
  CHECK(b.errors[0].second[0] == "The title field is required.");
}

TEST_CASE("json_v1 rendering") {
  core::Client c;
  c.id = 123;
  c.name = "Acme \"Corporation\"";
  c.created_at = *core::Timestamp::parse_iso8601("2023-01-01T12:00:00Z");
  c.updated_at = *core::Timestamp::parse_iso8601("2023-01-03T15:45:00.5Z");
  CHECK(render_client(c, nullptr) ==
        R"({"id":123,"title":"Acme \"Corporation\"","created_at":"2023-01-01T12:00:00.000000Z",)"
        R"("updated_at":"2023-01-03T15:45:00.500000Z"})");
  core::Company company{456, "Design Studio Inc", std::nullopt, true};
  CHECK(
      render_list({c}, [&](core::CompanyId) { return &company; }) ==
      R"([{"id":123,"title":"Acme \"Corporation\"","company":{"id":456,"title":"Design Studio Inc"},)"
      R"("created_at":"2023-01-01T12:00:00.000000Z","updated_at":"2023-01-03T15:45:00.500000Z"}])");
  CHECK(render_list({}, [&](core::CompanyId) { return &company; }) == "[]");
  core::Client second = c;
  second.id = 124;
  second.name = "Tab\there";
  CHECK(
      render_list({c, second}, [](core::CompanyId) { return nullptr; }) ==
      R"([{"id":123,"title":"Acme \"Corporation\"","created_at":"2023-01-01T12:00:00.000000Z",)"
      R"("updated_at":"2023-01-03T15:45:00.500000Z"},{"id":124,"title":"Tab\there",)"
      R"("created_at":"2023-01-01T12:00:00.000000Z","updated_at":"2023-01-03T15:45:00.500000Z"}])");
  CHECK(render_message("Unauthenticated.") == R"({"message":"Unauthenticated."})");
  CHECK(
      render_validation({{"title", {"The title field is required."}}}) ==
      R"({"message":"The title field is required.","errors":{"title":["The title field is required."]}})");
  CHECK(render_validation({{"title", {"A."}}, {"company_id", {"B."}}}) ==
        R"j({"message":"A. (and 1 more error)","errors":{"title":["A."],"company_id":["B."]}})j");
  CHECK(render_validation({{"title", {"A.", "C."}}, {"company_id", {"B."}}})
            .find("A. (and 2 more errors)") != std::string::npos);
}

TEST_CASE("strings are written exactly as RapidJSON's writer writes them") {
  // Short strings with nothing to escape take a faster path; the bytes must not change.
  auto reference = [](std::string_view text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("message");
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
  };
  for (std::string text :
       {std::string(), std::string("Acme"), std::string("say \"hi\""), std::string("back\\slash"),
        std::string("tab\there"), std::string("nul\0byte", 8), std::string("\x7f del"),
        std::string("caf\xc3\xa9 / \xe2\x82\xac"), std::string(254, 'a'), std::string(255, 'b'),
        std::string(300, 'c'), std::string(253, 'd') + "\n"}) {
    INFO(text);
    CHECK(render_message(text) == reference(text));
  }
}

TEST_CASE("json_v1 bodies: the shared text rules (bytes not UTF-8 refused, controls kept)") {
  // A form's %FF decodes to a byte that is not UTF-8.
  auto b = parse_client_body("application/x-www-form-urlencoded", "title=Acme%FF&company_id=456",
                             BodyKind::create);
  REQUIRE(b.errors.size() == 1);
  CHECK(b.errors[0].second[0] == "The title field must be a string.");
  // Control characters are stored as sent, as Laravel stores them.
  b = parse_client_body("application/json", R"({"title":"a\u0001b","company_id":1})",
                        BodyKind::create);
  CHECK(b.errors.empty());
  CHECK(b.fields.title ==
        "a\x01"
        "b");
}
