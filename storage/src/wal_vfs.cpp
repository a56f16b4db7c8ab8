// SQLite appends a transaction to the WAL one frame at a time, and each frame with two
// write calls (its 24-byte header, then the page). A commit of a dozen pages is two dozen
// pwrite system calls, on the one thread every write of the server waits for. This VFS
// wraps SQLite's default one and, for WAL files only, gathers the appends of a transaction
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
//
// Database, journal and temporary files are passed through unchanged.
#include "wal_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <new>
#include <vector>

namespace clientgate::storage {

namespace {

constexpr std::size_t kMaxGathered = 1 << 20;
constexpr int kFrameHeaderBytes = 24;  // WAL_FRAME_HDRSIZE
// The unix VFS writes at most 0x1ffff bytes in one call (it masks the length with that).
constexpr std::size_t kMaxWrite = 0x1f000;

struct File {
  sqlite3_file base;  // first: SQLite sees a File as an sqlite3_file
  sqlite3_file* real = nullptr;
  File* wal = nullptr;  // a database file: the WAL of its connection, once open
  File* db = nullptr;   // a WAL: its database file
  // WAL only.
  std::vector<unsigned char> gathered;
  sqlite3_int64 gathered_at = 0;
  bool after_read = false;
  bool after_header = false;         // the last write was a frame header...
  bool header_commits = false;       // ...of a commit frame...
  sqlite3_int64 page_expected = -1;  // ...whose page goes here
  int failed = SQLITE_OK;            // a write-out at a barrier failed
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

int write_out(File* f) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f->gathered.size() && rc == SQLITE_OK;) {
    std::size_t n = std::min(f->gathered.size() - done, kMaxWrite);
    rc = f->real->pMethods->xWrite(f->real, f->gathered.data() + done, static_cast<int>(n),
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

// --- the methods shared by both kinds of file: plain delegation

int plain_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 at) {
  return real_methods(f).xRead(real_of(f), buf, n, at);
}
int plain_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 at) {
  return real_methods(f).xWrite(real_of(f), buf, n, at);
}
int plain_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real_methods(f).xTruncate(real_of(f), size);
}
int plain_sync(sqlite3_file* f, int flags) {
  return real_methods(f).xSync(real_of(f), flags);
}
int plain_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_methods(f).xFileSize(real_of(f), size);
}
int plain_lock(sqlite3_file* f, int level) {
  return real_methods(f).xLock(real_of(f), level);
}
int plain_unlock(sqlite3_file* f, int level) {
  return real_methods(f).xUnlock(real_of(f), level);
}
int plain_check_reserved(sqlite3_file* f, int* out) {
  return real_methods(f).xCheckReservedLock(real_of(f), out);
}
int plain_file_control(sqlite3_file* f, int op, void* arg) {
  return real_methods(f).xFileControl(real_of(f), op, arg);
}
int sector_size(sqlite3_file* f) {
  return real_methods(f).xSectorSize(real_of(f));
}
int device_characteristics(sqlite3_file* f) {
  return real_methods(f).xDeviceCharacteristics(real_of(f));
}
int shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  if (real_methods(f).iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return real_methods(f).xShmMap(real_of(f), region, size, extend, out);
}
int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  if (real_methods(f).iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  return real_methods(f).xShmLock(real_of(f), offset, n, flags);
}
int shm_unmap(sqlite3_file* f, int remove) {
  if (real_methods(f).iVersion < 2) return SQLITE_OK;
  return real_methods(f).xShmUnmap(real_of(f), remove);
}
int fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
  *out = nullptr;
  if (real_methods(f).iVersion < 3) return SQLITE_OK;
  return real_methods(f).xFetch(real_of(f), at, n, out);
}
int unfetch(sqlite3_file* f, sqlite3_int64 at, void* p) {
  if (real_methods(f).iVersion < 3) return SQLITE_OK;
  return real_methods(f).xUnfetch(real_of(f), at, p);
}

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
  if (real_methods(file).iVersion >= 2) real_methods(file).xShmBarrier(real_of(file));
}

int db_close(sqlite3_file* file) {
  File* f = as_file(file);
  if (f->wal != nullptr) f->wal->db = nullptr;
  return close_file(file, SQLITE_OK);
}

const sqlite3_io_methods db_methods = {
    3,
    db_close,
    plain_read,
    plain_write,
    plain_truncate,
    plain_sync,
    plain_file_size,
    plain_lock,
    plain_unlock,
    plain_check_reserved,
    plain_file_control,
    sector_size,
    device_characteristics,
    shm_map,
    shm_lock,
    db_shm_barrier,
    shm_unmap,
    fetch,
    unfetch,
};

// --- WAL files

int wal_write(sqlite3_file* file, const void* buf, int n, sqlite3_int64 at) {
  File* f = as_file(file);
  if (f->failed != SQLITE_OK) return f->failed;
  const auto* bytes = static_cast<const unsigned char*>(buf);
  bool page_of_commit = f->after_header && f->header_commits && at == f->page_expected;
  f->after_header = n == kFrameHeaderBytes;
  if (f->after_header) {
    f->header_commits = bytes[4] != 0 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0;
    f->page_expected = at + kFrameHeaderBytes;
  }
  bool follows =
      !f->gathered.empty() && at == f->gathered_at + static_cast<sqlite3_int64>(f->gathered.size());
  if (f->after_read || (!f->gathered.empty() && !follows)) {
    int rc = write_out(f);
    if (rc != SQLITE_OK) return rc;
  }
  if (f->after_read) {
    f->after_read = false;
    return f->real->pMethods->xWrite(f->real, buf, n, at);
  }
  if (f->gathered.empty()) f->gathered_at = at;
  f->gathered.insert(f->gathered.end(), bytes, bytes + n);
  if (page_of_commit || f->gathered.size() >= kMaxGathered) return write_out(f);
  return SQLITE_OK;
}

int wal_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 at) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  as_file(f)->after_read = true;
  return plain_read(f, buf, n, at);
}
int wal_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  return plain_truncate(f, size);
}
int wal_sync(sqlite3_file* f, int flags) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  return plain_sync(f, flags);
}
int wal_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  return plain_file_size(f, size);
}
int wal_lock(sqlite3_file* f, int level) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  return plain_lock(f, level);
}
int wal_unlock(sqlite3_file* f, int level) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  return plain_unlock(f, level);
}
int wal_check_reserved(sqlite3_file* f, int* out) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  return plain_check_reserved(f, out);
}
int wal_file_control(sqlite3_file* f, int op, void* arg) {
  if (int rc = settle(f); rc != SQLITE_OK) return rc;
  return plain_file_control(f, op, arg);
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
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved,
    wal_file_control,
    sector_size,
    device_characteristics,
    shm_map,
    shm_lock,
    db_shm_barrier,
    shm_unmap,
    fetch,
    unfetch,
};

// --- the VFS

sqlite3_vfs* base_vfs(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  auto* f = new (file) File;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset());
  f->real->pMethods = nullptr;
  sqlite3_vfs* base = base_vfs(vfs);
  int rc = base->xOpen(base, name, f->real, flags, out_flags);
  if (f->real->pMethods == nullptr) {
    f->~File();
    file->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  bool wal = (flags & SQLITE_OPEN_WAL) != 0 && name != nullptr;
  file->pMethods = wal ? &wal_methods : &db_methods;
  if (wal && rc == SQLITE_OK) {
    sqlite3_file* db = sqlite3_database_file_object(name);
    if (db != nullptr && db->pMethods == &db_methods) {
      f->db = as_file(db);
      f->db->wal = f;
    }
  }
  return rc;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_vfs(vfs)->xDelete(base_vfs(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base_vfs(vfs)->xAccess(base_vfs(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return base_vfs(vfs)->xFullPathname(base_vfs(vfs), name, n, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xDlOpen(base_vfs(vfs), name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int n, char* out) {
  base_vfs(vfs)->xDlError(base_vfs(vfs), n, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return base_vfs(vfs)->xDlSym(base_vfs(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) {
  base_vfs(vfs)->xDlClose(base_vfs(vfs), handle);
}
int vfs_randomness(sqlite3_vfs* vfs, int n, char* out) {
  return base_vfs(vfs)->xRandomness(base_vfs(vfs), n, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int micros) {
  return base_vfs(vfs)->xSleep(base_vfs(vfs), micros);
}
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return base_vfs(vfs)->xCurrentTime(base_vfs(vfs), out);
}
int vfs_last_error(sqlite3_vfs* vfs, int n, char* out) {
  return base_vfs(vfs)->xGetLastError(base_vfs(vfs), n, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base_vfs(vfs)->xCurrentTimeInt64(base_vfs(vfs), out);
}
int vfs_set_system_call(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return base_vfs(vfs)->xSetSystemCall(base_vfs(vfs), name, call);
}
sqlite3_syscall_ptr vfs_get_system_call(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xGetSystemCall(base_vfs(vfs), name);
}
const char* vfs_next_system_call(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xNextSystemCall(base_vfs(vfs), name);
}

sqlite3_vfs* make_vfs() {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  // The default VFS of a Debian SQLite (unix) has every method up to version 3.
  if (base == nullptr || base->iVersion < 3) return nullptr;
  static sqlite3_vfs vfs{};
  vfs.iVersion = 3;
  vfs.szOsFile = static_cast<int>(real_offset()) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = "clientgate-wal";
  vfs.pAppData = base;
  vfs.xOpen = vfs_open;
  vfs.xDelete = vfs_delete;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = vfs_full_pathname;
  vfs.xDlOpen = vfs_dl_open;
  vfs.xDlError = vfs_dl_error;
  vfs.xDlSym = vfs_dl_sym;
  vfs.xDlClose = vfs_dl_close;
  vfs.xRandomness = vfs_randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = vfs_current_time;
  vfs.xGetLastError = vfs_last_error;
  vfs.xCurrentTimeInt64 = vfs_current_time_int64;
  vfs.xSetSystemCall = vfs_set_system_call;
  vfs.xGetSystemCall = vfs_get_system_call;
  vfs.xNextSystemCall = vfs_next_system_call;
  if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) return nullptr;
  return &vfs;
}

}  // namespace

const char* coalescing_vfs() {
  static sqlite3_vfs* vfs = make_vfs();
  return vfs != nullptr ? vfs->zName : nullptr;
}

}  // namespace clientgate::storage
