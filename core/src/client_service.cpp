#include "clientgate/core/client_service.hpp"

namespace clientgate::core {
namespace {

// A scope of up to this many companies is handed to the store as a list; a larger one that
// is every membership of the user is read by the store from its memberships, so that a
// request's cost does not grow with the caller's companies.
constexpr std::size_t max_listed_scope = 8;

// The one place the cross-tenant rule is applied to a query: the visible companies are the
// scope, narrowed to the requested company when there is one.
void apply_scope(const Principal& who, ClientQuery& query) {
  query.companies.clear();
  query.member_of.reset();
  if (query.company_id) {
    if (who.in_scope(*query.company_id)) query.companies.push_back(*query.company_id);
  } else if (who.scope_is_every_membership() && who.scope().size() > max_listed_scope) {
    query.member_of = who.user_id;
  } else {
    query.companies = who.scope();
  }
}

ClientQuery one_client_query(unsigned states, ClientLoad load) {
  ClientQuery q;
  q.states = states;
  q.limit = 1;
  q.count_total = false;
  q.load = load;
  return q;
}

}  // namespace

ClientPage ClientService::list(const Principal& who, ClientQuery query) const {
  apply_scope(who, query);
  if (!query.member_of && query.companies.empty()) return {};
  return repo_.list_clients(query);
}

std::optional<Client> ClientService::find_where(const Principal& who, ClientId id,
                                                ClientQuery query) const {
  query.ids = {id};
  query.offset = 0;
  query.limit = 1;
  query.count_total = false;
  auto page = list(who, std::move(query));
  if (page.items.empty()) return std::nullopt;
  return std::move(page.items.front());
}

std::optional<Client> ClientService::find(const Principal& who, ClientId id, unsigned states,
                                          ClientLoad load) const {
  return find_where(who, id, one_client_query(states, load));
}

std::optional<Client> ClientService::find_by_uuid(const Principal& who, std::string_view uuid,
                                                  unsigned states, ClientLoad load) const {
  ClientQuery q = one_client_query(states, load);
  q.uuid = std::string(uuid);
  auto page = list(who, std::move(q));
  if (page.items.empty()) return std::nullopt;
  return std::move(page.items.front());
}

Client ClientService::create(const Principal& who, const ClientDraft& draft,
                             const WriteRules& rules) const {
  std::optional<CompanyId> company = draft.company_id ? draft.company_id : who.default_company();
  // Out of scope and nonexistent are the same answer: existence is not revealed.
  if (!company || !who.in_scope(*company))
    throw validation("company_id", "The selected company is invalid.");
  return repo_.create_client(*company, draft, rules, Timestamp::now());
}

void apply_patch(Client& c, const ClientPatch& p, Timestamp now) {
  if (p.name) c.name = *p.name;
#define CLIENTGATE_X(f) \
  if (p.f) c.f = *p.f;
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  if (p.created_at) c.created_at = *p.created_at;
  if (p.settings_json) c.settings_json = *p.settings_json;
  if (p.active) {
    if (*p.active) {
      c.active = true;
      c.archived_at.reset();
    } else if (c.active || !c.archived_at) {
      c.active = false;
      c.archived_at = now;
    }
  }
}

bool patch_changes(const Client& stored, const ClientPatch& patch) {
  if (patch.contacts) return true;
  if (patch.number && (patch.number->empty() || *patch.number != stored.number)) return true;
  Client after = stored;
  apply_patch(after, patch, Timestamp::now());
  return !(after == stored);
}

Client ClientService::update(const Principal& who, ClientId id, const ClientPatch& patch,
                             const WriteRules& rules, unsigned states) const {
  auto stored = find(who, id, states);
  if (!stored) throw not_found();
  // Nothing to write, unless the dialect's product writes anyway or a rule must refuse the
  // write itself (a deleted client).
  if (!rules.touch_unchanged && !patch_changes(*stored, patch) &&
      !(rules.refuse_deleted && stored->is_deleted)) {
    auto whole =
        find(who, id, states, ClientLoad{.contacts = true, .documents = true, .counts = true});
    if (!whole) throw not_found();
    return std::move(*whole);
  }
  auto updated = repo_.update_client(id, patch, rules, Timestamp::now());
  if (!updated) throw not_found();  // deleted by a concurrent writer
  return std::move(*updated);
}

void ClientService::remove(const Principal& who, ClientId id, DeleteMode mode,
                           unsigned states) const {
  if (!find(who, id, states)) throw not_found();
  if (!repo_.delete_client(id, mode, Timestamp::now())) throw not_found();
}

std::vector<Client> ClientService::bulk(const Principal& who, const std::vector<ClientId>& ids,
                                        BulkAction action, ClientLoad load) const {
  for (ClientId id : ids)
    if (!find(who, id, states_all)) throw not_found();
  repo_.bulk_update(ids, action, Timestamp::now());
  std::vector<Client> out;
  out.reserve(ids.size());
  for (ClientId id : ids)
    if (auto c = find(who, id, states_all, load)) out.push_back(std::move(*c));
  return out;
}

std::optional<Company> ClientService::company(const Principal& who, CompanyId id) const {
  if (!who.in_scope(id)) return std::nullopt;
  return repo_.find_company(id);
}

std::optional<Company> ClientService::company_by_slug(std::string_view slug) const {
  return repo_.find_company_by_slug(slug);
}

std::optional<Company> ClientService::company_by_id(CompanyId id) const {
  return repo_.find_company(id);
}

std::vector<Project> ClientService::projects(const std::vector<ClientId>& clients,
                                             bool with_tasks) const {
  if (clients.empty()) return {};
  return repo_.list_projects(clients, with_tasks);
}

DocumentInfo ClientService::attach_document(const Principal& who, ClientId client,
                                            const NewDocument& doc) const {
  if (!find(who, client, states_all)) throw not_found();
  return repo_.add_document(client, doc, Timestamp::now());
}

std::optional<DocumentInfo> ClientService::document(const Principal& who, DocumentId id) const {
  auto info = repo_.find_document(id);
  if (!info || !find(who, info->client_id, states_all)) return std::nullopt;
  return info;
}

bool ClientService::read_document(DocumentId id,
                                  const std::function<void(std::string_view)>& sink) const {
  return repo_.read_document(id, sink);
}

std::optional<std::string> ClientService::read_document_piece(DocumentId id, std::uint64_t offset,
                                                              std::size_t max_bytes) const {
  return repo_.read_document_piece(id, offset, max_bytes);
}

}  // namespace clientgate::core
