// The scope of a caller of many companies, through Authenticator, ClientService and the SQLite
// store: a user in 10,000 companies sees exactly its companies' clients (the store reads that
// scope from its memberships), a token of one company sees that company only, and a principal
// narrowed to one company (legacy_xml's Host account) or restricted to some sees only those.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <variant>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
using namespace clientgate::core;

namespace {

constexpr CompanyId kCompanies = 10000;  // the agency user's; company kCompanies + 1 is not
constexpr CompanyId kStranger = kCompanies + 1;

// The companies that hold clients: three each (one of them soft-deleted in 5000), interleaved
// by id so that no company is a range. Few of the user's (its lists run as lists of those
// companies) or many (its lists read the scope from the memberships row by row).
const std::vector<CompanyId> few_client_companies = {1, 2, 5000, kCompanies, kStranger};
const std::vector<CompanyId> many_client_companies = {1, 2, 3,  4,    5,          6,        7,
                                                      8, 9, 10, 5000, kCompanies, kStranger};
std::vector<CompanyId> client_companies = few_client_companies;

std::string many_memberships_dataset() {
  std::string json = R"({"format": "clientgate-dataset/1", "companies": [)";
  for (CompanyId c = 1; c <= kStranger; ++c) {
    if (c > 1) json += ",";
    json += R"({"id": )" + std::to_string(c) + R"(, "title": "Company )" + std::to_string(c) +
            R"(", "slug": "company-)" + std::to_string(c) + "\"}";
  }
  json += R"(], "users": [{"id": 1, "name": "Agency", "email": "agency@example.com",
    "tokens": [{"token": "agency-all"}, {"token": "agency-5000", "company_id": 5000}],
    "memberships": [)";
  for (CompanyId c = 1; c <= kCompanies; ++c) {
    if (c > 1) json += ",";
    json += R"({"company_id": )" + std::to_string(c) + R"(, "role": "administrator"})";
  }
  json += R"(]}, {"id": 2, "name": "Other", "email": "other@example.com",
    "tokens": [{"token": "other"}],
    "memberships": [{"company_id": )" +
          std::to_string(kStranger) + R"(, "role": "administrator"}]}], "clients": [)";
  ClientId id = 1;
  bool first = true;
  for (int round = 0; round < 3; ++round) {
    for (CompanyId c : client_companies) {
      if (!first) json += ",";
      first = false;
      json += R"({"id": )" + std::to_string(id) + R"(, "company_id": )" + std::to_string(c) +
              R"(, "name": "Client )" + std::to_string(id) + "\"";
      if (c == 5000 && round == 2) {
        json += R"(, "is_deleted": true, "active": false, "archived_at": "2023-01-01T00:00:00Z")";
      }
      json += "}";
      ++id;
    }
  }
  return json + "]}";
}

struct World {
  test::TempDir dir;
  std::unique_ptr<storage::SqliteRepository> repo = storage::SqliteRepository::open(dir / "db");
  World() {
    auto parsed = dataset::parse(many_memberships_dataset());
    REQUIRE(std::holds_alternative<Dataset>(parsed));
    repo->import_dataset(std::get<Dataset>(parsed), {});
  }
};

// The live clients of these companies, by id.
std::vector<ClientId> expected(const std::set<CompanyId>& companies) {
  std::vector<ClientId> out;
  ClientId id = 1;
  for (int round = 0; round < 3; ++round) {
    for (CompanyId c : client_companies) {
      if (companies.contains(c) && !(c == 5000 && round == 2)) out.push_back(id);
      ++id;
    }
  }
  return out;
}

// The one soft-deleted client (company 5000's third).
ClientId deleted_client() {
  auto it = std::find(client_companies.begin(), client_companies.end(), CompanyId{5000});
  return static_cast<ClientId>(2 * client_companies.size() + (it - client_companies.begin()) + 1);
}

// The live clients of every company of the agency user.
std::vector<ClientId> expected_mine() {
  std::set<CompanyId> mine(client_companies.begin(), client_companies.end());
  mine.erase(kStranger);
  return expected(mine);
}

std::vector<ClientId> ids(const ClientPage& page) {
  std::vector<ClientId> out;
  for (const auto& c : page.items)
    out.push_back(c.id);
  return out;
}

// Every page of `size` in id order, with the total each page reports.
std::vector<ClientId> paged(const ClientService& service, const Principal& who, std::int64_t size,
                            std::int64_t expected_total) {
  std::vector<ClientId> out;
  for (std::int64_t offset = 0;; offset += size) {
    ClientQuery q;
    q.offset = offset;
    q.limit = size;
    auto page = service.list(who, q);
    CHECK(page.total == expected_total);
    if (page.items.empty()) break;
    for (const auto& c : page.items)
      out.push_back(c.id);
  }
  return out;
}

void check_agency_reads(const ClientService& service, Authenticator& auth) {
  auto all = auth.by_token("agency-all");
  REQUIRE(all);
  REQUIRE(all->scope().size() == kCompanies);
  CHECK(all->scope_is_every_membership());
  CHECK(auth.by_token("agency-all") == all);  // remembered: the same principal, not a copy

  const auto mine = expected_mine();
  CHECK(ids(service.list(*all, {})) == mine);
  CHECK(service.list(*all, {}).total == static_cast<std::int64_t>(mine.size()));
  CHECK(paged(service, *all, 2, static_cast<std::int64_t>(mine.size())) == mine);
  ClientQuery deleted;
  deleted.states = state_deleted;
  CHECK(ids(service.list(*all, deleted)) == std::vector<ClientId>{deleted_client()});
  for (ClientId id : mine)
    CHECK(service.find(*all, id));
  for (ClientId id : expected({kStranger})) {
    CHECK_FALSE(service.find(*all, id));
    ClientQuery with;
    with.with_id = id;  // a picker's selection of another tenant's client: not shown
    CHECK(ids(service.list(*all, with)) == mine);
  }
  ClientQuery one;
  one.company_id = 5000;
  CHECK(ids(service.list(*all, one)) == expected({5000}));
  one.company_id = kStranger;
  CHECK(service.list(*all, one).items.empty());
  one.company_id = 20;  // a company of the user without clients
  CHECK(service.list(*all, one).items.empty());

  // A token of one company.
  auto token = auth.by_token("agency-5000");
  REQUIRE(token);
  CHECK(token->scope() == std::vector<CompanyId>{5000});
  CHECK(ids(service.list(*token, {})) == expected({5000}));
  CHECK(paged(service, *token, 1, 2) == expected({5000}));
  CHECK_FALSE(service.find(*token, 1));
  ClientDraft draft;
  draft.company_id = 1;
  draft.fields.name = "Elsewhere";
  CHECK_THROWS_AS(service.create(*token, draft), Error);

  // Narrowed to one company (legacy_xml's Host account), restricted to some.
  auto narrowed = all->narrowed_to(kCompanies);
  REQUIRE(narrowed);
  CHECK(ids(service.list(*narrowed, {})) == expected({kCompanies}));
  CHECK_FALSE(service.find(*narrowed, 1));
  CHECK_FALSE(all->narrowed_to(kStranger));
  auto some = all->restricted_to({2, 5000, kStranger});
  CHECK(ids(service.list(some, {})) == expected({2, 5000}));
  CHECK(paged(service, some, 2, 5) == expected({2, 5000}));

  auto other = auth.by_token("other");
  REQUIRE(other);
  CHECK(ids(service.list(*other, {})) == expected({kStranger}));
}

// The reads `rounds` times over (a connection that keeps snapshots remembers page bounds and
// totals from one round to the next), then the writes.
void check_agency_scope(World& w, int rounds) {
  ClientService service(*w.repo);
  Authenticator auth(*w.repo);
  auto all = auth.by_token("agency-all");
  REQUIRE(all);
  const auto mine = expected_mine();
  for (int round = 0; round < rounds; ++round)
    check_agency_reads(service, auth);

  // The other tenant sees only its own; a create by the agency lands in its scope.
  auto other = auth.by_token("other");
  REQUIRE(other);
  ClientDraft draft;
  draft.fields.name = "Elsewhere";
  draft.company_id = kCompanies;
  auto created = service.create(*all, draft);
  CHECK(service.find(*all, created.id));
  CHECK_FALSE(service.find(*other, created.id));
  CHECK(service.list(*all, {}).items.size() == mine.size() + 1);
  CHECK(service.list(*all, {}).total == static_cast<std::int64_t>(mine.size()) + 1);
  draft.company_id = kStranger;
  CHECK_THROWS_AS(service.create(*all, draft), Error);
}

}  // namespace

TEST_CASE("Scope with 10,000 memberships: exactly the user's companies' clients") {
  client_companies = few_client_companies;
  World w;
  check_agency_scope(w, 1);
}

TEST_CASE("Scope with 10,000 memberships, in read snapshots (page bounds and totals kept)") {
  for (const auto& companies : {few_client_companies, many_client_companies}) {
    client_companies = companies;
    World w;
    w.repo->keep_snapshots();
    check_agency_scope(w, 3);
  }
}
