// A small world for the intervals tests: one company with a user of each role, another
// company with its own administrator, a user who is administrator in one company and a
// resource in the other, clients in every state, projects with and without time entries.
#pragma once

#include <string>

namespace clientgate::test::intervals {

inline const std::string kFixture = R"({
  "format": "clientgate-dataset/1",
  "companies": [
    {"id": 456, "title": "Design Studio Inc"},
    {"id": 457, "title": "Other Company"}
  ],
  "users": [
    {"id": 7, "name": "Ada", "email": "ada@example.com",
     "memberships": [{"company_id": 456, "role": "administrator"}],
     "tokens": [{"token": "ada-token"}]},
    {"id": 8, "name": "Max", "email": "max@example.com",
     "memberships": [{"company_id": 456, "role": "manager"}],
     "tokens": [{"token": "max-token"}]},
    {"id": 9, "name": "Rita", "email": "rita@example.com",
     "memberships": [{"company_id": 456, "role": "resource"}],
     "tokens": [{"token": "rita-token"}]},
    {"id": 10, "name": "Eve", "email": "eve@example.com",
     "memberships": [{"company_id": 456, "role": "executive"}],
     "tokens": [{"token": "eve-token"}]},
    {"id": 11, "name": "Bob", "email": "bob@example.com",
     "memberships": [{"company_id": 457, "role": "administrator"}],
     "tokens": [{"token": "bob-token"}]},
    {"id": 12, "name": "Cy", "email": "cy@example.com",
     "memberships": [{"company_id": 457, "role": "resource"},
                     {"company_id": 456, "role": "administrator"}],
     "tokens": [{"token": "cy-token"}]}
  ],
  "clients": [
    {"id": 123, "company_id": 456, "name": "Acme Corporation", "localid": 1,
     "description": "One of our <b>best</b>", "email": "info@acme.test",
     "website": "https://acme.test", "phone": "555-0100", "fax": null,
     "address1": "1 Main St", "address2": "Suite 4", "city": "Springfield", "state": "IL",
     "postal_code": "62701",
     "created_at": "2023-01-01T12:00:00.000000Z", "updated_at": "2023-01-01T12:00:00.000000Z"},
    {"id": 124, "company_id": 456, "name": "Beta Industries", "localid": 2, "active": false,
     "archived_at": "2023-03-01T00:00:00Z",
     "created_at": "2023-01-02T10:30:00.000000Z", "updated_at": "2023-03-01T00:00:00.000000Z"},
    {"id": 125, "company_id": 456, "name": "Cyberdyne Systems", "localid": 3,
     "created_at": "2022-06-01T08:00:00.000000Z", "updated_at": "2022-06-01T08:00:00.000000Z"},
    {"id": 126, "company_id": 457, "name": "Gamma of Other", "localid": 1,
     "created_at": "2023-01-03T10:30:00.000000Z", "updated_at": "2023-01-03T10:30:00.000000Z"},
    {"id": 127, "company_id": 456, "name": "Deleted elsewhere", "localid": 4,
     "is_deleted": true, "active": false, "archived_at": "2023-02-01T00:00:00Z",
     "created_at": "2023-01-04T10:30:00.000000Z", "updated_at": "2023-02-01T00:00:00.000000Z"}
  ],
  "projects": [
    {"id": 1, "client_id": 123, "name": "Site", "time_entries": 4},
    {"id": 2, "client_id": 125, "name": "Skynet"},
    {"id": 3, "client_id": 124, "name": "Old", "active": false}
  ]
})";

}  // namespace clientgate::test::intervals
