// A small world for the storage tests: two companies, users, a few clients.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "clientgate/core/errors.hpp"
#include "clientgate/core/secrets.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/temp_dir.hpp"

namespace clientgate::test {

inline core::Dataset parse_dataset(const std::string& json, bool check_references = true) {
  dataset::ParseOptions options;
  options.check_references = check_references;
  auto result = dataset::parse(json, options);
  if (auto* problems = std::get_if<std::vector<dataset::Problem>>(&result)) {
    for (const auto& p : *problems)
      UNSCOPED_INFO(p.path << ": " << p.message);
    FAIL("the test dataset was refused");
  }
  return std::get<core::Dataset>(std::move(result));
}

inline const char* world_json() {
  return R"json({
  "format": "clientgate-dataset/1",
  "companies": [
    { "id": 1, "title": "Design Studio", "slug": "design-studio" },
    { "id": 2, "title": "Northwind", "slug": "northwind", "clients_enabled": false }
  ],
  "users": [
    { "id": 7, "name": "Ada", "email": "Ada@Example.com", "password": "pw",
      "memberships": [ { "company_id": 2, "role": "manager" },
                       { "company_id": 1, "role": "administrator", "client_manager": true } ],
      "tokens": [ { "token": "ada-all" }, { "token": "ada-1", "company_id": 1 } ] },
    { "id": 8, "name": "Rita", "email": "rita@example.com",
      "memberships": [ { "company_id": 1 } ] }
  ],
  "clients": [
    { "id": 10, "company_id": 1, "name": "Acme", "number": "0001", "localid": 1,
      "uuid": "123e4567-e89b-42d3-a456-426614174000", "balance": "100.50",
      "description": "anvils and rockets", "id_number": "ID-1", "city": "Berlin",
      "created_at": "2023-01-01T00:00:00Z", "updated_at": "2023-01-01T00:00:00Z",
      "contacts": [ { "id": 100, "first_name": "Wile", "last_name": "Coyote",
                      "email": "wile@acme.test", "phone": "555-1" },
                    { "id": 101, "first_name": "Road", "last_name": "Runner",
                      "email": "beep@acme.test", "is_primary": true } ],
      "documents": [ { "id": 5, "name": "plan.txt", "content_base64": "cGxhbg==" } ] },
    { "id": 11, "company_id": 1, "name": "Globex", "number": "0002", "localid": 2,
      "balance": "-5", "custom_value1": "gold", "city": "Springfield",
      "created_at": "2023-02-01T00:00:00Z", "updated_at": "2023-02-01T00:00:00Z" },
    { "id": 12, "company_id": 1, "name": "Initech", "number": "0003", "localid": 3,
      "active": false, "archived_at": "2023-03-02T00:00:00Z", "balance": "100.50",
      "created_at": "2023-03-01T00:00:00Z", "updated_at": "2023-03-02T00:00:00Z" },
    { "id": 13, "company_id": 1, "name": "Hooli", "number": "0004", "localid": 4,
      "is_deleted": true, "active": false,
      "created_at": "2023-04-01T00:00:00Z", "updated_at": "2023-04-01T00:00:00Z" },
    { "id": 20, "company_id": 2, "name": "Other Co", "number": "0001", "localid": 1 }
  ],
  "projects": [
    { "id": 1, "client_id": 10, "name": "Rockets", "assignees": [8], "time_entries": 3,
      "tasks": [ { "id": 1, "name": "Design" }, { "id": 2, "name": "Build" } ] },
    { "id": 2, "client_id": 11, "name": "Idle", "active": false, "assignees": [8, 7] }
  ],
  "campaigns": [
    { "id": "9b2f0c3e-3a51-4d36-9a0f-0d6f6c2f1a10", "client_id": 10, "name": "Spring",
      "links": 12 },
    { "id": "9b2f0c3e-3a51-4d36-9a0f-0d6f6c2f1a11", "client_id": 10, "name": "Fall",
      "links": 3 }
  ]
})json";
}

struct World {
  TempDir dir;
  std::unique_ptr<storage::SqliteRepository> repo;

  explicit World(bool load = true, storage::StorageSettings settings = {}) {
    repo = storage::SqliteRepository::open(dir / "store.db", settings);
    if (load) repo->import_dataset(parse_dataset(world_json()), {});
  }
  std::filesystem::path db() const { return dir / "store.db"; }

  core::ClientQuery query(std::vector<core::CompanyId> companies = {1}) const {
    core::ClientQuery q;
    q.companies = std::move(companies);
    return q;
  }
  std::vector<core::ClientId> ids(const core::ClientQuery& q) const {
    std::vector<core::ClientId> out;
    for (const auto& c : repo->list_clients(q).items)
      out.push_back(c.id);
    return out;
  }
  core::Client get(core::ClientId id) const {
    auto q = query({1, 2});
    q.ids = {id};
    q.states = core::states_all;
    q.load = {true, true, true};
    auto page = repo->list_clients(q);
    REQUIRE(page.items.size() == 1);
    return page.items.front();
  }
};

template <class F>
core::ErrorKind error_kind(F&& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.kind();
  }
  FAIL("no core::Error was thrown");
  return core::ErrorKind::validation;
}

template <class F>
std::string conflict_field(F&& f) {
  try {
    f();
  } catch (const core::Error& e) {
    REQUIRE(e.kind() == core::ErrorKind::conflict);
    return e.fields().empty() ? std::string() : e.fields().front().field;
  }
  FAIL("no conflict was thrown");
  return {};
}

}  // namespace clientgate::test
