// The schema: numbered migrations, run at open (Impl::migrate).
#include <iterator>
#include <string>

#include "clientgate/core/errors.hpp"
#include "sqlite_impl.hpp"

namespace clientgate::storage {

namespace {

// Numbered migrations: migration i brings the schema from version i to i + 1.
const char* const migrations[] = {
    R"sql(
CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  slug TEXT,
  clients_enabled INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX companies_slug ON companies(slug COLLATE NOCASE);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL COLLATE NOCASE,
  password_hash TEXT
);
CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE);

CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  role TEXT NOT NULL,
  client_manager INTEGER NOT NULL,
  PRIMARY KEY (user_id, company_id)
) WITHOUT ROWID;
CREATE INDEX memberships_company ON memberships(company_id);

CREATE TABLE api_tokens (
  token_sha256 TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX api_tokens_company ON api_tokens(company_id);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_id INTEGER NOT NULL REFERENCES companies(id),
  name TEXT NOT NULL,
  uuid TEXT NOT NULL,
  number TEXT NOT NULL,
  localid INTEGER NOT NULL,
  active INTEGER NOT NULL,
  is_deleted INTEGER NOT NULL,
  code TEXT, description TEXT, website TEXT, email TEXT, phone TEXT, fax TEXT,
  address1 TEXT, address2 TEXT, city TEXT, state TEXT, postal_code TEXT,
  shipping_address1 TEXT, shipping_address2 TEXT, shipping_city TEXT, shipping_state TEXT,
  shipping_postal_code TEXT, vat_number TEXT, id_number TEXT, private_notes TEXT,
  public_notes TEXT, custom_value1 TEXT, custom_value2 TEXT, custom_value3 TEXT,
  custom_value4 TEXT,
  country_id INTEGER, shipping_country_id INTEGER, currency_id INTEGER,
  balance INTEGER NOT NULL,
  paid_to_date INTEGER NOT NULL,
  credit_balance INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  archived_at INTEGER,
  client_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX clients_uuid ON clients(uuid);
CREATE UNIQUE INDEX clients_company_number ON clients(company_id, number);
CREATE UNIQUE INDEX clients_company_localid ON clients(company_id, localid);
CREATE INDEX clients_company_id ON clients(company_id, id);
CREATE INDEX clients_company_name ON clients(company_id, name);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
  custom_value1 TEXT, custom_value2 TEXT, custom_value3 TEXT, custom_value4 TEXT,
  is_primary INTEGER NOT NULL,
  send_email INTEGER NOT NULL,
  contact_key TEXT NOT NULL,
  password_hash TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_client ON contacts(client_id);
CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  hash TEXT NOT NULL,
  is_public INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  content BLOB NOT NULL
);
CREATE INDEX documents_client ON documents(client_id);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  active INTEGER NOT NULL,
  code TEXT, description TEXT, url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  time_entries INTEGER NOT NULL
);
CREATE INDEX projects_client ON projects(client_id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL
);
CREATE INDEX tasks_project ON tasks(project_id);

CREATE TABLE project_assignees (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;
CREATE INDEX project_assignees_user ON project_assignees(user_id);

CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  links INTEGER NOT NULL
);
-- Covering: the agency list counts campaigns and sums links per client from the index alone.
CREATE INDEX campaigns_client ON campaigns(client_id, links);

-- The next client number per company (Invoice Ninja's counter): started lazily from the
-- highest numeric number, then advanced past any number already taken.
CREATE TABLE company_sequences (
  company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
  next_number INTEGER NOT NULL
);
)sql",
    // 2: lists walk (company, lifecycle, id) without visiting rows they skip, and a page's total
    // comes from per-company tallies kept by triggers instead of a count over every row.
    R"sql(
CREATE INDEX clients_company_deleted_id ON clients(company_id, is_deleted, id);

CREATE TABLE client_tallies (
  company_id INTEGER NOT NULL,
  active INTEGER NOT NULL,
  is_deleted INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (company_id, active, is_deleted)
) WITHOUT ROWID;
INSERT INTO client_tallies (company_id, active, is_deleted, n)
  SELECT company_id, active, is_deleted, count(*) FROM clients
  GROUP BY company_id, active, is_deleted;

CREATE TRIGGER clients_tally_insert AFTER INSERT ON clients BEGIN
  INSERT INTO client_tallies (company_id, active, is_deleted, n)
    VALUES (new.company_id, new.active, new.is_deleted, 1)
    ON CONFLICT (company_id, active, is_deleted) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER clients_tally_delete AFTER DELETE ON clients BEGIN
  UPDATE client_tallies SET n = n - 1
    WHERE company_id = old.company_id AND active = old.active AND is_deleted = old.is_deleted;
END;
CREATE TRIGGER clients_tally_update AFTER UPDATE OF company_id, active, is_deleted ON clients
  WHEN old.company_id IS NOT new.company_id OR old.active IS NOT new.active
    OR old.is_deleted IS NOT new.is_deleted
BEGIN
  UPDATE client_tallies SET n = n - 1
    WHERE company_id = old.company_id AND active = old.active AND is_deleted = old.is_deleted;
  INSERT INTO client_tallies (company_id, active, is_deleted, n)
    VALUES (new.company_id, new.active, new.is_deleted, 1)
    ON CONFLICT (company_id, active, is_deleted) DO UPDATE SET n = n + 1;
END;
)sql",
    // 3: money holds Invoice Ninja's whole decimal(20,6) range, ±99,999,999,999,999.999999:
    // 10^20 millionths, more than one 64-bit integer holds. Each amount becomes two integers,
    // the whole units (the old column) and the millionths left over (`_micros`), both truncated
    // toward zero as SQLite's / and % do. The pair orders like the amount, so filters compare
    // (units, millionths) and sorts use both.
    R"sql(
ALTER TABLE clients ADD COLUMN balance_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN paid_to_date_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN credit_balance_micros INTEGER NOT NULL DEFAULT 0;
UPDATE clients SET
  balance = balance / 1000000, balance_micros = balance % 1000000,
  paid_to_date = paid_to_date / 1000000, paid_to_date_micros = paid_to_date % 1000000,
  credit_balance = credit_balance / 1000000, credit_balance_micros = credit_balance % 1000000
  WHERE balance != 0 OR paid_to_date != 0 OR credit_balance != 0;
)sql",
    // 4: ninja's client settings object, kept whole as JSON text (Client::settings_json), and
    // its classification (individual, business, ...).
    R"sql(
ALTER TABLE clients ADD COLUMN settings_json TEXT;
ALTER TABLE clients ADD COLUMN classification TEXT;
)sql",
    // 5: substring search by trigrams (sqlite_search.hpp). client_search holds, per client, the
    // searchable text lowered as LIKE compares it (ASCII only), each contact field of all its
    // contacts joined by char(31), and `tag` = ".company.state." (a active, r archived, d
    // deleted) so that a count of matches in scope needs no row of clients. Triggers keep it
    // in step with every write, whatever writes.
    R"sql(
CREATE VIRTUAL TABLE client_search USING fts5(
  name, description, number, id_number, custom_value1, custom_value2, custom_value3,
  custom_value4, contact_names, contact_emails, contact_phones, tag,
  tokenize = 'trigram case_sensitive 1', columnsize = 0);
INSERT INTO client_search (rowid, name, description, number, id_number, custom_value1,
    custom_value2, custom_value3, custom_value4, contact_names, contact_emails, contact_phones,
    tag)
  SELECT c.id, lower(c.name), lower(c.description), lower(c.number), lower(c.id_number),
    lower(c.custom_value1), lower(c.custom_value2), lower(c.custom_value3),
    lower(c.custom_value4),
    (SELECT group_concat(v, char(31)) FROM (
       SELECT lower(first_name) AS v FROM contacts WHERE client_id = c.id
       UNION ALL SELECT lower(last_name) FROM contacts WHERE client_id = c.id)),
    (SELECT group_concat(lower(email), char(31)) FROM contacts WHERE client_id = c.id),
    (SELECT group_concat(lower(phone), char(31)) FROM contacts WHERE client_id = c.id),
    '.' || c.company_id || '.' ||
      CASE WHEN c.is_deleted THEN 'd' WHEN c.active THEN 'a' ELSE 'r' END || '.'
  FROM clients c;

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
  INSERT INTO client_search (rowid, name, description, number, id_number, custom_value1,
      custom_value2, custom_value3, custom_value4, tag)
    VALUES (new.id, lower(new.name), lower(new.description), lower(new.number),
      lower(new.id_number), lower(new.custom_value1), lower(new.custom_value2),
      lower(new.custom_value3), lower(new.custom_value4),
      '.' || new.company_id || '.' ||
        CASE WHEN new.is_deleted THEN 'd' WHEN new.active THEN 'a' ELSE 'r' END || '.');
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
  DELETE FROM client_search WHERE rowid = old.id;
END;
CREATE TRIGGER clients_search_update AFTER UPDATE OF name, description, number, id_number,
    custom_value1, custom_value2, custom_value3, custom_value4, company_id, active, is_deleted
  ON clients
  WHEN old.name IS NOT new.name OR old.description IS NOT new.description
    OR old.number IS NOT new.number OR old.id_number IS NOT new.id_number
    OR old.custom_value1 IS NOT new.custom_value1 OR old.custom_value2 IS NOT new.custom_value2
    OR old.custom_value3 IS NOT new.custom_value3 OR old.custom_value4 IS NOT new.custom_value4
    OR old.company_id IS NOT new.company_id OR old.active IS NOT new.active
    OR old.is_deleted IS NOT new.is_deleted
BEGIN
  UPDATE client_search SET name = lower(new.name), description = lower(new.description),
      number = lower(new.number), id_number = lower(new.id_number),
      custom_value1 = lower(new.custom_value1), custom_value2 = lower(new.custom_value2),
      custom_value3 = lower(new.custom_value3), custom_value4 = lower(new.custom_value4),
      tag = '.' || new.company_id || '.' ||
        CASE WHEN new.is_deleted THEN 'd' WHEN new.active THEN 'a' ELSE 'r' END || '.'
    WHERE rowid = new.id;
END;

-- A client's contact columns, written again whenever one of its contacts changes.
CREATE VIEW client_search_contacts AS
  SELECT c.id AS client_id,
    (SELECT group_concat(v, char(31)) FROM (
       SELECT lower(first_name) AS v FROM contacts WHERE client_id = c.id
       UNION ALL SELECT lower(last_name) FROM contacts WHERE client_id = c.id)) AS names,
    (SELECT group_concat(lower(email), char(31)) FROM contacts WHERE client_id = c.id) AS emails,
    (SELECT group_concat(lower(phone), char(31)) FROM contacts WHERE client_id = c.id) AS phones
  FROM clients c;
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
  UPDATE client_search SET (contact_names, contact_emails, contact_phones) =
      (SELECT names, emails, phones FROM client_search_contacts WHERE client_id = new.client_id)
    WHERE rowid = new.client_id;
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
  UPDATE client_search SET (contact_names, contact_emails, contact_phones) =
      (SELECT names, emails, phones FROM client_search_contacts WHERE client_id = old.client_id)
    WHERE rowid = old.client_id;
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF client_id, first_name, last_name, email,
    phone ON contacts
  WHEN old.client_id IS NOT new.client_id OR old.first_name IS NOT new.first_name
    OR old.last_name IS NOT new.last_name OR old.email IS NOT new.email
    OR old.phone IS NOT new.phone
BEGIN
  UPDATE client_search SET (contact_names, contact_emails, contact_phones) =
      (SELECT names, emails, phones FROM client_search_contacts WHERE client_id = old.client_id)
    WHERE rowid = old.client_id;
  UPDATE client_search SET (contact_names, contact_emails, contact_phones) =
      (SELECT names, emails, phones FROM client_search_contacts WHERE client_id = new.client_id)
    WHERE rowid = new.client_id AND new.client_id IS NOT old.client_id;
END;
)sql",
};
constexpr int schema_latest = static_cast<int>(std::size(migrations));

}  // namespace

void SqliteRepository::Impl::migrate() {
  Connection& c = connection();
  int version = 0;
  {
    auto s = c.prepare("PRAGMA user_version");
    if (s.step()) version = static_cast<int>(s.i64(0));
  }
  if (version > schema_latest) {
    throw core::unavailable("the database was written by a newer clientgate (schema " +
                            std::to_string(version) + ")");
  }
  for (int v = version; v < schema_latest; ++v) {
    write([&](Connection& w) {
      w.exec(migrations[v]);
      std::string set = "PRAGMA user_version = " + std::to_string(v + 1);
      w.exec(set.c_str());
    });
  }
  auto s = c.prepare(
      "SELECT NOT EXISTS (SELECT 1 FROM companies) AND NOT EXISTS (SELECT 1 FROM users) AND "
      "NOT EXISTS (SELECT 1 FROM clients)");
  was_empty = s.step() && s.boolean(0);
}

}  // namespace clientgate::storage
