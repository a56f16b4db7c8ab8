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
#include "sqlite_impl.hpp"
#include "wal_vfs.hpp"

namespace clientgate::storage {

namespace {

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
}  // namespace

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