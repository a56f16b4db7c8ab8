// The store behind core. storage/ implements it on SQLite; nothing above it knows SQL.
//
// Every method may throw core::Error(ErrorKind::unavailable) when the store cannot serve (disk
// full, read-only file, lock timeout). Writes are atomic: they either happen whole or not.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "clientgate/core/model.hpp"
#include "clientgate/core/query.hpp"

namespace clientgate::core {

struct TokenGrant {
  UserId user_id = 0;
  std::string token_sha256;
  std::optional<CompanyId> company_id;
};

// A document to attach; its bytes are read from `content_path` (the gateway spools large
// uploads to a temporary file) or, when that is empty, from `content`.
struct NewDocument {
  std::string name;
  std::string type;
  bool is_public = true;
  std::string content_path;
  std::string content;
};

// What a client's delete or bulk change needs to know, decided inside the transaction.
struct ImportOptions {
  bool replace = false;  // replace records whose id exists instead of refusing
};

class Repository {
 public:
  virtual ~Repository() = default;

  // --- identities (read-only here; written only by import)
  virtual std::optional<TokenGrant> find_token(std::string_view token_sha256_hex) = 0;
  virtual std::optional<User> find_user(UserId id) = 0;  // with memberships, without tokens
  virtual std::optional<User> find_user_by_email(std::string_view email) = 0;  // case-insensitive
  virtual std::optional<Company> find_company(CompanyId id) = 0;
  virtual std::optional<Company> find_company_by_slug(std::string_view slug) = 0;

  // --- clients. `query.member_of` or `query.companies` is always set by ClientService; an
  // empty list without `member_of` matches nothing.
  virtual ClientPage list_clients(const ClientQuery& query) = 0;

  // The company of a client in any state (the migration view, which has no caller scope);
  // nullopt when no client has this id.
  virtual std::optional<CompanyId> client_company(ClientId id) = 0;

  // Creates in `company`; allocates localid, number (when empty), uuid, client_hash,
  // contact keys; `now` is created_at/updated_at unless the patch sets created_at.
  virtual Client create_client(CompanyId company, const ClientDraft& draft, const WriteRules& rules,
                               Timestamp now) = 0;
  // Applies the patch in one transaction; updated_at becomes max(now, old + 1µs).
  // nullopt when the client does not exist.
  virtual std::optional<Client> update_client(ClientId id, const ClientPatch& patch,
                                              const WriteRules& rules, Timestamp now) = 0;
  // false when the client does not exist.
  virtual bool delete_client(ClientId id, DeleteMode mode, Timestamp now) = 0;
  // All or nothing: every id must exist (the caller checked scope).
  virtual void bulk_update(const std::vector<ClientId>& ids, BulkAction action, Timestamp now) = 0;

  // --- related records
  // Projects of these clients (by client, then id), with tasks when asked.
  virtual std::vector<Project> list_projects(const std::vector<ClientId>& clients,
                                             bool with_tasks) = 0;
  virtual DocumentInfo add_document(ClientId client, const NewDocument& doc, Timestamp now) = 0;
  virtual std::optional<DocumentInfo> find_document(DocumentId id) = 0;
  // Streams the bytes in chunks to `sink`; false when the document does not exist.
  virtual bool read_document(DocumentId id,
                             const std::function<void(std::string_view chunk)>& sink) = 0;
  // Up to `max_bytes` of the bytes from `offset` (fewer at the end, none past it); nullopt when
  // the document does not exist. A download pulls one piece per write, so a slow reader holds
  // one piece in memory, never the document.
  virtual std::optional<std::string> read_document_piece(DocumentId id, std::uint64_t offset,
                                                         std::size_t max_bytes) = 0;

  // --- the whole store
  // All or nothing; throws core::Error(validation) with one FieldError per problem, each
  // naming the JSON path (e.g. "clients[3].company_id").
  virtual void import_dataset(const Dataset& data, const ImportOptions& options) = 0;
  virtual Dataset export_dataset() = 0;

  // Cheap liveness probe for /healthz: true when a trivial read succeeds.
  virtual bool healthy() = 0;

  // Read snapshots, for threads that serve requests. After keep_snapshots(), the calling
  // thread's reads share one snapshot until it calls end_snapshot(); a write of this process
  // ends it at once (a write answered before a read began is always seen by it), a write of
  // another process is seen from the next snapshot. A thread that never calls
  // keep_snapshots() reads the latest commit with every read.
  virtual void keep_snapshots() {}
  virtual void end_snapshot() {}

  // Runs body on the calling thread with every write it makes joining one transaction,
  // committed when body returns: many requests' writes for one commit, without handing them
  // to other threads. Each write still stands or fails alone (a failed write is undone, the
  // others stay). Returns false when the transaction as a whole could not be committed: then
  // none of body's writes stand, and what body learnt of them must be discarded (a caller
  // runs each piece again on its own). The default runs body with a commit per write.
  virtual bool write_together(const std::function<void()>& body) {
    body();
    return true;
  }
};

}  // namespace clientgate::core
