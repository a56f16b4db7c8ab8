// A VFS over SQLite's default one that hands a transaction's WAL appends to the kernel in one
// write instead of two per page. See wal_vfs.cpp.
#pragma once

namespace clientgate::storage {

// Registers the VFS (once; not as the default) and returns its name, for sqlite3_open_v2.
// Returns nullptr, meaning SQLite's default VFS, when that is not the unix one it wraps.
const char* coalescing_vfs();

}  // namespace clientgate::storage
