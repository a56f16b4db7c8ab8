// Writes of SqliteRepository: allocation, patches, rules, contacts, deletes, bulk, documents.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "dataset/dataset_equality.hpp"
#include "storage/storage_test_support.hpp"

using namespace clientgate;
using core::Timestamp;
using test::World;

namespace {

core::ClientDraft draft(std::string name) {
  core::ClientDraft d;
  d.fields.name = std::move(name);
  return d;
}

core::ContactInput contact(std::optional<core::ContactId> id, std::string first,
                           std::optional<bool> primary = std::nullopt) {
  core::ContactInput in;
  in.id = id;
  in.first_name = core::Text(std::move(first));
  in.is_primary = primary;
  return in;
}

const Timestamp t0{1'700'000'000'000'000};

// Company 1 with a client named "Taken" (which unique_name refuses to repeat) and one more;
// returns that one's number, after which a test's writes take theirs.
std::int64_t seed_taken(World& w, const core::WriteRules& rules) {
  w.repo->create_client(1, draft("Taken"), rules, t0);
  return std::stoll(w.repo->create_client(1, draft("Base"), {}, t0).number);
}

// The numbers taken follow first_number without a gap.
void check_no_gap(const std::set<std::int64_t>& numbers, std::int64_t first_number) {
  REQUIRE_FALSE(numbers.empty());
  CHECK(*numbers.begin() == first_number + 1);
  CHECK(*numbers.rbegin() == first_number + static_cast<std::int64_t>(numbers.size()));
}

}  // namespace

TEST_CASE("create allocates localid, number, uuid, client hash and contact keys") {
  World w;
  auto d = draft("New Co");
  d.fields.contacts = std::vector<core::ContactInput>{contact({}, "A"), contact({}, "B")};
  auto c = w.repo->create_client(1, d, {}, t0);
  CHECK(c.id > 20);
  CHECK(c.company_id == 1);
  CHECK(c.localid == 5);      // next free in company 1 (1..4 taken)
  CHECK(c.number == "0005");  // the counter starts past the highest number
  CHECK(
      std::regex_match(c.uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                          "[0-9a-f]{12}")));
  CHECK(std::regex_match(c.client_hash, std::regex("[A-Za-z0-9]{40}")));
  CHECK(c.created_at == t0);
  CHECK(c.updated_at == t0);
  CHECK(c.active);
  CHECK_FALSE(c.archived_at);
  REQUIRE(c.contacts.size() == 2);
  CHECK(c.contacts[0].is_primary);  // none flagged: the first
  CHECK_FALSE(c.contacts[1].is_primary);
  CHECK(std::regex_match(c.contacts[0].contact_key, std::regex("[A-Za-z0-9]{40}")));
  CHECK(c.contacts[0].contact_key != c.contacts[1].contact_key);
  CHECK(c.contacts[0].send_email);

  auto other = w.repo->create_client(2, draft("Second"), {}, t0);
  CHECK(other.localid == 2);
  CHECK(other.number == "0002");
  auto next = w.repo->create_client(1, draft("Third"), {}, t0);
  CHECK(next.number == "0006");
  CHECK(next.localid == 6);

  // A given number is kept, and skipped by the counter afterwards.
  auto given = draft("Given");
  given.fields.number = "0007";
  CHECK(w.repo->create_client(1, given, {}, t0).number == "0007");
  CHECK(w.repo->create_client(1, draft("Fourth"), {}, t0).number == "0008");

  auto fixed = draft("Fixed");
  fixed.uuid = "AAAAAAAA-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  fixed.fields.created_at = Timestamp{5};
  fixed.fields.active = false;
  auto f = w.repo->create_client(1, fixed, {}, t0);
  CHECK(f.uuid == "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  CHECK(f.created_at == Timestamp{5});
  CHECK(f.updated_at == t0);
  CHECK_FALSE(f.active);
  CHECK(f.archived_at == t0);
  CHECK(test::conflict_field([&] { w.repo->create_client(1, fixed, {}, t0); }) == "uuid");
  CHECK(test::error_kind([&] { w.repo->create_client(9, draft("x"), {}, t0); }) ==
        core::ErrorKind::validation);
}

TEST_CASE("number is unique within a company; name and id_number when the rules say so") {
  World w;
  auto d = draft("Dup");
  d.fields.number = "0001";
  CHECK(test::conflict_field([&] { w.repo->create_client(1, d, {}, t0); }) == "number");
  CHECK_NOTHROW(w.repo->create_client(
      2,
      [] {
        auto x = draft("Other");
        x.fields.number = "0002";
        return x;
      }(),
      {}, t0));

  core::WriteRules rules;
  rules.unique_name = true;
  rules.unique_id_number = true;
  CHECK(test::conflict_field([&] { w.repo->create_client(1, draft("Acme"), rules, t0); }) ==
        "name");
  CHECK_NOTHROW(w.repo->create_client(1, draft("Acme"), {}, t0));      // without the rule
  CHECK_NOTHROW(w.repo->create_client(2, draft("Acme"), rules, t0));   // another company
  CHECK_NOTHROW(w.repo->create_client(1, draft("Hooli"), rules, t0));  // 13 is soft-deleted
  auto idn = draft("Fresh");
  idn.fields.id_number = core::Text("ID-1");
  CHECK(test::conflict_field([&] { w.repo->create_client(1, idn, rules, t0); }) == "id_number");

  core::ClientPatch rename;
  rename.name = "Globex";
  CHECK(test::conflict_field([&] { w.repo->update_client(10, rename, rules, t0); }) == "name");
  core::ClientPatch renumber;
  renumber.number = "0002";
  CHECK(test::conflict_field([&] { w.repo->update_client(10, renumber, {}, t0); }) == "number");
  renumber.number = "0001";  // its own number
  CHECK_NOTHROW(w.repo->update_client(10, renumber, {}, t0));
  // Nothing of a refused write is kept.
  CHECK(w.get(10).name == "Acme");
}

TEST_CASE("update: patch, updated_at moves, active and archived_at agree") {
  World w;
  auto before = w.get(10);
  core::ClientPatch p;
  p.city = core::Text(std::nullopt);
  p.website = core::Text("https://acme.test");
  p.country_id = std::optional<std::int64_t>(276);
  p.balance = *core::Money::parse("1.234567");
  auto after = w.repo->update_client(10, p, {}, t0);
  REQUIRE(after);
  CHECK_FALSE(after->city);
  CHECK(after->website == "https://acme.test");
  CHECK(after->country_id == 276);
  CHECK(after->balance.micros == 1'234'567);
  CHECK(after->name == before.name);  // untouched
  CHECK(after->description == before.description);
  CHECK(after->updated_at == t0);
  CHECK(after->contacts.size() == 2);  // contacts untouched without a contacts change

  // A clock behind the stored value still moves updated_at forward.
  auto again = w.repo->update_client(10, p, {}, Timestamp{1});
  CHECK(again->updated_at.micros == t0.micros + 1);

  core::ClientPatch archive;
  archive.active = false;
  auto archived = w.repo->update_client(10, archive, {}, Timestamp{t0.micros + 10});
  CHECK_FALSE(archived->active);
  CHECK(archived->archived_at == Timestamp{t0.micros + 10});
  // Archiving again keeps the first archived_at.
  archived = w.repo->update_client(10, archive, {}, Timestamp{t0.micros + 20});
  CHECK(archived->archived_at == Timestamp{t0.micros + 10});
  core::ClientPatch restore;
  restore.active = true;
  auto restored = w.repo->update_client(10, restore, {}, Timestamp{t0.micros + 30});
  CHECK(restored->active);
  CHECK_FALSE(restored->archived_at);

  core::ClientPatch renumber;
  renumber.number = "";
  CHECK(w.repo->update_client(10, renumber, {}, t0)->number == "0005");

  CHECK_FALSE(w.repo->update_client(999, p, {}, t0));
  core::WriteRules refuse;
  refuse.refuse_deleted = true;
  CHECK(test::conflict_field([&] { w.repo->update_client(13, p, refuse, t0); }) == "is_deleted");
  CHECK(w.repo->update_client(13, p, {}, t0));
}

TEST_CASE("contacts are replaced as a whole, with exactly one primary") {
  World w;
  core::ClientPatch p;
  auto keep = contact(100, "Wile E.");
  keep.password = "secret";
  p.contacts =
      std::vector<core::ContactInput>{keep, contact({}, "New", true), contact(555, "Unknown id")};
  auto c = w.repo->update_client(10, p, {}, t0);
  REQUIRE(c->contacts.size() == 3);
  CHECK(c->contacts[0].first_name == "New");  // primary first
  CHECK(c->contacts[0].is_primary);
  CHECK(c->contacts[0].created_at == t0);
  const auto* wile = &c->contacts[1];
  CHECK(wile->id == 100);
  CHECK(wile->first_name == "Wile E.");
  CHECK(wile->last_name == "Coyote");  // a field the input leaves alone is kept
  CHECK_FALSE(wile->is_primary);
  REQUIRE(wile->password_hash);
  CHECK(core::secrets::verify_password(*wile->password_hash, "secret"));
  CHECK(wile->updated_at == t0);
  CHECK(c->contacts[2].id != 555);  // an id that is not the client's creates a contact
  // 101 was not in the list: gone.
  for (const auto& k : c->contacts)
    CHECK(k.id != 101);

  core::ClientPatch clear;
  auto unset = contact(100, "Wile");
  unset.password = "";
  clear.contacts = std::vector<core::ContactInput>{unset};
  c = w.repo->update_client(10, clear, {}, t0);
  REQUIRE(c->contacts.size() == 1);
  CHECK(c->contacts[0].is_primary);
  CHECK_FALSE(c->contacts[0].password_hash);

  core::ClientPatch none;
  none.contacts = std::vector<core::ContactInput>{};
  CHECK(w.repo->update_client(10, none, {}, t0)->contacts.empty());
}

TEST_CASE("delete: soft, hard with its cascade, refused while time entries exist") {
  World w;
  CHECK(w.repo->delete_client(11, core::DeleteMode::soft, t0));
  auto soft = w.get(11);
  CHECK(soft.is_deleted);
  CHECK_FALSE(soft.active);
  CHECK(soft.archived_at == t0);
  CHECK(soft.updated_at == t0);

  CHECK(test::conflict_field([&] {
          w.repo->delete_client(10, core::DeleteMode::hard_unless_time_entries, t0);
        }) == "time_entries");
  CHECK(w.get(10).name == "Acme");
  CHECK(w.repo->delete_client(12, core::DeleteMode::hard_unless_time_entries, t0));
  CHECK(w.repo->delete_client(10, core::DeleteMode::hard, t0));
  auto q = w.query();
  q.states = core::states_all;
  CHECK(w.ids(q) == std::vector<core::ClientId>{11, 13});
  CHECK_FALSE(w.repo->delete_client(10, core::DeleteMode::hard, t0));
  CHECK(w.repo->list_projects({10}, true).empty());
  CHECK_FALSE(w.repo->find_document(5));
  auto all = w.repo->export_dataset();
  for (const auto& g : all.campaigns)
    CHECK(g.client_id != 10);
  for (const auto& c : all.clients)
    CHECK(c.id != 10);
  // Project 2 of client 11 and its assignees stay.
  CHECK(w.repo->list_projects({11}, false).size() == 1);
}

TEST_CASE("bulk changes are all or nothing") {
  World w;
  CHECK(test::error_kind([&] {
          w.repo->bulk_update({10, 999}, core::BulkAction::archive, t0);
        }) == core::ErrorKind::not_found);
  CHECK(w.get(10).active);
  w.repo->bulk_update({10, 11, 10}, core::BulkAction::archive, t0);
  CHECK_FALSE(w.get(10).active);
  CHECK(w.get(10).archived_at == t0);
  CHECK(w.get(11).updated_at == t0);
  w.repo->bulk_update({10}, core::BulkAction::soft_delete, t0);
  CHECK(w.get(10).is_deleted);
  w.repo->bulk_update({10, 13}, core::BulkAction::restore, t0);
  CHECK(w.get(10).active);
  CHECK_FALSE(w.get(10).is_deleted);
  CHECK_FALSE(w.get(13).archived_at);
  CHECK_FALSE(w.get(13).is_deleted);
}

TEST_CASE("documents are stored and read back in chunks, hashed on the way") {
  World w;
  core::NewDocument small;
  small.name = "note.txt";
  small.type = "txt";
  small.content = "hello";
  auto info = w.repo->add_document(10, small, t0);
  CHECK(info.size == 5);
  CHECK(info.hash == core::secrets::sha256_hex("hello"));
  CHECK(info.client_id == 10);
  CHECK(info.created_at == t0);

  // A file larger than several chunks, from a path (as the gateway spools uploads).
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>(i * 7 % 251);
  auto path = w.dir.write("upload.bin", big);
  core::NewDocument file;
  file.name = "upload.bin";
  file.type = "bin";
  file.is_public = false;
  file.content_path = path.string();
  auto stored = w.repo->add_document(10, file, t0);
  CHECK(stored.size == static_cast<std::int64_t>(big.size()));
  CHECK(stored.hash == core::secrets::sha256_hex(big));
  CHECK_FALSE(stored.is_public);
  std::string back;
  std::size_t chunks = 0;
  CHECK(w.repo->read_document(stored.id, [&](std::string_view chunk) {
    back += chunk;
    ++chunks;
  }));
  CHECK(back == big);
  CHECK(chunks > 1);
  CHECK(w.repo->find_document(stored.id)->name == "upload.bin");
  CHECK(w.get(10).documents.size() == 3);

  std::string empty_back = "x";
  core::NewDocument empty;
  empty.name = "empty";
  auto e = w.repo->add_document(10, empty, t0);
  CHECK(e.size == 0);
  CHECK(w.repo->read_document(e.id, [&](std::string_view c) { empty_back += c; }));
  CHECK(empty_back == "x");

  CHECK_FALSE(w.repo->read_document(9999, [](std::string_view) {}));
  CHECK_FALSE(w.repo->find_document(9999));
  CHECK(test::error_kind([&] { w.repo->add_document(999, small, t0); }) ==
        core::ErrorKind::not_found);
}

TEST_CASE("racing writers never both break a uniqueness rule") {
  World w;
  core::WriteRules rules;
  rules.unique_name = true;
  constexpr int rounds = 40;
  std::atomic<int> created{0}, conflicts{0};
  std::vector<core::Client> made[2];
  auto writer = [&](int me) {
    for (int i = 0; i < rounds; ++i) {
      try {
        made[me].push_back(
            w.repo->create_client(1, draft("Race " + std::to_string(i)), rules, Timestamp::now()));
        ++created;
      } catch (const core::Error& e) {
        if (e.kind() == core::ErrorKind::conflict) ++conflicts;
      }
      // Unruled creates race on localid and number allocation.
      made[me].push_back(w.repo->create_client(1, draft("Free"), {}, Timestamp::now()));
    }
  };
  std::thread a(writer, 0), b(writer, 1);
  a.join();
  b.join();
  CHECK(created == rounds);
  CHECK(conflicts == rounds);
  std::set<std::int64_t> localids;
  std::set<std::string> numbers;
  std::size_t total = 0;
  for (const auto& list : made) {
    for (const auto& c : list) {
      localids.insert(c.localid);
      numbers.insert(c.number);
      ++total;
    }
  }
  CHECK(localids.size() == total);
  CHECK(numbers.size() == total);
  auto q = w.query();
  q.name_contains = "Race ";
  CHECK(w.repo->list_clients(q).total == rounds);
}

TEST_CASE("create answers exactly what a read of the new client gives") {
  // The created client is answered from what was written, not read back: every column must
  // still be what the database holds.
  World w;
  auto d = draft("Every Field Co");
  d.fields.website = core::Text("https://example.com");
  d.fields.private_notes = core::Text("");
  d.fields.country_id = std::optional<std::int64_t>(840);
  d.fields.balance = core::Money{12'340'000};
  d.fields.contacts = std::vector<core::ContactInput>{contact({}, "A"), contact({}, "B", true)};
  auto made = w.repo->create_client(1, d, {}, t0);
  auto read = w.get(made.id);
  test::check_equal(made, read);  // every column and every contact
  REQUIRE(made.counts);
  REQUIRE(read.counts);
  CHECK(made.counts->campaigns == read.counts->campaigns);
  CHECK(made.counts->links == read.counts->links);
  CHECK(made.documents.empty());
  CHECK(read.documents.empty());
}

TEST_CASE("writes from many threads share commits, and a failed write is undone alone") {
  // Sixteen threads write at once, so writes wait for each other and run in shared
  // transactions (group commit). Half of them fail with a conflict after the write has
  // already taken the next client number: its savepoint must give the number back, so the
  // numbers of the clients that were made have no gap, and nothing of a failed write stays.
  World w;
  core::WriteRules rules;
  rules.unique_name = true;
  std::int64_t first_number = seed_taken(w, rules);
  constexpr int threads = 16, rounds = 30;
  std::atomic<int> made{0}, refused{0}, other{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        bool clash = (i + t) % 2 == 0;
        std::string name = clash ? "Taken" : "Group " + std::to_string(t) + "-" + std::to_string(i);
        try {
          w.repo->create_client(1, draft(name), rules, Timestamp::now());
          ++made;
        } catch (const core::Error& e) {
          (e.kind() == core::ErrorKind::conflict ? refused : other)++;
        }
      }
    });
  }
  for (auto& t : pool)
    t.join();
  CHECK(made == threads * rounds / 2);
  CHECK(refused == threads * rounds / 2);
  CHECK(other == 0);
  auto q = w.query();
  q.name_contains = "Group ";
  auto page = w.repo->list_clients(q);
  REQUIRE(page.items.size() == static_cast<std::size_t>(threads * rounds / 2));
  std::set<std::int64_t> numbers, localids;
  for (const auto& c : page.items) {
    numbers.insert(std::stoll(c.number));
    localids.insert(c.localid);
  }
  CHECK(localids.size() == page.items.size());
  CHECK(numbers.size() == page.items.size());
  check_no_gap(numbers, first_number);
  q.name_contains = std::nullopt;
  q.name_equals = "Taken";
  CHECK(w.repo->list_clients(q).items.size() == 1);
}

TEST_CASE("writes made together commit once; a failed one is undone alone") {
  // Two threads each run bodies of writes together while four others write one at a time:
  // every write ends exactly once, a conflict in a body undoes that write only, and the
  // numbers taken have no gap.
  World w;
  core::WriteRules rules;
  rules.unique_name = true;
  std::int64_t first_number = seed_taken(w, rules);
  constexpr int together_threads = 2, plain_threads = 4, rounds = 20, per_body = 5;
  std::atomic<int> made{0}, refused{0}, committed{0}, other{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < together_threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        int made_here = 0;
        bool ok = w.repo->write_together([&] {
          for (int k = 0; k < per_body; ++k) {
            bool clash = k == 2;
            std::string name = clash ? "Taken"
                                     : "Together " + std::to_string(t) + "-" + std::to_string(i) +
                                           "-" + std::to_string(k);
            try {
              w.repo->create_client(1, draft(name), rules, Timestamp::now());
              ++made_here;
            } catch (const core::Error& e) {
              (e.kind() == core::ErrorKind::conflict ? refused : other)++;
            }
          }
        });
        if (ok) {
          ++committed;
          made += made_here;
        }
      }
    });
  }
  for (int t = 0; t < plain_threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        w.repo->create_client(1, draft("Plain " + std::to_string(t) + "-" + std::to_string(i)),
                              rules, Timestamp::now());
        ++made;
      }
    });
  }
  for (auto& t : pool)
    t.join();
  CHECK(committed == together_threads * rounds);
  CHECK(refused == together_threads * rounds);
  CHECK(other == 0);
  CHECK(made == together_threads * rounds * (per_body - 1) + plain_threads * rounds);
  auto q = w.query();
  q.name_contains = "Together ";
  CHECK(w.repo->list_clients(q).items.size() ==
        static_cast<std::size_t>(together_threads * rounds * (per_body - 1)));
  q = w.query();
  std::set<std::int64_t> numbers;
  for (const auto& c : w.repo->list_clients(q).items) {
    if (c.name.rfind("Together ", 0) == 0 || c.name.rfind("Plain ", 0) == 0) {
      numbers.insert(std::stoll(c.number));
    }
  }
  CHECK(numbers.size() == static_cast<std::size_t>(made.load()));
  check_no_gap(numbers, first_number);
}

TEST_CASE("writes made together are seen by others only once the body has returned") {
  World w;
  auto other = storage::SqliteRepository::open(w.db());
  auto count = [&] {
    core::ClientQuery q;
    q.companies = {1};
    q.name_contains = "Unseen";
    return other->list_clients(q).items.size();
  };
  bool ok = w.repo->write_together([&] {
    w.repo->create_client(1, draft("Unseen 1"), {}, t0);
    w.repo->create_client(1, draft("Unseen 2"), {}, t0);
    CHECK(count() == 0);
  });
  CHECK(ok);
  CHECK(count() == 2);
}

TEST_CASE("page totals from the per-company tallies follow every kind of write") {
  World w;
  auto check_totals = [&] {
    for (unsigned states : {1u, 2u, 3u, 4u, 5u, 6u, 7u}) {
      for (std::vector<core::CompanyId> companies :
           {std::vector<core::CompanyId>{1}, {2}, {1, 2}}) {
        auto q = w.query(companies);
        q.states = states;
        auto all = w.repo->list_clients(q).items.size();
        q.limit = 1;
        q.offset = 1;  // a full page: the total cannot come from the page itself
        INFO("states " << states << " companies " << companies.size());
        CHECK(w.repo->list_clients(q).total == static_cast<std::int64_t>(all));
      }
    }
  };
  check_totals();
  w.repo->create_client(1, draft("One"), {}, t0);
  w.repo->create_client(2, draft("Two"), {}, t0);
  core::ClientPatch archive;
  archive.active = false;
  w.repo->update_client(10, archive, {}, t0);
  w.repo->delete_client(11, core::DeleteMode::soft, t0);
  w.repo->delete_client(12, core::DeleteMode::hard, t0);
  w.repo->bulk_update({13, 20}, core::BulkAction::archive, t0);
  w.repo->import_dataset(
      test::parse_dataset(R"({"clients":[{"company_id":2,"name":"Imported","active":false}]})",
                          false),
      {});
  check_totals();
}
