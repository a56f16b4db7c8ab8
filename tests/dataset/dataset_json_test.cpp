// The `clientgate-dataset/1` codec: every rule of shared/contract/dataset.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "clientgate/core/secrets.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "dataset/dataset_equality.hpp"

using namespace clientgate;

namespace {

// The example of the contract, with a complete base64 content.
const char* const example = R"json({
  "format": "clientgate-dataset/1",
  "companies": [
    { "id": 456, "title": "Design Studio Inc", "slug": "design-studio", "clients_enabled": true }
  ],
  "users": [
    {
      "id": 7, "name": "Ada Lovelace", "email": "ada@example.com",
      "password": "correct horse",
      "memberships": [
        { "company_id": 456, "role": "administrator", "client_manager": true }
      ],
      "tokens": [
        { "token": "ada-all-companies" },
        { "token": "ada-ninja-456", "company_id": 456 }
      ]
    }
  ],
  "clients": [
    {
      "id": 123, "company_id": 456, "name": "Acme Corporation",
      "uuid": "123e4567-e89b-12d3-a456-426614174000",
      "number": "0001", "localid": 1,
      "active": true, "is_deleted": false,
      "code": null, "description": null, "website": null, "email": null,
      "phone": null, "fax": null,
      "address1": null, "address2": null, "city": null, "state": null,
      "postal_code": null, "country_id": null,
      "shipping_address1": null, "shipping_address2": null, "shipping_city": null,
      "shipping_state": null, "shipping_postal_code": null, "shipping_country_id": null,
      "vat_number": null, "id_number": null,
      "private_notes": null, "public_notes": null,
      "custom_value1": null, "custom_value2": null, "custom_value3": null, "custom_value4": null,
      "currency_id": null,
      "balance": "0.00", "paid_to_date": "0.00", "credit_balance": "0.00",
      "created_at": "2023-01-01T12:00:00.000000Z",
      "updated_at": "2023-01-01T12:00:00.000000Z",
      "archived_at": null,
      "contacts": [
        { "id": 1, "first_name": "Jewell", "last_name": "McClure",
          "email": "jewell@example.com", "phone": "276-345-6722",
          "is_primary": true, "send_email": true }
      ],
      "documents": [
        { "id": 3, "name": "contract.pdf", "type": "pdf", "is_public": true,
          "created_at": "2023-01-02T09:00:00Z", "content_base64": "JVBERi0xLjQK" }
      ]
    }
  ],
  "projects": [
    { "id": 1, "client_id": 123, "name": "Website relaunch", "active": true,
      "code": null, "description": null, "url": null,
      "created_at": "2023-01-05T10:00:00Z", "updated_at": "2023-01-05T10:00:00Z",
      "assignees": [7], "time_entries": 3,
      "tasks": [ { "id": 11, "name": "Design" } ] }
  ],
  "campaigns": [
    { "id": "9b2f0c3e-3a51-4d36-9a0f-0d6f6c2f1a10", "client_id": 123,
      "name": "Spring launch", "links": 12 }
  ]
})json";

core::Dataset parsed(std::string_view json, dataset::ParseOptions options = {}) {
  auto result = dataset::parse(json, options);
  if (auto* problems = std::get_if<std::vector<dataset::Problem>>(&result)) {
    for (const auto& p : *problems)
      UNSCOPED_INFO(p.path << ": " << p.message);
    FAIL("the document was refused");
  }
  return std::get<core::Dataset>(std::move(result));
}

std::vector<std::string> problems_of(std::string_view json, dataset::ParseOptions options = {}) {
  auto result = dataset::parse(json, options);
  REQUIRE(std::holds_alternative<std::vector<dataset::Problem>>(result));
  std::vector<std::string> lines;
  for (const auto& p : std::get<std::vector<dataset::Problem>>(result)) {
    lines.push_back(p.path + ": " + p.message);
  }
  return lines;
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
  bool found = std::find(lines.begin(), lines.end(), line) != lines.end();
  if (!found) {
    for (const auto& l : lines)
      UNSCOPED_INFO(l);
  }
  return found;
}

bool has_path(const std::vector<std::string>& lines, const std::string& path) {
  bool found = std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.rfind(path + ": ", 0) == 0; });
  if (!found) {
    for (const auto& l : lines)
      UNSCOPED_INFO(l);
  }
  return found;
}

std::string client_doc(const std::string& client_fields) {
  return R"({"companies":[{"id":1,"title":"C"}],"clients":[{"company_id":1,"name":"A")" +
         std::string(client_fields.empty() ? "" : ",") + client_fields + "}]}";
}

}  // namespace

TEST_CASE("the contract's example parses into the canonical model") {
  auto d = parsed(example);
  REQUIRE(d.companies.size() == 1);
  CHECK(d.companies[0].slug == "design-studio");
  REQUIRE(d.users.size() == 1);
  const auto& u = d.users[0];
  REQUIRE(u.password_hash);
  CHECK(core::secrets::verify_password(*u.password_hash, "correct horse"));
  REQUIRE(u.memberships.size() == 1);
  CHECK(u.memberships[0].role == core::Role::administrator);
  CHECK(u.memberships[0].client_manager);
  REQUIRE(u.tokens.size() == 2);
  CHECK(u.tokens[0].token_sha256 == core::secrets::sha256_hex("ada-all-companies"));
  CHECK_FALSE(u.tokens[0].company_id);
  CHECK(u.tokens[1].company_id == 456);

  REQUIRE(d.clients.size() == 1);
  const auto& c = d.clients[0];
  CHECK(c.id == 123);
  CHECK(c.uuid == "123e4567-e89b-12d3-a456-426614174000");
  CHECK(c.number == "0001");
  CHECK(c.active);
  CHECK_FALSE(c.archived_at);
  CHECK(c.created_at.iso8601(6) == "2023-01-01T12:00:00.000000Z");
  REQUIRE(c.contacts.size() == 1);
  CHECK(c.contacts[0].client_id == 123);
  CHECK(c.contacts[0].is_primary);
  REQUIRE(d.documents.size() == 1);
  CHECK(d.documents[0].info.client_id == 123);
  CHECK(d.documents[0].content == "%PDF-1.4\n");
  CHECK(d.documents[0].info.size == 9);
  CHECK(d.documents[0].info.hash == core::secrets::sha256_hex("%PDF-1.4\n"));
  REQUIRE(d.projects.size() == 1);
  CHECK(d.projects[0].assignees == std::vector<core::UserId>{7});
  CHECK(d.projects[0].time_entries == 3);
  REQUIRE(d.projects[0].tasks.size() == 1);
  CHECK(d.projects[0].tasks[0].project_id == 1);
  REQUIRE(d.campaigns.size() == 1);
  CHECK(d.campaigns[0].links == 12);
}

TEST_CASE("defaults of dataset.md apply to missing optional keys") {
  auto d = parsed(client_doc(""));
  const auto& c = d.clients[0];
  CHECK(c.id == 0);  // allocated by the store
  CHECK(c.uuid.empty());
  CHECK(c.number.empty());
  CHECK(c.localid == 0);
  CHECK(c.active);
  CHECK_FALSE(c.is_deleted);
  CHECK(c.balance.micros == 0);
  CHECK(c.created_at.micros > 0);
  CHECK(c.updated_at == c.created_at);
  CHECK(d.companies[0].clients_enabled);

  auto m = parsed(
      R"({"companies":[{"id":1,"title":"C"}],"users":[{"name":"U","email":"u@x",
          "memberships":[{"company_id":1}]}]})");
  CHECK(m.users[0].memberships[0].role == core::Role::resource);
  CHECK_FALSE(m.users[0].memberships[0].client_manager);
  CHECK_FALSE(m.users[0].password_hash);
}

TEST_CASE("unknown keys are problems named by their JSON path") {
  auto lines = problems_of(client_doc(R"("colour":"red")"));
  CHECK(has(lines, "clients[0].colour: unknown key"));
  CHECK(has(problems_of(R"({"companys":[]})"), "companys: unknown key"));
  CHECK(has_path(problems_of(R"({"companies":[{"id":1,"title":"C","extra":1}]})"),
                 "companies[0].extra"));
  CHECK(has_path(problems_of(client_doc(R"("contacts":[{"nick":"x"}])")),
                 "clients[0].contacts[0].nick"));
}

TEST_CASE("every problem is reported, not only the first") {
  auto lines = problems_of(
      R"({"format":"clientgate-dataset/1",
          "companies":[{"id":1,"title":5}],
          "clients":[{"company_id":1,"name":"A","balance":12.5,"created_at":"yesterday",
                      "country_id":"DE","active":"yes"},
                     {"id":5,"company_id":1,"name":"B"},
                     {"id":6,"company_id":1,"name":"C"},
                     {"id":7,"company_id":999,"name":"D"}]})");
  CHECK(has_path(lines, "companies[0].title"));
  CHECK(has_path(lines, "clients[0].balance"));
  CHECK(has_path(lines, "clients[0].created_at"));
  CHECK(has_path(lines, "clients[0].country_id"));
  CHECK(has_path(lines, "clients[0].active"));
  CHECK(has(lines, "clients[3].company_id: no company with id 999"));
  CHECK(lines.size() == 6);
}

TEST_CASE("required keys, wrong types and the format name") {
  CHECK(has(problems_of(R"({"companies":[{"id":1}]})"), "companies[0].title: is required"));
  CHECK(has(problems_of(R"({"format":"clientgate-dataset/2"})"),
            "format: must be \"clientgate-dataset/1\""));
  CHECK(has_path(problems_of(R"({"companies":{}})"), "companies"));
  CHECK(has_path(problems_of(R"({"companies":[{"id":"1","title":"C"}]})"), "companies[0].id"));
  CHECK(has_path(problems_of(R"({"companies":[{"id":1.5,"title":"C"}]})"), "companies[0].id"));
  CHECK(has_path(problems_of(R"({"companies":[{"id":-1,"title":"C"}]})"), "companies[0].id"));
  CHECK(has_path(problems_of(R"([])"), ""));
  CHECK(has_path(problems_of(client_doc(R"("name":"twice")")), "clients[0].name"));
}

TEST_CASE("duplicate ids and unique values within the document") {
  auto lines = problems_of(
      R"({"companies":[{"id":1,"title":"A"},{"id":1,"title":"B"}],
          "users":[{"id":1,"name":"U","email":"u@example.com"},
                   {"id":2,"name":"V","email":"U@EXAMPLE.COM"}],
          "clients":[{"id":3,"company_id":1,"name":"A","number":"0001",
                      "contacts":[{"id":9}]},
                     {"id":3,"company_id":1,"name":"B","number":"0001",
                      "contacts":[{"id":9}]}]})");
  CHECK(has_path(lines, "companies[1].id"));
  CHECK(has_path(lines, "users[1].email"));
  CHECK(has_path(lines, "clients[1].id"));
  CHECK(has_path(lines, "clients[1].number"));
  CHECK(has_path(lines, "clients[1].contacts[0].id"));
}

TEST_CASE("references within the document") {
  auto lines = problems_of(
      R"({"companies":[{"id":1,"title":"A"}],
          "users":[{"id":1,"name":"U","email":"u@x","memberships":[{"company_id":2}],
                    "tokens":[{"token":"t","company_id":3}]}],
          "clients":[{"id":3,"company_id":1,"name":"A"}],
          "projects":[{"client_id":4,"name":"P","assignees":[1,8]}],
          "campaigns":[{"client_id":5,"name":"C"}]})");
  CHECK(has(lines, "users[0].memberships[0].company_id: no company with id 2"));
  CHECK(has(lines, "users[0].tokens[0].company_id: no company with id 3"));
  CHECK(has(lines, "projects[0].client_id: no client with id 4"));
  CHECK(has(lines, "projects[0].assignees[1]: no user with id 8"));
  CHECK(has(lines, "campaigns[0].client_id: no client with id 5"));

  // Left to the store when the document may refer to records it already holds.
  dataset::ParseOptions external;
  external.check_references = false;
  auto d = parsed(R"({"clients":[{"id":3,"company_id":77,"name":"A"}],
                      "projects":[{"client_id":4,"name":"P","assignees":[8]}]})",
                  external);
  CHECK(d.clients[0].company_id == 77);
}

TEST_CASE("timestamps to the microsecond, money exactly, roles by name") {
  auto d = parsed(client_doc(
      R"("created_at":"2023-01-01T12:00:00.123456Z","updated_at":"2023-01-02T00:00:00+02:00",
         "balance":"10735.05","paid_to_date":"-3","credit_balance":"0.000001")"));
  const auto& c = d.clients[0];
  CHECK(c.created_at.iso8601(6) == "2023-01-01T12:00:00.123456Z");
  CHECK(c.updated_at.iso8601(6) == "2023-01-01T22:00:00.000000Z");
  CHECK(c.balance.micros == 10'735'050'000);
  CHECK(c.paid_to_date.canonical() == "-3.00");
  CHECK(c.credit_balance.micros == 1);
  CHECK(has_path(problems_of(client_doc(R"("balance":"1e3")")), "clients[0].balance"));
  CHECK(has_path(problems_of(client_doc(R"("balance":"0.0000001")")), "clients[0].balance"));
  CHECK(has_path(problems_of(R"({"companies":[{"id":1,"title":"C"}],"users":[{"name":"U",
      "email":"u@x","memberships":[{"company_id":1,"role":"owner"}]}]})"),
                 "users[0].memberships[0].role"));
}

// Invoice Ninja's money columns are decimal(20,6): real exports hold 14-digit balances.
TEST_CASE("money over decimal(20,6)'s whole range, and a problem line past it") {
  auto d = parsed(client_doc(R"("balance":"99999999999999.999999",
      "paid_to_date":"-99999999999999.999999","credit_balance":"12345678901234.5")"));
  const auto& c = d.clients[0];
  CHECK(c.balance.canonical() == "99999999999999.999999");
  CHECK(c.paid_to_date.canonical() == "-99999999999999.999999");
  CHECK(c.credit_balance.canonical() == "12345678901234.50");
  std::string written = dataset::write(d);
  CHECK(written.find(R"("balance": "99999999999999.999999")") != std::string::npos);
  CHECK(written.find(R"("paid_to_date": "-99999999999999.999999")") != std::string::npos);
  auto again = parsed(written);
  CHECK(again.clients[0].balance == c.balance);
  CHECK(again.clients[0].paid_to_date == c.paid_to_date);
  CHECK(again.clients[0].credit_balance == c.credit_balance);

  const std::string past =
      "out of range: decimal(20,6) holds -99999999999999.999999 to 99999999999999.999999";
  CHECK(has(problems_of(client_doc(R"("balance":"100000000000000")")),
            "clients[0].balance: " + past));
  CHECK(has(problems_of(client_doc(R"("credit_balance":"-100000000000000.000000")")),
            "clients[0].credit_balance: " + past));
  auto both = problems_of(R"({"companies":[{"id":1,"title":"C"}],"clients":[
      {"company_id":1,"name":"A","balance":"1"},
      {"company_id":1,"name":"B","paid_to_date":"123456789012345.5"}]})");
  CHECK(has(both, "clients[1].paid_to_date: " + past));
  CHECK(has(problems_of(client_doc(R"("balance":"99999999999999.9999999")")),
            "clients[0].balance: not an exact decimal amount (at most 6 fractional digits)"));
}

TEST_CASE("active and archived_at are kept consistent") {
  auto archived = parsed(client_doc(R"("active":false,"updated_at":"2023-05-01T00:00:00Z")"));
  REQUIRE(archived.clients[0].archived_at);
  CHECK(archived.clients[0].archived_at->iso8601(0) == "2023-05-01T00:00:00Z");
  auto implied = parsed(client_doc(R"("archived_at":"2023-06-01T00:00:00Z")"));
  CHECK_FALSE(implied.clients[0].active);
  CHECK(has_path(problems_of(client_doc(R"("active":true,"archived_at":"2023-06-01T00:00:00Z")")),
                 "clients[0].archived_at"));
}

TEST_CASE("exactly one primary contact") {
  auto d = parsed(client_doc(R"("contacts":[{"first_name":"A"},{"first_name":"B"}])"));
  CHECK(d.clients[0].contacts[0].is_primary);
  CHECK_FALSE(d.clients[0].contacts[1].is_primary);
  CHECK(has_path(problems_of(client_doc(R"("contacts":[{"is_primary":true},{"is_primary":true}])")),
                 "clients[0].contacts"));
}

TEST_CASE("secrets: clear forms are hashed, hashed forms are taken as they are") {
  std::string hash = core::secrets::hash_password("pw");
  std::string token_hash = core::secrets::sha256_hex("tok");
  auto d = parsed(R"({"users":[{"id":1,"name":"U","email":"u@x","password_hash":")" + hash +
                  R"(","tokens":[{"token_sha256":")" + token_hash + R"("}]}]})");
  CHECK(d.users[0].password_hash == hash);
  CHECK(d.users[0].tokens[0].token_sha256 == token_hash);
  CHECK(has_path(problems_of(R"({"users":[{"name":"U","email":"u@x","password":"a",
      "password_hash":")" + hash +
                             R"("}]})"),
                 "users[0].password"));
  CHECK(has_path(problems_of(R"({"users":[{"name":"U","email":"u@x","password_hash":"plain"}]})"),
                 "users[0].password_hash"));
  CHECK(has_path(problems_of(R"({"users":[{"name":"U","email":"u@x","tokens":[{}]}]})"),
                 "users[0].tokens[0].token"));
  CHECK(has_path(
      problems_of(R"({"users":[{"name":"U","email":"u@x","tokens":[{"token_sha256":"ABC"}]}]})"),
      "users[0].tokens[0].token_sha256"));
  auto contact = parsed(client_doc(R"("contacts":[{"password":"secret"}])"));
  REQUIRE(contact.clients[0].contacts[0].password_hash);
  CHECK(core::secrets::verify_password(*contact.clients[0].contacts[0].password_hash, "secret"));
  // A token of a company the user is not a member of would act outside the user's scope.
  CHECK(has_path(problems_of(R"({"companies":[{"id":1,"title":"C"}],"users":[{"name":"U",
      "email":"u@x","tokens":[{"token":"t","company_id":1}]}]})"),
                 "users[0].tokens[0].company_id"));
}

TEST_CASE("documents: base64 content, size and hash computed or checked") {
  auto d =
      parsed(client_doc(R"("id":4,"documents":[{"name":"Notes.TXT","content_base64":"aGk="}])"));
  REQUIRE(d.documents.size() == 1);
  CHECK(d.documents[0].content == "hi");
  CHECK(d.documents[0].info.type == "txt");
  CHECK(d.documents[0].info.is_public);
  CHECK(d.documents[0].info.client_id == 4);

  CHECK(has_path(problems_of(client_doc(R"("documents":[{"name":"a","content_base64":"!!"}])")),
                 "clients[0].documents[0].content_base64"));
  CHECK(has_path(
      problems_of(client_doc(R"("documents":[{"name":"a","content_base64":"aGk=","size":3}])")),
      "clients[0].documents[0].size"));
  CHECK(has_path(
      problems_of(client_doc(R"("documents":[{"name":"a","content_base64":"aGk=","hash":")" +
                             std::string(64, '0') + R"("}])")),
      "clients[0].documents[0].hash"));
  CHECK(has_path(problems_of(client_doc(R"("documents":[{"name":"a"}])")),
                 "clients[0].documents[0].content_base64"));
  // A client without an id: its documents refer to it by position until the store allocates.
  auto placeholder = parsed(client_doc(R"("documents":[{"name":"a","content_base64":""}])"));
  CHECK(placeholder.documents[0].info.client_id == -1);
}

TEST_CASE("hostile input is refused without a crash") {
  CHECK(has_path(problems_of("{\"companies\": ["), ""));
  CHECK(has_path(problems_of("{} {}"), ""));
  CHECK(has_path(problems_of(""), ""));
  std::string deep(100'000, '[');
  deep += std::string(100'000, ']');
  CHECK(has_path(problems_of(deep), ""));  // parsed (iteratively), then refused: not an object
  std::string deep_open(100'000, '[');
  CHECK(has_path(problems_of(deep_open), ""));
  std::string deep_in_key = R"({"companies":[{"id":1,"title":"C","x":)" + deep + "}]}";
  CHECK(has_path(problems_of(deep_in_key), "companies[0].x"));
  std::string bad_utf8 = client_doc("\"city\":\"M\xC3\x28nchen\"");
  CHECK(has_path(problems_of(bad_utf8), ""));
  std::string overlong = client_doc("\"city\":\"\xC0\xAF\"");
  CHECK(has_path(problems_of(overlong), ""));
}

TEST_CASE("parse(write(d)) gives d back, field by field") {
  auto d = parsed(example);
  // Every optional kind of value, so that the writer is exercised on all of them.
  auto& c = d.clients[0];
  c.city = "Zürich";
  c.country_id = 756;
  c.balance = *core::Money::parse("10735.05");
  c.created_at = core::Timestamp{1'672'574'400'123'456};
  c.client_hash = core::secrets::random_alphanumeric(40);
  c.contacts[0].contact_key = core::secrets::random_alphanumeric(40);
  c.contacts[0].custom_value2 = "";
  d.documents[0].content = std::string("\0\x01\xff binary", 10);
  d.documents[0].info.size = 10;
  d.documents[0].info.hash = core::secrets::sha256_hex(d.documents[0].content);
  core::Client archived = c;
  archived.id = 124;
  archived.uuid = "223e4567-e89b-42d3-a456-426614174000";
  archived.number = "0002";
  archived.localid = 2;
  archived.active = false;
  archived.is_deleted = true;
  archived.archived_at = core::Timestamp{1'700'000'000'000'001};
  archived.client_hash = core::secrets::random_alphanumeric(40);
  archived.contacts.clear();
  d.clients.push_back(archived);

  std::string first = dataset::write(d);
  auto again = parsed(first);
  test::check_equal(d, again);
  CHECK(dataset::write(again) == first);
  // Secrets leave only as hashes.
  CHECK(first.find("correct horse") == std::string::npos);
  CHECK(first.find("ada-all-companies") == std::string::npos);
  CHECK(first.find("\"password_hash\"") != std::string::npos);
  CHECK(first.find("\"token_sha256\"") != std::string::npos);
}

TEST_CASE("ninja's client settings object is kept whole, as JSON text") {
  auto d = parsed(client_doc(
      R"("settings":{"entity":"App\\Models\\Client","currency_id":"3","payment_terms":"14",
         "nested":{"a":[1,2.5,true,null]}})"));
  REQUIRE(d.clients[0].settings_json);
  CHECK(*d.clients[0].settings_json ==
        R"({"entity":"App\\Models\\Client","currency_id":"3","payment_terms":"14",)"
        R"("nested":{"a":[1,2.5,true,null]}})");
  std::string written = dataset::write(d);
  CHECK(written.find("\"payment_terms\": \"14\"") != std::string::npos);
  CHECK(*parsed(written).clients[0].settings_json == *d.clients[0].settings_json);
  CHECK_FALSE(parsed(client_doc(R"("settings":null)")).clients[0].settings_json);
  CHECK(has_path(problems_of(client_doc(R"("settings":"x")")), "clients[0].settings"));
}
