// Import and export of the whole store (core::Dataset): Impl::import, Impl::export_all.
#include <exception>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "clientgate/core/errors.hpp"
#include "sqlite_impl.hpp"
#include "sqlite_rows.hpp"

namespace clientgate::storage {

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

}  // namespace clientgate::storage
