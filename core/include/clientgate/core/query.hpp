// What a dialect may ask of the clients store: the query, the draft of a new client, the
// patch of an existing one, and the rules a write must keep.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clientgate/core/model.hpp"

namespace clientgate::core {

// The lifecycle states of a client, as bits: one fact with several names (ninja's
// "archived" is everyone else's "inactive").
enum ClientState : unsigned {
  state_active = 1u,                            // active, not deleted
  state_archived = 2u,                          // inactive / archived, not deleted
  state_deleted = 4u,                           // soft-deleted (ninja only)
  states_live = state_active | state_archived,  // what every dialect but ninja can see
  states_all = state_active | state_archived | state_deleted,
};

// Columns a list may be sorted by.
enum class ClientColumn {
  id,
  name,
  number,
  id_number,
  localid,
  balance,
  paid_to_date,
  credit_balance,
  created_at,
  updated_at,
  archived_at,
  email,
  website,
  phone,
  city,
  state,
  postal_code,
  country_id,
  vat_number,
  custom_value1,
  custom_value2,
  custom_value3,
  custom_value4,
  // `number`'s digits read as one number ("INV-12" -> 12, no digits -> 0): Invoice Ninja's
  // REGEXP_REPLACE(number, '[^0-9]+', '') + 0.
  number_digits
};

// Where a free-text search looks, as bits.
enum SearchField : unsigned {
  search_name = 1u << 0,
  search_description = 1u << 1,
  search_localid = 1u << 2,  // the term equals the localid (padded or not)
  search_number = 1u << 3,
  search_id_number = 1u << 4,
  search_contact_names = 1u << 5,  // contacts' first_name, last_name
  search_contact_email = 1u << 6,
  search_contact_phone = 1u << 7,
  search_custom_values = 1u << 8,  // custom_value1..4
};

enum class Comparison { lt, lte, gt, gte, eq };

struct MoneyCondition {
  Comparison op = Comparison::eq;
  Money value;
};

// What to load beside the client's own columns.
struct ClientLoad {
  bool contacts = false;
  bool documents = false;
  bool counts = false;  // campaigns and links, computed in the same query
  // Only the identity columns: id, company_id, name, uuid, number, localid, active,
  // is_deleted, the timestamps and client_hash; every other field stays empty. For a dialect
  // that shows no more (a list reads less).
  bool summary = false;
};

struct ClientQuery {
  // Filled by ClientService from the principal (never by a dialect): the companies visible.
  // Either every company this user is a member of, read by the store from its memberships
  // (a caller of many companies: no list of them is bound per query), or exactly `companies`.
  std::optional<UserId> member_of;
  std::vector<CompanyId> companies;

  std::optional<CompanyId> company_id;  // narrow to one company (outside scope: empty result)
  unsigned states = states_live;        // ClientState bits
  std::vector<ClientId> ids;            // any of
  std::optional<std::string> uuid;
  std::vector<std::int64_t> localids;        // any of
  std::optional<std::string> name_contains;  // case-insensitive substring
  std::optional<std::string> name_equals;    // exact
  std::optional<std::string> number;         // exact
  std::optional<std::string> id_number;      // exact
  // number and id_number compared ignoring ASCII case, as a MySQL _ci collation compares them
  // (Invoice Ninja's ClientFilters).
  bool number_ignores_case = false;
  std::optional<std::string> contact_email;  // a contact's, exact (case-insensitive)
  std::vector<std::string> search_terms;     // any term, case-insensitive substring ...
  unsigned search_fields = 0;                // ... in any of these SearchField bits
  std::vector<MoneyCondition> balance;       // all of
  std::optional<Timestamp> created_since;    // created_at >=
  std::optional<Timestamp> updated_since;    // updated_at >=
  // Only clients with a project assigned to this user (legacy_xml's non-managers and
  // my_*assignments), and optionally only through projects whose active flag is this.
  std::optional<UserId> assigned_user;
  std::optional<bool> assigned_project_active;
  bool with_active_project = false;  // only clients with at least one active project
  // Also this client, when it is of the same companies, whatever the other filters say, and
  // listed first (Invoice Ninja's `with`: the client a picker has selected).
  std::optional<ClientId> with_id;

  ClientColumn sort = ClientColumn::id;
  bool descending = false;           // ties are always broken by id ascending
  std::optional<ClientId> after_id;  // keyset paging; only with sort == id ascending
  std::int64_t offset = 0;
  std::optional<std::int64_t> limit;  // nullopt: all
  bool count_total = true;            // compute ClientPage::total

  ClientLoad load;
};

struct ClientPage {
  std::int64_t total = 0;  // all matching, before offset/limit (when count_total)
  std::vector<Client> items;
};

struct ContactInput {
  std::optional<ContactId> id;  // set: update that contact of the client; absent: create
#define CLIENTGATE_X(f) Change<Text> f;
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  Change<bool> is_primary;
  Change<bool> send_email;
  Change<std::string> password;  // in clear; stored as a hash; "" clears it
};

// The fields a write sets; anything left nullopt is untouched (or defaulted on create).
struct ClientPatch {
  Change<std::string> name;
  Change<bool> active;  // false archives (archived_at = now), true restores
#define CLIENTGATE_X(f) Change<Text> f;
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) Change<std::optional<std::int64_t>> f;
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) Change<Money> f;
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  Change<std::string> number;    // "" on create: allocate the next free number
  Change<Timestamp> created_at;  // intervals' datecreated
  Change<Text> settings_json;    // ninja's whole settings object (see Client::settings_json)
  // The whole contact list: contacts not in it are removed, an element with a known id
  // updates that contact, one without creates; exactly one ends up primary (the first
  // flagged, else the first).
  Change<std::vector<ContactInput>> contacts;
};

struct ClientDraft {
  std::optional<CompanyId> company_id;  // nullopt: the principal's default company
  std::optional<std::string> uuid;      // nullopt: a random version 4 UUID
  ClientPatch fields;
};

// Rules a write keeps, chosen by the dialect; checked inside the write's transaction, so
// two racing writers can never both break them.
struct WriteRules {
  bool unique_name = false;       // name unique (exact) within the company: conflict "name"
  bool unique_id_number = false;  // id_number unique within the company: conflict "id_number"
  bool refuse_deleted = false;    // a soft-deleted client may not be changed: conflict "is_deleted"
  // An update that changes no value still writes and moves updated_at (Prisma's @updatedAt);
  // otherwise it writes nothing (Rails' and Eloquent's partial updates).
  bool touch_unchanged = false;
  // number (and id_number, with unique_id_number) unique as Laravel's Rule::unique checks them
  // on MySQL (ninja): ignoring ASCII case (a _ci collation), and over every client of the
  // company, soft-deleted ones included: conflict "number" / "id_number".
  bool unique_as_laravel = false;
  // `number` is always unique within the company (the canonical invariant): conflict "number".
};

enum class DeleteMode {
  soft,                      // is_deleted = true, archived (ninja)
  hard,                      // the client, its contacts, documents, projects, campaigns go
  hard_unless_time_entries,  // as hard; conflict "time_entries" when a project holds any
};

enum class BulkAction { archive, restore, soft_delete };

}  // namespace clientgate::core
