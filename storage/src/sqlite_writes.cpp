// Helpers of the writes of clients, run inside a write transaction: the next number, the
// contact list, bulk actions.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "clientgate/core/secrets.hpp"
#include "sqlite_impl.hpp"
#include "sqlite_rows.hpp"

namespace clientgate::storage {

namespace {

std::string pad_number(std::int64_t n) {
  std::string s = std::to_string(n);
  if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
  return s;
}

}  // namespace

std::string SqliteRepository::Impl::next_number(Connection& c, core::CompanyId company) {
  std::optional<std::int64_t> counter;
  {
    auto s = c.prepare("SELECT next_number FROM company_sequences WHERE company_id = ?");
    s.bind(1, company);
    if (s.step()) counter = s.i64(0);
  }
  if (!counter) {
    auto s = c.prepare(
        "SELECT coalesce(max(CAST(number AS INTEGER)), 0) + 1 FROM clients WHERE company_id = "
        "? AND number <> '' AND number NOT GLOB '*[^0-9]*' AND length(number) < 19");
    s.bind(1, company);
    s.step();
    counter = s.i64(0);
  }
  std::string number = pad_number(*counter);
  while (number_taken(c, company, number, 0))
    number = pad_number(++*counter);
  auto s = c.prepare(
      "INSERT INTO company_sequences (company_id, next_number) VALUES (?1, ?2) ON "
      "CONFLICT(company_id) DO UPDATE SET next_number = excluded.next_number");
  s.bind(1, company).bind(2, *counter + 1);
  s.run();
  return number;
}

std::vector<std::string> SqliteRepository::Impl::hash_contact_passwords(
    const std::optional<std::vector<core::ContactInput>>& inputs) {
  std::vector<std::string> out;
  if (!inputs) return out;
  out.resize(inputs->size());
  for (std::size_t i = 0; i < inputs->size(); ++i) {
    const auto& password = (*inputs)[i].password;
    if (password && !password->empty()) out[i] = core::secrets::hash_password(*password);
  }
  return out;
}

void SqliteRepository::Impl::replace_contacts(Connection& c, core::ClientId client,
                                              const std::vector<core::ContactInput>& inputs,
                                              Timestamp now,
                                              const std::vector<std::string>& password_hashes) {
  std::map<core::ContactId, core::Contact> existing;
  {
    auto s =
        c.prepare(std::string("SELECT ") + contact_columns + " FROM contacts WHERE client_id = ?");
    s.bind(1, client);
    while (s.step()) {
      auto k = read_contact(s);
      existing.emplace(k.id, std::move(k));
    }
  }
  std::size_t primary = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].is_primary.value_or(false)) {
      primary = i;
      break;
    }
  }
  std::set<core::ContactId> kept;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    core::Contact k;
    auto known = in.id ? existing.find(*in.id) : existing.end();
    bool update = known != existing.end() && !kept.count(known->first);
    if (update) {
      k = known->second;
      k.updated_at = std::max(now, Timestamp{k.updated_at.micros + 1});
      kept.insert(k.id);
    } else {
      k.client_id = client;
      k.contact_key = core::secrets::random_alphanumeric(40);
      k.created_at = now;
      k.updated_at = now;
    }
#define CLIENTGATE_X(f) \
  if (in.f) k.f = *in.f;
    CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
    if (in.send_email) k.send_email = *in.send_email;
    if (in.password) {
      if (in.password->empty()) {
        k.password_hash.reset();
      } else {
        k.password_hash = password_hashes.at(i);
      }
    }
    k.is_primary = i == primary;
    auto s = c.prepare(contact_insert_sql(update));
    bind_contact(s, k);
    s.run();
  }
  for (const auto& [id, k] : existing) {
    if (kept.count(id)) continue;
    auto s = c.prepare("DELETE FROM contacts WHERE id = ?");
    s.bind(1, id);
    s.run();
  }
}

void SqliteRepository::Impl::touch_for_bulk(Connection& c, core::ClientId id,
                                            core::BulkAction action, Timestamp now) {
  const char* sql = nullptr;
  switch (action) {
    case core::BulkAction::archive:
      sql =
          "UPDATE clients SET active = 0, archived_at = coalesce(archived_at, ?1), updated_at = "
          "max(?1, updated_at + 1) WHERE id = ?2";
      break;
    case core::BulkAction::restore:
      sql =
          "UPDATE clients SET active = 1, is_deleted = 0, archived_at = NULL, updated_at = "
          "max(?1, updated_at + 1) WHERE id = ?2";
      break;
    case core::BulkAction::soft_delete:
      sql =
          "UPDATE clients SET active = 0, is_deleted = 1, archived_at = coalesce(archived_at, "
          "?1), updated_at = max(?1, updated_at + 1) WHERE id = ?2";
      break;
  }
  auto s = c.prepare(sql);
  s.bind(1, now).bind(2, id);
  s.run();
}

}  // namespace clientgate::storage
