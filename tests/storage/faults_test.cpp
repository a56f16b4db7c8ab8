// Faults of the medium map to core::Error(unavailable), nothing partial is written, and the
// store serves again once the fault is gone.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>

#include "storage/storage_test_support.hpp"

using namespace clientgate;
using test::World;

namespace {

core::ClientDraft big_draft(int i) {
  core::ClientDraft d;
  d.fields.name = "Filler " + std::to_string(i);
  d.fields.private_notes = core::Text(std::string(3000, 'x'));
  return d;
}

}  // namespace

TEST_CASE("a full disk (max_page_count) is unavailable, then recovers") {
  World w;
  auto pages = std::stoll(w.repo->pragma_value("page_count"));
  w.repo.reset();
  storage::StorageSettings tight;
  tight.max_page_count = pages + 3;
  auto repo = storage::SqliteRepository::open(w.db(), tight);
  int made = 0;
  core::ErrorKind kind = core::ErrorKind::validation;
  for (int i = 0; i < 1000; ++i) {
    try {
      repo->create_client(1, big_draft(i), {}, core::Timestamp::now());
      ++made;
    } catch (const core::Error& e) {
      kind = e.kind();
      break;
    }
  }
  CHECK(kind == core::ErrorKind::unavailable);
  CHECK(made < 1000);
  // Reads still serve, and the failed write left nothing behind.
  CHECK(repo->healthy());
  core::ClientQuery q;
  q.companies = {1};
  q.name_contains = "Filler";
  CHECK(repo->list_clients(q).total == made);
  // Once the limit is gone, writes are served again.
  repo.reset();
  auto roomy = storage::SqliteRepository::open(w.db());
  CHECK_NOTHROW(roomy->create_client(1, big_draft(9999), {}, core::Timestamp::now()));
  CHECK(roomy->list_clients(q).total == made + 1);
}

TEST_CASE("a read-only store serves reads and refuses writes as unavailable") {
  World w;
  w.repo.reset();
  storage::StorageSettings ro;
  ro.read_only = true;
  auto repo = storage::SqliteRepository::open(w.db(), ro);
  CHECK(repo->healthy());
  CHECK(repo->find_company(1));
  CHECK(test::error_kind([&] {
          repo->create_client(1, big_draft(1), {}, core::Timestamp::now());
        }) == core::ErrorKind::unavailable);
  CHECK(test::error_kind([&] {
          repo->delete_client(10, core::DeleteMode::hard, core::Timestamp::now());
        }) == core::ErrorKind::unavailable);
  CHECK(test::error_kind([&] {
          repo->import_dataset(test::parse_dataset(R"({"companies":[{"title":"X"}]})"), {});
        }) == core::ErrorKind::unavailable);
  repo.reset();
  // Not a read-only store any more: writes work.
  auto rw = storage::SqliteRepository::open(w.db());
  CHECK_NOTHROW(rw->create_client(1, big_draft(1), {}, core::Timestamp::now()));
}

TEST_CASE("a held write lock times out as unavailable, then the write succeeds") {
  World w(true, [] {
    storage::StorageSettings s;
    s.busy_timeout = std::chrono::milliseconds(50);
    return s;
  }());
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(w.db().c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK(test::error_kind([&] {
          w.repo->create_client(1, big_draft(1), {}, core::Timestamp::now());
        }) == core::ErrorKind::unavailable);
  // Readers are not blocked by a writer in WAL mode.
  CHECK(w.repo->find_company(1));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  CHECK_NOTHROW(w.repo->create_client(1, big_draft(1), {}, core::Timestamp::now()));
}

TEST_CASE("a file that is no database, or a path that cannot be opened, is unavailable") {
  test::TempDir dir;
  auto junk = dir.write("junk.db", std::string(8192, 'j'));
  CHECK(test::error_kind([&] { storage::SqliteRepository::open(junk); }) ==
        core::ErrorKind::unavailable);
  CHECK(test::error_kind([&] { storage::SqliteRepository::open(dir / "no/such/dir/x.db"); }) ==
        core::ErrorKind::unavailable);
  storage::StorageSettings ro;
  ro.read_only = true;
  CHECK(test::error_kind([&] { storage::SqliteRepository::open(dir / "missing.db", ro); }) ==
        core::ErrorKind::unavailable);
}
