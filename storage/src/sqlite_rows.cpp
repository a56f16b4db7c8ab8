// The rows of the store as domain values: column lists, reading and binding.
#include "sqlite_rows.hpp"

#include <string>
#include <vector>

#include "clientgate/core/client_service.hpp"

namespace clientgate::storage::sqlite {

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

void read_client_summary(const Stmt& s, Client& c) {
  read_client_identity(s, c);
  c.created_at = s.time(8);
  c.updated_at = s.time(9);
  c.archived_at = s.opt_time(10);
  c.client_hash = s.text(11);
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

}  // namespace clientgate::storage::sqlite
