// durability = power_loss: group commit of the fsync. The writer commits with
// synchronous=NORMAL (the commit appends to the WAL and returns) and this thread makes the WAL
// durable with one fdatasync for every commit written since its last one; a write's caller
// returns only once a sync that began after its commit has finished. So the fsync is paid
// outside the writers' turn (the next batch commits while the last one syncs) and shared by
// every commit it covers, and no write is acknowledged before it is on the disk.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

namespace clientgate::storage {

class WalSyncer {
 public:
  explicit WalSyncer(std::filesystem::path wal);
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // A commit was written to the WAL: its ticket, to wait for.
  std::uint64_t committed();
  // Returns once the commit of `ticket` is on the disk; throws core::Error(unavailable) when
  // the sync that should have covered it failed (the write's fate is then unknown).
  void wait_synced(std::uint64_t ticket);

 private:
  void run();

  std::filesystem::path wal_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable done_;
  std::uint64_t written_ = 0;      // guarded by mutex_, as are the four below
  std::uint64_t attempted_ = 0;    // the last sync began after this ticket's commit
  std::uint64_t synced_ = 0;       // every ticket up to this is on the disk
  std::uint64_t failed_upto_ = 0;  // the last failed sync covered tickets up to this
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace clientgate::storage
