// Reads of SqliteRepository: identities, the client query in all its parts, related records.
#include <catch2/catch.hpp>

#include <random>
#include <thread>

#include "storage/storage_test_support.hpp"

using namespace clientgate;
using test::World;
using V = std::vector<core::ClientId>;

TEST_CASE("the schema is migrated and the settings applied at open") {
  World w(false);
  CHECK(w.repo->schema_version() == 5);
  CHECK(w.repo->empty());
  CHECK(w.repo->pragma_value("journal_mode") == "wal");
  CHECK(w.repo->pragma_value("synchronous") == "1");  // NORMAL
  CHECK(w.repo->pragma_value("foreign_keys") == "1");
  CHECK(std::stoi(w.repo->pragma_value("busy_timeout")) == 5000);
  CHECK(w.repo->healthy());
  CHECK_THROWS(w.repo->pragma_value("synchronous; DROP TABLE clients"));

  test::TempDir dir;
  storage::StorageSettings power;
  power.durability = storage::Durability::power_loss;
  power.busy_timeout = std::chrono::milliseconds(1234);
  auto full = storage::SqliteRepository::open(dir / "full.db", power);
  CHECK(full->pragma_value("synchronous") == "2");  // FULL
  CHECK(full->pragma_value("busy_timeout") == "1234");

  // Reopening runs no migration twice and sees the data.
  w.repo->import_dataset(test::parse_dataset(test::world_json()), {});
  w.repo.reset();
  auto again = storage::SqliteRepository::open(w.db());
  CHECK(again->schema_version() == 5);
  CHECK_FALSE(again->empty());
}

TEST_CASE("identities: tokens, users, companies") {
  World w;
  auto grant = w.repo->find_token(core::secrets::sha256_hex("ada-1"));
  REQUIRE(grant);
  CHECK(grant->user_id == 7);
  CHECK(grant->company_id == 1);
  auto all = w.repo->find_token(core::secrets::sha256_hex("ada-all"));
  REQUIRE(all);
  CHECK_FALSE(all->company_id);
  CHECK_FALSE(w.repo->find_token(core::secrets::sha256_hex("nope")));

  auto ada = w.repo->find_user_by_email("ada@EXAMPLE.com");
  REQUIRE(ada);
  CHECK(ada->id == 7);
  REQUIRE(ada->password_hash);
  CHECK(core::secrets::verify_password(*ada->password_hash, "pw"));
  REQUIRE(ada->memberships.size() == 2);
  CHECK(ada->memberships[0].company_id == 2);  // dataset order: the default company first
  CHECK(ada->memberships[0].role == core::Role::manager);
  CHECK(ada->memberships[1].client_manager);
  CHECK(ada->tokens.empty());
  CHECK(w.repo->find_user(8)->memberships.size() == 1);
  CHECK_FALSE(w.repo->find_user(99));

  CHECK(w.repo->find_company(2)->clients_enabled == false);
  CHECK(w.repo->find_company_by_slug("Design-Studio")->id == 1);
  CHECK_FALSE(w.repo->find_company_by_slug("nope"));
  CHECK_FALSE(w.repo->find_company(3));
}

TEST_CASE("a client by id with everything it carries") {
  World w;
  auto c = w.get(10);
  CHECK(c.name == "Acme");
  CHECK(c.balance.canonical() == "100.50");
  CHECK(c.created_at.iso8601(6) == "2023-01-01T00:00:00.000000Z");
  CHECK(c.uuid == "123e4567-e89b-42d3-a456-426614174000");
  CHECK(c.client_hash.size() == 40);
  REQUIRE(c.contacts.size() == 2);
  CHECK(c.contacts[0].id == 101);  // primary first
  CHECK(c.contacts[0].is_primary);
  CHECK(c.contacts[1].id == 100);
  CHECK(c.contacts[0].contact_key.size() == 40);
  REQUIRE(c.documents.size() == 1);
  CHECK(c.documents[0].name == "plan.txt");
  CHECK(c.documents[0].size == 4);
  REQUIRE(c.counts);
  CHECK(c.counts->campaigns == 2);
  CHECK(c.counts->links == 15);
  auto plain = w.query();
  plain.ids = {10};
  auto page = w.repo->list_clients(plain);
  REQUIRE(page.items.size() == 1);
  CHECK(page.total == 1);
  CHECK(page.items[0].contacts.empty());
  CHECK_FALSE(page.items[0].counts);
}

TEST_CASE("scope: the companies of the query bound every answer") {
  World w;
  CHECK(w.ids(w.query({})).empty());
  CHECK(w.ids(w.query({2})) == V{20});
  auto q = w.query({1});
  q.ids = {20};
  CHECK(w.ids(q).empty());
  q = w.query({1});
  q.company_id = 2;  // outside the scope: nothing
  CHECK(w.ids(q).empty());
  q = w.query({1, 2});
  q.company_id = 2;
  CHECK(w.ids(q) == V{20});
  CHECK(w.ids(w.query({1, 2})) == V{10, 11, 12, 20});
}

TEST_CASE("states are bits") {
  World w;
  auto q = w.query();
  CHECK(w.ids(q) == V{10, 11, 12});  // states_live
  q.states = core::state_active;
  CHECK(w.ids(q) == V{10, 11});
  q.states = core::state_archived;
  CHECK(w.ids(q) == V{12});
  q.states = core::state_deleted;
  CHECK(w.ids(q) == V{13});
  q.states = core::state_active | core::state_deleted;
  CHECK(w.ids(q) == V{10, 11, 13});
  q.states = core::states_all;
  CHECK(w.ids(q) == V{10, 11, 12, 13});
  q.states = 0;
  CHECK(w.ids(q).empty());
}

TEST_CASE("filters: ids, uuid, localids, names, numbers, contact e-mail, money, dates") {
  World w;
  auto q = w.query();
  q.ids = {12, 10, 99};
  CHECK(w.ids(q) == V{10, 12});
  q = w.query();
  q.uuid = "123e4567-e89b-42d3-a456-426614174000";
  CHECK(w.ids(q) == V{10});
  q = w.query();
  q.localids = {2, 3};
  CHECK(w.ids(q) == V{11, 12});
  q = w.query();
  q.name_contains = "ACM";
  CHECK(w.ids(q) == V{10});
  q.name_contains = "%";  // a wildcard is a character like any other
  CHECK(w.ids(q).empty());
  q = w.query();
  q.name_equals = "acme";  // exact
  CHECK(w.ids(q).empty());
  q.name_equals = "Acme";
  CHECK(w.ids(q) == V{10});
  q = w.query();
  q.number = "0002";
  CHECK(w.ids(q) == V{11});
  q = w.query();
  q.id_number = "ID-1";
  CHECK(w.ids(q) == V{10});
  q = w.query();
  q.contact_email = "BEEP@acme.test";
  CHECK(w.ids(q) == V{10});
  q = w.query();
  q.balance = {{core::Comparison::gte, *core::Money::parse("100.5")}};
  CHECK(w.ids(q) == V{10, 12});
  q.balance.push_back({core::Comparison::lt, *core::Money::parse("100.50")});
  CHECK(w.ids(q).empty());
  q = w.query();
  q.balance = {{core::Comparison::lt, core::Money{}}};
  CHECK(w.ids(q) == V{11});
  q = w.query();
  q.created_since = core::Timestamp::parse_iso8601("2023-02-01");
  CHECK(w.ids(q) == V{11, 12});
  q = w.query();
  q.updated_since = core::Timestamp::parse_iso8601("2023-03-02T00:00:00Z");
  CHECK(w.ids(q) == V{12});
}

TEST_CASE("search: any term in any of the chosen fields") {
  World w;
  auto q = w.query();
  q.search_terms = {"rocket"};
  q.search_fields = core::search_name;
  CHECK(w.ids(q).empty());
  q.search_fields |= core::search_description;
  CHECK(w.ids(q) == V{10});
  q.search_terms = {"runner"};
  q.search_fields = core::search_contact_names;
  CHECK(w.ids(q) == V{10});
  q.search_terms = {"beep@"};
  q.search_fields = core::search_contact_email;
  CHECK(w.ids(q) == V{10});
  q.search_terms = {"555"};
  q.search_fields = core::search_contact_phone;
  CHECK(w.ids(q) == V{10});
  q.search_terms = {"GOLD"};
  q.search_fields = core::search_custom_values;
  CHECK(w.ids(q) == V{11});
  q.search_terms = {"003"};
  q.search_fields = core::search_number;
  CHECK(w.ids(q) == V{12});
  q.search_terms = {"id-"};
  q.search_fields = core::search_id_number;
  CHECK(w.ids(q) == V{10});
  q.search_terms = {"0002", "3"};  // padded or not
  q.search_fields = core::search_localid;
  CHECK(w.ids(q) == V{11, 12});
  q.search_terms = {"globex", "initech"};
  q.search_fields = core::search_name | core::search_localid;
  CHECK(w.ids(q) == V{11, 12});
}

TEST_CASE("assignments and active projects") {
  World w;
  auto q = w.query();
  q.assigned_user = 8;
  CHECK(w.ids(q) == V{10, 11});
  q.assigned_project_active = true;
  CHECK(w.ids(q) == V{10});
  q.assigned_project_active = false;
  CHECK(w.ids(q) == V{11});
  q = w.query();
  q.assigned_user = 7;
  CHECK(w.ids(q) == V{11});
  q = w.query();
  q.with_active_project = true;
  CHECK(w.ids(q) == V{10});
}

TEST_CASE("sorting breaks ties by id ascending") {
  World w;
  auto q = w.query();
  q.sort = core::ClientColumn::balance;
  CHECK(w.ids(q) == V{11, 10, 12});
  q.descending = true;
  CHECK(w.ids(q) == V{10, 12, 11});  // 10 and 12 tie: id ascending
  q.sort = core::ClientColumn::name;
  q.descending = false;
  CHECK(w.ids(q) == V{10, 11, 12});
  q.sort = core::ClientColumn::id;
  q.descending = true;
  CHECK(w.ids(q) == V{12, 11, 10});
  q.sort = core::ClientColumn::city;
  q.descending = false;
  CHECK(w.ids(q) == V{12, 10, 11});  // NULL first
}

TEST_CASE("paging: offset and limit, keyset after_id, totals") {
  World w;
  auto q = w.query();
  q.limit = 2;
  auto page = w.repo->list_clients(q);
  CHECK(page.total == 3);
  REQUIRE(page.items.size() == 2);
  q.offset = 2;
  page = w.repo->list_clients(q);
  CHECK(page.total == 3);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == 12);
  q.offset = 5;
  page = w.repo->list_clients(q);
  CHECK(page.total == 3);
  CHECK(page.items.empty());
  q.offset = 0;
  q.limit = 3;
  CHECK(w.repo->list_clients(q).total == 3);
  q.limit = 0;
  page = w.repo->list_clients(q);
  CHECK(page.items.empty());
  CHECK(page.total == 3);
  q = w.query();
  q.after_id = 10;
  q.limit = 1;
  page = w.repo->list_clients(q);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == 11);
  CHECK(page.total == 2);  // all matching after the key
  q.count_total = false;
  CHECK(w.repo->list_clients(q).total == 0);
}

namespace {

// Adds clients to company 1, a third of them soft-deleted and a fifth archived.
void add_paged_clients(storage::SqliteRepository& repo, int n, int first = 0) {
  for (int i = first; i < first + n; ++i) {
    core::ClientDraft d;
    d.fields.name = "Paged " + std::to_string(i);
    auto made = repo.create_client(1, d, {}, core::Timestamp::now());
    if (i % 3 == 1) repo.delete_client(made.id, core::DeleteMode::soft, core::Timestamp::now());
    if (i % 5 == 2) {
      core::ClientPatch archive;
      archive.active = false;
      repo.update_client(made.id, archive, {}, core::Timestamp::now());
    }
  }
}

const unsigned state_sets[] = {core::states_live,    core::states_all,
                               core::state_deleted,  core::state_active,
                               core::state_archived, core::state_active | core::state_deleted};

std::vector<core::ClientId> slice(const std::vector<core::ClientId>& whole, std::int64_t offset,
                                  std::int64_t limit) {
  std::vector<core::ClientId> out;
  for (std::int64_t i = offset;
       i < std::min<std::int64_t>(offset + limit, static_cast<std::int64_t>(whole.size())); ++i) {
    out.push_back(whole[static_cast<std::size_t>(i)]);
  }
  return out;
}

}  // namespace

TEST_CASE("every page of every state and order is the slice of the whole list") {
  // Pages by id of one company step over the rows before them in an index alone; each page
  // must still be exactly the slice of the whole list that OFFSET gives.
  World w;
  add_paged_clients(*w.repo, 40);
  for (unsigned states : state_sets) {
    for (bool descending : {false, true}) {
      for (std::vector<core::CompanyId> companies :
           {std::vector<core::CompanyId>{1}, std::vector<core::CompanyId>{1, 2}}) {
        auto q = w.query(companies);
        q.states = states;
        q.descending = descending;
        std::vector<core::ClientId> whole = w.ids(q);
        for (std::int64_t limit : {1, 7, 25}) {
          for (std::int64_t offset = 0; offset <= static_cast<std::int64_t>(whole.size()) + 2;
               ++offset) {
            q.limit = limit;
            q.offset = offset;
            INFO("states " << states << " descending " << descending << " companies "
                           << companies.size() << " limit " << limit << " offset " << offset);
            CHECK(w.ids(q) == slice(whole, offset, limit));
          }
        }
      }
    }
  }
}

TEST_CASE("page boundaries a serving thread learnt never outlive the data they were learnt on") {
  // A thread that keeps read snapshots remembers where the pages it served begin, and starts
  // the next page from the nearest one; any commit, of this process or another, drops them.
  World w;
  add_paged_clients(*w.repo, 60);
  auto other = storage::SqliteRepository::open(w.db());  // stands for another process
  std::thread serving([&] {
    w.repo->keep_snapshots();
    std::mt19937 random(7);
    int made = 60;
    for (int round = 0; round < 400; ++round) {
      auto q = w.query();
      q.states = state_sets[random() % std::size(state_sets)];
      q.descending = random() % 2 == 0;
      std::vector<core::ClientId> whole = w.ids(q);
      q.limit = 1 + static_cast<std::int64_t>(random() % 12);
      q.offset = static_cast<std::int64_t>(random() % (whole.size() + 3));
      INFO("round " << round << " states " << q.states << " descending " << q.descending
                    << " limit " << *q.limit << " offset " << q.offset);
      CHECK(w.ids(q) == slice(whole, q.offset, *q.limit));
      if (round % 25 == 24) add_paged_clients(*w.repo, 3, made += 3);
      if (round % 40 == 39) {
        add_paged_clients(*other, 2, made += 2);
        w.repo->end_snapshot();  // the serving thread's next turn
      }
    }
    w.repo->end_snapshot();
  });
  serving.join();
}

TEST_CASE("contacts, documents and counts load for a whole page") {
  World w;
  auto q = w.query({1, 2});
  q.states = core::states_all;
  q.load = {true, true, true};
  auto page = w.repo->list_clients(q);
  REQUIRE(page.items.size() == 5);
  CHECK(page.items[0].contacts.size() == 2);
  CHECK(page.items[0].documents.size() == 1);
  CHECK(page.items[0].counts->links == 15);
  for (std::size_t i = 1; i < page.items.size(); ++i) {
    CHECK(page.items[i].contacts.empty());
    CHECK(page.items[i].documents.empty());
    REQUIRE(page.items[i].counts);
    CHECK(page.items[i].counts->campaigns == 0);
    CHECK(page.items[i].counts->links == 0);
  }
}

TEST_CASE("projects of clients, with assignees and tasks") {
  World w;
  auto projects = w.repo->list_projects({11, 10, 99}, true);
  REQUIRE(projects.size() == 2);
  CHECK(projects[0].id == 1);
  CHECK(projects[0].client_id == 10);
  CHECK(projects[0].time_entries == 3);
  CHECK(projects[0].assignees == std::vector<core::UserId>{8});
  REQUIRE(projects[0].tasks.size() == 2);
  CHECK(projects[0].tasks[1].name == "Build");
  CHECK(projects[1].assignees == std::vector<core::UserId>{8, 7});  // dataset order
  CHECK_FALSE(projects[1].active);
  CHECK(w.repo->list_projects({10}, false)[0].tasks.empty());
  CHECK(w.repo->list_projects({}, true).empty());
}

TEST_CASE("two repositories in one process and thread do not share a connection") {
  World a;
  World b(false);
  CHECK(a.ids(a.query()) == V{10, 11, 12});
  CHECK(b.ids(b.query()).empty());
  CHECK(a.ids(a.query()) == V{10, 11, 12});
  // A repository destroyed and another opened (perhaps at the same address) starts afresh.
  b.repo.reset();
  b.repo = storage::SqliteRepository::open(b.dir / "other.db");
  CHECK(b.ids(b.query()).empty());
  CHECK(a.ids(a.query()) == V{10, 11, 12});
}

TEST_CASE(
    "a serving thread's read snapshot: this process's writes at once, others' after its end") {
  World w;
  auto name_of = [](storage::SqliteRepository& repo, core::ClientId id) {
    core::ClientQuery q;
    q.companies = {1};
    q.ids = {id};
    auto page = repo.list_clients(q);
    return page.items.empty() ? std::string("-") : page.items.front().name;
  };
  core::ClientPatch rename;
  const core::Timestamp now{1'800'000'000'000'000};

  std::thread serving([&] {
    w.repo->keep_snapshots();
    std::string before = name_of(*w.repo, 10);
    CHECK(before != "Renamed here");

    // A write of this process (another thread) ends the snapshot: seen by the next read.
    std::thread writer([&] {
      rename.name = "Renamed here";
      w.repo->update_client(10, rename, {}, now);
    });
    writer.join();
    CHECK(name_of(*w.repo, 10) == "Renamed here");

    // Another process's write (another repository on the file stands for it) is seen once
    // the snapshot ends, as a serving thread ends it after each turn of its event loop.
    auto other = storage::SqliteRepository::open(w.db());
    core::ClientPatch elsewhere;
    elsewhere.name = "Renamed elsewhere";
    other->update_client(10, elsewhere, {}, now);
    CHECK(name_of(*w.repo, 10) == "Renamed here");
    w.repo->end_snapshot();
    CHECK(name_of(*w.repo, 10) == "Renamed elsewhere");
    w.repo->end_snapshot();
  });
  serving.join();

  // A thread that does not keep snapshots reads the latest commit every time.
  auto other = storage::SqliteRepository::open(w.db());
  core::ClientPatch again;
  again.name = "Fresh";
  other->update_client(10, again, {}, now);
  CHECK(name_of(*w.repo, 10) == "Fresh");
}

TEST_CASE("an export on a serving thread reads in a transaction of its own") {
  World w;
  w.repo->keep_snapshots();
  CHECK(w.ids(w.query()) == V{10, 11, 12});
  auto data = w.repo->export_dataset();  // would fail inside the kept read transaction
  CHECK(data.clients.size() >= 3);
  CHECK(w.ids(w.query()) == V{10, 11, 12});
  w.repo->end_snapshot();
}

TEST_CASE("a summary load reads the identity columns only") {
  World w;
  auto full = w.get(10);
  auto q = w.query();
  q.ids = {10};
  q.load.summary = true;
  q.load.counts = true;
  auto page = w.repo->list_clients(q);
  REQUIRE(page.items.size() == 1);
  const auto& c = page.items.front();
  CHECK(c.id == full.id);
  CHECK(c.company_id == full.company_id);
  CHECK(c.name == full.name);
  CHECK(c.uuid == full.uuid);
  CHECK(c.number == full.number);
  CHECK(c.localid == full.localid);
  CHECK(c.active == full.active);
  CHECK(c.is_deleted == full.is_deleted);
  CHECK(c.created_at == full.created_at);
  CHECK(c.updated_at == full.updated_at);
  CHECK(c.archived_at == full.archived_at);
  CHECK(c.client_hash == full.client_hash);
  REQUIRE(c.counts);  // counts still come with it
  CHECK(c.counts->campaigns == full.counts->campaigns);
#define CLIENTGATE_X(f) CHECK_FALSE(c.f);
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
}

TEST_CASE("io threads' connections and the writer's get cache_kib, the others 1 MiB at most") {
  storage::StorageSettings settings;
  settings.cache_kib = 4096;
  World w(true, settings);
  std::string serving, other;
  std::thread a([&] {
    w.repo->keep_snapshots();
    serving = w.repo->pragma_value("cache_size");
    w.repo->end_snapshot();
  });
  a.join();
  std::thread b([&] { other = w.repo->pragma_value("cache_size"); });
  b.join();
  CHECK(serving == "-4096");
  CHECK(other == "-1024");
}
