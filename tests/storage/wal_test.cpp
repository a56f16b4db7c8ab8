// The WAL the store writes (its appends gathered into one write per commit, see
// storage/src/wal_vfs.cpp) is one that SQLite itself recovers after a crash: a child process
// writes and dies without closing anything, and a plain SQLite connection (the default VFS)
// then finds every committed write, with valid checksums and an intact database.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "storage/storage_test_support.hpp"

using namespace clientgate;

namespace {

// One transaction of about 2.5 MB. With a page cache of a few pages, pages are spilled to the
// WAL and changed again within the transaction, which makes SQLite rewrite frame checksums;
// with a large one, the commit is more than one gathered write holds.
std::string big_dataset(int clients, int company = 1) {
  std::string notes(800, 'n');
  std::string c = std::to_string(company);
  std::string json = R"({"format":"clientgate-dataset/1","companies":[{"id":)" + c +
                     R"(,"title":"Company )" + c + R"(","slug":"company-)" + c +
                     R"("}],"clients":[)";
  for (int i = 1; i <= clients; ++i) {
    if (i > 1) json += ',';
    json += R"({"company_id":)" + c + R"(,"name":"Client )" + std::to_string(i) +
            R"(","private_notes":")" + notes + R"("})";
  }
  return json + "]}";
}

constexpr int kImported = 3000;
constexpr int kThreads = 8;
constexpr int kCreatesPerThread = 40;

// Runs in the child: writes, then dies with the store open (no checkpoint at close).
[[noreturn]] void write_and_die(const std::filesystem::path& db) {
  int status = 1;
  try {
    storage::StorageSettings settings;
    settings.cache_kib = 16;
    auto repo = storage::SqliteRepository::open(db, settings);
    repo->import_dataset(test::parse_dataset(big_dataset(kImported)), {});
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([&repo, t] {
        for (int i = 0; i < kCreatesPerThread; ++i) {
          core::ClientDraft d;
          d.fields.name = "Made " + std::to_string(t) + "-" + std::to_string(i);
          repo->create_client(1, d, {}, core::Timestamp::now());
        }
      });
    }
    for (auto& w : writers)
      w.join();
    core::ClientPatch renamed;
    renamed.name = std::string("Renamed");
    repo->update_client(1, renamed, {}, core::Timestamp::now());
    // A large transaction with the whole page cache: more than one gathered write holds.
    settings.cache_kib = 8192;
    auto roomy = storage::SqliteRepository::open(db, settings);
    roomy->import_dataset(test::parse_dataset(big_dataset(kImported, 2)), {});
    (void)repo.release();  // never closed
    (void)roomy.release();
    status = 0;
  } catch (...) {
    status = 2;
  }
  _exit(status);  // no destructors: the WAL stays as it is after the last commit
}

std::string one_value(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(s, 0);
    out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(s);
  return out;
}

}  // namespace

TEST_CASE("the WAL survives a crash of the process and is recovered by plain SQLite") {
  test::TempDir dir;
  auto db = dir / "store.db";
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) write_and_die(db);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  REQUIRE(std::filesystem::exists(dir / "store.db-wal"));
  REQUIRE(std::filesystem::file_size(dir / "store.db-wal") > 0);

  sqlite3* plain = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &plain, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  CHECK(one_value(plain, "PRAGMA integrity_check") == "ok");
  CHECK(one_value(plain, "SELECT count(*) FROM clients") ==
        std::to_string(2 * kImported + kThreads * kCreatesPerThread));
  CHECK(one_value(plain, "SELECT count(*) FROM clients WHERE length(private_notes) = 800") ==
        std::to_string(2 * kImported));
  CHECK(one_value(plain, "SELECT count(*) FROM clients WHERE name LIKE 'Made %'") ==
        std::to_string(kThreads * kCreatesPerThread));
  CHECK(one_value(plain, "SELECT name FROM clients WHERE id = 1") == "Renamed");
  sqlite3_close(plain);
}

TEST_CASE("a commit is visible to another connection as soon as it returns") {
  test::World w(false);
  w.repo->import_dataset(test::parse_dataset(big_dataset(10)), {});
  sqlite3* plain = nullptr;
  REQUIRE(sqlite3_open_v2(w.db().c_str(), &plain, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  for (int i = 0; i < 50; ++i) {
    core::ClientDraft d;
    d.fields.name = "Seen " + std::to_string(i);
    auto made = w.repo->create_client(1, d, {}, core::Timestamp::now());
    std::string sql = "SELECT name FROM clients WHERE id = " + std::to_string(made.id);
    REQUIRE(one_value(plain, sql.c_str()) == "Seen " + std::to_string(i));
  }
  sqlite3_close(plain);
}
