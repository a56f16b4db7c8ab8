// Internal to storage: the rows of the store as domain values. The client row has one column
// order for SELECT, INSERT and UPDATE.
#pragma once

#include <string>
#include <vector>

#include "sqlite_connection.hpp"

namespace clientgate::storage::sqlite {

// id, company_id, name, ... in the client row's order.
const std::string& client_column_names();
std::vector<std::string> split_columns(const std::string& names);
// client_column_names() each prefixed with "c.".
const std::string& client_select_columns();
// The columns of ClientLoad::summary, read by read_client_summary.
inline constexpr const char* client_summary_columns =
    "c.id, c.company_id, c.name, c.uuid, c.number, c.localid, c.active, c.is_deleted, "
    "c.created_at, c.updated_at, c.archived_at, c.client_hash";
inline constexpr int client_summary_column_count = 12;
int client_column_count();
// INSERT with ?1..?N in column order; `upsert` replaces a row with the same id.
const std::string& client_insert_sql(bool upsert);
const std::string& client_update_sql();
// The first eight columns of both column lists: id, company_id, name, uuid, number, localid,
// active, is_deleted.
void read_client_identity(const Stmt& s, Client& c);
Client read_client(const Stmt& s);
// Into a client in place: a list's row is read into its own element (a Client is large, and
// moving one in and destroying the temporary cost a list of 25 more than reading it).
void read_client_summary(const Stmt& s, Client& c);
// Binds ?1..?N; an id of 0 binds NULL so that SQLite allocates one.
void bind_client(Stmt& s, const Client& c);

inline constexpr const char* contact_columns =
    "id, client_id, first_name, last_name, email, phone, custom_value1, custom_value2, "
    "custom_value3, custom_value4, is_primary, send_email, contact_key, password_hash, "
    "created_at, updated_at";
core::Contact read_contact(const Stmt& s);
void bind_contact(Stmt& s, const core::Contact& k);
const char* contact_insert_sql(bool upsert);

inline constexpr const char* document_columns =
    "id, client_id, name, type, size, hash, is_public, created_at, updated_at";
core::DocumentInfo read_document_info(const Stmt& s);

void load_memberships(Connection& c, core::User& u);
core::User read_user(const Stmt& s);
core::Project read_project(const Stmt& s);
core::Company read_company(const Stmt& s);

}  // namespace clientgate::storage::sqlite
