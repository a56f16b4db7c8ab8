// The write path under a steady stream of writes: creates from several threads at once, some
// alone (the write pool's shape) and some several to a transaction (write_together, an io
// thread's turn), while the checkpointer copies the WAL back. Nothing acknowledged is lost
// (every id is read back after the store is closed and opened again) and the WAL stays near
// its bound however much is written.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/storage_test_support.hpp"

using namespace clientgate;

namespace {

core::ClientDraft draft(std::string name) {
  core::ClientDraft d;
  d.fields.name = std::move(name);
  // A long description: more pages per write, so the WAL passes its bound many times.
  d.fields.description = core::Text(std::string(1500, 'x'));
  return d;
}

const core::Timestamp t0{1'700'000'000'000'000};

std::uintmax_t size_or_zero(const std::filesystem::path& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

void stream_of_writes(storage::Durability durability) {
  storage::StorageSettings settings;
  settings.durability = durability;
  settings.wal_bound_pages = 512;  // 2 MiB: the stream below writes it over many times
  auto w = std::make_unique<test::World>(true, settings);
  const auto wal = std::filesystem::path(w->db().string() + "-wal");

  constexpr int threads = 6;
  constexpr int writes_per_thread = 600;
  std::mutex mutex;
  std::vector<std::pair<core::ClientId, std::string>> acknowledged;
  std::atomic<bool> writing{true};
  std::atomic<std::uintmax_t> largest_wal{0};
  std::atomic<int> failures{0};

  std::thread watcher([&] {
    while (writing) {
      auto now = size_or_zero(wal);
      if (now > largest_wal) largest_wal = now;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < writes_per_thread;) {
        // A steady stream, not a flood: the checkpointer's fsyncs on a busy shared disk take
        // tens of milliseconds, and a bound is about a stream the disk can take.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        try {
          if (t % 2 == 0) {  // alone, as on the write pool
            std::string name = "s" + std::to_string(t) + "-" + std::to_string(i++);
            auto c = w->repo->create_client(1, draft(name), {}, t0);
            std::lock_guard lock(mutex);
            acknowledged.emplace_back(c.id, name);
          } else {  // four to a transaction, as an io thread's turn
            std::vector<std::pair<core::ClientId, std::string>> made;
            bool ok = w->repo->write_together([&] {
              made.clear();
              for (int k = 0; k < 4; ++k) {
                std::string name = "s" + std::to_string(t) + "-" + std::to_string(i + k);
                made.emplace_back(w->repo->create_client(1, draft(name), {}, t0).id, name);
              }
            });
            if (!ok) {
              ++failures;
              return;
            }
            i += 4;
            std::lock_guard lock(mutex);
            acknowledged.insert(acknowledged.end(), made.begin(), made.end());
          }
        } catch (const std::exception&) {
          ++failures;
          return;
        }
      }
    });
  }
  for (auto& t : writers)
    t.join();
  writing = false;
  watcher.join();

  CHECK(failures == 0);
  REQUIRE(acknowledged.size() == threads * writes_per_thread);
  // Each create appends about 19 KiB to the WAL: the stream wrote its bound's worth more than
  // thirty times over (about 68 MiB), yet the WAL stayed within a few times the bound (the
  // checkpointer wakes at the bound; what is written during its passes and the pause comes
  // on top). Without the restarts it would hold the whole stream.
  const std::uintmax_t bound_bytes = 512 * 4096;
  INFO("largest WAL " << largest_wal << " bytes");
  CHECK(largest_wal < 16 * bound_bytes);

  // Closed and opened again: every acknowledged create is there, with its name.
  auto db = w->db();
  w->repo.reset();
  w->repo = storage::SqliteRepository::open(db, settings);
  auto q = w->query();
  q.ids.clear();
  for (const auto& [id, name] : acknowledged)
    q.ids.push_back(id);
  auto page = w->repo->list_clients(q);
  std::map<core::ClientId, std::string> stored;
  for (const auto& c : page.items)
    stored.emplace(c.id, c.name);
  for (const auto& [id, name] : acknowledged) {
    INFO("client " << id);
    auto it = stored.find(id);
    REQUIRE(it != stored.end());
    CHECK(it->second == name);
  }
}
}  // namespace

TEST_CASE("a stream of writes loses nothing and keeps the WAL near its bound", "[storage][wal]") {
  stream_of_writes(storage::Durability::process_crash);
}

// power_loss: the writer commits without an fsync and the syncer thread makes each commit
// durable before its write returns; the same stream, the same checks.
TEST_CASE("power_loss: a stream of writes through the syncer loses nothing", "[storage][wal]") {
  stream_of_writes(storage::Durability::power_loss);
}
