// import_dataset / export_dataset: atomicity, ids that exist, --replace, references into the
// store, and the export∘import round trip.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "dataset/dataset_equality.hpp"
#include "storage/storage_test_support.hpp"

using namespace clientgate;
using test::World;

namespace {

std::vector<std::string> import_problems(storage::SqliteRepository& repo, const std::string& json,
                                         bool replace = false) {
  try {
    core::ImportOptions options;
    options.replace = replace;
    repo.import_dataset(test::parse_dataset(json, false), options);
  } catch (const core::Error& e) {
    REQUIRE(e.kind() == core::ErrorKind::validation);
    std::vector<std::string> lines;
    for (const auto& f : e.fields())
      lines.push_back(f.field + ": " + f.message);
    return lines;
  }
  FAIL("the import was accepted");
  return {};
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
  bool found = std::find(lines.begin(), lines.end(), line) != lines.end();
  if (!found) {
    for (const auto& l : lines)
      UNSCOPED_INFO(l);
  }
  return found;
}

}  // namespace

TEST_CASE("export then import into an empty store gives back the same store") {
  World a;
  // Make the store hold every kind of value: allocated ids, generated keys, documents.
  core::ClientDraft d;
  d.fields.name = "Made here";
  d.fields.private_notes = core::Text("ünïcödé \"quoted\"");
  d.fields.contacts = std::vector<core::ContactInput>{core::ContactInput{}};
  d.fields.contacts->front().password = "contact-pw";
  auto made = a.repo->create_client(1, d, {}, core::Timestamp{1'700'000'000'123'456});
  core::NewDocument doc;
  doc.name = "bytes.bin";
  doc.type = "bin";
  doc.content = std::string("\0\x01\x02\xff", 4);
  a.repo->add_document(made.id, doc, core::Timestamp{1'700'000'000'654'321});
  a.repo->delete_client(11, core::DeleteMode::soft, core::Timestamp{1'700'000'001'000'001});

  auto b = a.repo->export_dataset();
  std::string b_json = dataset::write(b);

  World fresh(false);
  fresh.repo->import_dataset(test::parse_dataset(b_json), {});
  auto c = fresh.repo->export_dataset();
  test::check_equal(b, c);
  CHECK(dataset::write(c) == b_json);

  // The store's own view agrees too, not only the export.
  auto before = a.get(made.id);
  auto after = fresh.get(made.id);
  test::check_equal(before, after);
  CHECK(after.documents.size() == 1);
  CHECK(after.documents[0].hash == core::secrets::sha256_hex(doc.content));
  CHECK(fresh.repo->find_token(core::secrets::sha256_hex("ada-1"))->company_id == 1);
  CHECK(core::secrets::verify_password(*fresh.repo->find_user(7)->password_hash, "pw"));

  // Allocation continues past the imported values in the new store.
  auto next = fresh.repo->create_client(1, d, {}, core::Timestamp::now());
  CHECK(next.id > made.id);
  CHECK(next.localid == made.localid + 1);
}

TEST_CASE("the demo dataset of examples/ imports and round-trips") {
  std::ifstream in(std::string(CLIENTGATE_SOURCE_DIR) + "/examples/demo-dataset.json");
  if (!in) return;  // not written yet
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  World a(false);
  a.repo->import_dataset(test::parse_dataset(json), {});
  auto b = a.repo->export_dataset();
  World c(false);
  c.repo->import_dataset(test::parse_dataset(dataset::write(b)), {});
  test::check_equal(b, c.repo->export_dataset());
}

TEST_CASE("an id that exists is a problem unless replacing; nothing is written") {
  World w;
  auto lines = import_problems(*w.repo, R"({
    "companies":[{"id":1,"title":"Again"},{"id":3,"title":"New"}],
    "users":[{"id":7,"name":"Again","email":"x@example.com"}],
    "clients":[{"id":10,"company_id":1,"name":"Again"},
               {"id":30,"company_id":3,"name":"New","contacts":[{"id":100}],
                "documents":[{"id":5,"name":"a","content_base64":""}]}],
    "projects":[{"id":1,"client_id":30,"name":"P"},
                {"id":3,"client_id":30,"name":"P","tasks":[{"id":2,"name":"T"}]}],
    "campaigns":[{"id":"9b2f0c3e-3a51-4d36-9a0f-0d6f6c2f1a10","client_id":30,"name":"C"}]})");
  CHECK(has(lines, "companies[0].id: a company with id 1 exists"));
  CHECK(has(lines, "users[0].id: a user with id 7 exists"));
  CHECK(has(lines, "clients[0].id: a client with id 10 exists"));
  CHECK(has(lines, "clients[1].contacts[0].id: a contact with id 100 exists"));
  CHECK(has(lines, "clients[1].documents[0].id: a document with id 5 exists"));
  CHECK(has(lines, "projects[0].id: a project with id 1 exists"));
  CHECK(has(lines, "projects[1].tasks[0].id: a task with id 2 exists"));
  CHECK(has(lines,
            "campaigns[0].id: a campaign with id 9b2f0c3e-3a51-4d36-9a0f-0d6f6c2f1a10 exists"));
  CHECK(lines.size() == 8);
  // Atomic: company 3 and client 30, which were fine, were not written either.
  CHECK_FALSE(w.repo->find_company(3));
  CHECK(w.repo->find_company(1)->title == "Design Studio");
  auto q = w.query({1, 3});
  q.ids = {30};
  CHECK(w.ids(q).empty());
}

TEST_CASE("replace replaces the records with those ids") {
  World w;
  w.repo->import_dataset(test::parse_dataset(R"({
    "companies":[{"id":1,"title":"Renamed","slug":"design-studio"}],
    "users":[{"id":7,"name":"Ada L.","email":"ada@example.com",
              "memberships":[{"company_id":1,"role":"executive"}],
              "tokens":[{"token":"ada-all"}]}],
    "clients":[{"id":10,"company_id":1,"name":"Acme Two","number":"0001","localid":1,
                "contacts":[{"id":100,"first_name":"Only"}]}],
    "campaigns":[{"id":"9b2f0c3e-3a51-4d36-9a0f-0d6f6c2f1a10","client_id":10,"name":"S2",
                  "links":1}]})",
                                             false),
                         core::ImportOptions{true});
  CHECK(w.repo->find_company(1)->title == "Renamed");
  auto ada = w.repo->find_user(7);
  CHECK(ada->name == "Ada L.");
  REQUIRE(ada->memberships.size() == 1);
  CHECK(ada->memberships[0].role == core::Role::executive);
  CHECK(w.repo->find_token(core::secrets::sha256_hex("ada-all")));
  CHECK_FALSE(w.repo->find_token(core::secrets::sha256_hex("ada-1")));  // tokens replaced
  auto acme = w.get(10);
  CHECK(acme.name == "Acme Two");
  REQUIRE(acme.contacts.size() == 1);
  CHECK(acme.contacts[0].first_name == "Only");
  CHECK(acme.contacts[0].is_primary);
  CHECK(acme.counts->links == 4);                        // 1 + the untouched 3
  CHECK(w.repo->list_projects({10}, true).size() == 1);  // projects are records of their own
}

TEST_CASE("references may point to records already in the store; dangling ones are problems") {
  World w;
  w.repo->import_dataset(test::parse_dataset(R"({
    "users":[{"id":9,"name":"New","email":"new@example.com",
              "memberships":[{"company_id":1}],"tokens":[{"token":"n","company_id":1}]}],
    "clients":[{"company_id":2,"name":"Later"}],
    "projects":[{"client_id":10,"name":"More","assignees":[7,9]}],
    "campaigns":[{"client_id":11,"name":"C","links":2}]})",
                                             false),
                         {});
  auto q = w.query({2});
  q.name_equals = "Later";
  auto later = w.repo->list_clients(q).items;
  REQUIRE(later.size() == 1);
  CHECK(later[0].localid == 2);
  CHECK(later[0].number == "0002");
  CHECK(later[0].uuid.size() == 36);
  CHECK(later[0].id > 20);
  CHECK(w.repo->list_projects({10}, false).back().assignees == std::vector<core::UserId>{7, 9});
  CHECK(w.get(11).counts->links == 2);

  auto lines = import_problems(*w.repo, R"({
    "users":[{"name":"X","email":"x@example.com","memberships":[{"company_id":42}]}],
    "clients":[{"company_id":1,"name":"A"},{"company_id":1,"name":"B"},{"company_id":1,"name":"C"},
               {"company_id":999,"name":"D"}],
    "projects":[{"client_id":555,"name":"P"},{"client_id":10,"name":"Q","assignees":[77]}],
    "campaigns":[{"client_id":556,"name":"C"}]})");
  CHECK(has(lines, "users[0].memberships[0].company_id: no company with id 42"));
  CHECK(has(lines, "clients[3].company_id: no company with id 999"));
  CHECK(has(lines, "projects[0].client_id: no client with id 555"));
  CHECK(has(lines, "projects[1].assignees[0]: no user with id 77"));
  CHECK(has(lines, "campaigns[0].client_id: no client with id 556"));
  CHECK(lines.size() == 5);
  q = w.query({1});
  q.name_equals = "A";
  CHECK(w.ids(q).empty());
}

TEST_CASE("uniqueness against the store: e-mail, token, number, uuid") {
  World w;
  auto lines = import_problems(*w.repo, R"({
    "users":[{"name":"Dup","email":"ADA@example.com","tokens":[{"token":"ada-all"}]}],
    "clients":[{"company_id":1,"name":"Dup number","number":"0002"},
               {"company_id":1,"name":"Dup uuid","uuid":"123e4567-e89b-42d3-a456-426614174000"},
               {"company_id":1,"name":"Dup localid","localid":3}]})");
  CHECK(has(lines, "users[0].email: the e-mail is already used"));
  CHECK(has(lines, "clients[0]: the number is already used in this company"));
  CHECK(has(lines, "clients[1]: the uuid is already used"));
  CHECK(has(lines, "clients[2]: the localid is already used in this company"));

  World other;
  auto token = import_problems(*other.repo, R"({
    "users":[{"name":"Dup","email":"dup@example.com","tokens":[{"token":"ada-all"}]}]})");
  CHECK(has(token, "users[0].tokens[0].token: the token is already used"));
}

TEST_CASE("documents of a client without an id follow it to its allocated id") {
  World w(false);
  w.repo->import_dataset(test::parse_dataset(R"({
    "companies":[{"id":1,"title":"C"}],
    "clients":[{"company_id":1,"name":"A","documents":[{"name":"a.txt","content_base64":"YQ=="}]},
               {"company_id":1,"name":"B","documents":[{"name":"b.txt","content_base64":"Yg=="}]}]})"),
                         {});
  auto q = w.query();
  q.load.documents = true;
  auto page = w.repo->list_clients(q);
  REQUIRE(page.items.size() == 2);
  REQUIRE(page.items[1].documents.size() == 1);
  CHECK(page.items[1].documents[0].name == "b.txt");
  std::string content;
  w.repo->read_document(page.items[1].documents[0].id, [&](std::string_view c) { content += c; });
  CHECK(content == "b");
}
