// SQLite appends a transaction to the WAL one frame at a time, and each frame with two
// write calls (its 24-byte header, then the page). A commit of a dozen pages is two dozen
// pwrite system calls, on the one thread every write of the server waits for. This VFS
// wraps SQLite's default (unix) one and, for WAL files only, gathers the appends of a transaction
// in memory and hands them to the default VFS in one write:
//
// - A write that continues the gathered bytes is added to them; any other write, and every
//   other operation on the WAL (read, sync, size, truncate, close, file control), first
//   writes out what is gathered.
// - The page of the commit frame (the frame whose header holds the database size) writes
//   everything out before its write returns. So when SQLite's commit returns, its frames are
//   in the file exactly as without this VFS: durability is unchanged, and an error of the
//   write is the commit's error.
// - A write directly after a read goes straight through (SQLite reads frames back only to
//   rewrite their checksums, and nothing follows the last rewrite that would flush it).
// - Before SQLite publishes new frames to readers (the memory barrier before the second copy
//   of the WAL-index header, on the database file), the WAL of the same connection is
//   written out, so no reader can look for a frame that is still in memory. Normally there
//   is nothing left by then; should that write fail, the WAL refuses every later operation.
// - At most kMaxGathered bytes are held (a large transaction spills in pieces).
// - Before the commit frame is written, the database file is given the room the commit's
//   database size needs (allocated, in kDbChunk steps). A checkpoint then never grows the
//   file: on a full disk the commit that would need more room fails (SQLITE_FULL) instead of
//   leaving a WAL that can never be copied back, and once room is freed (the store's reserve
//   file) the WAL is copied back and started over, so deletes need no new room at all.
//
// Database, journal and temporary files are passed through unchanged. The default VFS is
// wrapped only when it is SQLite's unix one; otherwise connections use it as it is.
#include "wal_vfs.hpp"

#include <sqlite3.h>

#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <new>
#include <string_view>
#include <vector>

namespace clientgate::storage {

namespace {

constexpr std::size_t kMaxGathered = 1 << 20;
// The database file grows and shrinks in steps of this (SQLITE_FCNTL_CHUNK_SIZE).
constexpr int kDbChunk = 64 * 1024;
constexpr int kFrameHeaderBytes = 24;  // WAL_FRAME_HDRSIZE
// The unix VFS writes at most 0x1ffff bytes in one call (it masks the length with that).
constexpr std::size_t kMaxWrite = 0x1f000;

// --- pretend disks (a testing aid): database path -> size of its pretend file system.
std::mutex pretend_mutex;
std::map<std::string, std::int64_t> pretend_disks;  // guarded by pretend_mutex
std::atomic<bool> any_pretend_disk{false};

std::string disk_key(const std::string& db_path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(db_path, ec);
  return ec ? db_path : canonical.string();
}

std::int64_t file_bytes(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

std::int64_t pretend_used(const std::string& key) {
  return file_bytes(key) + file_bytes(key + "-wal") + file_bytes(key + "-reserve");
}

std::int64_t pretend_size(const std::string& key) {
  std::lock_guard lock(pretend_mutex);
  auto it = pretend_disks.find(key);
  return it == pretend_disks.end() ? 0 : it->second;
}

struct File {
  sqlite3_file base;  // first: SQLite sees a File as an sqlite3_file
  sqlite3_file* real = nullptr;
  std::string disk;     // the database's path when it is on a pretend disk
  File* wal = nullptr;  // a database file: the WAL of its connection, once open
  File* db = nullptr;   // a WAL: its database file
  // WAL only.
  std::vector<unsigned char> gathered;
  sqlite3_int64 gathered_at = 0;
  bool after_read = false;
  bool after_header = false;         // the last write was a frame header...
  bool header_commits = false;       // ...of a commit frame...
  sqlite3_int64 page_expected = -1;  // ...whose page goes here...
  sqlite3_int64 commit_pages = 0;    // ...and the database's size in pages after it
  // Database only: the file is allocated up to here (0: not known).
  sqlite3_int64 room = 0;
  int failed = SQLITE_OK;  // a write-out at a barrier failed
};

constexpr std::size_t real_offset() {
  return (sizeof(File) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
         alignof(std::max_align_t);
}

File* as_file(sqlite3_file* f) {
  return reinterpret_cast<File*>(f);
}
sqlite3_file* real_of(sqlite3_file* f) {
  return as_file(f)->real;
}
const sqlite3_io_methods& real_methods(sqlite3_file* f) {
  return *real_of(f)->pMethods;
}

// The real file's write, refused as on a full disk when it would grow the files of a pretend
// disk past its size.
int real_write(File* f, const void* buf, int n, sqlite3_int64 at) {
  if (!f->disk.empty()) {
    sqlite3_int64 size = 0;
    if (int rc = f->real->pMethods->xFileSize(f->real, &size); rc != SQLITE_OK) return rc;
    sqlite3_int64 growth = std::max<sqlite3_int64>(0, at + n - size);
    std::int64_t disk = pretend_size(f->disk);
    if (growth > 0 && disk > 0 && pretend_used(f->disk) + growth > disk) return SQLITE_FULL;
  }
  return f->real->pMethods->xWrite(f->real, buf, n, at);
}

// Allocates the database file up to `bytes` (rounded up to kDbChunk) before a commit that
// makes it that large; SQLITE_FULL when the disk has no room.
int make_db_room(File* db, sqlite3_int64 bytes) {
  if (bytes <= db->room) return SQLITE_OK;
  sqlite3_int64 target = (bytes + kDbChunk - 1) / kDbChunk * kDbChunk;
  sqlite3_int64 size = 0;
  if (int rc = db->real->pMethods->xFileSize(db->real, &size); rc != SQLITE_OK) return rc;
  if (target > size) {
    if (!db->disk.empty()) {
      std::int64_t disk = pretend_size(db->disk);
      if (disk > 0 && pretend_used(db->disk) + (target - size) > disk) return SQLITE_FULL;
    }
    // The unix VFS allocates (posix_fallocate) up to the next chunk for this hint.
    if (db->real->pMethods->xFileControl(db->real, SQLITE_FCNTL_SIZE_HINT, &target) != SQLITE_OK)
      return SQLITE_FULL;
  }
  db->room = target;
  return SQLITE_OK;
}

int write_out(File* f) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f->gathered.size() && rc == SQLITE_OK;) {
    std::size_t n = std::min(f->gathered.size() - done, kMaxWrite);
    rc = real_write(f, f->gathered.data() + done, static_cast<int>(n),
                    f->gathered_at + static_cast<sqlite3_int64>(done));
    done += n;
  }
  f->gathered.clear();
  return rc;
}

// Writes out what is gathered before another operation on the WAL.
int settle(sqlite3_file* file) {
  File* f = as_file(file);
  if (f->failed != SQLITE_OK) return f->failed;
  return write_out(f);
}

// --- delegation: a method of the real file, called with the same arguments; `settled`
// first writes out what a WAL has gathered.

template <auto Method>
struct Forward;
template <class... A, int (*sqlite3_io_methods::*Method)(sqlite3_file*, A...)>
struct Forward<Method> {
  static int plain(sqlite3_file* f, A... a) { return (real_methods(f).*Method)(real_of(f), a...); }
  static int settled(sqlite3_file* f, A... a) {
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    return plain(f, a...);
  }
};

int close_file(sqlite3_file* file, int rc) {
  File* f = as_file(file);
  int closed = f->real->pMethods != nullptr ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
  f->~File();
  return rc != SQLITE_OK ? rc : closed;
}

// --- database (and every other non-WAL) files

void db_shm_barrier(sqlite3_file* file) {
  File* f = as_file(file);
  if (f->wal != nullptr && f->wal->failed == SQLITE_OK) {
    int rc = write_out(f->wal);
    if (rc != SQLITE_OK) f->wal->failed = rc;
  }
  real_methods(file).xShmBarrier(real_of(file));
}

int db_write(sqlite3_file* file, const void* buf, int n, sqlite3_int64 at) {
  return real_write(as_file(file), buf, n, at);
}

int db_truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = as_file(file);
  f->room = std::min(f->room, size);
  return real_methods(file).xTruncate(real_of(file), size);
}

int db_close(sqlite3_file* file) {
  File* f = as_file(file);
  if (f->wal != nullptr) f->wal->db = nullptr;
  return close_file(file, SQLITE_OK);
}

const sqlite3_io_methods db_methods = {
    3,
    db_close,
    Forward<&sqlite3_io_methods::xRead>::plain,
    db_write,
    db_truncate,
    Forward<&sqlite3_io_methods::xSync>::plain,
    Forward<&sqlite3_io_methods::xFileSize>::plain,
    Forward<&sqlite3_io_methods::xLock>::plain,
    Forward<&sqlite3_io_methods::xUnlock>::plain,
    Forward<&sqlite3_io_methods::xCheckReservedLock>::plain,
    Forward<&sqlite3_io_methods::xFileControl>::plain,
    Forward<&sqlite3_io_methods::xSectorSize>::plain,
    Forward<&sqlite3_io_methods::xDeviceCharacteristics>::plain,
    Forward<&sqlite3_io_methods::xShmMap>::plain,
    Forward<&sqlite3_io_methods::xShmLock>::plain,
    db_shm_barrier,
    Forward<&sqlite3_io_methods::xShmUnmap>::plain,
    Forward<&sqlite3_io_methods::xFetch>::plain,
    Forward<&sqlite3_io_methods::xUnfetch>::plain,
};

// --- WAL files

int wal_write(sqlite3_file* file, const void* buf, int n, sqlite3_int64 at) {
  File* f = as_file(file);
  if (f->failed != SQLITE_OK) return f->failed;
  const auto* bytes = static_cast<const unsigned char*>(buf);
  bool page_of_commit = f->after_header && f->header_commits && at == f->page_expected;
  f->after_header = n == kFrameHeaderBytes;
  if (f->after_header) {
    f->commit_pages = (sqlite3_int64{bytes[4]} << 24) | (sqlite3_int64{bytes[5]} << 16) |
                      (sqlite3_int64{bytes[6]} << 8) | sqlite3_int64{bytes[7]};
    f->header_commits = f->commit_pages != 0;
    f->page_expected = at + kFrameHeaderBytes;
  }
  if (page_of_commit && f->db != nullptr) {
    if (int rc = make_db_room(f->db, f->commit_pages * n); rc != SQLITE_OK) {
      f->gathered.clear();  // the transaction fails: its frames are never committed
      f->after_header = false;
      return rc;
    }
  }
  bool follows =
      !f->gathered.empty() && at == f->gathered_at + static_cast<sqlite3_int64>(f->gathered.size());
  if (f->after_read || (!f->gathered.empty() && !follows)) {
    int rc = write_out(f);
    if (rc != SQLITE_OK) return rc;
  }
  if (f->after_read) {
    f->after_read = false;
    return real_write(f, buf, n, at);
  }
  if (f->gathered.empty()) f->gathered_at = at;
  f->gathered.insert(f->gathered.end(), bytes, bytes + n);
  if (page_of_commit || f->gathered.size() >= kMaxGathered) return write_out(f);
  return SQLITE_OK;
}

int wal_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 at) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  as_file(f)->after_read = true;
  return Forward<&sqlite3_io_methods::xRead>::plain(f, buf, n, at);
}
int wal_close(sqlite3_file* file) {
  File* f = as_file(file);
  int rc = settle(file);
  if (f->db != nullptr) f->db->wal = nullptr;
  return close_file(file, rc);
}

const sqlite3_io_methods wal_methods = {
    3,
    wal_close,
    wal_read,
    wal_write,
    Forward<&sqlite3_io_methods::xTruncate>::settled,
    Forward<&sqlite3_io_methods::xSync>::settled,
    Forward<&sqlite3_io_methods::xFileSize>::settled,
    Forward<&sqlite3_io_methods::xLock>::settled,
    Forward<&sqlite3_io_methods::xUnlock>::settled,
    Forward<&sqlite3_io_methods::xCheckReservedLock>::settled,
    Forward<&sqlite3_io_methods::xFileControl>::settled,
    Forward<&sqlite3_io_methods::xSectorSize>::plain,
    Forward<&sqlite3_io_methods::xDeviceCharacteristics>::plain,
    Forward<&sqlite3_io_methods::xShmMap>::plain,
    Forward<&sqlite3_io_methods::xShmLock>::plain,
    db_shm_barrier,
    Forward<&sqlite3_io_methods::xShmUnmap>::plain,
    Forward<&sqlite3_io_methods::xFetch>::plain,
    Forward<&sqlite3_io_methods::xUnfetch>::plain,
};

// --- the VFS: SQLite's unix VFS with another xOpen. Its other methods never look at the VFS
// they are called for (beyond mxPathname, copied), so they are taken over as they are.

sqlite3_vfs* base = nullptr;  // the unix VFS, set once by make_vfs

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = new (file) File;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset());
  f->real->pMethods = nullptr;
  int rc = base->xOpen(base, name, f->real, flags, out_flags);
  if (f->real->pMethods == nullptr) {
    f->~File();
    file->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  // Both method tables forward every method up to version 3, as the unix files have.
  if (f->real->pMethods->iVersion < 3) {
    close_file(file, rc);
    file->pMethods = nullptr;
    return SQLITE_CANTOPEN;
  }
  bool wal = (flags & SQLITE_OPEN_WAL) != 0 && name != nullptr;
  file->pMethods = wal ? &wal_methods : &db_methods;
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0) {
    int chunk = kDbChunk;
    f->real->pMethods->xFileControl(f->real, SQLITE_FCNTL_CHUNK_SIZE, &chunk);
  }
  if (any_pretend_disk.load(std::memory_order_acquire) && name != nullptr &&
      (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) != 0) {
    std::string key = disk_key(wal ? sqlite3_filename_database(name) : name);
    if (pretend_size(key) > 0) f->disk = key;
  }
  if (wal && rc == SQLITE_OK) {
    sqlite3_file* db = sqlite3_database_file_object(name);
    if (db != nullptr && db->pMethods == &db_methods) {
      f->db = as_file(db);
      f->db->wal = f;
    }
  }
  return rc;
}

sqlite3_vfs* make_vfs() {
  base = sqlite3_vfs_find(nullptr);
  if (base == nullptr || std::string_view(base->zName) != "unix" || base->iVersion < 3) {
    return nullptr;
  }
  static sqlite3_vfs vfs = *base;
  vfs.pNext = nullptr;
  vfs.szOsFile = static_cast<int>(real_offset()) + base->szOsFile;
  vfs.zName = "clientgate-wal";
  vfs.xOpen = vfs_open;
  if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) return nullptr;
  return &vfs;
}

}  // namespace

const char* coalescing_vfs() {
  static sqlite3_vfs* vfs = make_vfs();
  return vfs != nullptr ? vfs->zName : nullptr;
}

void set_pretend_disk(const std::string& db_path, std::int64_t bytes) {
  std::lock_guard lock(pretend_mutex);
  if (bytes > 0)
    pretend_disks[disk_key(db_path)] = bytes;
  else
    pretend_disks.erase(disk_key(db_path));
  any_pretend_disk.store(!pretend_disks.empty(), std::memory_order_release);
}

std::int64_t free_disk_bytes(const std::string& db_path) {
  std::string key = disk_key(db_path);
  if (std::int64_t disk = pretend_size(key); disk > 0) return disk - pretend_used(key);
  struct statvfs fs {};
  auto dir = std::filesystem::path(key).parent_path();
  if (::statvfs(dir.empty() ? "." : dir.c_str(), &fs) != 0) return 0;
  return static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
}

}  // namespace clientgate::storage
