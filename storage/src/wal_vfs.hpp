// A VFS over SQLite's default one that hands a transaction's WAL appends to the kernel in one
// write instead of two per page. See wal_vfs.cpp.
#pragma once

#include <cstdint>
#include <string>

namespace clientgate::storage {

// Registers the VFS (once; not as the default) and returns its name, for sqlite3_open_v2.
// Returns nullptr, meaning SQLite's default VFS, when that is not the unix one it wraps.
const char* coalescing_vfs();

// Testing aid ([storage] disk_bytes): the database at `db_path` sits on a pretend file system
// of `bytes`, which its file, its WAL and its reserve file (`<db>-reserve`) fill; a write
// through this VFS that would grow them past it fails as on a full disk (SQLITE_FULL, what
// the unix VFS makes of ENOSPC). 0 takes the pretend disk away.
void set_pretend_disk(const std::string& db_path, std::int64_t bytes);

// The bytes an unprivileged writer may still use where the database at `db_path` lives: on
// its pretend disk when it has one, else what statvfs says of its file system.
std::int64_t free_disk_bytes(const std::string& db_path);

}  // namespace clientgate::storage
