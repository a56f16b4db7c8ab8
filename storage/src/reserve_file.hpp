// Room kept aside for the writes that make room: a file of `[storage] reserve_bytes` beside
// the database (`<db>-reserve`). On a full disk SQLite cannot even append a DELETE to its WAL;
// releasing this file gives it the room, and until the file system has room for the file
// again only deletes are taken (SECURITY.md, "Durability and storage faults").
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace clientgate::storage {

class ReserveFile {
 public:
  // `bytes` 0: no reserve, and never in low-space mode.
  ReserveFile(std::string db_path, std::int64_t bytes);

  // Makes sure the file is there: when it is missing it is made, but only when the file
  // system has room for it twice over (so that making it does not fill the disk again).
  // Leaves low-space mode once the file is there; enters it when the file cannot be made.
  void ensure();
  // The disk is full: the file goes (its room to the next writes), low-space mode begins.
  void release();
  // Whether only deletes are taken now.
  bool low_space() const { return low_space_.load(std::memory_order_acquire); }
  // How many times the file was released (a write that failed can tell whether room came).
  std::uint64_t releases() const { return releases_.load(std::memory_order_acquire); }

 private:
  std::string db_path_;
  std::string path_;
  std::int64_t bytes_;
  std::mutex mutex_;
  std::atomic<bool> low_space_{false};
  std::atomic<std::uint64_t> releases_{0};
};

}  // namespace clientgate::storage
