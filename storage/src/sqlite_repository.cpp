// The Repository on SQLite. Each thread gets its own connection to the database, opened
// lazily and kept in a thread_local table keyed by the repository (two repositories in one
// process never share one), with a cache of prepared statements. Every write is a job on one
// writer connection, in a BEGIN IMMEDIATE transaction (so the rules a write checks hold
// against racing writers) that it may share with the writes waiting at the same time (group
// commit: see Impl::write).
#include "clientgate/storage/sqlite_repository.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>

#include "clientgate/core/client_service.hpp"
#include "clientgate/core/errors.hpp"
#include "clientgate/core/secrets.hpp"
#include "reserve_file.hpp"
#include "wal_vfs.hpp"

namespace clientgate::storage {

namespace {

using core::Client;
using core::Text;
using core::Timestamp;

// A uniqueness or reference rule the database refused; callers turn it into a domain error.
struct ConstraintViolation : std::runtime_error {
  explicit ConstraintViolation(const std::string& what) : std::runtime_error(what) {}
};

// Faults of the medium or of locking: the server answers 503 and serves again once they
// are gone. Anything else from SQLite is a defect of ours.
bool is_unavailable(int rc) {
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
bool breaks_connection(int rc) {
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

[[noreturn]] void raise(sqlite3* db, int rc, std::string_view context) {
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

// Page boundaries of lists by id of one company (Impl::list): for a list's company, state and
// direction, offset -> the id bound (exclusive) that the rows from that offset on lie beyond.
// Valid for one version of the data only: the connection drops them when it changes.
class PageBounds {
 public:
  struct Key {
    core::CompanyId company;
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
    if (k.company != key.company || k.states != key.states || k.descending != key.descending) {
      return std::nullopt;
    }
    return std::pair{k.offset, it->second};
  }
  void remember(const Key& key, std::int64_t bound) {
    if (bounds_.size() >= kMaxBounds) bounds_.clear();
    bounds_.insert_or_assign(key, bound);
  }
  void clear() { bounds_.clear(); }

 private:
  static constexpr std::size_t kMaxBounds = 1024;
  std::map<Key, std::int64_t> bounds_;
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

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  conn_->fail(sqlite3_extended_errcode(conn_->db), "step");
}

void Stmt::check(int rc) {
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

// --- schema

// Numbered migrations: migration i brings the schema from version i to i + 1.
const char* const migrations[] = {
    R"sql(
CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  slug TEXT,
  clients_enabled INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX companies_slug ON companies(slug COLLATE NOCASE);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL COLLATE NOCASE,
  password_hash TEXT
);
CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE);

CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  role TEXT NOT NULL,
  client_manager INTEGER NOT NULL,
  PRIMARY KEY (user_id, company_id)
) WITHOUT ROWID;
CREATE INDEX memberships_company ON memberships(company_id);

CREATE TABLE api_tokens (
  token_sha256 TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX api_tokens_company ON api_tokens(company_id);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_id INTEGER NOT NULL REFERENCES companies(id),
  name TEXT NOT NULL,
  uuid TEXT NOT NULL,
  number TEXT NOT NULL,
  localid INTEGER NOT NULL,
  active INTEGER NOT NULL,
  is_deleted INTEGER NOT NULL,
  code TEXT, description TEXT, website TEXT, email TEXT, phone TEXT, fax TEXT,
  address1 TEXT, address2 TEXT, city TEXT, state TEXT, postal_code TEXT,
  shipping_address1 TEXT, shipping_address2 TEXT, shipping_city TEXT, shipping_state TEXT,
  shipping_postal_code TEXT, vat_number TEXT, id_number TEXT, private_notes TEXT,
  public_notes TEXT, custom_value1 TEXT, custom_value2 TEXT, custom_value3 TEXT,
  custom_value4 TEXT,
  country_id INTEGER, shipping_country_id INTEGER, currency_id INTEGER,
  balance INTEGER NOT NULL,
  paid_to_date INTEGER NOT NULL,
  credit_balance INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  archived_at INTEGER,
  client_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX clients_uuid ON clients(uuid);
CREATE UNIQUE INDEX clients_company_number ON clients(company_id, number);
CREATE UNIQUE INDEX clients_company_localid ON clients(company_id, localid);
CREATE INDEX clients_company_id ON clients(company_id, id);
CREATE INDEX clients_company_name ON clients(company_id, name);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
  custom_value1 TEXT, custom_value2 TEXT, custom_value3 TEXT, custom_value4 TEXT,
  is_primary INTEGER NOT NULL,
  send_email INTEGER NOT NULL,
  contact_key TEXT NOT NULL,
  password_hash TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_client ON contacts(client_id);
CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  hash TEXT NOT NULL,
  is_public INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  content BLOB NOT NULL
);
CREATE INDEX documents_client ON documents(client_id);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  active INTEGER NOT NULL,
  code TEXT, description TEXT, url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  time_entries INTEGER NOT NULL
);
CREATE INDEX projects_client ON projects(client_id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL
);
CREATE INDEX tasks_project ON tasks(project_id);

CREATE TABLE project_assignees (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;
CREATE INDEX project_assignees_user ON project_assignees(user_id);

CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  links INTEGER NOT NULL
);
-- Covering: the agency list counts campaigns and sums links per client from the index alone.
CREATE INDEX campaigns_client ON campaigns(client_id, links);

-- The next client number per company (Invoice Ninja's counter): started lazily from the
-- highest numeric number, then advanced past any number already taken.
CREATE TABLE company_sequences (
  company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
  next_number INTEGER NOT NULL
);
)sql",
    // 2: lists walk (company, lifecycle, id) without visiting rows they skip, and a page's total
    // comes from per-company tallies kept by triggers instead of a count over every row.
    R"sql(
CREATE INDEX clients_company_deleted_id ON clients(company_id, is_deleted, id);

CREATE TABLE client_tallies (
  company_id INTEGER NOT NULL,
  active INTEGER NOT NULL,
  is_deleted INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (company_id, active, is_deleted)
) WITHOUT ROWID;
INSERT INTO client_tallies (company_id, active, is_deleted, n)
  SELECT company_id, active, is_deleted, count(*) FROM clients
  GROUP BY company_id, active, is_deleted;

CREATE TRIGGER clients_tally_insert AFTER INSERT ON clients BEGIN
  INSERT INTO client_tallies (company_id, active, is_deleted, n)
    VALUES (new.company_id, new.active, new.is_deleted, 1)
    ON CONFLICT (company_id, active, is_deleted) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER clients_tally_delete AFTER DELETE ON clients BEGIN
  UPDATE client_tallies SET n = n - 1
    WHERE company_id = old.company_id AND active = old.active AND is_deleted = old.is_deleted;
END;
CREATE TRIGGER clients_tally_update AFTER UPDATE OF company_id, active, is_deleted ON clients
  WHEN old.company_id IS NOT new.company_id OR old.active IS NOT new.active
    OR old.is_deleted IS NOT new.is_deleted
BEGIN
  UPDATE client_tallies SET n = n - 1
    WHERE company_id = old.company_id AND active = old.active AND is_deleted = old.is_deleted;
  INSERT INTO client_tallies (company_id, active, is_deleted, n)
    VALUES (new.company_id, new.active, new.is_deleted, 1)
    ON CONFLICT (company_id, active, is_deleted) DO UPDATE SET n = n + 1;
END;
)sql",
    // 3: money holds Invoice Ninja's whole decimal(20,6) range, ±99,999,999,999,999.999999:
    // 10^20 millionths, more than one 64-bit integer holds. Each amount becomes two integers,
    // the whole units (the old column) and the millionths left over (`_micros`), both truncated
    // toward zero as SQLite's / and % do. The pair orders like the amount, so filters compare
    // (units, millionths) and sorts use both.
    R"sql(
ALTER TABLE clients ADD COLUMN balance_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN paid_to_date_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN credit_balance_micros INTEGER NOT NULL DEFAULT 0;
UPDATE clients SET
  balance = balance / 1000000, balance_micros = balance % 1000000,
  paid_to_date = paid_to_date / 1000000, paid_to_date_micros = paid_to_date % 1000000,
  credit_balance = credit_balance / 1000000, credit_balance_micros = credit_balance % 1000000
  WHERE balance != 0 OR paid_to_date != 0 OR credit_balance != 0;
)sql",
    // 4: ninja's client settings object, kept whole as JSON text (Client::settings_json), and
    // its classification (individual, business, ...).
    R"sql(
ALTER TABLE clients ADD COLUMN settings_json TEXT;
ALTER TABLE clients ADD COLUMN classification TEXT;
)sql",
};
constexpr int schema_latest = static_cast<int>(std::size(migrations));

// --- the client row, in one column order for SELECT, INSERT and UPDATE

const std::string& client_column_names() {
  static const std::string names = [] {
    std::string s = "id, company_id, name, uuid, number, localid, active, is_deleted";
#define CLIENTGATE_X(f) s += ", " #f;
    CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
    CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) s += ", " #f ", " #f "_micros";  // money: whole units, millionths
    CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
    s += ", created_at, updated_at, archived_at, client_hash, settings_json";
    return s;
  }();
  return names;
}

std::vector<std::string> split_columns(const std::string& names) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < names.size()) {
    auto comma = names.find(',', start);
    if (comma == std::string::npos) comma = names.size();
    auto col = names.substr(start, comma - start);
    col.erase(0, col.find_first_not_of(' '));
    out.push_back(col);
    start = comma + 1;
  }
  return out;
}

const std::string& client_select_columns() {
  static const std::string s = [] {
    std::string out;
    for (const auto& c : split_columns(client_column_names())) {
      if (!out.empty()) out += ", ";
      out += "c." + c;
    }
    return out;
  }();
  return s;
}

// The columns of ClientLoad::summary, read by read_client_summary.
constexpr const char* client_summary_columns =
    "c.id, c.company_id, c.name, c.uuid, c.number, c.localid, c.active, c.is_deleted, "
    "c.created_at, c.updated_at, c.archived_at, c.client_hash";
constexpr int client_summary_column_count = 12;

int client_column_count() {
  static const int n = static_cast<int>(split_columns(client_column_names()).size());
  return n;
}

// INSERT with ?1..?N in column order; `upsert` replaces a row with the same id.
const std::string& client_insert_sql(bool upsert) {
  static const std::string plain = [] {
    std::string s = "INSERT INTO clients (" + client_column_names() + ") VALUES (";
    for (int i = 1; i <= client_column_count(); ++i)
      s += (i > 1 ? ", ?" : "?") + std::to_string(i);
    return s + ")";
  }();
  static const std::string replacing = [] {
    std::string s = plain + " ON CONFLICT(id) DO UPDATE SET ";
    bool first = true;
    for (const auto& c : split_columns(client_column_names())) {
      if (c == "id") continue;
      s += (first ? "" : ", ") + c + " = excluded." + c;
      first = false;
    }
    return s;
  }();
  return upsert ? replacing : plain;
}

const std::string& client_update_sql() {
  static const std::string s = [] {
    std::string out = "UPDATE clients SET ";
    auto cols = split_columns(client_column_names());
    for (std::size_t i = 1; i < cols.size(); ++i) {
      out += (i > 1 ? ", " : "") + cols[i] + " = ?" + std::to_string(i + 1);
    }
    return out + " WHERE id = ?1";
  }();
  return s;
}

// The first eight columns of both column lists: id, company_id, name, uuid, number, localid,
// active, is_deleted.
void read_client_identity(const Stmt& s, Client& c) {
  c.id = s.i64(0);
  c.company_id = s.i64(1);
  c.name = s.text(2);
  c.uuid = s.text(3);
  c.number = s.text(4);
  c.localid = s.i64(5);
  c.active = s.boolean(6);
  c.is_deleted = s.boolean(7);
}

Client read_client(const Stmt& s) {
  Client c;
  read_client_identity(s, c);
  int i = 8;
#define CLIENTGATE_X(f) c.f = s.opt_text(i++);
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) c.f = s.opt_i64(i++);
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f)                                  \
  c.f = core::Money::from_parts(s.i64(i), s.i64(i + 1)); \
  i += 2;
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  c.created_at = s.time(i++);
  c.updated_at = s.time(i++);
  c.archived_at = s.opt_time(i++);
  c.client_hash = s.text(i++);
  c.settings_json = s.opt_text(i++);
  return c;
}

Client read_client_summary(const Stmt& s) {
  Client c;
  read_client_identity(s, c);
  c.created_at = s.time(8);
  c.updated_at = s.time(9);
  c.archived_at = s.opt_time(10);
  c.client_hash = s.text(11);
  return c;
}

// Binds ?1..?N; an id of 0 binds NULL so that SQLite allocates one.
void bind_client(Stmt& s, const Client& c) {
  int i = 1;
  if (c.id) {
    s.bind(i++, c.id);
  } else {
    s.null(i++);
  }
  s.bind(i++, c.company_id);
  s.bind(i++, c.name);
  s.bind(i++, c.uuid);
  s.bind(i++, c.number);
  s.bind(i++, c.localid);
  s.flag(i++, c.active);
  s.flag(i++, c.is_deleted);
#define CLIENTGATE_X(f) s.bind(i++, c.f);
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f)           \
  s.bind(i++, c.f.whole_units()); \
  s.bind(i++, c.f.fraction_micros());
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  s.bind(i++, c.created_at);
  s.bind(i++, c.updated_at);
  s.bind(i++, c.archived_at);
  s.bind(i++, c.client_hash);
  s.bind(i++, c.settings_json);
}

constexpr const char* contact_columns =
    "id, client_id, first_name, last_name, email, phone, custom_value1, custom_value2, "
    "custom_value3, custom_value4, is_primary, send_email, contact_key, password_hash, "
    "created_at, updated_at";

core::Contact read_contact(const Stmt& s) {
  core::Contact k;
  int i = 0;
  k.id = s.i64(i++);
  k.client_id = s.i64(i++);
#define CLIENTGATE_X(f) k.f = s.opt_text(i++);
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  k.is_primary = s.boolean(i++);
  k.send_email = s.boolean(i++);
  k.contact_key = s.text(i++);
  k.password_hash = s.opt_text(i++);
  k.created_at = s.time(i++);
  k.updated_at = s.time(i++);
  return k;
}

void bind_contact(Stmt& s, const core::Contact& k) {
  int i = 1;
  if (k.id) {
    s.bind(i++, k.id);
  } else {
    s.null(i++);
  }
  s.bind(i++, k.client_id);
#define CLIENTGATE_X(f) s.bind(i++, k.f);
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  s.flag(i++, k.is_primary);
  s.flag(i++, k.send_email);
  s.bind(i++, k.contact_key);
  s.bind(i++, k.password_hash);
  s.bind(i++, k.created_at);
  s.bind(i++, k.updated_at);
}

const char* contact_insert_sql(bool upsert) {
  static const std::string plain = std::string("INSERT INTO contacts (") + contact_columns +
                                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                   "?12, ?13, ?14, ?15, ?16)";
  static const std::string replacing = [] {
    std::string s = plain + " ON CONFLICT(id) DO UPDATE SET ";
    bool first = true;
    for (const auto& c : split_columns(contact_columns)) {
      if (c == "id") continue;
      s += (first ? "" : ", ") + c + " = excluded." + c;
      first = false;
    }
    return s;
  }();
  return upsert ? replacing.c_str() : plain.c_str();
}

constexpr const char* document_columns =
    "id, client_id, name, type, size, hash, is_public, created_at, updated_at";

core::DocumentInfo read_document_info(const Stmt& s) {
  core::DocumentInfo d;
  d.id = s.i64(0);
  d.client_id = s.i64(1);
  d.name = s.text(2);
  d.type = s.text(3);
  d.size = s.i64(4);
  d.hash = s.text(5);
  d.is_public = s.boolean(6);
  d.created_at = s.time(7);
  d.updated_at = s.time(8);
  return d;
}

std::string placeholders(std::size_t n) {
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i)
    s += i ? ",?" : "?";
  return s;
}

// LIKE pattern for a case-insensitive substring, with the wildcards of the term escaped.
std::string like_pattern(std::string_view term) {
  std::string p = "%";
  for (char c : term) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  p += '%';
  return p;
}

std::optional<std::int64_t> as_localid(std::string_view term) {
  if (term.empty() || term.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : term) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// clientgate_digits(text): the text's digits read as one number, 0 when there are none (a
// REAL, so that any number of digits orders sensibly); see ClientColumn::number_digits.
void digits_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const unsigned char* text = sqlite3_value_text(argv[0]);
  double value = 0;
  if (text != nullptr) {
    for (const unsigned char* p = text; *p; ++p)
      if (*p >= '0' && *p <= '9') value = value * 10 + (*p - '0');
  }
  sqlite3_result_double(ctx, value);
}

const char* sort_column(core::ClientColumn c) {
  using core::ClientColumn;
  switch (c) {
    case ClientColumn::id:
      return "c.id";
    case ClientColumn::name:
      return "c.name";
    case ClientColumn::number:
      return "c.number";
    case ClientColumn::id_number:
      return "c.id_number";
    case ClientColumn::localid:
      return "c.localid";
    case ClientColumn::balance:
      return "c.balance";
    case ClientColumn::paid_to_date:
      return "c.paid_to_date";
    case ClientColumn::credit_balance:
      return "c.credit_balance";
    case ClientColumn::created_at:
      return "c.created_at";
    case ClientColumn::updated_at:
      return "c.updated_at";
    case ClientColumn::archived_at:
      return "c.archived_at";
    case ClientColumn::email:
      return "c.email";
    case ClientColumn::website:
      return "c.website";
    case ClientColumn::phone:
      return "c.phone";
    case ClientColumn::city:
      return "c.city";
    case ClientColumn::state:
      return "c.state";
    case ClientColumn::postal_code:
      return "c.postal_code";
    case ClientColumn::country_id:
      return "c.country_id";
    case ClientColumn::vat_number:
      return "c.vat_number";
    case ClientColumn::custom_value1:
      return "c.custom_value1";
    case ClientColumn::custom_value2:
      return "c.custom_value2";
    case ClientColumn::custom_value3:
      return "c.custom_value3";
    case ClientColumn::custom_value4:
      return "c.custom_value4";
    case ClientColumn::number_digits:
      return "clientgate_digits(c.number)";
  }
  return "c.id";
}

// ORDER BY terms for a sort column: a money column is its whole units, then its millionths.
std::string order_terms(core::ClientColumn c, bool descending) {
  using core::ClientColumn;
  const std::string column = sort_column(c);
  const char* direction = descending ? " DESC" : "";
  if (c == ClientColumn::balance || c == ClientColumn::paid_to_date ||
      c == ClientColumn::credit_balance)
    return column + direction + ", " + column + "_micros" + direction;
  return column + direction;
}

const char* comparison(core::Comparison op) {
  switch (op) {
    case core::Comparison::lt:
      return "<";
    case core::Comparison::lte:
      return "<=";
    case core::Comparison::gt:
      return ">";
    case core::Comparison::gte:
      return ">=";
    case core::Comparison::eq:
      return "=";
  }
  return "=";
}

// A WHERE clause under construction with its parameters, bound in order.
struct Filter {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> params;
  int with_param = 0;  // the 1-based number of ClientQuery::with_id's parameter (0: none)

  void add(std::string_view condition) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += condition;
  }
  void bind(Stmt& s, int first = 1) const {
    int i = first;
    for (const auto& p : params) {
      if (const auto* v = std::get_if<std::int64_t>(&p)) {
        s.bind(i++, *v);
      } else {
        s.bind(i++, std::get<std::string>(p));
      }
    }
  }
};

// The lifecycle states as a condition on a row with columns active and is_deleted.
std::string state_condition(unsigned states, const std::string& p) {
  states &= core::states_all;
  if (states == core::states_all) return "";
  if (states == core::states_live) return p + "is_deleted = 0";
  if (states == core::state_active) return "(" + p + "is_deleted = 0 AND " + p + "active = 1)";
  if (states == core::state_archived) return "(" + p + "is_deleted = 0 AND " + p + "active = 0)";
  if (states == core::state_deleted) return p + "is_deleted = 1";
  std::string s;
  auto any = [&](const std::string& cond) { s += s.empty() ? cond : " OR " + cond; };
  if (states & core::state_active) any("(" + p + "is_deleted = 0 AND " + p + "active = 1)");
  if (states & core::state_archived) any("(" + p + "is_deleted = 0 AND " + p + "active = 0)");
  if (states & core::state_deleted) any(p + "is_deleted = 1");
  return "(" + s + ")";
}

// Whether a query narrows by company and state only, so that the tallies give its total.
bool counts_by_tally(const core::ClientQuery& q) {
  return q.ids.empty() && !q.uuid && q.localids.empty() && !q.name_contains && !q.name_equals &&
         !q.number && !q.id_number && !q.contact_email &&
         (q.search_terms.empty() || q.search_fields == 0) && q.balance.empty() &&
         !q.created_since && !q.updated_since && !q.assigned_user && !q.with_active_project &&
         !q.after_id && !q.with_id;
}

// Whether a page's OFFSET can be stepped over in an index alone: the page is ordered by id,
// and the filter is one company and a state that (company_id, is_deleted, id) or
// (company_id, id) holds.
bool offset_in_index(const core::ClientQuery& q) {
  unsigned states = q.states & core::states_all;
  bool one_company = q.company_id.has_value() || q.companies.size() == 1;
  return q.offset > 0 && q.sort == core::ClientColumn::id && one_company && counts_by_tally(q) &&
         (states == core::states_all || states == core::states_live ||
          states == core::state_deleted);
}

// Returns false when the query can match nothing at all.
bool build_filter(const core::ClientQuery& q, Filter& f) {
  if (q.companies.empty()) return false;
  if (q.company_id) {
    if (std::find(q.companies.begin(), q.companies.end(), *q.company_id) == q.companies.end()) {
      return false;
    }
    f.add("c.company_id = ?");
    f.params.emplace_back(*q.company_id);
  } else if (q.companies.size() == 1) {
    f.add("c.company_id = ?");
    f.params.emplace_back(q.companies.front());
  } else {
    f.add("c.company_id IN (" + placeholders(q.companies.size()) + ")");
    for (auto c : q.companies)
      f.params.emplace_back(c);
  }

  unsigned states = q.states & core::states_all;
  if (states == 0) return false;
  if (auto cond = state_condition(states, "c."); !cond.empty()) f.add(cond);

  if (q.ids.size() == 1) {
    f.add("c.id = ?");
    f.params.emplace_back(q.ids.front());
  } else if (!q.ids.empty()) {
    f.add("c.id IN (" + placeholders(q.ids.size()) + ")");
    for (auto id : q.ids)
      f.params.emplace_back(id);
  }
  if (q.uuid) {
    f.add("c.uuid = ?");
    f.params.emplace_back(*q.uuid);
  }
  if (!q.localids.empty()) {
    f.add("c.localid IN (" + placeholders(q.localids.size()) + ")");
    for (auto id : q.localids)
      f.params.emplace_back(id);
  }
  if (q.name_contains) {
    f.add("c.name LIKE ? ESCAPE '\\'");
    f.params.emplace_back(like_pattern(*q.name_contains));
  }
  if (q.name_equals) {
    f.add("c.name = ?");
    f.params.emplace_back(*q.name_equals);
  }
  if (q.number) {
    f.add(q.number_ignores_case ? "c.number = ? COLLATE NOCASE" : "c.number = ?");
    f.params.emplace_back(*q.number);
  }
  if (q.id_number) {
    f.add(q.number_ignores_case ? "c.id_number = ? COLLATE NOCASE" : "c.id_number = ?");
    f.params.emplace_back(*q.id_number);
  }
  if (q.contact_email) {
    f.add(
        "EXISTS (SELECT 1 FROM contacts k WHERE k.client_id = c.id AND k.email = ? COLLATE "
        "NOCASE)");
    f.params.emplace_back(*q.contact_email);
  }
  if (!q.search_terms.empty() && q.search_fields != 0) {
    std::string any;
    auto either = [&](const std::string& cond) { any += any.empty() ? cond : " OR " + cond; };
    const std::string like = " LIKE ? ESCAPE '\\'";
    for (const auto& term : q.search_terms) {
      auto pattern = like_pattern(term);
      auto text = [&](const char* column) {
        either(std::string(column) + like);
        f.params.emplace_back(pattern);
      };
      if (q.search_fields & core::search_name) text("c.name");
      if (q.search_fields & core::search_description) text("c.description");
      if (q.search_fields & core::search_number) text("c.number");
      if (q.search_fields & core::search_id_number) text("c.id_number");
      if (q.search_fields & core::search_custom_values) {
        text("c.custom_value1");
        text("c.custom_value2");
        text("c.custom_value3");
        text("c.custom_value4");
      }
      if (q.search_fields & core::search_localid) {
        if (auto n = as_localid(term)) {
          either("c.localid = ?");
          f.params.emplace_back(*n);
        }
      }
      std::string contact;
      auto contact_text = [&](const char* column) {
        contact += (contact.empty() ? "k." : " OR k.") + std::string(column) + like;
        f.params.emplace_back(pattern);
      };
      if (q.search_fields & core::search_contact_names) {
        contact_text("first_name");
        contact_text("last_name");
      }
      if (q.search_fields & core::search_contact_email) contact_text("email");
      if (q.search_fields & core::search_contact_phone) contact_text("phone");
      if (!contact.empty()) {
        either("EXISTS (SELECT 1 FROM contacts k WHERE k.client_id = c.id AND (" + contact + "))");
      }
    }
    f.add("(" + (any.empty() ? std::string("0") : any) + ")");
  }
  for (const auto& m : q.balance) {
    f.add(std::string("(c.balance, c.balance_micros) ") + comparison(m.op) + " (?, ?)");
    f.params.emplace_back(m.value.whole_units());
    f.params.emplace_back(m.value.fraction_micros());
  }
  if (q.created_since) {
    f.add("c.created_at >= ?");
    f.params.emplace_back(q.created_since->micros);
  }
  if (q.updated_since) {
    f.add("c.updated_at >= ?");
    f.params.emplace_back(q.updated_since->micros);
  }
  if (q.assigned_user) {
    std::string cond =
        "EXISTS (SELECT 1 FROM projects p JOIN project_assignees a ON a.project_id = p.id "
        "WHERE p.client_id = c.id AND a.user_id = ?";
    f.params.emplace_back(*q.assigned_user);
    if (q.assigned_project_active) {
      cond += " AND p.active = ?";
      f.params.emplace_back(std::int64_t{*q.assigned_project_active ? 1 : 0});
    }
    f.add(cond + ")");
  }
  if (q.with_active_project) {
    f.add("EXISTS (SELECT 1 FROM projects p WHERE p.client_id = c.id AND p.active = 1)");
  }
  if (q.after_id) {
    f.add("c.id > ?");
    f.params.emplace_back(*q.after_id);
  }
  if (q.with_id) {
    // Everything above, or that one client of the same companies (ClientQuery::with_id).
    std::string scope = q.company_id || q.companies.size() == 1
                            ? std::string("c.company_id = ?")
                            : "c.company_id IN (" + placeholders(q.companies.size()) + ")";
    f.sql = " WHERE ((" + f.sql.substr(7) + ") OR (c.id = ? AND " + scope + "))";
    f.params.emplace_back(*q.with_id);
    f.with_param = static_cast<int>(f.params.size());
    if (q.company_id || q.companies.size() == 1) {
      f.params.emplace_back(q.company_id.value_or(q.companies.front()));
    } else {
      for (auto c : q.companies)
        f.params.emplace_back(c);
    }
  }
  return true;
}

std::string pad_number(std::int64_t n) {
  std::string s = std::to_string(n);
  if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
  return s;
}

// Reads a whole file or buffer in chunks; the source of a document's bytes.
class ContentSource {
 public:
  explicit ContentSource(const core::NewDocument& doc) : doc_(doc) {
    if (!doc.content_path.empty()) {
      file_.open(doc.content_path, std::ios::binary);
      if (!file_) throw core::validation("content", "the uploaded file cannot be read");
      std::error_code ec;
      size_ = static_cast<std::int64_t>(std::filesystem::file_size(doc.content_path, ec));
      if (ec) throw core::validation("content", "the uploaded file cannot be read");
    } else {
      size_ = static_cast<std::int64_t>(doc.content.size());
    }
  }
  std::int64_t size() const { return size_; }
  // The next chunk; empty at the end.
  std::string_view next(std::vector<char>& buffer) {
    if (doc_.content_path.empty()) {
      auto n = std::min<std::size_t>(buffer.size(), doc_.content.size() - offset_);
      std::string_view chunk(doc_.content.data() + offset_, n);
      offset_ += n;
      return chunk;
    }
    file_.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    return std::string_view(buffer.data(), static_cast<std::size_t>(file_.gcount()));
  }

 private:
  const core::NewDocument& doc_;
  std::ifstream file_;
  std::int64_t size_ = 0;
  std::size_t offset_ = 0;
};

constexpr std::size_t blob_chunk = 256 * 1024;

struct Blob {
  sqlite3_blob* handle = nullptr;
  ~Blob() {
    if (handle) sqlite3_blob_close(handle);
  }
};

std::atomic<std::uint64_t> next_repository_serial{1};

}  // namespace

// --- connections per thread

// While a write_together body runs on a thread: its repository, and the writer connection in
// whose open transaction the body's writes run directly, each in a savepoint of its own.
struct Together {
  const void* impl = nullptr;
  Connection* conn = nullptr;
};
thread_local Together together;

struct SqliteRepository::Impl {
  std::filesystem::path path;
  StorageSettings settings;
  std::unique_ptr<ReserveFile> reserve;
  std::uint64_t serial = next_repository_serial++;
  bool was_empty = false;

  // Every connection opened for this repository, so that the destructor can close them all
  // (the thread_local tables of other threads only hold them).
  struct Registry {
    std::mutex mutex;
    std::vector<std::shared_ptr<Connection>> open;
  };
  std::shared_ptr<Registry> registry = std::make_shared<Registry>();

  // --- writes: one writer connection, group commit
  //
  // Every write of the process is a job run on one connection, the writer, inside a BEGIN
  // IMMEDIATE transaction: the write lock is taken up front, so what a job reads to check its
  // rules cannot change before it commits. Jobs that arrive while a transaction is running
  // wait, and the first of them then runs all the waiting jobs in one transaction, each in a
  // savepoint of its own (a job that fails is rolled back alone), with one commit for all:
  // the commit's WAL appends are shared instead of repeated per write. A job's caller returns
  // only after the commit that holds it, so a 2xx still means the write is in the WAL.
  //
  // One connection for all writes also keeps its page cache valid from one write to the
  // next (a commit by another connection would make SQLite drop it), and writers of this
  // process wait for each other here rather than in SQLite's busy handler, whose sleeps
  // (1, 2, 5 ... 100 ms) would stall a writer that lost a race; busy_timeout still covers
  // writers in other processes.
  struct WriteJob {
    std::function<void(Connection&)> run;
    std::exception_ptr error;
    bool done = false;        // guarded by jobs_mutex, as are the two below
    bool lead = false;        // this job's thread runs the next batch
    bool own_thread = false;  // only its own thread may run it (write_together)
    std::condition_variable wake;
  };
  std::mutex jobs_mutex;
  std::vector<WriteJob*> waiting;           // guarded by jobs_mutex
  bool leading = false;                     // a thread is running a batch; guarded by jobs_mutex
  std::shared_ptr<Connection> writer_conn;  // used by the leading thread only

  Connection& writer() {
    if (writer_conn && !writer_conn->broken && writer_conn->db) return *writer_conn;
    if (writer_conn) {
      std::lock_guard lock(registry->mutex);
      std::erase(registry->open, writer_conn);
    }
    writer_conn = nullptr;
    writer_conn = open_connection(settings.cache_kib);
    return *writer_conn;
  }

  // Runs body(connection) as a committed write and returns what it returns; what it throws
  // is rethrown here, with nothing of it written.
  // `frees_space`: a delete, taken on a full disk (low-space mode) when nothing else is. The
  // delete that meets the full disk first is run once more after the reserve is released.
  template <class F>
  auto write(F&& body, bool frees_space = false) -> std::invoke_result_t<F&, Connection&> {
    if (reserve->low_space() && !frees_space) {
      throw core::unavailable("the disk is full: only deletes are taken until it has room");
    }
    if (together.impl == this || !frees_space) return write_once(body);
    std::uint64_t releases = reserve->releases();
    try {
      return write_once(body);
    } catch (const core::Error& e) {
      if (e.kind() != core::ErrorKind::unavailable || reserve->releases() == releases) throw;
    }
    return write_once(body);
  }

  template <class F>
  auto write_once(F& body) -> std::invoke_result_t<F&, Connection&> {
    using R = std::invoke_result_t<F&, Connection&>;
    if (together.impl == this) return write_in_together(*together.conn, body);
    WriteJob job;
    if constexpr (std::is_void_v<R>) {
      job.run = [&](Connection& c) { body(c); };
      submit(job);
    } else {
      std::optional<R> out;
      job.run = [&](Connection& c) { out.emplace(body(c)); };
      submit(job);
      return std::move(*out);
    }
  }

  // Runs body(c) in a savepoint of c's open transaction: kept when it returns, undone alone
  // when it throws (and the exception rethrown). When the savepoint cannot be undone, the
  // whole transaction is: afterwards, an open transaction on c always holds only what
  // succeeded.
  template <class F>
  static auto in_savepoint(Connection& c, F& body) -> std::invoke_result_t<F&, Connection&> {
    c.prepare("SAVEPOINT job").run();
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F&, Connection&>>) {
        body(c);
        c.prepare("RELEASE job").run();
      } else {
        auto out = body(c);
        c.prepare("RELEASE job").run();
        return out;
      }
    } catch (...) {
      if (sqlite3_get_autocommit(c.db) == 0) {
        try {
          c.prepare("ROLLBACK TO job").run();
          c.prepare("RELEASE job").run();
        } catch (...) {
          sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
      }
      throw;
    }
  }

  // A write of a write_together body: in a savepoint of the open transaction. Once SQLite has
  // abandoned that transaction, no later write of the body may start a new one.
  template <class F>
  auto write_in_together(Connection& c, F& body) -> std::invoke_result_t<F&, Connection&> {
    if (sqlite3_get_autocommit(c.db) != 0) {
      throw core::unavailable("the store abandoned the transaction");
    }
    return in_savepoint(c, body);
  }

  bool write_together(const std::function<void()>& body) {
    if (together.impl != nullptr) {  // already inside one: its transaction holds these too
      body();
      return true;
    }
    WriteJob job;
    job.own_thread = true;
    job.run = [&](Connection& c) {
      together = Together{this, &c};
      struct Reset {
        ~Reset() { together = Together{}; }
      } reset;
      body();
      if (sqlite3_get_autocommit(c.db) != 0) {
        throw core::unavailable("the store abandoned the transaction");
      }
    };
    try {
      submit(job);
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  // The first writer to come leads: it runs its own job and every job waiting, then hands
  // the lead to the first job that arrived meanwhile. Each waiting thread is woken once, when
  // its job is done or its turn to lead has come.
  void submit(WriteJob& job) {
    thread_local bool in_job = false;
    if (in_job) throw std::logic_error("a write job may not start another write");
    std::unique_lock lock(jobs_mutex);
    if (leading) {
      waiting.push_back(&job);
      job.wake.wait(lock, [&] { return job.done || job.lead; });
    } else {
      leading = true;
      job.lead = true;
    }
    if (!job.done) {
      // The waiting jobs join this batch, but for those only their own thread may run.
      std::vector<WriteJob*> batch{&job};
      std::vector<WriteJob*> left;
      for (WriteJob* w : waiting)
        (w->own_thread ? left : batch).push_back(w);
      waiting = std::move(left);
      lock.unlock();
      in_job = true;
      run_batch(batch);
      in_job = false;
      after_batch();
      lock.lock();
      // Woken under the lock: a job's thread may return (and its job go) once it is done.
      for (WriteJob* j : batch) {
        j->done = true;
        if (j != &job) j->wake.notify_one();
      }
      if (waiting.empty()) {
        leading = false;
      } else {
        WriteJob* next = waiting.front();
        waiting.erase(waiting.begin());
        next->lead = true;
        next->wake.notify_one();
      }
    }
    lock.unlock();
    if (job.error) std::rethrow_exception(job.error);
  }

  // A batch that met a full disk releases the reserve (its room goes to the deletes that
  // follow); in low-space mode, the reserve is made again once the disk has room.
  void after_batch() noexcept {
    try {
      if (writer_conn && writer_conn->saw_full) {
        writer_conn->saw_full = false;
        reserve->release();
      } else if (reserve->low_space()) {
        reserve->ensure();
      }
    } catch (const std::exception&) {
      // The next batch looks again.
    }
  }

  // Runs the jobs in order, in as few transactions as their failures allow. Never throws:
  // every job ends with either its writes committed or an error.
  void run_batch(const std::vector<WriteJob*>& batch) noexcept {
    std::size_t next = 0;
    while (next < batch.size()) {
      std::vector<WriteJob*> kept;  // run, not yet committed
      Connection* c = nullptr;
      try {
        c = &writer();
        if (reserve->low_space()) {
          // On a full disk, the WAL is copied back first, so that this transaction can start
          // it over instead of growing it (the reserve's room goes to the database file).
          sqlite3_wal_checkpoint_v2(c->db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }
        c->prepare("BEGIN IMMEDIATE").run();
        bool lost = false;  // a job's failure took the whole transaction with it
        for (; next < batch.size() && !lost; ++next) {
          WriteJob* j = batch[next];
          try {
            in_savepoint(*c, j->run);
            kept.push_back(j);
          } catch (...) {
            j->error = std::current_exception();
            if (sqlite3_get_autocommit(c->db) != 0) {
              lost = true;  // the whole transaction went (disk full, I/O error)
              for (WriteJob* k : kept)
                k->error = j->error;
              kept.clear();
            }
          }
        }
        if (!lost) {
          c->prepare("COMMIT").run();
          commits.fetch_add(1, std::memory_order_release);
        }
      } catch (...) {
        // BEGIN, a savepoint or COMMIT failed: nothing of this transaction stands, and the
        // store is failing, so the jobs not yet run fail with the same error.
        auto error = std::current_exception();
        if (c != nullptr && c->db != nullptr && sqlite3_get_autocommit(c->db) == 0) {
          sqlite3_exec(c->db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        for (WriteJob* k : kept)
          k->error = error;
        for (; next < batch.size(); ++next)
          if (!batch[next]->error) batch[next]->error = error;
      }
    }
  }

  // Checkpoints run here, off the request path: a commit appends to the WAL and returns, and
  // this thread copies the WAL back into the database (and pays its fsyncs) every 100 ms.
  // SQLite's own auto-checkpoint stays on at a high mark, only as a bound on the WAL's size.
  std::thread checkpointer;
  std::mutex checkpointer_mutex;
  std::condition_variable checkpointer_wake;
  bool checkpointer_stop = false;

  void start_checkpointer() {
    checkpointer = std::thread([this] {
      std::unique_lock lock(checkpointer_mutex);
      while (!checkpointer_wake.wait_for(lock, std::chrono::milliseconds(100),
                                         [this] { return checkpointer_stop; })) {
        lock.unlock();
        try {
          sqlite3_wal_checkpoint_v2(connection().db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr);
        } catch (const std::exception&) {
          // The store is unavailable (disk full, read-only): requests report it; retry later.
        }
        lock.lock();
      }
    });
  }

  ~Impl() {
    if (checkpointer.joinable()) {
      {
        std::lock_guard lock(checkpointer_mutex);
        checkpointer_stop = true;
      }
      checkpointer_wake.notify_all();
      checkpointer.join();
    }
    std::lock_guard lock(registry->mutex);
    for (auto& c : registry->open)
      c->close();
    registry->open.clear();
  }

  // The page cache: `cache_kib` for the connections that serve most reads and every write
  // (the io threads', which keep snapshots, and the writer); at most 1 MiB for the others
  // (the write pool's threads read little: the client a write is about), so that resident
  // memory stays near (io threads + 1) x cache_kib however many threads read.
  static constexpr std::int64_t other_cache_kib = 1024;
  std::int64_t cache_kib_for(bool keeps_snapshots) const {
    return keeps_snapshots ? settings.cache_kib
                           : std::min<std::int64_t>(settings.cache_kib, other_cache_kib);
  }
  static void set_cache(Connection& c, std::int64_t kib) {
    std::string cache = "PRAGMA cache_size = -" + std::to_string(kib);
    c.exec(cache.c_str());
  }

  // Makes `c` a connection that keeps read snapshots, with the full page cache.
  void keep_snapshots_on(Connection& c) {
    if (c.keep_snapshots) return;
    c.keep_snapshots = true;
    set_cache(c, cache_kib_for(true));
  }

  std::shared_ptr<Connection> open_connection(std::int64_t cache_kib) {
    auto conn = std::make_shared<Connection>();
    int flags =
        SQLITE_OPEN_NOMUTEX |
        (settings.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    // The VFS that gathers a commit's WAL appends into one write (wal_vfs.cpp).
    int rc = sqlite3_open_v2(path.c_str(), &conn->db, flags, coalescing_vfs());
    if (rc != SQLITE_OK) {
      conn->close();
      throw core::unavailable(std::string("the store cannot be opened: ") + sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(conn->db, 1);
    sqlite3_create_function_v2(conn->db, "clientgate_digits", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               digits_function, nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(conn->db, static_cast<int>(settings.busy_timeout.count()));
    if (!settings.read_only) {
      conn->exec("PRAGMA journal_mode = WAL");
      conn->exec("PRAGMA wal_autocheckpoint = 40000");  // a bound; the checkpointer thread does it
    }
    conn->exec(settings.durability == Durability::power_loss ? "PRAGMA synchronous = FULL"
                                                             : "PRAGMA synchronous = NORMAL");
    conn->exec("PRAGMA foreign_keys = ON");
    conn->exec("PRAGMA temp_store = MEMORY");
    // No memory-mapped I/O: with it every read transaction pays an fstat, and the mapped
    // pages count as the server's resident memory; the page cache serves reads well enough.
    conn->exec("PRAGMA mmap_size = 0");
    set_cache(*conn, cache_kib);
    if (settings.max_page_count > 0) {
      std::string pragma = "PRAGMA max_page_count = " + std::to_string(settings.max_page_count);
      conn->exec(pragma.c_str());
    }
    std::lock_guard lock(registry->mutex);
    registry->open.push_back(conn);
    return conn;
  }

  struct ThreadEntry {
    std::uint64_t serial;
    std::weak_ptr<Registry> registry;
    std::shared_ptr<Connection> conn;
  };
  struct ThreadConnections {
    std::vector<ThreadEntry> entries;
    ~ThreadConnections() {
      for (auto& e : entries)
        forget(e);
    }
    static void forget(ThreadEntry& e) {
      if (auto reg = e.registry.lock()) {
        std::lock_guard lock(reg->mutex);
        std::erase(reg->open, e.conn);
      }
    }
  };

  Connection& connection() {
    thread_local ThreadConnections mine;
    bool keep = false;
    for (auto it = mine.entries.begin(); it != mine.entries.end();) {
      if (it->registry.expired()) {
        it = mine.entries.erase(it);
        continue;
      }
      if (it->serial == serial) {
        if (!it->conn->broken && it->conn->db) return *it->conn;
        keep = it->conn->keep_snapshots;
        ThreadConnections::forget(*it);
        mine.entries.erase(it);
        break;
      }
      ++it;
    }
    mine.entries.push_back(ThreadEntry{serial, registry, open_connection(cache_kib_for(keep))});
    mine.entries.back().conn->keep_snapshots = keep;
    return *mine.entries.back().conn;
  }

  // --- read snapshots
  //
  // A read transaction costs SQLite a WAL read lock (a mutex shared by every connection of
  // the process, often an fcntl) each time one begins: a serving thread keeps one open across
  // the reads of a turn of its event loop. The count of commits tells a snapshot that a write
  // of this process has committed since it began: it is then ended before the next read.
  std::atomic<std::uint64_t> commits{0};

  // This thread's connection, for a read.
  Connection& reader() {
    // Inside a write_together body, reads see the body's writes: a request reads back what it
    // wrote (and what the requests before it in the body wrote) from the open transaction.
    if (together.impl == this) return *together.conn;
    Connection& c = connection();
    if (!c.keep_snapshots) return c;
    std::uint64_t now = commits.load(std::memory_order_acquire);
    bool open = sqlite3_get_autocommit(c.db) == 0;  // the only transaction a reader holds
    if (open && c.snapshot_commits == now) return c;
    end_read(c);
    // Counted before the snapshot begins (at the first read after BEGIN): a commit in between
    // only makes the next read begin another one.
    c.prepare("BEGIN").run();
    c.snapshot_commits = now;
    return c;
  }

  // The page boundaries `c` knows for the data its open snapshot reads; nullptr when `c`
  // reads without a snapshot (a commit could fall between two statements) or is the writer
  // (whose open transaction holds writes no data_version counts).
  PageBounds* page_bounds(Connection& c) {
    if (!c.keep_snapshots || sqlite3_get_autocommit(c.db) != 0 || &c == writer_conn.get()) {
      return nullptr;
    }
    std::int64_t version = -1;
    {
      auto s = c.prepare("PRAGMA data_version");
      if (s.step()) version = s.i64(0);
    }
    if (version != c.bounds_version) {
      c.bounds.clear();
      c.bounds_version = version;
    }
    return &c.bounds;
  }

  static void end_read(Connection& c) {
    if (c.db == nullptr || sqlite3_get_autocommit(c.db) != 0) return;
    if (sqlite3_exec(c.db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

  void migrate() {
    Connection& c = connection();
    int version = 0;
    {
      auto s = c.prepare("PRAGMA user_version");
      if (s.step()) version = static_cast<int>(s.i64(0));
    }
    if (version > schema_latest) {
      throw core::unavailable("the database was written by a newer clientgate (schema " +
                              std::to_string(version) + ")");
    }
    for (int v = version; v < schema_latest; ++v) {
      write([&](Connection& w) {
        w.exec(migrations[v]);
        std::string set = "PRAGMA user_version = " + std::to_string(v + 1);
        w.exec(set.c_str());
      });
    }
    auto s = c.prepare(
        "SELECT NOT EXISTS (SELECT 1 FROM companies) AND NOT EXISTS (SELECT 1 FROM users) AND "
        "NOT EXISTS (SELECT 1 FROM clients)");
    was_empty = s.step() && s.boolean(0);
  }

  // --- reads

  void load_contacts(Connection& c, std::vector<Client>& items) {
    for_each_chunk(items, [&](std::size_t from, std::size_t n) {
      std::string sql = std::string("SELECT ") + contact_columns + " FROM contacts WHERE " +
                        (n == 1 ? "client_id = ?" : "client_id IN (" + placeholders(n) + ")") +
                        " ORDER BY client_id, is_primary DESC, id";
      auto s = c.prepare(sql);
      for (std::size_t i = 0; i < n; ++i)
        s.bind(static_cast<int>(i + 1), items[from + i].id);
      auto where = index_of(items, from, n);
      while (s.step()) {
        auto k = read_contact(s);
        items[where[k.client_id]].contacts.push_back(std::move(k));
      }
    });
  }

  void load_documents(Connection& c, std::vector<Client>& items) {
    for_each_chunk(items, [&](std::size_t from, std::size_t n) {
      std::string sql = std::string("SELECT ") + document_columns + " FROM documents WHERE " +
                        (n == 1 ? "client_id = ?" : "client_id IN (" + placeholders(n) + ")") +
                        " ORDER BY client_id, id";
      auto s = c.prepare(sql);
      for (std::size_t i = 0; i < n; ++i)
        s.bind(static_cast<int>(i + 1), items[from + i].id);
      auto where = index_of(items, from, n);
      while (s.step()) {
        auto d = read_document_info(s);
        items[where[d.client_id]].documents.push_back(std::move(d));
      }
    });
  }

  template <class F>
  static void for_each_chunk(const std::vector<Client>& items, F&& f) {
    constexpr std::size_t chunk = 100;
    for (std::size_t from = 0; from < items.size(); from += chunk) {
      f(from, std::min(chunk, items.size() - from));
    }
  }
  static std::unordered_map<core::ClientId, std::size_t> index_of(const std::vector<Client>& items,
                                                                  std::size_t from, std::size_t n) {
    std::unordered_map<core::ClientId, std::size_t> where;
    for (std::size_t i = from; i < from + n; ++i)
      where.emplace(items[i].id, i);
    return where;
  }

  core::ClientPage list(Connection& c, const core::ClientQuery& q) {
    core::ClientPage page;
    Filter f;
    if (!build_filter(q, f)) return page;
    std::string sql = "SELECT " + (q.load.summary ? std::string(client_summary_columns)
                                                  : client_select_columns());
    if (q.load.counts) {
      sql +=
          ", (SELECT count(*) FROM campaigns g WHERE g.client_id = c.id), (SELECT "
          "coalesce(sum(g.links), 0) FROM campaigns g WHERE g.client_id = c.id)";
    }
    sql += " FROM clients c" + f.sql;
    const bool skip_in_index = offset_in_index(q);
    // Where the subquery starts stepping, as (offset, id bound): the nearest page boundary
    // this snapshot already knows, else the first row.
    std::pair<std::int64_t, std::int64_t> start{0, q.descending
                                                       ? std::numeric_limits<std::int64_t>::max()
                                                       : std::numeric_limits<std::int64_t>::min()};
    PageBounds* bounds = nullptr;
    PageBounds::Key key{};
    if (skip_in_index) {
      // The page starts at the id the subquery finds, stepping over the rows before it in
      // the index alone (OFFSET in the outer query would visit each row it skips).
      std::string state = state_condition(q.states, "s.");
      sql += q.descending ? " AND c.id <= " : " AND c.id >= ";
      sql += "(SELECT s.id FROM clients s WHERE s.company_id = ?" +
             (state.empty() ? "" : " AND " + state) +
             (q.descending ? " AND s.id < ? ORDER BY s.id DESC" : " AND s.id > ? ORDER BY s.id") +
             " LIMIT 1 OFFSET ?)";
      key = {q.company_id.value_or(q.companies.front()), q.states & core::states_all, q.descending,
             q.offset};
      bounds = page_bounds(c);
      if (bounds != nullptr) {
        if (auto known = bounds->nearest(key)) start = *known;
      }
    }
    sql += " ORDER BY ";
    if (f.with_param > 0) sql += "(c.id = ?" + std::to_string(f.with_param) + ") DESC, ";
    if (q.sort != core::ClientColumn::id) {
      sql += order_terms(q.sort, q.descending);
      sql += ", c.id";
    } else {
      sql += q.descending ? "c.id DESC" : "c.id";
    }
    sql += skip_in_index ? " LIMIT ?" : " LIMIT ? OFFSET ?";
    if (q.limit)
      page.items.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(*q.limit, 0, 1000)));
    {
      auto s = c.prepare(sql);
      f.bind(s);
      int next = static_cast<int>(f.params.size()) + 1;
      if (skip_in_index) {
        s.bind(next++, std::get<std::int64_t>(f.params.front()));
        s.bind(next++, start.second);
        s.bind(next++, q.offset - start.first);
      }
      s.bind(next, q.limit ? std::max<std::int64_t>(*q.limit, 0) : std::int64_t{-1});
      if (!skip_in_index) s.bind(next + 1, std::max<std::int64_t>(q.offset, 0));
      const int counts_at = q.load.summary ? client_summary_column_count : client_column_count();
      while (s.step()) {
        page.items.push_back(q.load.summary ? read_client_summary(s) : read_client(s));
        if (q.load.counts) {
          page.items.back().counts = core::ClientCounts{s.i64(counts_at), s.i64(counts_at + 1)};
        }
      }
    }
    if (bounds != nullptr && !page.items.empty()) {
      // Rows after a bound (before it, descending) are the rows from the boundary's offset on.
      std::int64_t step = q.descending ? 1 : -1;
      bounds->remember(key, page.items.front().id + step);
      key.offset += static_cast<std::int64_t>(page.items.size());
      bounds->remember(key, page.items.back().id);
    }
    if (q.count_total) {
      std::int64_t offset = std::max<std::int64_t>(q.offset, 0);
      auto n = static_cast<std::int64_t>(page.items.size());
      // The page itself often tells the total; count only when it cannot.
      if ((n > 0 || offset == 0) && (!q.limit || n < *q.limit)) {
        page.total = offset + n;
      } else if (counts_by_tally(q)) {
        std::vector<core::CompanyId> companies =
            q.company_id ? std::vector<core::CompanyId>{*q.company_id} : q.companies;
        std::string sql = "SELECT coalesce(sum(n), 0) FROM client_tallies t WHERE t.company_id " +
                          (companies.size() == 1 ? std::string("= ?")
                                                 : "IN (" + placeholders(companies.size()) + ")");
        if (auto cond = state_condition(q.states, "t."); !cond.empty()) sql += " AND " + cond;
        auto s = c.prepare(sql);
        for (std::size_t i = 0; i < companies.size(); ++i) {
          s.bind(static_cast<int>(i + 1), companies[i]);
        }
        if (s.step()) page.total = s.i64(0);
      } else {
        auto s = c.prepare("SELECT count(*) FROM clients c" + f.sql);
        f.bind(s);
        if (s.step()) page.total = s.i64(0);
      }
    }
    if (q.load.contacts) load_contacts(c, page.items);
    if (q.load.documents) load_documents(c, page.items);
    return page;
  }

  std::optional<Client> load_client(Connection& c, core::ClientId id, bool related) {
    std::optional<Client> out;
    {
      auto s = c.prepare("SELECT " + client_select_columns() + " FROM clients c WHERE c.id = ?");
      s.bind(1, id);
      if (!s.step()) return std::nullopt;
      out = read_client(s);
    }
    if (related) {
      std::vector<Client> one{std::move(*out)};
      load_contacts(c, one);
      load_documents(c, one);
      auto s =
          c.prepare("SELECT count(*), coalesce(sum(links), 0) FROM campaigns WHERE client_id = ?");
      s.bind(1, id);
      if (s.step()) one.front().counts = core::ClientCounts{s.i64(0), s.i64(1)};
      out = std::move(one.front());
    }
    return out;
  }

  // --- write helpers (inside a write transaction)

  bool exists(Connection& c, const char* sql, std::int64_t id) {
    auto s = c.prepare(sql);
    s.bind(1, id);
    return s.step();
  }

  std::int64_t next_localid(Connection& c, core::CompanyId company) {
    auto s = c.prepare("SELECT coalesce(max(localid), 0) + 1 FROM clients WHERE company_id = ?");
    s.bind(1, company);
    s.step();
    return s.i64(0);
  }

  bool number_taken(Connection& c, core::CompanyId company, const std::string& number,
                    core::ClientId except) {
    auto s = c.prepare("SELECT 1 FROM clients WHERE company_id = ? AND number = ? AND id <> ?");
    s.bind(1, company).bind(2, number).bind(3, except);
    return s.step();
  }

  std::string next_number(Connection& c, core::CompanyId company) {
    std::optional<std::int64_t> counter;
    {
      auto s = c.prepare("SELECT next_number FROM company_sequences WHERE company_id = ?");
      s.bind(1, company);
      if (s.step()) counter = s.i64(0);
    }
    if (!counter) {
      auto s = c.prepare(
          "SELECT coalesce(max(CAST(number AS INTEGER)), 0) + 1 FROM clients WHERE company_id = "
          "? AND number <> '' AND number NOT GLOB '*[^0-9]*' AND length(number) < 19");
      s.bind(1, company);
      s.step();
      counter = s.i64(0);
    }
    std::string number = pad_number(*counter);
    while (number_taken(c, company, number, 0))
      number = pad_number(++*counter);
    auto s = c.prepare(
        "INSERT INTO company_sequences (company_id, next_number) VALUES (?1, ?2) ON "
        "CONFLICT(company_id) DO UPDATE SET next_number = excluded.next_number");
    s.bind(1, company).bind(2, *counter + 1);
    s.run();
    return number;
  }

  void check_rules(Connection& c, const Client& client, const Client* before,
                   const core::WriteRules& rules) {
    if (rules.unique_name && (!before || before->name != client.name)) {
      auto s = c.prepare(
          "SELECT 1 FROM clients WHERE company_id = ? AND name = ? AND id <> ? AND is_deleted = "
          "0");
      s.bind(1, client.company_id).bind(2, client.name).bind(3, client.id);
      if (s.step()) {
        throw core::conflict(core::conflict_field::name, "a client with this name already exists");
      }
    }
    if (rules.unique_as_laravel && !client.number.empty() &&
        (!before || before->number != client.number)) {
      auto s = c.prepare(
          "SELECT 1 FROM clients WHERE company_id = ? AND number = ? COLLATE NOCASE AND id <> ?");
      s.bind(1, client.company_id).bind(2, client.number).bind(3, client.id);
      if (s.step()) {
        throw core::conflict(core::conflict_field::number,
                             "a client with this number already exists");
      }
    }
    if (rules.unique_id_number && client.id_number && !client.id_number->empty() &&
        (!before || before->id_number != client.id_number)) {
      auto s = c.prepare(
          rules.unique_as_laravel
              ? "SELECT 1 FROM clients WHERE company_id = ? AND id_number = ? COLLATE NOCASE "
                "AND id <> ?"
              : "SELECT 1 FROM clients WHERE company_id = ? AND id_number = ? AND id <> ? AND "
                "is_deleted = 0");
      s.bind(1, client.company_id).bind(2, *client.id_number).bind(3, client.id);
      if (s.step()) {
        throw core::conflict(core::conflict_field::id_number,
                             "a client with this id number already exists");
      }
    }
  }

  void insert_client_row(Connection& c, Client& client, bool upsert) {
    auto s = c.prepare(client_insert_sql(upsert));
    bind_client(s, client);
    s.run();
    if (!client.id) client.id = sqlite3_last_insert_rowid(c.db);
  }

  // The Argon2id hashes of the contacts' new passwords, by position (empty: none), computed
  // before a write's turn: a hash takes tens of milliseconds, and every other write would
  // wait for it inside the transaction.
  static std::vector<std::string> hash_contact_passwords(
      const std::optional<std::vector<core::ContactInput>>& inputs) {
    std::vector<std::string> out;
    if (!inputs) return out;
    out.resize(inputs->size());
    for (std::size_t i = 0; i < inputs->size(); ++i) {
      const auto& password = (*inputs)[i].password;
      if (password && !password->empty()) out[i] = core::secrets::hash_password(*password);
    }
    return out;
  }

  // The whole contact list of a client (see ClientPatch::contacts); password_hashes from
  // hash_contact_passwords(inputs).
  void replace_contacts(Connection& c, core::ClientId client,
                        const std::vector<core::ContactInput>& inputs, Timestamp now,
                        const std::vector<std::string>& password_hashes) {
    std::map<core::ContactId, core::Contact> existing;
    {
      auto s = c.prepare(std::string("SELECT ") + contact_columns +
                         " FROM contacts WHERE client_id = ?");
      s.bind(1, client);
      while (s.step()) {
        auto k = read_contact(s);
        existing.emplace(k.id, std::move(k));
      }
    }
    std::size_t primary = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].is_primary.value_or(false)) {
        primary = i;
        break;
      }
    }
    std::set<core::ContactId> kept;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto& in = inputs[i];
      core::Contact k;
      auto known = in.id ? existing.find(*in.id) : existing.end();
      bool update = known != existing.end() && !kept.count(known->first);
      if (update) {
        k = known->second;
        k.updated_at = std::max(now, Timestamp{k.updated_at.micros + 1});
        kept.insert(k.id);
      } else {
        k.client_id = client;
        k.contact_key = core::secrets::random_alphanumeric(40);
        k.created_at = now;
        k.updated_at = now;
      }
#define CLIENTGATE_X(f) \
  if (in.f) k.f = *in.f;
      CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
      if (in.send_email) k.send_email = *in.send_email;
      if (in.password) {
        if (in.password->empty()) {
          k.password_hash.reset();
        } else {
          k.password_hash = password_hashes.at(i);
        }
      }
      k.is_primary = i == primary;
      auto s = c.prepare(contact_insert_sql(update));
      bind_contact(s, k);
      s.run();
    }
    for (const auto& [id, k] : existing) {
      if (kept.count(id)) continue;
      auto s = c.prepare("DELETE FROM contacts WHERE id = ?");
      s.bind(1, id);
      s.run();
    }
  }

  void touch_for_bulk(Connection& c, core::ClientId id, core::BulkAction action, Timestamp now) {
    const char* sql = nullptr;
    switch (action) {
      case core::BulkAction::archive:
        sql =
            "UPDATE clients SET active = 0, archived_at = coalesce(archived_at, ?1), updated_at = "
            "max(?1, updated_at + 1) WHERE id = ?2";
        break;
      case core::BulkAction::restore:
        sql =
            "UPDATE clients SET active = 1, is_deleted = 0, archived_at = NULL, updated_at = "
            "max(?1, updated_at + 1) WHERE id = ?2";
        break;
      case core::BulkAction::soft_delete:
        sql =
            "UPDATE clients SET active = 0, is_deleted = 1, archived_at = coalesce(archived_at, "
            "?1), updated_at = max(?1, updated_at + 1) WHERE id = ?2";
        break;
    }
    auto s = c.prepare(sql);
    s.bind(1, now).bind(2, id);
    s.run();
  }

  void import(Connection& c, const core::Dataset& data, bool replace);
  core::Dataset export_all(Connection& c);
};

SqliteRepository::SqliteRepository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteRepository::~SqliteRepository() = default;

std::unique_ptr<SqliteRepository> SqliteRepository::open(const std::filesystem::path& path,
                                                         StorageSettings settings) {
  core::secrets::initialize();
  // SQLite's memory statistics take a global mutex on every allocation, which every thread
  // of the server would contend for. Must precede any other SQLite call; later calls are
  // refused harmlessly (SQLITE_MISUSE) and change nothing.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->settings = settings;
  set_pretend_disk(path.string(), settings.disk_bytes);
  impl->reserve =
      std::make_unique<ReserveFile>(path.string(), settings.read_only ? 0 : settings.reserve_bytes);
  impl->reserve->ensure();
  try {
    impl->migrate();
  } catch (const ConstraintViolation& e) {
    throw core::unavailable(std::string("the store cannot be migrated: ") + e.what());
  } catch (const core::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw core::unavailable(std::string("the store cannot be opened: ") + e.what());
  }
  if (!settings.read_only) impl->start_checkpointer();
  return std::unique_ptr<SqliteRepository>(new SqliteRepository(std::move(impl)));
}

int SqliteRepository::schema_version() {
  auto s = impl_->reader().prepare("PRAGMA user_version");
  return s.step() ? static_cast<int>(s.i64(0)) : 0;
}

bool SqliteRepository::empty() {
  return impl_->was_empty;
}

std::string SqliteRepository::pragma_value(std::string_view name) {
  if (name.empty() || !std::all_of(name.begin(), name.end(),
                                   [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; })) {
    throw std::invalid_argument("not a pragma name");
  }
  auto s = impl_->reader().prepare("PRAGMA " + std::string(name));
  return s.step() ? s.text(0) : std::string();
}

std::optional<core::TokenGrant> SqliteRepository::find_token(std::string_view token_sha256_hex) {
  auto s = impl_->reader().prepare(
      "SELECT user_id, token_sha256, company_id FROM api_tokens WHERE token_sha256 = ?");
  s.bind(1, token_sha256_hex);
  if (!s.step()) return std::nullopt;
  return core::TokenGrant{s.i64(0), s.text(1), s.opt_i64(2)};
}

namespace {
void load_memberships(Connection& c, core::User& u) {
  auto s = c.prepare(
      "SELECT company_id, role, client_manager FROM memberships WHERE user_id = ? ORDER BY "
      "position");
  s.bind(1, u.id);
  while (s.step()) {
    core::Membership m;
    m.company_id = s.i64(0);
    m.role = core::parse_role(s.text(1)).value_or(core::Role::resource);
    m.client_manager = s.boolean(2);
    u.memberships.push_back(m);
  }
}

core::User read_user(const Stmt& s) {
  core::User u;
  u.id = s.i64(0);
  u.name = s.text(1);
  u.email = s.text(2);
  u.password_hash = s.opt_text(3);
  return u;
}

core::Project read_project(const Stmt& s) {
  core::Project p;
  p.id = s.i64(0);
  p.client_id = s.i64(1);
  p.name = s.text(2);
  p.active = s.boolean(3);
  p.code = s.opt_text(4);
  p.description = s.opt_text(5);
  p.url = s.opt_text(6);
  p.created_at = s.time(7);
  p.updated_at = s.time(8);
  p.time_entries = s.i64(9);
  return p;
}

core::Company read_company(const Stmt& s) {
  return core::Company{s.i64(0), s.text(1), s.opt_text(2), s.boolean(3)};
}
}  // namespace

std::optional<core::User> SqliteRepository::find_user(core::UserId id) {
  auto& c = impl_->reader();
  std::optional<core::User> u;
  {
    auto s = c.prepare("SELECT id, name, email, password_hash FROM users WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    u = read_user(s);
  }
  load_memberships(c, *u);
  return u;
}

std::optional<core::User> SqliteRepository::find_user_by_email(std::string_view email) {
  auto& c = impl_->reader();
  std::optional<core::User> u;
  {
    auto s = c.prepare(
        "SELECT id, name, email, password_hash FROM users WHERE email = ? COLLATE NOCASE");
    s.bind(1, email);
    if (!s.step()) return std::nullopt;
    u = read_user(s);
  }
  load_memberships(c, *u);
  return u;
}

std::optional<core::Company> SqliteRepository::find_company(core::CompanyId id) {
  auto s = impl_->reader().prepare(
      "SELECT id, title, slug, clients_enabled FROM companies WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_company(s);
}

std::optional<core::Company> SqliteRepository::find_company_by_slug(std::string_view slug) {
  auto s = impl_->reader().prepare(
      "SELECT id, title, slug, clients_enabled FROM companies WHERE slug = ? COLLATE NOCASE "
      "ORDER BY id LIMIT 1");
  s.bind(1, slug);
  if (!s.step()) return std::nullopt;
  return read_company(s);
}

core::ClientPage SqliteRepository::list_clients(const core::ClientQuery& query) {
  return impl_->list(impl_->reader(), query);
}

core::Client SqliteRepository::create_client(core::CompanyId company,
                                             const core::ClientDraft& draft,
                                             const core::WriteRules& rules, core::Timestamp now) {
  // Drawn before the write: the write's turn is the one thing every writer waits for.
  std::string fresh_uuid = draft.uuid && !draft.uuid->empty() ? "" : core::secrets::uuid_v4();
  std::string client_hash = core::secrets::random_alphanumeric(40);
  std::vector<std::string> password_hashes = Impl::hash_contact_passwords(draft.fields.contacts);
  return impl_->write([&](Connection& c) -> core::Client {
    if (!impl_->exists(c, "SELECT 1 FROM companies WHERE id = ?", company)) {
      throw core::validation("company_id", "no such company");
    }
    Client client;
    client.company_id = company;
    client.created_at = now;
    core::apply_patch(client, draft.fields, now);
    client.updated_at = now;
    if (draft.uuid && !draft.uuid->empty()) {
      client.uuid = *draft.uuid;
      std::transform(client.uuid.begin(), client.uuid.end(), client.uuid.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      auto s = c.prepare("SELECT 1 FROM clients WHERE uuid = ?");
      s.bind(1, client.uuid);
      if (s.step()) throw core::conflict("uuid", "a client with this uuid already exists");
    } else {
      client.uuid = fresh_uuid;
    }
    if (draft.fields.number && !draft.fields.number->empty()) {
      client.number = *draft.fields.number;
      if (impl_->number_taken(c, company, client.number, 0)) {
        throw core::conflict(core::conflict_field::number,
                             "a client with this number already exists");
      }
    } else {
      client.number = impl_->next_number(c, company);
    }
    client.localid = impl_->next_localid(c, company);
    client.client_hash = client_hash;
    impl_->check_rules(c, client, nullptr, rules);
    try {
      impl_->insert_client_row(c, client, false);
    } catch (const ConstraintViolation& e) {
      throw core::conflict("", std::string("the client breaks a uniqueness rule: ") + e.what());
    }
    // The row is what was bound; only the contacts take keys and order from the database. A
    // new client has no documents and no campaigns.
    std::vector<Client> out{std::move(client)};
    if (draft.fields.contacts) {
      impl_->replace_contacts(c, out.front().id, *draft.fields.contacts, now, password_hashes);
      impl_->load_contacts(c, out);
    }
    out.front().counts = core::ClientCounts{0, 0};
    return std::move(out.front());
  });
}

std::optional<core::Client> SqliteRepository::update_client(core::ClientId id,
                                                            const core::ClientPatch& patch,
                                                            const core::WriteRules& rules,
                                                            core::Timestamp now) {
  std::vector<std::string> password_hashes = Impl::hash_contact_passwords(patch.contacts);
  return impl_->write([&](Connection& c) -> std::optional<core::Client> {
    auto before = impl_->load_client(c, id, false);
    if (!before) return std::nullopt;
    if (rules.refuse_deleted && before->is_deleted) {
      throw core::conflict(core::conflict_field::deleted, "the client is deleted");
    }
    Client client = *before;
    core::apply_patch(client, patch, now);
    if (patch.number) {
      if (patch.number->empty()) {
        client.number = impl_->next_number(c, client.company_id);
      } else if (*patch.number != before->number) {
        client.number = *patch.number;
        if (impl_->number_taken(c, client.company_id, client.number, id)) {
          throw core::conflict(core::conflict_field::number,
                               "a client with this number already exists");
        }
      }
    }
    impl_->check_rules(c, client, &*before, rules);
    client.updated_at = std::max(now, Timestamp{before->updated_at.micros + 1});
    try {
      auto s = c.prepare(client_update_sql());
      bind_client(s, client);
      s.run();
    } catch (const ConstraintViolation& e) {
      throw core::conflict("", std::string("the client breaks a uniqueness rule: ") + e.what());
    }
    if (patch.contacts) impl_->replace_contacts(c, id, *patch.contacts, now, password_hashes);
    auto out = impl_->load_client(c, id, true);
    return out;
  });
}

bool SqliteRepository::delete_client(core::ClientId id, core::DeleteMode mode,
                                     core::Timestamp now) {
  auto body = [&](Connection& c) -> bool {
    if (!impl_->exists(c, "SELECT 1 FROM clients WHERE id = ?", id)) return false;
    if (mode == core::DeleteMode::soft) {
      impl_->touch_for_bulk(c, id, core::BulkAction::soft_delete, now);
    } else {
      if (mode == core::DeleteMode::hard_unless_time_entries) {
        auto s =
            c.prepare("SELECT coalesce(sum(time_entries), 0) FROM projects WHERE client_id = ?");
        s.bind(1, id);
        if (s.step() && s.i64(0) > 0) {
          throw core::conflict(core::conflict_field::time_entries,
                               "the client's projects hold time entries");
        }
      }
      // Contacts, documents, projects (with tasks and assignees) and campaigns go by cascade.
      auto s = c.prepare("DELETE FROM clients WHERE id = ?");
      s.bind(1, id);
      s.run();
    }
    return true;
  };
  // A delete for good makes room: it is taken on a full disk (a soft delete only writes).
  return impl_->write(body, mode != core::DeleteMode::soft);
}

void SqliteRepository::bulk_update(const std::vector<core::ClientId>& ids, core::BulkAction action,
                                   core::Timestamp now) {
  return impl_->write([&](Connection& c) -> void {
    for (auto id : ids) {
      if (!impl_->exists(c, "SELECT 1 FROM clients WHERE id = ?", id)) {
        throw core::not_found("no client with id " + std::to_string(id));
      }
    }
    std::set<core::ClientId> done;
    for (auto id : ids) {
      if (done.insert(id).second) impl_->touch_for_bulk(c, id, action, now);
    }
  });
}

std::vector<core::Project> SqliteRepository::list_projects(
    const std::vector<core::ClientId>& clients, bool with_tasks) {
  auto& c = impl_->reader();
  std::vector<core::Project> out;
  std::vector<core::ClientId> ids(clients);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  constexpr std::size_t chunk = 100;
  for (std::size_t from = 0; from < ids.size(); from += chunk) {
    std::size_t n = std::min(chunk, ids.size() - from);
    std::string in = "(" + placeholders(n) + ")";
    std::size_t first = out.size();
    std::unordered_map<core::ProjectId, std::size_t> where;
    {
      auto s = c.prepare(
          "SELECT id, client_id, name, active, code, description, url, created_at, updated_at, "
          "time_entries FROM projects WHERE client_id IN " +
          in + " ORDER BY client_id, id");
      for (std::size_t i = 0; i < n; ++i)
        s.bind(static_cast<int>(i + 1), ids[from + i]);
      while (s.step()) {
        where.emplace(s.i64(0), out.size());
        out.push_back(read_project(s));
      }
    }
    if (out.size() == first) continue;
    {
      auto s = c.prepare(
          "SELECT a.project_id, a.user_id FROM project_assignees a JOIN projects p ON p.id = "
          "a.project_id WHERE p.client_id IN " +
          in + " ORDER BY a.project_id, a.position");
      for (std::size_t i = 0; i < n; ++i)
        s.bind(static_cast<int>(i + 1), ids[from + i]);
      while (s.step())
        out[where[s.i64(0)]].assignees.push_back(s.i64(1));
    }
    if (with_tasks) {
      auto s = c.prepare(
          "SELECT t.id, t.project_id, t.name FROM tasks t JOIN projects p ON p.id = t.project_id "
          "WHERE p.client_id IN " +
          in + " ORDER BY t.project_id, t.id");
      for (std::size_t i = 0; i < n; ++i)
        s.bind(static_cast<int>(i + 1), ids[from + i]);
      while (s.step()) {
        out[where[s.i64(1)]].tasks.push_back(core::Task{s.i64(0), s.i64(1), s.text(2)});
      }
    }
  }
  return out;
}

namespace {
std::optional<core::DocumentInfo> find_document_on(Connection& c, core::DocumentId id) {
  auto s = c.prepare(std::string("SELECT ") + document_columns + " FROM documents WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_document_info(s);
}
}  // namespace

core::DocumentInfo SqliteRepository::add_document(core::ClientId client,
                                                  const core::NewDocument& doc,
                                                  core::Timestamp now) {
  ContentSource source(doc);
  return impl_->write([&](Connection& c) -> core::DocumentInfo {
    if (!impl_->exists(c, "SELECT 1 FROM clients WHERE id = ?", client)) {
      throw core::not_found("no client with id " + std::to_string(client));
    }
    core::DocumentId id = 0;
    {
      auto s = c.prepare(
          "INSERT INTO documents (client_id, name, type, size, hash, is_public, created_at, "
          "updated_at, content) VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?6, zeroblob(?4))");
      s.bind(1, client).bind(2, doc.name).bind(3, doc.type).bind(4, source.size());
      s.flag(5, doc.is_public).bind(6, now);
      s.run();
      id = sqlite3_last_insert_rowid(c.db);
    }
    // The bytes go in chunk by chunk, hashed on the way: a large file never sits whole in memory.
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    {
      Blob blob;
      int rc = sqlite3_blob_open(c.db, "main", "documents", "content", id, 1, &blob.handle);
      if (rc != SQLITE_OK) c.fail(rc, "blob_open");
      std::vector<char> buffer(blob_chunk);
      std::int64_t written = 0;
      for (;;) {
        auto chunk = source.next(buffer);
        if (chunk.empty()) break;
        if (written + static_cast<std::int64_t>(chunk.size()) > source.size()) {
          throw core::validation("content", "the uploaded file changed while it was stored");
        }
        rc = sqlite3_blob_write(blob.handle, chunk.data(), static_cast<int>(chunk.size()),
                                static_cast<int>(written));
        if (rc != SQLITE_OK) c.fail(rc, "blob_write");
        crypto_hash_sha256_update(&sha, reinterpret_cast<const unsigned char*>(chunk.data()),
                                  chunk.size());
        written += static_cast<std::int64_t>(chunk.size());
      }
      if (written != source.size()) {
        throw core::validation("content", "the uploaded file changed while it was stored");
      }
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&sha, digest);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    {
      auto s = c.prepare("UPDATE documents SET hash = ? WHERE id = ?");
      s.bind(1, std::string_view(hex)).bind(2, id);
      s.run();
    }
    auto info = find_document_on(c, id);  // the writer: the row is not committed yet
    return std::move(*info);
  });
}

std::optional<core::CompanyId> SqliteRepository::client_company(core::ClientId id) {
  auto s = impl_->reader().prepare("SELECT company_id FROM clients WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return s.i64(0);
}

std::optional<core::DocumentInfo> SqliteRepository::find_document(core::DocumentId id) {
  return find_document_on(impl_->reader(), id);
}

bool SqliteRepository::read_document(core::DocumentId id,
                                     const std::function<void(std::string_view)>& sink) {
  auto& c = impl_->reader();
  Blob blob;
  int rc = sqlite3_blob_open(c.db, "main", "documents", "content", id, 0, &blob.handle);
  if (rc == SQLITE_ERROR) return false;  // no such row
  if (rc != SQLITE_OK) c.fail(rc, "blob_open");
  int size = sqlite3_blob_bytes(blob.handle);
  std::vector<char> buffer(blob_chunk);
  for (int offset = 0; offset < size;) {
    int n = std::min<int>(static_cast<int>(buffer.size()), size - offset);
    rc = sqlite3_blob_read(blob.handle, buffer.data(), n, offset);
    if (rc != SQLITE_OK) c.fail(rc, "blob_read");
    sink(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    offset += n;
  }
  return true;
}

std::optional<std::string> SqliteRepository::read_document_piece(core::DocumentId id,
                                                                 std::uint64_t offset,
                                                                 std::size_t max_bytes) {
  auto& c = impl_->reader();
  Blob blob;
  // Incremental blob I/O: only the pages of this piece are read, whatever the document's size.
  int rc = sqlite3_blob_open(c.db, "main", "documents", "content", id, 0, &blob.handle);
  if (rc == SQLITE_ERROR) return std::nullopt;  // no such row
  if (rc != SQLITE_OK) c.fail(rc, "blob_open");
  auto size = static_cast<std::uint64_t>(sqlite3_blob_bytes(blob.handle));
  if (offset >= size) return std::string();
  auto n = static_cast<int>(std::min<std::uint64_t>(max_bytes, size - offset));
  std::string piece(static_cast<std::size_t>(n), '\0');
  rc = sqlite3_blob_read(blob.handle, piece.data(), n, static_cast<int>(offset));
  if (rc != SQLITE_OK) c.fail(rc, "blob_read");
  return piece;
}

// --- import / export

namespace {

std::string path_of(const char* list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

// The JSON path of every document in Dataset::documents: clients[i].documents[j].
std::vector<std::string> document_paths(const core::Dataset& data) {
  std::unordered_map<core::ClientId, std::size_t> client_index;
  for (std::size_t i = 0; i < data.clients.size(); ++i) {
    auto key = data.clients[i].id ? data.clients[i].id : -static_cast<core::ClientId>(i + 1);
    client_index.emplace(key, i);
  }
  std::unordered_map<std::size_t, std::size_t> seen;
  std::vector<std::string> out;
  for (std::size_t d = 0; d < data.documents.size(); ++d) {
    auto it = client_index.find(data.documents[d].info.client_id);
    if (it == client_index.end()) {
      out.push_back(path_of("documents", d));
    } else {
      out.push_back(path_of("clients", it->second) + ".documents[" +
                    std::to_string(seen[it->second]++) + "]");
    }
  }
  return out;
}

// What a uniqueness failure of SQLite means, in the dataset's words.
std::string describe_violation(const std::string& message) {
  if (message.find("clients.number") != std::string::npos) {
    return "the number is already used in this company";
  }
  if (message.find("clients.localid") != std::string::npos) {
    return "the localid is already used in this company";
  }
  if (message.find("clients.uuid") != std::string::npos) return "the uuid is already used";
  if (message.find("users.email") != std::string::npos) return "the e-mail is already used";
  if (message.find("api_tokens") != std::string::npos) return "the token is already used";
  if (message.find("FOREIGN KEY") != std::string::npos) return "refers to a missing record";
  return message;
}

}  // namespace

void SqliteRepository::Impl::import(Connection& c, const core::Dataset& data, bool replace) {
  std::vector<core::FieldError> problems;
  auto problem = [&](std::string path, std::string message) {
    problems.push_back(core::FieldError{std::move(path), std::move(message)});
  };
  // An id of the dataset that the store already holds: refused unless replacing.
  auto taken = [&](const char* sql, std::int64_t id, const std::string& path, const char* what) {
    if (!id || replace || !exists(c, sql, id)) return false;
    problem(path + ".id", std::string("a ") + what + " with id " + std::to_string(id) + " exists");
    return true;
  };
  auto guarded = [&](const std::string& path, const std::function<void()>& write) {
    try {
      write();
      return true;
    } catch (const ConstraintViolation& e) {
      problem(path, describe_violation(e.what()));
      return false;
    }
  };

  for (std::size_t i = 0; i < data.companies.size(); ++i) {
    const auto& co = data.companies[i];
    auto path = path_of("companies", i);
    if (taken("SELECT 1 FROM companies WHERE id = ?", co.id, path, "company")) continue;
    guarded(path, [&] {
      auto s = c.prepare(
          "INSERT INTO companies (id, title, slug, clients_enabled) VALUES (?1, ?2, ?3, ?4) ON "
          "CONFLICT(id) DO UPDATE SET title = excluded.title, slug = excluded.slug, "
          "clients_enabled = excluded.clients_enabled");
      if (co.id) {
        s.bind(1, co.id);
      } else {
        s.null(1);
      }
      s.bind(2, co.title).bind(3, co.slug).flag(4, co.clients_enabled);
      s.run();
    });
  }
  auto company_exists = [&](core::CompanyId id) {
    return exists(c, "SELECT 1 FROM companies WHERE id = ?", id);
  };

  for (std::size_t i = 0; i < data.users.size(); ++i) {
    const auto& u = data.users[i];
    auto path = path_of("users", i);
    if (taken("SELECT 1 FROM users WHERE id = ?", u.id, path, "user")) continue;
    core::UserId id = u.id;
    bool ok = guarded(path + ".email", [&] {
      auto s = c.prepare(
          "INSERT INTO users (id, name, email, password_hash) VALUES (?1, ?2, ?3, ?4) ON "
          "CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, "
          "password_hash = excluded.password_hash");
      if (id) {
        s.bind(1, id);
      } else {
        s.null(1);
      }
      s.bind(2, u.name).bind(3, u.email).bind(4, u.password_hash);
      s.run();
      if (!id) id = sqlite3_last_insert_rowid(c.db);
    });
    if (!ok) continue;
    for (const char* sql : {"DELETE FROM memberships WHERE user_id = ?",
                            "DELETE FROM api_tokens WHERE user_id = ?"}) {
      auto s = c.prepare(sql);
      s.bind(1, id);
      s.run();
    }
    for (std::size_t m = 0; m < u.memberships.size(); ++m) {
      const auto& ms = u.memberships[m];
      auto mpath = path + ".memberships[" + std::to_string(m) + "]";
      if (!company_exists(ms.company_id)) {
        problem(mpath + ".company_id", "no company with id " + std::to_string(ms.company_id));
        continue;
      }
      guarded(mpath + ".company_id", [&] {
        auto s = c.prepare(
            "INSERT INTO memberships (user_id, company_id, position, role, client_manager) "
            "VALUES (?, ?, ?, ?, ?)");
        s.bind(1, id).bind(2, ms.company_id).bind(3, static_cast<std::int64_t>(m));
        s.bind(4, core::role_name(ms.role)).flag(5, ms.client_manager);
        s.run();
      });
    }
    for (std::size_t t = 0; t < u.tokens.size(); ++t) {
      const auto& tk = u.tokens[t];
      auto tpath = path + ".tokens[" + std::to_string(t) + "]";
      if (tk.company_id && !company_exists(*tk.company_id)) {
        problem(tpath + ".company_id", "no company with id " + std::to_string(*tk.company_id));
        continue;
      }
      guarded(tpath + ".token", [&] {
        auto s = c.prepare(
            "INSERT INTO api_tokens (token_sha256, user_id, company_id, position) VALUES (?1, "
            "?2, ?3, ?4) ON CONFLICT(token_sha256) DO UPDATE SET user_id = excluded.user_id, "
            "company_id = excluded.company_id, position = excluded.position WHERE ?5");
        s.bind(1, tk.token_sha256).bind(2, id).bind(3, tk.company_id);
        s.bind(4, static_cast<std::int64_t>(t)).flag(5, replace);
        s.run();
        if (!replace && sqlite3_changes(c.db) == 0) {
          throw ConstraintViolation("UNIQUE constraint failed: api_tokens.token_sha256");
        }
      });
    }
  }

  // Clients given without an id get theirs here; their documents refer to them by position.
  std::unordered_map<core::ClientId, core::ClientId> placeholder;
  std::set<core::CompanyId> numbered;
  for (std::size_t i = 0; i < data.clients.size(); ++i) {
    Client client = data.clients[i];
    auto path = path_of("clients", i);
    if (taken("SELECT 1 FROM clients WHERE id = ?", client.id, path, "client")) continue;
    if (!company_exists(client.company_id)) {
      problem(path + ".company_id", "no company with id " + std::to_string(client.company_id));
      continue;
    }
    if (client.uuid.empty()) client.uuid = core::secrets::uuid_v4();
    if (client.client_hash.empty()) client.client_hash = core::secrets::random_alphanumeric(40);
    if (client.localid == 0) client.localid = next_localid(c, client.company_id);
    if (client.number.empty()) {
      client.number = next_number(c, client.company_id);
    } else {
      numbered.insert(client.company_id);
    }
    bool ok = guarded(path, [&] { insert_client_row(c, client, replace); });
    if (!ok) continue;
    if (!data.clients[i].id) placeholder[-static_cast<core::ClientId>(i + 1)] = client.id;
    if (replace) {
      for (const char* sql : {"DELETE FROM contacts WHERE client_id = ?",
                              "DELETE FROM documents WHERE client_id = ?"}) {
        auto s = c.prepare(sql);
        s.bind(1, client.id);
        s.run();
      }
    }
    for (std::size_t k = 0; k < client.contacts.size(); ++k) {
      core::Contact contact = client.contacts[k];
      auto kpath = path + ".contacts[" + std::to_string(k) + "]";
      if (taken("SELECT 1 FROM contacts WHERE id = ?", contact.id, kpath, "contact")) continue;
      contact.client_id = client.id;
      if (contact.contact_key.empty()) {
        contact.contact_key = core::secrets::random_alphanumeric(40);
      }
      guarded(kpath, [&] {
        auto s = c.prepare(contact_insert_sql(replace));
        bind_contact(s, contact);
        s.run();
      });
    }
  }
  // The counters of companies whose numbers were given start again from the highest.
  for (auto company : numbered) {
    auto s = c.prepare("DELETE FROM company_sequences WHERE company_id = ?");
    s.bind(1, company);
    s.run();
  }

  auto doc_paths = document_paths(data);
  for (std::size_t d = 0; d < data.documents.size(); ++d) {
    const auto& doc = data.documents[d];
    const auto& path = doc_paths[d];
    if (taken("SELECT 1 FROM documents WHERE id = ?", doc.info.id, path, "document")) continue;
    core::ClientId owner = doc.info.client_id;
    if (owner < 0) {
      auto it = placeholder.find(owner);
      if (it == placeholder.end()) continue;  // its client was refused: reported there
      owner = it->second;
    }
    if (!exists(c, "SELECT 1 FROM clients WHERE id = ?", owner)) {
      problem(path, "no client with id " + std::to_string(owner));
      continue;
    }
    guarded(path, [&] {
      auto s = c.prepare(
          "INSERT INTO documents (id, client_id, name, type, size, hash, is_public, created_at, "
          "updated_at, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON "
          "CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, name = excluded.name, "
          "type = excluded.type, size = excluded.size, hash = excluded.hash, is_public = "
          "excluded.is_public, created_at = excluded.created_at, updated_at = "
          "excluded.updated_at, content = excluded.content");
      if (doc.info.id) {
        s.bind(1, doc.info.id);
      } else {
        s.null(1);
      }
      s.bind(2, owner).bind(3, doc.info.name).bind(4, doc.info.type);
      s.bind(5, static_cast<std::int64_t>(doc.content.size()));
      s.bind(6, core::secrets::sha256_hex(doc.content)).flag(7, doc.info.is_public);
      s.bind(8, doc.info.created_at).bind(9, doc.info.updated_at);
      s.blob(10, doc.content);
      s.run();
    });
  }

  for (std::size_t i = 0; i < data.projects.size(); ++i) {
    const auto& p = data.projects[i];
    auto path = path_of("projects", i);
    if (taken("SELECT 1 FROM projects WHERE id = ?", p.id, path, "project")) continue;
    if (!exists(c, "SELECT 1 FROM clients WHERE id = ?", p.client_id)) {
      problem(path + ".client_id", "no client with id " + std::to_string(p.client_id));
      continue;
    }
    core::ProjectId id = p.id;
    bool ok = guarded(path, [&] {
      auto s = c.prepare(
          "INSERT INTO projects (id, client_id, name, active, code, description, url, "
          "created_at, updated_at, time_entries) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
          "?10) ON CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, name = "
          "excluded.name, active = excluded.active, code = excluded.code, description = "
          "excluded.description, url = excluded.url, created_at = excluded.created_at, "
          "updated_at = excluded.updated_at, time_entries = excluded.time_entries");
      if (id) {
        s.bind(1, id);
      } else {
        s.null(1);
      }
      s.bind(2, p.client_id).bind(3, p.name).flag(4, p.active).bind(5, p.code);
      s.bind(6, p.description).bind(7, p.url).bind(8, p.created_at).bind(9, p.updated_at);
      s.bind(10, p.time_entries);
      s.run();
      if (!id) id = sqlite3_last_insert_rowid(c.db);
    });
    if (!ok) continue;
    for (const char* sql : {"DELETE FROM tasks WHERE project_id = ?",
                            "DELETE FROM project_assignees WHERE project_id = ?"}) {
      auto s = c.prepare(sql);
      s.bind(1, id);
      s.run();
    }
    for (std::size_t a = 0; a < p.assignees.size(); ++a) {
      auto apath = path + ".assignees[" + std::to_string(a) + "]";
      if (!exists(c, "SELECT 1 FROM users WHERE id = ?", p.assignees[a])) {
        problem(apath, "no user with id " + std::to_string(p.assignees[a]));
        continue;
      }
      guarded(apath, [&] {
        auto s = c.prepare(
            "INSERT INTO project_assignees (project_id, user_id, position) VALUES (?, ?, ?)");
        s.bind(1, id).bind(2, p.assignees[a]).bind(3, static_cast<std::int64_t>(a));
        s.run();
      });
    }
    for (std::size_t t = 0; t < p.tasks.size(); ++t) {
      const auto& task = p.tasks[t];
      auto tpath = path + ".tasks[" + std::to_string(t) + "]";
      if (taken("SELECT 1 FROM tasks WHERE id = ?", task.id, tpath, "task")) continue;
      guarded(tpath, [&] {
        auto s = c.prepare(
            "INSERT INTO tasks (id, project_id, name) VALUES (?1, ?2, ?3) ON CONFLICT(id) DO "
            "UPDATE SET project_id = excluded.project_id, name = excluded.name");
        if (task.id) {
          s.bind(1, task.id);
        } else {
          s.null(1);
        }
        s.bind(2, id).bind(3, task.name);
        s.run();
      });
    }
  }

  for (std::size_t i = 0; i < data.campaigns.size(); ++i) {
    const auto& g = data.campaigns[i];
    auto path = path_of("campaigns", i);
    if (!g.id.empty() && !replace) {
      auto s = c.prepare("SELECT 1 FROM campaigns WHERE id = ?");
      s.bind(1, g.id);
      if (s.step()) {
        problem(path + ".id", "a campaign with id " + g.id + " exists");
        continue;
      }
    }
    if (!exists(c, "SELECT 1 FROM clients WHERE id = ?", g.client_id)) {
      problem(path + ".client_id", "no client with id " + std::to_string(g.client_id));
      continue;
    }
    guarded(path, [&] {
      auto s = c.prepare(
          "INSERT INTO campaigns (id, client_id, name, links) VALUES (?1, ?2, ?3, ?4) ON "
          "CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, name = excluded.name, "
          "links = excluded.links");
      s.bind(1, g.id.empty() ? core::secrets::uuid_v4() : g.id);
      s.bind(2, g.client_id).bind(3, g.name).bind(4, g.links);
      s.run();
    });
  }

  if (!problems.empty()) {
    std::string message = "the dataset has " + std::to_string(problems.size()) + " problem" +
                          (problems.size() == 1 ? "" : "s");
    throw core::Error(core::ErrorKind::validation, message, std::move(problems));
  }
}

core::Dataset SqliteRepository::Impl::export_all(Connection& c) {
  core::Dataset data;
  ReadTransaction tx(c);
  {
    auto s = c.prepare("SELECT id, title, slug, clients_enabled FROM companies ORDER BY id");
    while (s.step())
      data.companies.push_back(read_company(s));
  }
  {
    auto s = c.prepare("SELECT id, name, email, password_hash FROM users ORDER BY id");
    while (s.step())
      data.users.push_back(read_user(s));
  }
  for (auto& u : data.users) {
    load_memberships(c, u);
    auto s = c.prepare(
        "SELECT token_sha256, company_id FROM api_tokens WHERE user_id = ? ORDER BY position, "
        "token_sha256");
    s.bind(1, u.id);
    while (s.step())
      u.tokens.push_back(core::ApiToken{s.text(0), s.opt_i64(1)});
  }
  {
    auto s = c.prepare("SELECT " + client_select_columns() + " FROM clients c ORDER BY c.id");
    while (s.step())
      data.clients.push_back(read_client(s));
  }
  load_contacts(c, data.clients);
  {
    auto s = c.prepare(std::string("SELECT ") + document_columns +
                       ", content FROM documents ORDER BY id");
    while (s.step()) {
      core::Document d;
      d.info = read_document_info(s);
      d.content = std::string(s.column_blob(9));
      data.documents.push_back(std::move(d));
    }
  }
  std::unordered_map<core::ProjectId, std::size_t> where;
  {
    auto s = c.prepare(
        "SELECT id, client_id, name, active, code, description, url, created_at, updated_at, "
        "time_entries FROM projects ORDER BY id");
    while (s.step()) {
      where.emplace(s.i64(0), data.projects.size());
      data.projects.push_back(read_project(s));
    }
  }
  {
    auto s = c.prepare(
        "SELECT project_id, user_id FROM project_assignees ORDER BY project_id, position");
    while (s.step())
      data.projects[where[s.i64(0)]].assignees.push_back(s.i64(1));
  }
  {
    auto s = c.prepare("SELECT id, project_id, name FROM tasks ORDER BY id");
    while (s.step()) {
      data.projects[where[s.i64(1)]].tasks.push_back(core::Task{s.i64(0), s.i64(1), s.text(2)});
    }
  }
  {
    auto s = c.prepare("SELECT id, client_id, name, links FROM campaigns ORDER BY id");
    while (s.step()) {
      data.campaigns.push_back(core::Campaign{s.text(0), s.i64(1), s.text(2), s.i64(3)});
    }
  }
  return data;
}

void SqliteRepository::import_dataset(const core::Dataset& data,
                                      const core::ImportOptions& options) {
  return impl_->write([&](Connection& c) -> void { impl_->import(c, data, options.replace); });
}

core::Dataset SqliteRepository::export_dataset() {
  auto& c = impl_->connection();
  Impl::end_read(c);  // the export reads in a transaction of its own
  return impl_->export_all(c);
}

void SqliteRepository::keep_snapshots() {
  impl_->keep_snapshots_on(impl_->connection());
}

bool SqliteRepository::write_together(const std::function<void()>& body) {
  return impl_->write_together(body);
}

void SqliteRepository::end_snapshot() {
  Impl::end_read(impl_->connection());
}

bool SqliteRepository::healthy() {
  try {
    auto s = impl_->reader().prepare("SELECT count(*) FROM companies");
    return s.step();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace clientgate::storage
