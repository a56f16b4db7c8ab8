// The Repository on SQLite: WAL mode, numbered migrations at open, prepared statements with
// bound parameters only, one connection per thread, a transaction around every write.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "clientgate/core/repository.hpp"

namespace clientgate::storage {

enum class Durability {
  // synchronous=NORMAL in WAL mode: a committed write survives a crash of the process
  // (SIGKILL, abort); a power loss may lose the last commits. The default.
  process_crash,
  // synchronous=FULL: a committed write also survives a power loss or OS crash.
  power_loss,
};

struct StorageSettings {
  Durability durability = Durability::process_crash;
  std::chrono::milliseconds busy_timeout{5000};  // waiting for the write lock
  std::int64_t max_page_count = 0;               // 0: SQLite's default (fault tests set it)
  // Page cache of each connection (one per worker thread), in KiB: enough for the agency
  // list's working set; the price is resident memory (workers x this, at most).
  std::int64_t cache_kib = 8192;
  bool read_only = false;
  // Room kept for deletes on a full disk: a file `<db>-reserve` of this size, released when a
  // write meets a full disk and made again once the disk has room (0: none).
  std::int64_t reserve_bytes = 8 * 1024 * 1024;
  // Testing aid: the store's files (database, WAL, reserve) are on a pretend file system of
  // this many bytes, full past it as a real one is (0: the real file system).
  std::int64_t disk_bytes = 0;
  // Substring searches use the trigram index (false: every search scans; tests compare the
  // two). The index is kept in step either way.
  bool search_index = true;
  // The WAL's bound, in pages: once it holds this many, the checkpointer thread pauses the
  // writes for a moment to copy the last frames back, and the next commit starts the WAL
  // over (storage/README.md, "Checkpoints"). The WAL file stays near this size.
  std::int64_t wal_bound_pages = 16384;
};

class SqliteRepository final : public core::Repository {
 public:
  // Opens (creating when missing) the database and runs the migrations it lacks.
  // Throws core::Error(unavailable) when the file cannot be opened or migrated.
  static std::unique_ptr<SqliteRepository> open(const std::filesystem::path& path,
                                                StorageSettings settings = {});
  ~SqliteRepository() override;

  // The schema version after migrations (for tests and `--help`).
  int schema_version();
  // Whether the database held no companies, users or clients when opened (serve loads the
  // demo dataset into a new database).
  bool empty();
  // The value of a PRAGMA as text (e.g. "synchronous" -> "1", "journal_mode" -> "wal") on the
  // calling thread's connection; for tests of the settings applied.
  std::string pragma_value(std::string_view name);

  std::optional<core::TokenGrant> find_token(std::string_view token_sha256_hex) override;
  std::optional<core::User> find_user(core::UserId id) override;
  std::optional<core::User> find_user_by_email(std::string_view email) override;
  std::optional<core::Company> find_company(core::CompanyId id) override;
  std::optional<core::Company> find_company_by_slug(std::string_view slug) override;
  core::ClientPage list_clients(const core::ClientQuery& query) override;
  std::optional<core::CompanyId> client_company(core::ClientId id) override;
  core::Client create_client(core::CompanyId company, const core::ClientDraft& draft,
                             const core::WriteRules& rules, core::Timestamp now) override;
  std::optional<core::Client> update_client(core::ClientId id, const core::ClientPatch& patch,
                                            const core::WriteRules& rules,
                                            core::Timestamp now) override;
  bool delete_client(core::ClientId id, core::DeleteMode mode, core::Timestamp now) override;
  void bulk_update(const std::vector<core::ClientId>& ids, core::BulkAction action,
                   core::Timestamp now) override;
  std::vector<core::Project> list_projects(const std::vector<core::ClientId>& clients,
                                           bool with_tasks) override;
  core::DocumentInfo add_document(core::ClientId client, const core::NewDocument& doc,
                                  core::Timestamp now) override;
  std::optional<core::DocumentInfo> find_document(core::DocumentId id) override;
  bool read_document(core::DocumentId id,
                     const std::function<void(std::string_view)>& sink) override;
  std::optional<std::string> read_document_piece(core::DocumentId id, std::uint64_t offset,
                                                 std::size_t max_bytes) override;
  void import_dataset(const core::Dataset& data, const core::ImportOptions& options) override;
  core::Dataset export_dataset() override;
  bool healthy() override;
  void keep_snapshots() override;
  void end_snapshot() override;
  bool write_together(const std::function<void()>& body) override;

  struct Impl;

 private:
  explicit SqliteRepository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clientgate::storage
