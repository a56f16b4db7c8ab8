// A dialect over a real SQLite file loaded from a fixture dataset, called without a socket:
// what every dialect's handler tests stand on.
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <variant>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/dialect.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/temp_dir.hpp"

namespace clientgate::test {

struct DialectWorld {
  using Factory = std::unique_ptr<dialects::Dialect> (*)(const dialects::Services&);

  TempDir dir;
  std::unique_ptr<storage::SqliteRepository> repo;
  std::unique_ptr<core::ClientService> clients;
  std::unique_ptr<core::Authenticator> auth;
  dialects::DialectSettings settings;
  std::unique_ptr<dialects::Dialect> dialect;

  DialectWorld(const std::string& fixture_json, Factory make, dialects::DialectSettings s = {},
               core::AuthSettings auth_settings = {})
      : settings(std::move(s)) {
    repo = storage::SqliteRepository::open(dir / "db.sqlite");
    auto parsed = dataset::parse(fixture_json);
    REQUIRE(std::holds_alternative<core::Dataset>(parsed));
    repo->import_dataset(std::get<core::Dataset>(parsed), {});
    clients = std::make_unique<core::ClientService>(*repo);
    auth = std::make_unique<core::Authenticator>(*repo, auth_settings);
    dialect = make(dialects::Services{*clients, *auth, settings});
  }

  // The dialect's claim on `request` (its target parsed as origin-form).
  dialects::Claim claim(
      const boost::beast::http::request<boost::beast::http::empty_body>& request) {
    auto url = boost::urls::parse_origin_form(request.target());
    REQUIRE(url);
    return dialect->claim(request.base(), *url);
  }

  // Handles `request` with `body`; the dialect must claim it.
  dialects::Response handle(
      const boost::beast::http::request<boost::beast::http::empty_body>& request,
      std::string_view body = {}) {
    auto url = boost::urls::parse_origin_form(request.target());
    REQUIRE(url);
    REQUIRE(dialect->claim(request.base(), *url) != dialects::Claim::none);
    return dialect->handle(dialects::Request{request.base(), *url, body, {}});
  }
};

}  // namespace clientgate::test
