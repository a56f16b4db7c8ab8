// A small world for json_v1 tests: two companies, a user in each, one in both, a company
// token, and a few clients.
#pragma once

#include <string>

namespace clientgate::test::json_v1 {

inline const std::string kFixture = R"({
  "format": "clientgate-dataset/1",
  "companies": [
    {"id": 456, "title": "Design Studio Inc"},
    {"id": 457, "title": "Other Company"}
  ],
  "users": [
    {"id": 7, "name": "Ada", "email": "ada@example.com",
     "memberships": [{"company_id": 456, "role": "administrator", "client_manager": true}],
     "tokens": [{"token": "ada-token"}]},
    {"id": 8, "name": "Bob", "email": "bob@example.com",
     "memberships": [{"company_id": 457, "role": "administrator"}],
     "tokens": [{"token": "bob-token"}]},
    {"id": 9, "name": "Cy", "email": "cy@example.com",
     "memberships": [{"company_id": 457}, {"company_id": 456}],
     "tokens": [{"token": "cy-all"}, {"token": "cy-456", "company_id": 456}]}
  ],
  "clients": [
    {"id": 123, "company_id": 456, "name": "Acme Corporation",
     "created_at": "2023-01-01T12:00:00.000000Z", "updated_at": "2023-01-01T12:00:00.000000Z"},
    {"id": 124, "company_id": 456, "name": "Beta Industries",
     "created_at": "2023-01-02T10:30:00.000000Z", "updated_at": "2023-01-02T10:30:00.000000Z"},
    {"id": 125, "company_id": 457, "name": "Gamma of Other",
     "created_at": "2023-01-03T10:30:00.123456Z", "updated_at": "2023-01-03T10:30:00.123456Z"},
    {"id": 126, "company_id": 456, "name": "Deleted elsewhere", "is_deleted": true,
     "active": false, "archived_at": "2023-02-01T00:00:00Z"}
  ],
  "projects": [
    {"id": 1, "client_id": 123, "name": "Site", "time_entries": 4}
  ],
  "campaigns": [
    {"id": "9b2f0c3e-3a51-4d36-9a0f-0d6f6c2f1a10", "client_id": 123, "name": "Spring", "links": 3}
  ]
})";

}  // namespace clientgate::test::json_v1
