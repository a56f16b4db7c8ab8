// A store loaded from fixture.json and the agency dialect over it, called without a socket.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <variant>

#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/agency/agency.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace agency_test {

using namespace clientgate;
namespace http = boost::beast::http;

inline std::string fixture_json() {
  return test::read_source_file("tests/dialects/agency/fixture.json");
}

struct Answer {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string allow;
};

class World {
 public:
  World() {
    repo_ = storage::SqliteRepository::open(dir_ / "store.db");
    auto parsed = dataset::parse(fixture_json());
    REQUIRE(std::holds_alternative<core::Dataset>(parsed));
    repo_->import_dataset(std::get<core::Dataset>(parsed), core::ImportOptions{});
    service_ = std::make_unique<core::ClientService>(*repo_);
    auth_ = std::make_unique<core::Authenticator>(*repo_);
    dialect_ = dialects::agency::make(dialects::Services{*service_, *auth_, settings_});
  }

  dialects::Dialect& dialect() { return *dialect_; }
  core::Repository& repository() { return *repo_; }
  core::Authenticator& auth() { return *auth_; }
  std::filesystem::path db_path() const { return dir_ / "store.db"; }

  dialects::Header header(http::verb method, const std::string& target,
                          const std::string& token) const {
    dialects::Header h;
    h.method(method);
    h.target(target);
    h.version(11);
    if (!token.empty()) h.set(http::field::authorization, "Bearer " + token);
    return h;
  }

  static Answer answer_of(const dialects::Response& r) {
    Answer a;
    a.status = static_cast<int>(r.status);
    a.body = r.body;
    if (auto it = r.headers.find(http::field::content_type); it != r.headers.end())
      a.content_type = std::string(it->value());
    if (auto it = r.headers.find(http::field::allow); it != r.headers.end())
      a.allow = std::string(it->value());
    return a;
  }

  Answer call(http::verb method, const std::string& target, const std::string& token,
              const std::string& body = "") {
    const dialects::Header h = header(method, target, token);
    return call_with(h, body);
  }

  Answer call_with(const dialects::Header& h, const std::string& body = "") {
    const std::string target(h.target());
    auto url = boost::urls::parse_origin_form(target).value();
    REQUIRE(dialect_->claim(h, url) != dialects::Claim::none);
    dialects::Request request{h, url, body, ""};
    return answer_of(dialect_->handle(request));
  }

 private:
  test::TempDir dir_;
  std::unique_ptr<storage::SqliteRepository> repo_;
  std::unique_ptr<core::ClientService> service_;
  std::unique_ptr<core::Authenticator> auth_;
  dialects::DialectSettings settings_;
  std::unique_ptr<dialects::Dialect> dialect_;
};

}  // namespace agency_test
