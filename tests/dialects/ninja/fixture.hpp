// A small world for ninja tests. Client 391 with contacts 7064 and 7065 is the seed's own
// example (so its hashids are the seed's), in company 1; company 2 is another tenant.
#pragma once

#include <string>

namespace clientgate::test::ninja {

inline const std::string kFixture = R"({
  "format": "clientgate-dataset/1",
  "companies": [
    {"id": 1, "title": "Design Studio Inc", "slug": "design-studio"},
    {"id": 2, "title": "Northwind Traders", "slug": "northwind"}
  ],
  "users": [
    {"id": 166, "name": "Admin", "email": "admin@example.com",
     "memberships": [{"company_id": 1, "role": "administrator", "client_manager": true},
                     {"company_id": 2, "role": "administrator", "client_manager": true}],
     "tokens": [{"token": "admin-token"}, {"token": "company-token-test", "company_id": 1}]},
    {"id": 2, "name": "Exec", "email": "exec@example.com",
     "memberships": [{"company_id": 1, "role": "executive", "client_manager": true}],
     "tokens": [{"token": "exec-token"}]},
    {"id": 3, "name": "Res", "email": "res@example.com",
     "memberships": [{"company_id": 1, "role": "resource"}],
     "tokens": [{"token": "res-token"}]},
    {"id": 4, "name": "ResMgr", "email": "resmgr@example.com",
     "memberships": [{"company_id": 1, "role": "resource", "client_manager": true}],
     "tokens": [{"token": "resmgr-token"}]},
    {"id": 5, "name": "Other", "email": "other@example.com",
     "memberships": [{"company_id": 2, "role": "administrator", "client_manager": true}],
     "tokens": [{"token": "other-token"}]}
  ],
  "clients": [
    {"id": 391, "company_id": 1, "name": "O'Reilly-Metz", "number": "0001",
     "website": "http://www.okeefe.com/aut-nostrum-omnis-explicabo-nostrum.html",
     "private_notes": "Laudantium enim numquam provident eius ipsa.",
     "balance": "10735.05", "client_hash": "VOYXVqOLrT1pc4FdKCg8AXVIeumby5IfKvkQ1eAB",
     "address1": "83865", "address2": "28362 Carlotta Junctions Apt. 508",
     "city": "South Sibylstad", "state": "New York", "postal_code": "52557-0628",
     "country_id": 288, "shipping_address1": "9999",
     "shipping_address2": "6540 Kari Meadows Apt. 411", "shipping_city": "East Jordy",
     "shipping_state": "Illinois", "shipping_postal_code": "39913-0552",
     "shipping_country_id": 4, "vat_number": "929146739", "currency_id": 1,
     "created_at": "2021-09-15T02:45:18Z", "updated_at": "2021-09-15T02:45:18Z",
     "contacts": [
       {"id": 7064, "first_name": "Jewell", "last_name": "McClure", "email": "user@example.com",
        "phone": "276-345-6722", "is_primary": true, "send_email": true,
        "contact_key": "d78CHQD80ePJbEn7tYX1fsRn5hXr7XiWQqjJYT9Q", "password": "secret-pass",
        "created_at": "2021-09-15T02:45:18Z", "updated_at": "2021-09-15T02:45:18Z"},
       {"id": 7065, "first_name": "Alaina", "last_name": "Wuckert",
        "email": "amcdermott@example.org", "phone": "(641) 879-8481", "is_primary": false,
        "send_email": true, "contact_key": "KQoEiBxAQe05p43QubjoMcHxYKkBQLpWU4Swxi86",
        "password": "secret-pass",
        "created_at": "2021-09-15T02:45:18Z", "updated_at": "2021-09-15T02:45:18Z"}
     ]},
    {"id": 392, "company_id": 1, "name": "Beta Industries", "number": "0002",
     "id_number": "ID-B", "balance": "5", "custom_value1": "blue",
     "created_at": "2022-01-01T00:00:00Z", "updated_at": "2022-01-01T00:00:00Z",
     "contacts": [{"id": 7100, "first_name": "Bea", "email": "bea@beta.example"}]},
    {"id": 393, "company_id": 1, "name": "Archived Co", "number": "0003", "active": false,
     "archived_at": "2022-06-01T00:00:00Z", "balance": "-2.5",
     "created_at": "2022-02-01T00:00:00Z", "updated_at": "2022-06-01T00:00:00Z"},
    {"id": 394, "company_id": 1, "name": "Deleted Co", "number": "0004", "active": false,
     "is_deleted": true, "archived_at": "2022-07-01T00:00:00Z",
     "created_at": "2022-03-01T00:00:00Z", "updated_at": "2022-07-01T00:00:00Z"},
    {"id": 395, "company_id": 2, "name": "Northwind Client", "number": "0001",
     "id_number": "ID-B",
     "created_at": "2022-01-01T00:00:00Z", "updated_at": "2022-01-01T00:00:00Z"},
    {"id": 396, "company_id": 1, "name": "X", "number": "0005",
     "created_at": "2023-01-01T00:00:00Z", "updated_at": "2023-01-01T00:00:00Z",
     "contacts": [{"id": 7200, "email": "only@mail.example"}]}
  ]
})";

}  // namespace clientgate::test::ninja
