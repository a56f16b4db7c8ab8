// Substring search through the trigram index (client_search) answers exactly what a scan
// answers: the same rows in the same order, the same totals, for needles of every kind, and
// still after creates, updates, contact changes, state changes and deletes.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "storage/storage_test_support.hpp"

using namespace clientgate;

namespace {

// Pieces of names, descriptions and contacts: case, non-ASCII letters whose case LIKE does not
// fold, LIKE's wildcards and escape, quotes, FTS5 syntax, words to span.
const std::vector<std::string> pieces = {
    "Acme",    "ACME",     "acme",   "Ärzte",  "ärzte", "ÉCOLE",       "école",  "Straße",
    "STRASSE", "İstanbul", "ı",      "\u212A", "k",     "K",           "日本語", "テキスト",
    "😀",       "100%",     "50_50",  "a_b",    "A%B",   "back\\slash", "\"q\"",  "O'Brien",
    "NEAR",    "AND",      "OR",     "NOT",    "*",     "col:on",      "{x}",    "(paren)",
    "son",     "Johnson",  "Wilson", "Nelson", "plumb", "Plumbing",    "ll",     "  two  spaces",
    "ß",       "SS",       "-",      "0042",   "42",    "x1y2",        "Ñandú",  "ñANDÚ"};

std::string pick(std::mt19937& rng) {
  return pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
}

std::string phrase_of(std::mt19937& rng, int words) {
  std::string s;
  for (int i = 0; i < words; ++i)
    s += (i ? " " : "") + pick(rng);
  return s;
}

core::ContactInput contact(std::mt19937& rng) {
  core::ContactInput k;
  k.first_name = core::Text(pick(rng));
  k.last_name = core::Text(phrase_of(rng, 2));
  if (rng() % 3) k.email = core::Text(pick(rng) + "@mail.test");
  if (rng() % 2) k.phone = core::Text("+1 555 " + std::to_string(rng() % 10000));
  return k;
}

// A client of random text; each field sometimes absent.
core::ClientPatch random_fields(std::mt19937& rng) {
  core::ClientPatch p;
  p.name = phrase_of(rng, 1 + static_cast<int>(rng() % 3));
  if (rng() % 2) p.description = core::Text(phrase_of(rng, 3));
  if (rng() % 3 == 0) p.id_number = core::Text(pick(rng));
  if (rng() % 4 == 0) p.custom_value2 = core::Text(pick(rng));
  std::vector<core::ContactInput> contacts;
  for (unsigned i = 0; i < rng() % 3; ++i)
    contacts.push_back(contact(rng));
  p.contacts = contacts;
  return p;
}

// Needles: substrings of the data (characters, not bytes), case changed or not, and pieces.
std::vector<std::string> needles(std::mt19937& rng, int n) {
  std::vector<std::string> out = {
      "%",    "_",   "\\",     "\"",    "100%", "a_b", "A%B", "é",      "É",      "ÄRZ", "ärz",
      "k",    "K",   "\u212A", "😀",     "s d",  "ll ", "x",   "zzzz",   "son",    "SON", "OR",
      "*",    "ß",   "ss",     "straß", "0042", "42",  "4",   "col:o",  "{x}",    "ñan", "ÑAN",
      "\x1f", "ANd", "ne",     "e a",   "n\"q", "ic",  "İst", "\"q\" ", " two  s"};
  auto chars = [](const std::string& s) {
    std::vector<std::string> c;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t len = 1;
      auto b = static_cast<unsigned char>(s[i]);
      if (b >= 0xF0)
        len = 4;
      else if (b >= 0xE0)
        len = 3;
      else if (b >= 0xC0)
        len = 2;
      c.push_back(s.substr(i, len));
      i += len;
    }
    return c;
  };
  while (static_cast<int>(out.size()) < n) {
    auto c = chars(phrase_of(rng, 3));
    std::size_t len = 1 + rng() % 6;
    if (c.size() < len) continue;
    std::size_t from = rng() % (c.size() - len + 1);
    std::string needle;
    for (std::size_t i = from; i < from + len; ++i)
      needle += c[i];
    if (rng() % 3 == 0) {
      for (auto& ch : needle)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    }
    out.push_back(needle);
  }
  return out;
}

struct Pair {
  test::TempDir dir;
  std::unique_ptr<storage::SqliteRepository> indexed;
  std::unique_ptr<storage::SqliteRepository> scanned;
  Pair() {
    indexed = storage::SqliteRepository::open(dir / "store.db");
    indexed->import_dataset(test::parse_dataset(test::world_json()), {});
    storage::StorageSettings scan;
    scan.search_index = false;
    scanned = storage::SqliteRepository::open(dir / "store.db", scan);
  }
};

std::vector<core::ClientId> ids_of(const core::ClientPage& page) {
  std::vector<core::ClientId> out;
  for (const auto& c : page.items)
    out.push_back(c.id);
  return out;
}

// Every dialect's way of searching, with pages, states, scopes and sorts.
std::vector<core::ClientQuery> queries_for(const std::string& needle, const std::string& other) {
  std::vector<core::ClientQuery> qs;
  auto base = [](std::vector<core::CompanyId> companies, unsigned states) {
    core::ClientQuery q;
    q.companies = std::move(companies);
    q.states = states;
    q.limit = 7;
    return q;
  };
  const unsigned ninja_fields = core::search_name | core::search_id_number | core::search_number |
                                core::search_contact_names | core::search_contact_email |
                                core::search_contact_phone | core::search_custom_values;
  const unsigned intervals_fields =
      core::search_name | core::search_description | core::search_localid;
  for (unsigned states : {unsigned(core::states_live), unsigned(core::states_all),
                          unsigned(core::state_deleted), unsigned(core::state_archived)}) {
    for (auto companies : {std::vector<core::CompanyId>{1}, std::vector<core::CompanyId>{1, 2},
                           std::vector<core::CompanyId>{2}}) {
      auto q = base(companies, states);
      q.name_contains = needle;  // json_v1 title, ninja name
      qs.push_back(q);
      q.offset = 7;
      qs.push_back(q);
      q.descending = true;
      q.count_total = false;
      qs.push_back(q);

      q = base(companies, states);
      q.search_terms = {needle};  // ninja filter
      q.search_fields = ninja_fields;
      qs.push_back(q);
      q.sort = core::ClientColumn::name;
      q.offset = 3;
      qs.push_back(q);

      q = base(companies, states);
      q.search_terms = {needle, other};  // intervals search
      q.search_fields = intervals_fields;
      qs.push_back(q);
      q.sort = core::ClientColumn::created_at;
      q.descending = true;
      qs.push_back(q);
    }
  }
  auto q = base({1, 2}, core::states_live);
  q.name_contains = needle;
  q.search_terms = {other};
  q.search_fields = ninja_fields;
  q.company_id = 1;
  qs.push_back(q);  // ninja name and filter together, narrowed to one company
  q = base({1}, core::states_all);
  q.search_terms = {needle};
  q.search_fields = ninja_fields;
  q.with_id = 10;
  qs.push_back(q);  // ninja `with`
  q.with_id.reset();
  q.balance.push_back({core::Comparison::gte, core::Money{}});
  qs.push_back(q);  // a filter the index cannot count alone
  q.balance.clear();
  q.limit.reset();
  qs.push_back(q);  // no limit: every match
  return qs;
}

void require_same_results(Pair& p, std::mt19937& rng, int needle_count) {
  auto list = needles(rng, needle_count);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& needle = list[i];
    const auto& other = list[(i * 7 + 3) % list.size()];
    for (const auto& q : queries_for(needle, other)) {
      auto indexed = p.indexed->list_clients(q);
      auto scanned = p.scanned->list_clients(q);
      INFO("needle \"" << needle << "\", other \"" << other << "\", states " << q.states
                       << ", companies " << q.companies.size() << ", offset " << q.offset);
      REQUIRE(ids_of(indexed) == ids_of(scanned));
      REQUIRE(indexed.total == scanned.total);
    }
  }
}

}  // namespace

TEST_CASE("search through the trigram index equals the scan, also after every kind of write") {
  Pair p;
  std::mt19937 rng(14);
  std::vector<core::ClientId> made;
  for (int i = 0; i < 2000; ++i) {
    core::ClientDraft d;
    d.fields = random_fields(rng);
    auto c = p.indexed->create_client(i % 5 == 0 ? 2 : 1, d, {}, core::Timestamp::now());
    made.push_back(c.id);
    if (i % 7 == 3) p.indexed->delete_client(c.id, core::DeleteMode::soft, core::Timestamp::now());
    if (i % 5 == 1) {
      core::ClientPatch archive;
      archive.active = false;
      p.indexed->update_client(c.id, archive, {}, core::Timestamp::now());
    }
  }
  // Some matches at least: the comparison is not of two empty lists.
  core::ClientQuery some;
  some.companies = {1, 2};
  some.name_contains = "son";
  REQUIRE(p.indexed->list_clients(some).total > 100);

  SECTION("as created") {
    require_same_results(p, rng, 40);
  }

  SECTION("after renames, contact changes, state changes and deletes") {
    for (std::size_t i = 0; i < made.size(); i += 3) {
      core::ClientPatch patch;
      switch (i % 4) {
        case 0:
          patch = random_fields(rng);  // new name, description, contacts
          break;
        case 1: {
          std::vector<core::ContactInput> none;
          patch.contacts = none;  // every contact removed
          patch.active = (i % 2) == 0;
          break;
        }
        case 2:
          patch.custom_value2 = core::Text(std::nullopt);
          patch.id_number = core::Text(pick(rng));
          break;
        default:
          patch.name = "Renamed " + phrase_of(rng, 2);
      }
      p.indexed->update_client(made[i], patch, {}, core::Timestamp::now());
    }
    for (std::size_t i = 1; i < made.size(); i += 11)
      p.indexed->delete_client(made[i], core::DeleteMode::hard, core::Timestamp::now());
    p.indexed->bulk_update({made[2], made[4], made[8]}, core::BulkAction::soft_delete,
                           core::Timestamp::now());
    p.indexed->bulk_update({made[9], made[10]}, core::BulkAction::restore, core::Timestamp::now());
    require_same_results(p, rng, 40);
  }
}

TEST_CASE("the trigram index is rebuilt by the migration for a store that had none") {
  test::TempDir dir;
  {
    auto repo = storage::SqliteRepository::open(dir / "store.db");
    repo->import_dataset(test::parse_dataset(test::world_json()), {});
  }
  // As a store of schema 4 would be: no index, no triggers; then migrated again.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "store.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(
        sqlite3_exec(db,
                     "DROP TRIGGER clients_search_insert; DROP TRIGGER clients_search_update; "
                     "DROP TRIGGER clients_search_delete; DROP TRIGGER contacts_search_insert; "
                     "DROP TRIGGER contacts_search_update; DROP TRIGGER contacts_search_delete; "
                     "DROP TABLE client_search; DROP VIEW client_search_contacts; "
                     "UPDATE clients SET name = 'Acme Rockets' WHERE id = 10; "
                     "PRAGMA user_version = 4;",
                     nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto repo = storage::SqliteRepository::open(dir / "store.db");
  CHECK(repo->schema_version() == 5);
  core::ClientQuery q;
  q.companies = {1};
  q.name_contains = "ROCKET";
  auto page = repo->list_clients(q);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items.front().id == 10);
  q.name_contains.reset();
  q.search_terms = {"runner"};  // a contact's last name
  q.search_fields = core::search_contact_names;
  page = repo->list_clients(q);
  REQUIRE(page.items.size() == 1);
  CHECK(page.total == 1);

  // The list asks the index (a row it lacks is not found), the scan does not.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "store.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DELETE FROM client_search WHERE rowid = 10", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  CHECK(repo->list_clients(q).items.empty());
  storage::StorageSettings scan;
  scan.search_index = false;
  auto scanning = storage::SqliteRepository::open(dir / "store.db", scan);
  CHECK(scanning->list_clients(q).items.size() == 1);
}
