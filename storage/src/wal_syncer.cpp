#include "wal_syncer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "clientgate/core/errors.hpp"

namespace clientgate::storage {

WalSyncer::WalSyncer(std::filesystem::path wal) : wal_(std::move(wal)) {
  thread_ = std::thread([this] { run(); });
}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  work_.notify_all();
  thread_.join();
}

std::uint64_t WalSyncer::committed() {
  std::uint64_t ticket;
  {
    std::lock_guard lock(mutex_);
    ticket = ++written_;
  }
  work_.notify_one();
  return ticket;
}

void WalSyncer::wait_synced(std::uint64_t ticket) {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return synced_ >= ticket || failed_upto_ >= ticket; });
  if (synced_ < ticket) {
    throw core::unavailable("the store could not make the write durable");
  }
}

void WalSyncer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [&] { return stop_ || written_ > attempted_; });
    if (written_ == attempted_) return;  // stopping, and nothing is left to sync
    std::uint64_t target = written_;
    attempted_ = target;
    lock.unlock();
    // fdatasync through a descriptor of our own: it flushes the file whoever wrote it, and
    // leaves SQLite's file object (and the WAL VFS's gathered appends) to the writer alone.
    // The commits up to `target` returned before their tickets were taken, so their frames
    // are in the file.
    bool ok = false;
    int fd = ::open(wal_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ok = ::fdatasync(fd) == 0;
      ::close(fd);
    }
    lock.lock();
    (ok ? synced_ : failed_upto_) = target;
    done_.notify_all();
  }
}

}  // namespace clientgate::storage
