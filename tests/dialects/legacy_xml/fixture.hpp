// A small world for legacy_xml tests: three accounts (one with clients disabled), a client
// manager who only reads in the second company, a resource user with assignments, a
// resource-role client manager, an administrator without the client_manager flag.
#pragma once

#include <string>

namespace clientgate::test::legacy_xml {

inline const std::string kFixture = R"({
  "format": "clientgate-dataset/1",
  "companies": [
    {"id": 10, "title": "Design Studio Inc", "slug": "design-studio"},
    {"id": 20, "title": "Northwind Traders", "slug": "northwind"},
    {"id": 30, "title": "Dormant Ltd", "slug": "dormant", "clients_enabled": false}
  ],
  "users": [
    {"id": 1, "name": "Mia Manager", "email": "manager@example.com", "password": "manager-pass",
     "memberships": [{"company_id": 10, "role": "administrator", "client_manager": true},
                     {"company_id": 20, "role": "resource"}]},
    {"id": 2, "name": "Rae Resource", "email": "resource@example.com", "password": "resource-pass",
     "memberships": [{"company_id": 10, "role": "resource"}]},
    {"id": 3, "name": "Nor Wind", "email": "north@example.com", "password": "north-pass",
     "memberships": [{"company_id": 20, "role": "administrator", "client_manager": true}]},
    {"id": 4, "name": "Dora Mant", "email": "dormant@example.com", "password": "dormant-pass",
     "memberships": [{"company_id": 30, "role": "administrator", "client_manager": true}]},
    {"id": 5, "name": "Cam Resource", "email": "cm-resource@example.com", "password": "cm-pass",
     "memberships": [{"company_id": 10, "role": "resource", "client_manager": true}]},
    {"id": 6, "name": "Ada Admin", "email": "admin@example.com", "password": "admin-pass",
     "memberships": [{"company_id": 10, "role": "administrator", "client_manager": false}]}
  ],
  "clients": [
    {"id": 21, "company_id": 10, "name": "Munch Museum",
     "created_at": "2007-03-30T20:28:40Z", "updated_at": "2007-12-20T06:55:23.500000Z"},
    {"id": 22, "company_id": 10, "name": "Smith & Sons <Ltd>", "code": "", "description": "two\nlines",
     "website": "http://smith.example/?a=1&b=2", "active": false,
     "archived_at": "2008-01-01T00:00:00Z",
     "created_at": "2007-04-01T10:00:00Z", "updated_at": "2008-01-01T00:00:00Z"},
    {"id": 23, "company_id": 10, "name": "Timekeepers",
     "created_at": "2007-05-01T10:00:00Z", "updated_at": "2007-05-01T10:00:00Z"},
    {"id": 24, "company_id": 10, "name": "Soft deleted", "is_deleted": true, "active": false,
     "archived_at": "2008-02-01T00:00:00Z",
     "created_at": "2007-06-01T10:00:00Z", "updated_at": "2008-02-01T00:00:00Z"},
    {"id": 25, "company_id": 10, "name": "Delta",
     "created_at": "2007-07-01T10:00:00Z", "updated_at": "2007-07-01T10:00:00Z"},
    {"id": 31, "company_id": 20, "name": "Northwind Alpha",
     "created_at": "2007-08-01T10:00:00Z", "updated_at": "2007-08-01T10:00:00Z"},
    {"id": 32, "company_id": 20, "name": "Northwind Beta", "active": false,
     "archived_at": "2008-03-01T00:00:00Z",
     "created_at": "2007-09-01T10:00:00Z", "updated_at": "2008-03-01T00:00:00Z"},
    {"id": 41, "company_id": 30, "name": "Dormant client",
     "created_at": "2007-10-01T10:00:00Z", "updated_at": "2007-10-01T10:00:00Z"}
  ],
  "projects": [
    {"id": 101, "client_id": 21, "name": "Website", "active": true, "assignees": [2],
     "created_at": "2008-01-07T15:22:33Z", "updated_at": "2008-01-08T15:22:33Z",
     "tasks": [{"id": 1001, "name": "Design"}, {"id": 1002, "name": "Build"}]},
    {"id": 102, "client_id": 21, "name": "Catalogue", "active": true, "code": "CAT",
     "created_at": "2008-02-07T15:22:33Z", "updated_at": "2008-02-08T15:22:33Z"},
    {"id": 103, "client_id": 22, "name": "Old archive", "active": false, "assignees": [2],
     "created_at": "2007-04-02T10:00:00Z", "updated_at": "2007-04-03T10:00:00Z"},
    {"id": 104, "client_id": 23, "name": "Timed", "time_entries": 5,
     "created_at": "2007-05-02T10:00:00Z", "updated_at": "2007-05-02T10:00:00Z"},
    {"id": 105, "client_id": 31, "name": "NW project", "assignees": [1],
     "created_at": "2007-08-02T10:00:00Z", "updated_at": "2007-08-02T10:00:00Z"}
  ]
})";

// The seed's sample client (id 21), as GET /clients/21.xml answers it.
inline const std::string kMunchMuseum =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<client>\n"
    "  <id type=\"integer\">21</id>\n"
    "  <name>Munch Museum</name>\n"
    "  <active type=\"boolean\">true</active>\n"
    "  <code nil=\"true\"/>\n"
    "  <description nil=\"true\"/>\n"
    "  <url nil=\"true\"/>\n"
    "  <created-at type=\"datetime\">2007-03-30T20:28:40Z</created-at>\n"
    "  <updated-at type=\"datetime\">2007-12-20T06:55:23Z</updated-at>\n"
    "</client>\n";

}  // namespace clientgate::test::legacy_xml
