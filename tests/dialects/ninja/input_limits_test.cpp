// Issue 19 items 7 and 10: the number of contacts per client is capped (a setting) and the
// distinct e-mail check is one pass; a JSON number where a string is stored becomes the text
// PHP makes of it (14 significant digits), so 1 MiB of nines is the name "1".
#include <rapidjson/document.h>
#include <catch2/catch.hpp>
#include <chrono>

#include "fixture.hpp"
#include "ninja/parse.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
using namespace clientgate::dialects::ninja;
using namespace clientgate::test;

namespace {

ClientInput input_of(const std::string& json, WriteMode mode = WriteMode::create,
                     const std::vector<core::Contact>& existing = {},
                     std::size_t max_contacts = default_max_contacts) {
  static HashidCodec codec;
  rapidjson::Document d;
  d.Parse(json.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return read_client_input(d, mode, codec, existing, max_contacts);
}

std::string contacts_json(std::size_t count, bool same_email = false) {
  std::string json = R"({"name":"Many","contacts":[)";
  for (std::size_t i = 0; i < count; ++i) {
    if (i) json += ',';
    json += R"({"email":"c)" + (same_email ? std::string() : std::to_string(i)) + R"(@x.test"})";
  }
  return json + "]}";
}

const std::vector<std::string>* errors_of(const ClientInput& in, const std::string& field) {
  for (const auto& [f, messages] : in.errors)
    if (f == field) return &messages;
  return nullptr;
}

const Headers kJson = {{"X-API-TOKEN", "company-token-test"},
                       {"X-Requested-With", "XMLHttpRequest"},
                       {"Content-Type", "application/json"}};

}  // namespace

TEST_CASE("client input: the number of contacts is capped") {
  auto at_cap = input_of(contacts_json(default_max_contacts));
  CHECK(at_cap.errors.empty());
  REQUIRE(at_cap.patch.contacts);
  CHECK(at_cap.patch.contacts->size() == default_max_contacts);

  auto over = input_of(contacts_json(default_max_contacts + 1));
  REQUIRE(errors_of(over, "contacts"));
  CHECK(*errors_of(over, "contacts") ==
        std::vector<std::string>{"The contacts must not have more than 500 items."});
  CHECK(over.errors.size() == 1);  // no element was read

  auto small_cap = input_of(contacts_json(3), WriteMode::update, {}, 2);
  REQUIRE(errors_of(small_cap, "contacts"));
  CHECK((*errors_of(small_cap, "contacts"))[0] == "The contacts must not have more than 2 items.");
}

TEST_CASE("client input: distinct e-mails in one pass, case-insensitive") {
  auto in = input_of(R"({"contacts":[{"email":"a@b.co"},{"email":"A@B.CO"},{"email":"c@b.co"}]})");
  REQUIRE(errors_of(in, "contacts.1.email"));
  CHECK_FALSE(errors_of(in, "contacts.2.email"));
  // Every e-mail the same, at the cap: each duplicate named, and quickly.
  auto start = std::chrono::steady_clock::now();
  auto same = input_of(contacts_json(default_max_contacts, true));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(same.errors.size() == default_max_contacts - 1);
}

TEST_CASE("client input: a JSON number for a string field is the text PHP makes of it") {
  CHECK(input_of(R"({"name":12})").patch.name == "12");
  CHECK(input_of(R"({"name":-7})").patch.name == "-7");
  CHECK(input_of(R"({"name":0.1})").patch.name == "0.1");
  CHECK(input_of(R"({"name":12.50})").patch.name == "12.5");
  CHECK(input_of(R"({"name":1e25})").patch.name == "1.0E+25");
  CHECK(input_of(R"({"name":1.5e-7})").patch.name == "1.5E-7");
  CHECK(input_of(R"({"name":123456789012345678901})").patch.name == "1.2345678901235E+20");
  CHECK(input_of(R"({"name":0.30000000000000004})").patch.name == "0.3");
  std::string nines = R"({"name":0.)" + std::string(1 << 20, '9') + "}";
  auto in = input_of(nines);
  CHECK(in.errors.empty());
  CHECK(in.patch.name == "1");
}

TEST_CASE("ninja end to end: contacts past the cap are 422 naming contacts") {
  ServerProcess server({ninja::kFixture, {}, "[dialects.ninja]\nmax_contacts = 3\n"});
  HttpClient http(server.host(), server.port());
  auto refused = http.request("POST", "/api/v1/clients", kJson, contacts_json(4));
  CHECK(refused.status == 422);
  CHECK(refused.body == R"({"message":"The given data was invalid.","errors":{"contacts":)"
                        R"(["The contacts must not have more than 3 items."]}})");
  auto created = http.request("POST", "/api/v1/clients", kJson, contacts_json(3));
  CHECK(created.status == 200);

  // 40,000 contacts with the default cap: refused before any is read.
  ServerProcess defaults({ninja::kFixture, {}, {}});
  HttpClient other(defaults.host(), defaults.port());
  std::string blank_contacts = R"({"name":"Many","contacts":[{})";
  for (int i = 1; i < 40000; ++i)
    blank_contacts += ",{}";
  auto many = other.request("POST", "/api/v1/clients", kJson, blank_contacts + "]}");
  CHECK(many.status == 422);
  CHECK(many.body.find("must not have more than 500 items") != std::string::npos);
}

TEST_CASE("ninja end to end: a name of 1 MiB of nines is stored as PHP prints it") {
  ServerProcess server({ninja::kFixture, {}, {}});
  HttpClient http(server.host(), server.port());
  // Just under the 1 MiB body limit.
  std::string body = R"({"name":0.)" + std::string((1 << 20) - 64, '9') + "}";
  auto created = http.request("POST", "/api/v1/clients", kJson, body);
  REQUIRE(created.status == 200);
  CHECK(created.body.find(R"("name":"1")") != std::string::npos);
}

TEST_CASE("ninja end to end: a bad max_contacts stops the start naming the key") {
  TempDir dir;
  auto config = dir.write("c.toml", "[dialects.ninja]\nmax_contacts = 0\n");
  auto result = run_clientgate({"serve", "--db", (dir / "db").string(), "--listen", "127.0.0.1:0",
                                "--config", config.string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("dialects.ninja.max_contacts: must be an integer from 1 to") !=
        std::string::npos);
}
