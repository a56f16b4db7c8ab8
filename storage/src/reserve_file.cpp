#include "reserve_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "wal_vfs.hpp"

namespace clientgate::storage {

ReserveFile::ReserveFile(std::string db_path, std::int64_t bytes)
    : db_path_(std::move(db_path)), path_(db_path_ + "-reserve"), bytes_(bytes) {}

void ReserveFile::ensure() {
  if (bytes_ <= 0) return;
  std::lock_guard lock(mutex_);
  std::error_code ec;
  auto size = std::filesystem::file_size(path_, ec);
  if (!ec && static_cast<std::int64_t>(size) >= bytes_) {
    low_space_.store(false, std::memory_order_release);
    return;
  }
  if (free_disk_bytes(db_path_) < 2 * bytes_) {
    low_space_.store(true, std::memory_order_release);
    return;
  }
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  bool made = fd >= 0 && ::posix_fallocate(fd, 0, static_cast<off_t>(bytes_)) == 0;
  if (fd >= 0) ::close(fd);
  if (!made) {
    ::unlink(path_.c_str());
    low_space_.store(true, std::memory_order_release);
    return;
  }
  low_space_.store(false, std::memory_order_release);
}

void ReserveFile::release() {
  if (bytes_ <= 0) return;
  std::lock_guard lock(mutex_);
  bool freed = ::unlink(path_.c_str()) == 0;
  low_space_.store(true, std::memory_order_release);
  if (freed) releases_.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace clientgate::storage
