// Money in the store: Invoice Ninja's whole decimal(20,6) range kept exactly, compared and
// sorted as amounts, and the migration that moved older stores to two integers per amount.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "storage/storage_test_support.hpp"

using namespace clientgate;
using test::World;
using V = std::vector<core::ClientId>;

namespace {

// Clients 30..38 of company 1, with amounts at and around both ends of the range.
const char* money_json() {
  return R"json({
  "format": "clientgate-dataset/1",
  "companies": [ { "id": 1, "title": "Design Studio" } ],
  "clients": [
    { "id": 30, "company_id": 1, "name": "Top", "balance": "99999999999999.999999",
      "paid_to_date": "-99999999999999.999999", "credit_balance": "99999999999999.999999" },
    { "id": 31, "company_id": 1, "name": "Below top", "balance": "99999999999999.999998",
      "paid_to_date": "1" },
    { "id": 32, "company_id": 1, "name": "Bottom", "balance": "-99999999999999.999999",
      "paid_to_date": "99999999999999.999999" },
    { "id": 33, "company_id": 1, "name": "Past int64", "balance": "9223372036854.775808" },
    { "id": 34, "company_id": 1, "name": "Minus one and a half", "balance": "-1.5" },
    { "id": 35, "company_id": 1, "name": "Minus half", "balance": "-0.5" },
    { "id": 36, "company_id": 1, "name": "Zero", "balance": "0" },
    { "id": 37, "company_id": 1, "name": "Fourteen digits", "balance": "12345678901234.5" },
    { "id": 38, "company_id": 1, "name": "Minus one", "balance": "-1" }
  ]
})json";
}

core::Money money(const char* text) {
  auto m = core::Money::parse(text);
  REQUIRE(m);
  return *m;
}

std::string one_value(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr)
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  return out;
}

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO((error != nullptr ? error : "") << " in " << sql);
  sqlite3_free(error);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("money: the whole decimal(20,6) range is stored and read back exactly") {
  World w(false);
  w.repo->import_dataset(test::parse_dataset(money_json()), {});
  CHECK(w.get(30).balance.canonical() == "99999999999999.999999");
  CHECK(w.get(30).paid_to_date.canonical() == "-99999999999999.999999");
  CHECK(w.get(30).credit_balance.canonical() == "99999999999999.999999");
  CHECK(w.get(32).balance.canonical() == "-99999999999999.999999");
  CHECK(w.get(33).balance.canonical() == "9223372036854.775808");
  CHECK(w.get(34).balance.canonical() == "-1.50");
  CHECK(w.get(35).balance.canonical() == "-0.50");
  CHECK(w.get(37).balance.canonical() == "12345678901234.50");

  // A write of other fields keeps the amounts; a patch of an amount stores it exactly.
  core::ClientPatch p;
  p.balance = money("-99999999999999.999999");
  w.repo->update_client(31, p, {}, core::Timestamp::now());
  CHECK(w.get(31).balance.canonical() == "-99999999999999.999999");

  // Export and import into another store: the same amounts.
  auto exported = w.repo->export_dataset();
  World other(false);
  other.repo->import_dataset(exported, {});
  CHECK(other.get(30).balance == w.get(30).balance);
  CHECK(other.get(30).paid_to_date == w.get(30).paid_to_date);
  CHECK(other.get(32).balance == w.get(32).balance);
}

TEST_CASE("money: filters compare amounts across the whole range") {
  World w(false);
  w.repo->import_dataset(test::parse_dataset(money_json()), {});
  auto where = [&](std::vector<core::MoneyCondition> conditions) {
    auto q = w.query();
    q.balance = std::move(conditions);
    return w.ids(q);
  };
  using core::Comparison;
  CHECK(where({{Comparison::gt, money("99999999999999.999998")}}) == V{30});
  CHECK(where({{Comparison::gte, money("99999999999999.999998")}}) == V{30, 31});
  CHECK(where({{Comparison::eq, money("99999999999999.999999")}}) == V{30});
  CHECK(where({{Comparison::lt, money("-99999999999999.999998")}}) == V{32});
  CHECK(where({{Comparison::lte, money("-1")}}) == V{32, 34, 38});
  CHECK(where({{Comparison::lt, money("-1")}}) == V{32, 34});
  CHECK(where({{Comparison::gt, money("-1")}, {Comparison::lt, core::Money{}}}) == V{35});
  CHECK(where({{Comparison::gt, money("9223372036854.775807")}}) == V{30, 31, 33, 37});
  CHECK(where({{Comparison::gt, money("9223372036854.775808")}}) == V{30, 31, 37});
  CHECK(where({{Comparison::eq, money("12345678901234.5")}}) == V{37});
  CHECK(where({{Comparison::gte, money("-0.5")}, {Comparison::lte, money("0")}}) == V{35, 36});
  CHECK(where({{Comparison::gt, money("99999999999999.999999")}}).empty());
  CHECK(where({{Comparison::lt, money("-99999999999999.999999")}}).empty());
}

TEST_CASE("money: sorts order amounts across the whole range") {
  World w(false);
  w.repo->import_dataset(test::parse_dataset(money_json()), {});
  auto q = w.query();
  q.sort = core::ClientColumn::balance;
  CHECK(w.ids(q) == V{32, 34, 38, 35, 36, 33, 37, 31, 30});
  q.descending = true;
  CHECK(w.ids(q) == V{30, 31, 37, 33, 36, 35, 38, 34, 32});
  q.sort = core::ClientColumn::paid_to_date;
  CHECK(w.ids(q) == V{32, 31, 33, 34, 35, 36, 37, 38, 30});  // ties by id ascending
  q.descending = false;
  q.sort = core::ClientColumn::credit_balance;
  CHECK(w.ids(q) == V{31, 32, 33, 34, 35, 36, 37, 38, 30});
}

TEST_CASE("money: migration 3 moves a schema-2 store's amounts into two integers") {
  test::TempDir dir;
  const auto path = dir / "store.db";
  storage::SqliteRepository::open(path)->import_dataset(test::parse_dataset(money_json()), {});

  // Make it the schema-2 store older builds wrote: one INTEGER of millionths per amount.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  // The layout migration 3 made: whole units, then the millionths left, truncated toward zero.
  CHECK(one_value(db, "SELECT balance || ',' || balance_micros FROM clients WHERE id = 34") ==
        "-1,-500000");
  CHECK(one_value(db, "SELECT balance || ',' || balance_micros FROM clients WHERE id = 30") ==
        "99999999999999,999999");
  for (const char* column : {"balance", "paid_to_date", "credit_balance"})
    exec(db, std::string("ALTER TABLE clients DROP COLUMN ") + column + "_micros");
  // and the columns of migration 4, which comes after
  for (const char* column : {"settings_json", "classification"})
    exec(db, std::string("ALTER TABLE clients DROP COLUMN ") + column);
  // and the trigram index of migration 5
  for (const char* trigger :
       {"clients_search_insert", "clients_search_update", "clients_search_delete",
        "contacts_search_insert", "contacts_search_update", "contacts_search_delete"})
    exec(db, std::string("DROP TRIGGER ") + trigger);
  exec(db, "DROP VIEW client_search_contacts");
  exec(db, "DROP TABLE client_search");
  exec(db, "UPDATE clients SET balance = 0, paid_to_date = 0, credit_balance = 0");
  exec(db,
       "UPDATE clients SET balance = 9223372036854775807, paid_to_date = -1500000 "
       "WHERE id = 30");
  exec(db, "UPDATE clients SET balance = -9223372036854775807, credit_balance = 1 WHERE id = 31");
  exec(db, "UPDATE clients SET balance = 10735050000, paid_to_date = -500000 WHERE id = 32");
  exec(db, "PRAGMA user_version = 2");
  sqlite3_close(db);

  auto repo = storage::SqliteRepository::open(path);
  CHECK(repo->schema_version() == 5);
  auto get = [&](core::ClientId id) {
    core::ClientQuery q;
    q.companies = {1};
    q.ids = {id};
    q.states = core::states_all;
    auto page = repo->list_clients(q);
    REQUIRE(page.items.size() == 1);
    return page.items.front();
  };
  CHECK(get(30).balance.canonical() == "9223372036854.775807");
  CHECK(get(30).paid_to_date.canonical() == "-1.50");
  CHECK(get(30).credit_balance.canonical() == "0.00");
  CHECK(get(31).balance.canonical() == "-9223372036854.775807");
  CHECK(get(31).credit_balance.canonical() == "0.000001");
  CHECK(get(32).balance.canonical() == "10735.05");
  CHECK(get(32).paid_to_date.canonical() == "-0.50");
  CHECK(get(36).balance.canonical() == "0.00");

  // Filters and sorts work on the migrated rows.
  core::ClientQuery q;
  q.companies = {1};
  q.balance = {{core::Comparison::lt, core::Money{}}};
  std::vector<core::ClientId> ids;
  for (const auto& c : repo->list_clients(q).items)
    ids.push_back(c.id);
  CHECK(ids == V{31});
}
