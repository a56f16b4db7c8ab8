// The ninja handler called directly (no socket) over a real SQLite file: the world the
// handler tests share.
#pragma once

#include <rapidjson/document.h>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "clientgate/dialects/ninja/ninja.hpp"
#include "fixture.hpp"
#include "support/dialect_world.hpp"

namespace clientgate::test::ninja {

namespace http = boost::beast::http;
namespace dialects = clientgate::dialects;
namespace core = clientgate::core;

struct Call {
  http::verb method = http::verb::get;
  std::string target;
  std::string token = "company-token-test";
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline core::AuthSettings no_auth_cache() {
  core::AuthSettings settings;
  settings.cache_ttl = std::chrono::milliseconds(0);
  return settings;
}

struct World : test::DialectWorld {
  explicit World(dialects::DialectSettings s = {})
      : DialectWorld(test::ninja::kFixture, dialects::ninja::make, std::move(s), no_auth_cache()) {}

  dialects::Response call(const Call& c) {
    http::request<http::empty_body> req{c.method, c.target, 11};
    req.set(http::field::host, "ninja.test:8000");
    if (!c.token.empty()) req.set("X-API-TOKEN", c.token);
    if (!c.content_type.empty()) req.set(http::field::content_type, c.content_type);
    for (const auto& [k, v] : c.headers)
      req.set(k, v);
    if (!c.token.empty()) REQUIRE(claim(req) == dialects::Claim::credential);
    auto r = handle(req, c.body);
    // A streamed body (a download) read to its end, as a client receives it.
    if (r.stream) {
      while (auto piece = r.stream())
        r.body += *piece;
      r.stream = nullptr;
    }
    return r;
  }
  dialects::Response get(const std::string& target,
                         const std::string& token = "company-token-test") {
    return call({http::verb::get, target, token, "", "", {}});
  }
  dialects::Response json(http::verb m, const std::string& target, const std::string& body,
                          const std::string& token = "company-token-test") {
    return call({m, target, token, body, "application/json", {}});
  }
  dialects::Response form(http::verb m, const std::string& target, const std::string& body,
                          const std::string& token = "company-token-test") {
    return call({m, target, token, body, "application/x-www-form-urlencoded", {}});
  }
};

inline rapidjson::Document parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

inline std::vector<std::string> names(const std::string& body) {
  auto d = parse(body);
  std::vector<std::string> out;
  for (const auto& c : d["data"].GetArray())
    out.emplace_back(c["name"].GetString());
  return out;
}

}  // namespace clientgate::test::ninja
