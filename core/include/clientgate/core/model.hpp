// The canonical model: the union of what the five APIs expose (see shared/contract/dataset.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clientgate/core/types.hpp"

namespace clientgate::core {

// The nullable text columns of a client, in dataset order. An X-macro so that storage, the
// dataset codec and the patch logic walk one list instead of repeating it.
// clang-format off
#define CLIENTGATE_CLIENT_TEXT_FIELDS(X)                                                 \
  X(code) X(description) X(website) X(email) X(phone) X(fax) X(address1) X(address2)     \
  X(city) X(state) X(postal_code) X(shipping_address1) X(shipping_address2)              \
  X(shipping_city) X(shipping_state) X(shipping_postal_code) X(vat_number) X(id_number)  \
  X(private_notes) X(public_notes) X(custom_value1) X(custom_value2) X(custom_value3)    \
  X(custom_value4) X(classification)

// The nullable integer columns of a client.
#define CLIENTGATE_CLIENT_INT_FIELDS(X) X(country_id) X(shipping_country_id) X(currency_id)

// The money columns of a client.
#define CLIENTGATE_CLIENT_MONEY_FIELDS(X) X(balance) X(paid_to_date) X(credit_balance)

// The nullable text columns of a contact.
#define CLIENTGATE_CONTACT_TEXT_FIELDS(X)                                                \
  X(first_name) X(last_name) X(email) X(phone) X(custom_value1) X(custom_value2)         \
  X(custom_value3) X(custom_value4)
// clang-format on

struct Company {
  CompanyId id = 0;
  std::string title;
  Text slug;
  bool clients_enabled = true;
};

struct Membership {
  CompanyId company_id = 0;
  Role role = Role::resource;
  bool client_manager = false;
};

struct ApiToken {
  std::string token_sha256;  // lower-case hex of SHA-256 of the token
  std::optional<CompanyId> company_id;
};

struct User {
  UserId id = 0;
  std::string name;
  std::string email;
  Text password_hash;                   // crypto_pwhash_str output
  std::vector<Membership> memberships;  // dataset order: the first is the default company
  std::vector<ApiToken> tokens;
};

struct Contact {
  ContactId id = 0;
  ClientId client_id = 0;
#define CLIENTGATE_X(f) Text f;
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  bool is_primary = false;
  bool send_email = true;
  std::string contact_key;  // 40 random alphanumerics, made once
  Text password_hash;
  Timestamp created_at;
  Timestamp updated_at;
  bool operator==(const Contact&) const = default;
};

struct DocumentInfo {
  DocumentId id = 0;
  ClientId client_id = 0;
  std::string name;  // the file name as uploaded
  std::string type;  // the extension, lower case
  std::int64_t size = 0;
  std::string hash;  // lower-case hex SHA-256 of the content
  bool is_public = true;
  Timestamp created_at;
  Timestamp updated_at;
  bool operator==(const DocumentInfo&) const = default;
};

struct ClientCounts {
  std::int64_t campaigns = 0;
  std::int64_t links = 0;
  bool operator==(const ClientCounts&) const = default;
};

struct Client {
  ClientId id = 0;
  CompanyId company_id = 0;
  std::string name;
  std::string uuid;          // lower-case, hyphenated, version 4 when generated
  std::string number;        // unique within the company
  std::int64_t localid = 0;  // per-company sequence
  bool active = true;        // false: archived / inactive; agrees with archived_at
  bool is_deleted = false;   // soft-deleted (ninja); invisible to the other dialects
#define CLIENTGATE_X(f) Text f;
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) std::optional<std::int64_t> f;
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) Money f;
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  Timestamp created_at;
  Timestamp updated_at;
  std::optional<Timestamp> archived_at;
  std::string client_hash;  // 40 random alphanumerics, made once
  // Invoice Ninja's client `settings` object as JSON text, kept whole and opaque here: only
  // the ninja dialect and the dataset codec read or write JSON. Null: never given.
  Text settings_json;

  // Loaded only when asked for (see ClientLoad).
  std::vector<Contact> contacts;  // primary first, then by id
  std::vector<DocumentInfo> documents;
  std::optional<ClientCounts> counts;
  bool operator==(const Client&) const = default;
};

struct Task {
  TaskId id = 0;
  ProjectId project_id = 0;
  std::string name;
};

struct Project {
  ProjectId id = 0;
  ClientId client_id = 0;
  std::string name;
  bool active = true;
  Text code;
  Text description;
  Text url;
  Timestamp created_at;
  Timestamp updated_at;
  std::vector<UserId> assignees;
  std::int64_t time_entries = 0;
  std::vector<Task> tasks;  // loaded when asked for
};

struct Campaign {
  std::string id;  // UUID
  ClientId client_id = 0;
  std::string name;
  std::int64_t links = 0;
};

// A document with its bytes, as the dataset carries it.
struct Document {
  DocumentInfo info;
  std::string content;
};

// Everything the store holds: what `import` reads and `export` writes.
struct Dataset {
  std::vector<Company> companies;
  std::vector<User> users;
  std::vector<Client> clients;  // with contacts; documents' bytes are in `documents`
  std::vector<Document> documents;
  std::vector<Project> projects;  // with tasks
  std::vector<Campaign> campaigns;
};

}  // namespace clientgate::core
