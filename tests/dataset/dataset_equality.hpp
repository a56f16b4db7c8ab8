// Field-by-field comparison of two datasets for Catch2 tests: each difference is reported
// with the record and field it is in, not as one opaque inequality.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "clientgate/core/model.hpp"

namespace clientgate::test {

inline void check_equal(const core::Contact& a, const core::Contact& b) {
  INFO("contact " << a.id);
  CHECK(a.id == b.id);
  CHECK(a.client_id == b.client_id);
#define CLIENTGATE_X(f) CHECK(a.f == b.f);
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  CHECK(a.is_primary == b.is_primary);
  CHECK(a.send_email == b.send_email);
  CHECK(a.contact_key == b.contact_key);
  CHECK(a.password_hash == b.password_hash);
  CHECK(a.created_at.micros == b.created_at.micros);
  CHECK(a.updated_at.micros == b.updated_at.micros);
}

inline void check_equal(const core::Client& a, const core::Client& b) {
  INFO("client " << a.id);
  CHECK(a.id == b.id);
  CHECK(a.company_id == b.company_id);
  CHECK(a.name == b.name);
  CHECK(a.uuid == b.uuid);
  CHECK(a.number == b.number);
  CHECK(a.localid == b.localid);
  CHECK(a.active == b.active);
  CHECK(a.is_deleted == b.is_deleted);
#define CLIENTGATE_X(f) CHECK(a.f == b.f);
  CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
  CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) CHECK(a.f.micros == b.f.micros);
  CLIENTGATE_CLIENT_MONEY_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  CHECK(a.created_at.micros == b.created_at.micros);
  CHECK(a.updated_at.micros == b.updated_at.micros);
  CHECK(a.archived_at.has_value() == b.archived_at.has_value());
  if (a.archived_at && b.archived_at) CHECK(a.archived_at->micros == b.archived_at->micros);
  CHECK(a.client_hash == b.client_hash);
  REQUIRE(a.contacts.size() == b.contacts.size());
  for (std::size_t i = 0; i < a.contacts.size(); ++i)
    check_equal(a.contacts[i], b.contacts[i]);
}

inline void check_equal(const core::Dataset& a, const core::Dataset& b) {
  REQUIRE(a.companies.size() == b.companies.size());
  for (std::size_t i = 0; i < a.companies.size(); ++i) {
    INFO("companies[" << i << "]");
    CHECK(a.companies[i].id == b.companies[i].id);
    CHECK(a.companies[i].title == b.companies[i].title);
    CHECK(a.companies[i].slug == b.companies[i].slug);
    CHECK(a.companies[i].clients_enabled == b.companies[i].clients_enabled);
  }
  REQUIRE(a.users.size() == b.users.size());
  for (std::size_t i = 0; i < a.users.size(); ++i) {
    const auto& x = a.users[i];
    const auto& y = b.users[i];
    INFO("users[" << i << "]");
    CHECK(x.id == y.id);
    CHECK(x.name == y.name);
    CHECK(x.email == y.email);
    CHECK(x.password_hash == y.password_hash);
    REQUIRE(x.memberships.size() == y.memberships.size());
    for (std::size_t m = 0; m < x.memberships.size(); ++m) {
      CHECK(x.memberships[m].company_id == y.memberships[m].company_id);
      CHECK(x.memberships[m].role == y.memberships[m].role);
      CHECK(x.memberships[m].client_manager == y.memberships[m].client_manager);
    }
    REQUIRE(x.tokens.size() == y.tokens.size());
    for (std::size_t t = 0; t < x.tokens.size(); ++t) {
      CHECK(x.tokens[t].token_sha256 == y.tokens[t].token_sha256);
      CHECK(x.tokens[t].company_id == y.tokens[t].company_id);
    }
  }
  REQUIRE(a.clients.size() == b.clients.size());
  for (std::size_t i = 0; i < a.clients.size(); ++i)
    check_equal(a.clients[i], b.clients[i]);
  REQUIRE(a.documents.size() == b.documents.size());
  for (std::size_t i = 0; i < a.documents.size(); ++i) {
    const auto& x = a.documents[i];
    const auto& y = b.documents[i];
    INFO("documents[" << i << "]");
    CHECK(x.info.id == y.info.id);
    CHECK(x.info.client_id == y.info.client_id);
    CHECK(x.info.name == y.info.name);
    CHECK(x.info.type == y.info.type);
    CHECK(x.info.size == y.info.size);
    CHECK(x.info.hash == y.info.hash);
    CHECK(x.info.is_public == y.info.is_public);
    CHECK(x.info.created_at.micros == y.info.created_at.micros);
    CHECK(x.info.updated_at.micros == y.info.updated_at.micros);
    CHECK(x.content == y.content);
  }
  REQUIRE(a.projects.size() == b.projects.size());
  for (std::size_t i = 0; i < a.projects.size(); ++i) {
    const auto& x = a.projects[i];
    const auto& y = b.projects[i];
    INFO("projects[" << i << "]");
    CHECK(x.id == y.id);
    CHECK(x.client_id == y.client_id);
    CHECK(x.name == y.name);
    CHECK(x.active == y.active);
    CHECK(x.code == y.code);
    CHECK(x.description == y.description);
    CHECK(x.url == y.url);
    CHECK(x.created_at.micros == y.created_at.micros);
    CHECK(x.updated_at.micros == y.updated_at.micros);
    CHECK(x.assignees == y.assignees);
    CHECK(x.time_entries == y.time_entries);
    REQUIRE(x.tasks.size() == y.tasks.size());
    for (std::size_t t = 0; t < x.tasks.size(); ++t) {
      CHECK(x.tasks[t].id == y.tasks[t].id);
      CHECK(x.tasks[t].project_id == y.tasks[t].project_id);
      CHECK(x.tasks[t].name == y.tasks[t].name);
    }
  }
  REQUIRE(a.campaigns.size() == b.campaigns.size());
  for (std::size_t i = 0; i < a.campaigns.size(); ++i) {
    INFO("campaigns[" << i << "]");
    CHECK(a.campaigns[i].id == b.campaigns[i].id);
    CHECK(a.campaigns[i].client_id == b.campaigns[i].client_id);
    CHECK(a.campaigns[i].name == b.campaigns[i].name);
    CHECK(a.campaigns[i].links == b.campaigns[i].links);
  }
}

}  // namespace clientgate::test
