// The rules that hold whatever the dialect: scope, atomic writes, lifecycle consistency.
// A dialect translates its wire format into these calls and renders what comes back.
#pragma once

#include <optional>
#include <vector>

#include "clientgate/core/errors.hpp"
#include "clientgate/core/principal.hpp"
#include "clientgate/core/query.hpp"
#include "clientgate/core/repository.hpp"

namespace clientgate::core {

// Applies a patch's own columns to `client` (not `number`, not the contacts): what an update
// and a create write. `now` is the archived_at of a client the patch archives.
void apply_patch(Client& client, const ClientPatch& patch, Timestamp now);

// Whether writing `patch` would change anything stored: the client with the patch applied
// (apply_patch, so a new field is compared as soon as it is applied) is compared with
// `stored` as a whole. A contact list in the patch always counts as a change (passwords are
// stored as hashes and cannot be compared), and so does `number` "" (the next free number).
bool patch_changes(const Client& stored, const ClientPatch& patch);

class ClientService {
 public:
  explicit ClientService(Repository& repository) : repo_(repository) {}

  // The page of clients matching `query` within the principal's scope. `query.companies` is
  // overwritten with scope ∩ company_id: a company outside the scope gives an empty page.
  ClientPage list(const Principal& who, ClientQuery query) const;

  // One client by id / uuid, visible under `states` and the principal's scope; nullopt for
  // a client that does not exist and for one outside the scope alike.
  std::optional<Client> find(const Principal& who, ClientId id, unsigned states = states_live,
                             ClientLoad load = {}) const;
  std::optional<Client> find_by_uuid(const Principal& who, std::string_view uuid,
                                     unsigned states = states_live, ClientLoad load = {}) const;
  // As find, narrowed further by a prepared query (e.g. assigned_user); the query's id filter
  // is replaced by `id`.
  std::optional<Client> find_where(const Principal& who, ClientId id, ClientQuery query) const;

  // Creates a client. The company is draft.company_id or the principal's default company;
  // one outside the scope is a validation error on "company_id" (existence is not revealed).
  Client create(const Principal& who, const ClientDraft& draft, const WriteRules& rules = {}) const;

  // Updates a client visible under `states`; not_found otherwise. A patch that changes
  // nothing (every value equal to the stored one) writes nothing: `updated_at` stays, as
  // Rails and Laravel save only changed attributes and clients resend every field (unless
  // rules.touch_unchanged).
  Client update(const Principal& who, ClientId id, const ClientPatch& patch,
                const WriteRules& rules = {}, unsigned states = states_live) const;

  // Deletes a client visible under `states`; not_found otherwise; conflict "time_entries"
  // under DeleteMode::hard_unless_time_entries.
  void remove(const Principal& who, ClientId id, DeleteMode mode,
              unsigned states = states_live) const;

  // All or nothing: every id must be a client in scope (any state), else not_found and
  // nothing changes. Returns the clients after the change, in the order of `ids`.
  std::vector<Client> bulk(const Principal& who, const std::vector<ClientId>& ids,
                           BulkAction action, ClientLoad load = {}) const;

  // A company of the principal's scope; nullopt otherwise.
  std::optional<Company> company(const Principal& who, CompanyId id) const;

  // Projects of clients the caller has already been shown (ids are trusted to be visible).
  std::vector<Project> projects(const std::vector<ClientId>& clients, bool with_tasks) const;

  // Documents: attach to a client in scope; find one whose client is in scope.
  DocumentInfo attach_document(const Principal& who, ClientId client, const NewDocument& doc) const;
  std::optional<DocumentInfo> document(const Principal& who, DocumentId id) const;
  bool read_document(DocumentId id, const std::function<void(std::string_view)>& sink) const;
  std::optional<std::string> read_document_piece(DocumentId id, std::uint64_t offset,
                                                 std::size_t max_bytes) const;

  // The account directory, before any caller is known: which company a name (legacy_xml's
  // Host label) or id is, and whether it takes clients. A company record holds no client data,
  // and the dialect checks the caller's membership before it shows anything of it.
  std::optional<Company> company_by_slug(std::string_view slug) const;
  std::optional<Company> company_by_id(CompanyId id) const;

 private:
  Repository& repo_;
};

}  // namespace clientgate::core
