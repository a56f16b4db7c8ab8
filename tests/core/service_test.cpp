// ClientService and Authenticator over a real SQLite file: the scope rule, atomic bulk
// changes, and credentials.
#include <catch2/catch.hpp>
#include <thread>
#include <variant>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
using namespace clientgate::core;

namespace {

const char* kWorld = R"({
  "format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "One"}, {"id": 2, "title": "Two"}],
  "users": [
    {"id": 1, "name": "Ann", "email": "Ann@Example.com", "password": "ann-pass",
     "memberships": [{"company_id": 1, "role": "administrator"}, {"company_id": 2}],
     "tokens": [{"token": "ann-all"}, {"token": "ann-two", "company_id": 2}]},
    {"id": 2, "name": "Ben", "email": "ben@example.com",
     "memberships": [{"company_id": 2}], "tokens": [{"token": "ben"}]}
  ],
  "clients": [
    {"id": 10, "company_id": 1, "name": "A"},
    {"id": 11, "company_id": 2, "name": "B"},
    {"id": 12, "company_id": 2, "name": "C", "is_deleted": true, "active": false,
     "archived_at": "2023-01-01T00:00:00Z"}
  ]
})";

struct World {
  test::TempDir dir;
  std::unique_ptr<storage::SqliteRepository> repo = storage::SqliteRepository::open(dir / "db");
  World() {
    auto parsed = dataset::parse(kWorld);
    REQUIRE(std::holds_alternative<Dataset>(parsed));
    repo->import_dataset(std::get<Dataset>(parsed), {});
  }
};

}  // namespace

TEST_CASE("Authenticator: tokens, company tokens, passwords") {
  World w;
  Authenticator auth(*w.repo);
  auto all = auth.by_token("ann-all");
  REQUIRE(all);
  CHECK(all->user_id == 1);
  CHECK(all->scope() == std::vector<CompanyId>{1, 2});
  CHECK(all->default_company() == 1);
  auto two = auth.by_token("ann-two");
  REQUIRE(two);
  CHECK(two->scope() == std::vector<CompanyId>{2});
  CHECK(two->default_company() == 2);
  CHECK_FALSE(auth.by_token("nope"));
  CHECK_FALSE(auth.by_token(""));

  CHECK_FALSE(auth.remembers_password("ann@example.com", "ann-pass"));
  CHECK(auth.by_password("ann@example.com", "ann-pass"));  // e-mail case-insensitive
  CHECK(auth.remembers_password("ANN@example.com", "ann-pass"));
  CHECK_FALSE(auth.remembers_password("ann@example.com", "wrong"));
  CHECK(auth.by_password("ann@example.com", "ann-pass"));  // from the cache
  CHECK_FALSE(auth.by_password("ann@example.com", "wrong"));
  CHECK_FALSE(auth.by_password("ben@example.com", ""));  // no password set
  CHECK_FALSE(auth.by_password("nobody@example.com", "x"));
}

TEST_CASE("ClientService: the scope rule") {
  World w;
  ClientService service(*w.repo);
  Authenticator auth(*w.repo);
  auto ben = *auth.by_token("ben");
  auto ann_two = *auth.by_token("ann-two");

  CHECK(service.find(ben, 11));
  CHECK_FALSE(service.find(ben, 10));  // another company: not found, like a missing id
  CHECK_FALSE(service.find(ben, 999));
  CHECK_FALSE(service.find(ben, 12));  // soft-deleted: invisible by default
  CHECK(service.find(ben, 12, states_all));

  ClientQuery q;
  auto page = service.list(ben, q);
  CHECK(page.total == 1);
  q.company_id = 1;
  CHECK(service.list(ben, q).items.empty());

  ClientDraft draft;
  draft.company_id = 1;
  draft.fields.name = "Mine?";
  try {
    service.create(ann_two, draft);
    FAIL("created in a company outside the token's scope");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::validation);
    CHECK(e.fields().at(0).field == "company_id");
  }
  draft.company_id.reset();
  auto created = service.create(ann_two, draft);
  CHECK(created.company_id == 2);

  ClientPatch patch;
  patch.name = "Taken over";
  CHECK_THROWS_AS(service.update(ben, 10, patch), Error);
  CHECK_THROWS_AS(service.remove(ben, 10, DeleteMode::hard), Error);
  CHECK(service.find(*auth.by_token("ann-all"), 10)->name == "A");
}

TEST_CASE("ClientService: bulk is all or nothing") {
  World w;
  ClientService service(*w.repo);
  Authenticator auth(*w.repo);
  auto ben = *auth.by_token("ben");
  CHECK_THROWS_AS(service.bulk(ben, {11, 10}, BulkAction::archive), Error);
  CHECK(service.find(ben, 11)->active);  // unchanged
  auto done = service.bulk(ben, {11, 12}, BulkAction::restore);
  REQUIRE(done.size() == 2);
  CHECK(done[1].id == 12);
  CHECK_FALSE(done[1].is_deleted);
  CHECK(done[1].active);
  CHECK_FALSE(done[1].archived_at);
  auto archived = service.bulk(ben, {11}, BulkAction::archive);
  CHECK_FALSE(archived[0].active);
  CHECK(archived[0].archived_at);
}

TEST_CASE("ClientService: an update that changes nothing writes nothing") {
  World w;
  ClientService service(*w.repo);
  Authenticator auth(*w.repo);
  auto ann = *auth.by_token("ann-all");
  auto before = *service.find(ann, 10);

  ClientPatch same;
  same.name = "A";
  same.active = true;
  same.website = before.website;  // null, as stored
  same.number = before.number;
  same.created_at = before.created_at;
  same.balance = before.balance;
  CHECK_FALSE(patch_changes(before, same));
  auto after = service.update(ann, 10, same);
  CHECK(after.updated_at == before.updated_at);
  CHECK(service.find(ann, 10)->updated_at == before.updated_at);
  CHECK(service.update(ann, 10, ClientPatch{}).updated_at == before.updated_at);

  // Each field that differs is a change.
  auto differs = [&](auto set) {
    ClientPatch p;
    set(p);
    return patch_changes(before, p);
  };
  CHECK(differs([](ClientPatch& p) { p.name = "B"; }));
  CHECK(differs([](ClientPatch& p) { p.active = false; }));
  CHECK(differs([](ClientPatch& p) { p.website = std::string("http://a.example"); }));
  CHECK(differs([](ClientPatch& p) { p.code = std::string(""); }));  // "" is not null
  CHECK(differs([](ClientPatch& p) { p.country_id = std::int64_t{4}; }));
  CHECK(differs([](ClientPatch& p) { p.balance = *Money::parse("1"); }));
  CHECK(differs([](ClientPatch& p) { p.number = ""; }));  // the next free number
  CHECK(differs([](ClientPatch& p) { p.created_at = Timestamp{1}; }));
  CHECK(differs([](ClientPatch& p) { p.contacts = std::vector<ContactInput>{}; }));

  ClientPatch rename;
  rename.name = "A2";
  CHECK(service.update(ann, 10, rename).updated_at > before.updated_at);

  // Archiving an archived client keeps its archived_at.
  ClientPatch archive;
  archive.active = false;
  auto archived = service.update(ann, 10, archive);
  CHECK(archived.archived_at);
  auto again = service.update(ann, 10, archive);
  CHECK(again.archived_at == archived.archived_at);
  CHECK(again.updated_at == archived.updated_at);

  // A product whose every update moves updated_at (agency's Prisma) asks for the write.
  WriteRules touch;
  touch.touch_unchanged = true;
  ClientPatch same_name;
  same_name.name = "A2";
  CHECK(service.update(ann, 10, same_name, touch).updated_at > again.updated_at);

  // A rule that refuses the write itself still refuses when nothing would change.
  auto deleted = *service.find(ann, 12, states_all);
  ClientPatch nothing;
  nothing.name = deleted.name;
  WriteRules rules;
  rules.refuse_deleted = true;
  CHECK_THROWS_AS(service.update(ann, 12, nothing, rules, states_all), Error);
}

TEST_CASE("Authenticator: failed passwords are throttled per address and per account") {
  World w;
  AuthSettings settings;
  settings.failures_per_address = 3;
  settings.failures_per_account = 2;
  settings.failure_window = std::chrono::milliseconds(60000);
  Authenticator auth(*w.repo, settings);

  // Per account: a wrong password and an unknown e-mail are counted alike, from any address.
  CHECK(auth.check_password("ann@example.com", "w1", "10.0.0.1").outcome ==
        PasswordOutcome::refused);
  CHECK(auth.check_password("nobody@example.com", "w1", "10.0.0.2").outcome ==
        PasswordOutcome::refused);
  CHECK(auth.check_password("ANN@example.com", "w2", "10.0.0.3").outcome ==
        PasswordOutcome::refused);
  CHECK(auth.check_password("nobody@example.com", "w2", "10.0.0.4").outcome ==
        PasswordOutcome::refused);
  auto ann = auth.check_password("ann@example.com", "ann-pass", "10.0.0.5");
  auto nobody = auth.check_password("nobody@example.com", "ann-pass", "10.0.0.6");
  CHECK(ann.outcome == PasswordOutcome::throttled);  // even the right password: no hash
  CHECK(nobody.outcome == PasswordOutcome::throttled);
  CHECK(ann.retry_after.count() > 59000);
  CHECK(nobody.retry_after.count() > 59000);

  // Per address: three failures over three accounts, then the address waits.
  CHECK(auth.check_password("x1@example.com", "w", "10.0.0.9").outcome == PasswordOutcome::refused);
  CHECK(auth.check_password("x2@example.com", "w", "10.0.0.9").outcome == PasswordOutcome::refused);
  CHECK(auth.check_password("ben@example.com", "w", "10.0.0.9").outcome ==
        PasswordOutcome::refused);  // a user without a password: an unknown e-mail
  CHECK(auth.check_password("x3@example.com", "w", "10.0.0.9").outcome ==
        PasswordOutcome::throttled);
}

TEST_CASE("Authenticator: a success gives its attempt back; a remembered pair is never throttled") {
  World w;
  AuthSettings settings;
  settings.failures_per_address = 2;
  settings.failures_per_account = 2;
  Authenticator auth(*w.repo, settings);
  for (int i = 0; i < 3; ++i)
    CHECK(auth.check_password("ann@example.com", "ann-pass", "10.0.0.1").outcome ==
          PasswordOutcome::verified);
  CHECK(auth.check_password("ann@example.com", "w1", "10.0.0.1").outcome ==
        PasswordOutcome::refused);
  CHECK(auth.check_password("ann@example.com", "w2", "10.0.0.1").outcome ==
        PasswordOutcome::refused);
  CHECK(auth.check_password("ann@example.com", "w3", "10.0.0.1").outcome ==
        PasswordOutcome::throttled);
  // Verified before the failures: remembered, answered without a hash, so not throttled.
  auto remembered = auth.check_password("ann@example.com", "ann-pass", "10.0.0.1");
  CHECK(remembered.outcome == PasswordOutcome::verified);
  REQUIRE(remembered.principal);
  CHECK(remembered.principal->user_id == 1);
}

TEST_CASE("Authenticator: a thread that refuses hashing answers busy instead of hashing") {
  World w;
  Authenticator auth(*w.repo);
  REQUIRE(auth.by_password("ann@example.com", "ann-pass"));
  PasswordOutcome unknown{}, remembered{}, wrong{};
  std::thread io([&] {
    Authenticator::refuse_password_hashing_on_this_thread();
    remembered = auth.check_password("ann@example.com", "ann-pass", "10.0.0.1").outcome;
    wrong = auth.check_password("ann@example.com", "wrong", "10.0.0.1").outcome;
    unknown = auth.check_password("nobody@example.com", "x", "10.0.0.1").outcome;
  });
  io.join();
  CHECK(remembered == PasswordOutcome::verified);
  CHECK(wrong == PasswordOutcome::busy);
  CHECK(unknown == PasswordOutcome::busy);
  // The thread that asked nothing still verifies.
  CHECK(auth.check_password("nobody@example.com", "x", "10.0.0.1").outcome ==
        PasswordOutcome::refused);
}

TEST_CASE("Authenticator: an IPv6 client is throttled by its /64, an IPv4-mapped one as IPv4") {
  World w;
  AuthSettings settings;
  settings.failures_per_address = 2;
  settings.failures_per_account = 0;
  Authenticator auth(*w.repo, settings);
  auto outcome = [&](const char* address) {
    return auth.check_password("nobody@example.com", "x", address).outcome;
  };
  CHECK(outcome("2001:db8:1:2::1") == PasswordOutcome::refused);
  CHECK(outcome("2001:db8:1:2:ffff:eeee:dddd:cccc") == PasswordOutcome::refused);
  CHECK(outcome("2001:db8:1:2::99") == PasswordOutcome::throttled);  // the same /64
  CHECK(outcome("2001:db8:1:3::1") == PasswordOutcome::refused);     // another /64
  CHECK(outcome("192.0.2.7") == PasswordOutcome::refused);
  CHECK(outcome("::ffff:192.0.2.7") == PasswordOutcome::refused);
  CHECK(outcome("192.0.2.7") == PasswordOutcome::throttled);  // one address, two spellings
}
