// Internal to storage: SQLite errors as domain errors, a connection with its cache of prepared
// statements, a statement in use, and a read transaction.
#pragma once

#include <sqlite3.h>

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "clientgate/core/client_service.hpp"
#include "clientgate/core/errors.hpp"

namespace clientgate::storage::sqlite {

using core::Client;
using core::Text;
using core::Timestamp;

// A uniqueness or reference rule the database refused; callers turn it into a domain error.
struct ConstraintViolation : std::runtime_error {
  explicit ConstraintViolation(const std::string& what) : std::runtime_error(what) {}
};

// Faults of the medium or of locking: the server answers 503 and serves again once they
// are gone. Anything else from SQLite is a defect of ours.
inline bool is_unavailable(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
      return true;
    default:
      return false;
  }
}

// Faults after which the connection itself is not trusted any more.
inline bool breaks_connection(int rc) {
  switch (rc & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
      return true;
    default:
      return false;
  }
}

[[noreturn]] inline void raise(sqlite3* db, int rc, std::string_view context) {
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    throw ConstraintViolation(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  }
  if (is_unavailable(rc)) {
    throw core::unavailable(std::string("the store cannot serve now: ") + sqlite3_errstr(rc));
  }
  throw std::runtime_error(std::string(context) + ": " + (db ? sqlite3_errmsg(db) : "") + " (" +
                           sqlite3_errstr(rc) + ")");
}

struct Connection;

// A cached prepared statement in use; reset when it goes out of scope.
class Stmt {
 public:
  Stmt(Connection& conn, sqlite3_stmt* stmt) : conn_(&conn), stmt_(stmt) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_reset(stmt_); }

  Stmt& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Stmt& bind(int i, std::string_view v) {
    check(sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const Text& v) { return v ? bind(i, std::string_view(*v)) : null(i); }
  Stmt& bind(int i, const std::optional<std::int64_t>& v) { return v ? bind(i, *v) : null(i); }
  Stmt& bind(int i, Timestamp t) { return bind(i, t.micros); }
  Stmt& bind(int i, const std::optional<Timestamp>& t) { return t ? bind(i, t->micros) : null(i); }
  Stmt& flag(int i, bool v) { return bind(i, std::int64_t{v ? 1 : 0}); }
  Stmt& null(int i) {
    check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  Stmt& blob(int i, std::string_view bytes) {
    check(sqlite3_bind_blob64(stmt_, i, bytes.data() ? bytes.data() : "", bytes.size(),
                              SQLITE_TRANSIENT));
    return *this;
  }
  std::string_view column_blob(int col) const {
    auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }

  bool step();  // true: a row is ready
  void run() {
    while (step()) {
    }
  }

  std::int64_t i64(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool boolean(int col) const { return sqlite3_column_int64(stmt_, col) != 0; }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  Text opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
  }
  std::optional<std::int64_t> opt_i64(int col) const {
    if (is_null(col)) return std::nullopt;
    return i64(col);
  }
  Timestamp time(int col) const { return Timestamp{i64(col)}; }
  std::optional<Timestamp> opt_time(int col) const {
    if (is_null(col)) return std::nullopt;
    return Timestamp{i64(col)};
  }

 private:
  void check(int rc);
  Connection* conn_;
  sqlite3_stmt* stmt_;
};

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// Page boundaries of lists by id of one company, or of every company of one member
// (Impl::list): for a list's scope, state and direction, offset -> the id bound (exclusive)
// that the rows from that offset on lie beyond. Also the totals of a member's lists. Valid for
// one version of the data only: the connection drops them when it changes.
class PageBounds {
 public:
  struct Key {
    core::CompanyId company;  // 0 when the scope is a member's companies
    core::UserId member;      // 0 when the scope is one company
    unsigned states;
    bool descending;
    std::int64_t offset;
    auto operator<=>(const Key&) const = default;
  };
  // The known boundary nearest at or before key.offset: (its offset, its bound).
  std::optional<std::pair<std::int64_t, std::int64_t>> nearest(const Key& key) const {
    auto it = bounds_.upper_bound(key);
    if (it == bounds_.begin()) return std::nullopt;
    --it;
    const Key& k = it->first;
    if (k.company != key.company || k.member != key.member || k.states != key.states ||
        k.descending != key.descending) {
      return std::nullopt;
    }
    return std::pair{k.offset, it->second};
  }
  void remember(const Key& key, std::int64_t bound) {
    if (bounds_.size() >= kMaxBounds) bounds_.clear();
    bounds_.insert_or_assign(key, bound);
  }
  std::optional<std::int64_t> member_total(core::UserId member, unsigned states) const {
    auto it = member_totals_.find({member, states});
    if (it == member_totals_.end()) return std::nullopt;
    return it->second;
  }
  void remember_member_total(core::UserId member, unsigned states, std::int64_t total) {
    if (member_totals_.size() >= kMaxBounds) member_totals_.clear();
    member_totals_.insert_or_assign({member, states}, total);
  }
  // A member's companies that hold clients (MemberCompanies::listed: when they are few).
  struct MemberCompanies {
    bool listed = false;
    std::vector<core::CompanyId> companies;
  };
  const MemberCompanies* member_companies(core::UserId member) const {
    auto it = member_companies_.find(member);
    return it == member_companies_.end() ? nullptr : &it->second;
  }
  void remember_member_companies(core::UserId member, MemberCompanies companies) {
    if (member_companies_.size() >= kMaxBounds) member_companies_.clear();
    member_companies_.insert_or_assign(member, std::move(companies));
  }
  void clear() {
    bounds_.clear();
    member_totals_.clear();
    member_companies_.clear();
  }

 private:
  static constexpr std::size_t kMaxBounds = 1024;
  std::map<Key, std::int64_t> bounds_;
  std::map<std::pair<core::UserId, unsigned>, std::int64_t> member_totals_;
  std::map<core::UserId, MemberCompanies> member_companies_;
};

struct Connection {
  sqlite3* db = nullptr;
  bool broken = false;
  bool saw_full = false;  // a statement met a full disk (SQLITE_FULL) since last looked at
  // Read snapshots (Repository::keep_snapshots): whether this thread keeps one, and the count
  // of this process's commits when the open one (a transaction is open) was begun.
  bool keep_snapshots = false;
  std::uint64_t snapshot_commits = 0;
  std::unordered_map<std::string, sqlite3_stmt*, TransparentHash, std::equal_to<>> cache;
  // Page boundaries of lists by id, learnt in read snapshots of one data_version.
  PageBounds bounds;
  std::int64_t bounds_version = -1;
  // Counts of the trigram index (FTS5 expression -> rows), of the same data_version as bounds:
  // a search's total over many matches is counted once, not again for each of its pages.
  std::unordered_map<std::string, std::int64_t, TransparentHash, std::equal_to<>> index_counts;

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { close(); }

  void close() {
    for (auto& [sql, stmt] : cache)
      sqlite3_finalize(stmt);
    cache.clear();
    if (db) sqlite3_close_v2(db);
    db = nullptr;
  }

  [[noreturn]] void fail(int rc, std::string_view context) {
    if (breaks_connection(rc)) broken = true;
    if ((rc & 0xff) == SQLITE_FULL) saw_full = true;
    raise(db, rc, context);
  }

  Stmt prepare(std::string_view sql) {
    auto it = cache.find(sql);
    if (it == cache.end()) {
      // Statements built from a query's shape are cached too; a bound keeps the cache small
      // when callers vary the shape a lot (long id lists).
      if (cache.size() >= 512) {
        for (auto& [text, stmt] : cache)
          sqlite3_finalize(stmt);
        cache.clear();
      }
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) fail(rc, "prepare");
      it = cache.emplace(std::string(sql), stmt).first;
    }
    return Stmt(*this, it->second);
  }

  void exec(const char* sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) fail(rc, sql);
  }
};

inline bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  conn_->fail(sqlite3_extended_errcode(conn_->db), "step");
}

inline void Stmt::check(int rc) {
  if (rc != SQLITE_OK) conn_->fail(rc, "bind");
}

// A read transaction, for reads that must see one state (export).
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn) : conn_(conn) { conn_.prepare("BEGIN").run(); }
  ~ReadTransaction() {
    if (sqlite3_get_autocommit(conn_.db) == 0) {
      sqlite3_exec(conn_.db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }

 private:
  Connection& conn_;
};

}  // namespace clientgate::storage::sqlite
