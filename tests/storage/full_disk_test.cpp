// A real full disk (issue 19 item 8), on a pretend file system (`disk_bytes`, a VFS-level
// testing aid): even a DELETE needs room in the WAL, so without the reserve nothing could be
// deleted; with it, the first write that meets the full disk releases the reserve, deletes
// are taken (and nothing else), and writes resume once the disk has room for the reserve.
#include <catch2/catch.hpp>

#include <filesystem>

#include "storage/storage_test_support.hpp"

using namespace clientgate;
using test::World;

namespace {

core::ClientDraft filler(int i) {
  core::ClientDraft d;
  d.fields.name = "Filler " + std::to_string(i);
  d.fields.private_notes = core::Text(std::string(3000, 'x'));
  return d;
}

std::int64_t bytes_of(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

bool unavailable(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.kind() == core::ErrorKind::unavailable;
  }
  return false;
}

// Opens the store on a pretend disk with `room` bytes beyond what its files hold now, and
// creates fillers until the disk is full; returns their ids.
std::vector<core::ClientId> fill(std::unique_ptr<storage::SqliteRepository>& repo,
                                 const std::string& db, std::int64_t reserve, std::int64_t room) {
  std::filesystem::remove(db + "-reserve");
  storage::StorageSettings settings;
  settings.reserve_bytes = reserve;
  settings.disk_bytes = bytes_of(db) + bytes_of(db + "-wal") + room;
  repo = storage::SqliteRepository::open(db, settings);
  CHECK(bytes_of(db + "-reserve") == reserve);
  std::vector<core::ClientId> made;
  for (int i = 0; i < 2000; ++i) {
    try {
      made.push_back(repo->create_client(1, filler(i), {}, core::Timestamp::now()).id);
    } catch (const core::Error& e) {
      CHECK(e.kind() == core::ErrorKind::unavailable);
      return made;
    }
  }
  FAIL("the pretend disk never filled");
  return made;
}

}  // namespace

TEST_CASE("a full disk: the reserve lets deletes through, and only deletes") {
  World w;
  std::string db = w.db().string();
  w.repo.reset();
  std::unique_ptr<storage::SqliteRepository> repo;
  auto made = fill(repo, db, 256 * 1024, 2 * 1024 * 1024);
  REQUIRE(made.size() > 10);
  CHECK(bytes_of(db + "-reserve") == 0);  // released by the write that met the full disk

  // Other writes are refused while the disk has no room for the reserve; reads work.
  CHECK(unavailable([&] { repo->create_client(1, filler(-1), {}, core::Timestamp::now()); }));
  CHECK(repo->healthy());
  // Deletes for good are taken, one after the other.
  for (std::size_t i = 0; i < 10; ++i) {
    INFO("delete " << i);
    CHECK(repo->delete_client(made[i], core::DeleteMode::hard, core::Timestamp::now()));
  }
  CHECK_FALSE(repo->client_company(made[0]));
  CHECK(unavailable([&] { repo->create_client(1, filler(-2), {}, core::Timestamp::now()); }));

  // After a restart on the same full disk, deletes still work.
  storage::StorageSettings same;
  same.reserve_bytes = 256 * 1024;
  same.disk_bytes = bytes_of(db) + bytes_of(db + "-wal") + 1024;
  repo.reset();
  repo = storage::SqliteRepository::open(db, same);
  CHECK(repo->delete_client(made[10], core::DeleteMode::hard, core::Timestamp::now()));

  // Room comes back (the disk grows): the reserve is made again and every write is taken.
  storage::StorageSettings roomy = same;
  roomy.disk_bytes = same.disk_bytes + 64 * 1024 * 1024;
  repo.reset();
  repo = storage::SqliteRepository::open(db, roomy);
  CHECK(bytes_of(db + "-reserve") == 256 * 1024);
  CHECK_NOTHROW(repo->create_client(1, filler(-3), {}, core::Timestamp::now()));
}

TEST_CASE("a full disk without a reserve: even a delete cannot be written") {
  World w;
  std::string db = w.db().string();
  w.repo.reset();
  std::unique_ptr<storage::SqliteRepository> repo;
  auto made = fill(repo, db, 0, 2 * 1024 * 1024);
  REQUIRE(made.size() > 10);
  CHECK(unavailable(
      [&] { repo->delete_client(made[0], core::DeleteMode::hard, core::Timestamp::now()); }));
}
