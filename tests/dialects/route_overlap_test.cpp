// Route shapes of every registered dialect, checked against each other in one place: requests
// are built from each declared shape (its paths, with and without every credential style any
// dialect declares) and no two dialects may claim one equally, since the router would then
// decide by name order. New dialects are picked up from the registry, not listed here.
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"
#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/route_shape.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;
using dialects::Claim;
using dialects::CredentialStyle;
using dialects::RouteShape;

namespace {

struct Registered {
  test::TempDir dir;
  std::unique_ptr<storage::SqliteRepository> repo;
  std::unique_ptr<core::ClientService> clients;
  std::unique_ptr<core::Authenticator> auth;
  std::vector<std::unique_ptr<dialects::Dialect>> all;

  Registered() {
    repo = storage::SqliteRepository::open(dir / "db.sqlite");
    clients = std::make_unique<core::ClientService>(*repo);
    auth = std::make_unique<core::Authenticator>(*repo, core::AuthSettings{});
    all = dialects::make_dialects(*clients, *auth, {});
  }
};

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  for (;;) {
    auto at = text.find(separator);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + 1);
  }
}

// Paths with the shape: each `{name}` and `**` in a few forms (an encoded '/' included), the
// suffix added, and the forms the shape leaves to others (its excluded suffix, a trailing
// slash) as near misses.
std::vector<std::string> sample_paths(const RouteShape& shape) {
  std::vector<std::string> paths = {""};
  std::string_view pattern = shape.path;
  if (pattern.starts_with('/')) pattern.remove_prefix(1);
  for (std::string_view element : split(pattern, '/')) {
    std::vector<std::string> forms;
    if (element == "**")
      forms = {"", "/x", "/x/y", "/x/", "/a%2Fb"};
    else if (element.starts_with('{'))
      forms = {"/12", "/a%2Fb"};
    else
      forms = {"/" + std::string(element)};
    std::vector<std::string> next;
    for (const auto& path : paths)
      for (const auto& form : forms)
        next.push_back(path + form);
    paths = std::move(next);
  }
  std::vector<std::string> out;
  for (auto path : paths) {
    if (path.empty()) path = "/";
    out.push_back(path + std::string(shape.suffix));
    out.push_back(path + std::string(shape.suffix) + "/");
    if (!shape.excluded_suffix.empty()) out.push_back(path + std::string(shape.excluded_suffix));
  }
  return out;
}

std::vector<std::string> sample_methods(const RouteShape& shape) {
  if (shape.methods == "*") return {"GET", "OPTIONS"};
  std::vector<std::string> out;
  for (auto method : split(shape.methods, ' '))
    out.emplace_back(method);
  return out;
}

// The credentials a request may carry: no Authorization or one of each declared scheme,
// with or without each declared credential header.
struct Credentials {
  std::string authorization;         // empty: none
  std::vector<std::string> headers;  // present, with a value
};

std::string authorization_of(CredentialStyle style) {
  return style == CredentialStyle::bearer ? "Bearer sample-token" : "Basic dXNlcjpwYXNz";
}

std::vector<Credentials> all_credentials(
    const std::vector<std::unique_ptr<dialects::Dialect>>& all) {
  std::set<std::string> authorizations = {""};
  std::set<std::string> header_names;
  for (const auto& dialect : all) {
    for (const auto& shape : dialect->routes()) {
      if (shape.credential == CredentialStyle::header)
        header_names.emplace(shape.credential_header);
      else
        authorizations.insert(authorization_of(shape.credential));
    }
  }
  std::vector<std::vector<std::string>> header_sets = {{}};
  for (const auto& name : header_names) {
    auto with = header_sets;
    for (auto& set : with)
      set.push_back(name);
    header_sets.insert(header_sets.end(), with.begin(), with.end());
  }
  std::vector<Credentials> out;
  for (const auto& authorization : authorizations)
    for (const auto& headers : header_sets)
      out.push_back({authorization, headers});
  return out;
}

// Only the shape's own credential (none for `false`).
Credentials own_credential(const RouteShape& shape, bool present) {
  if (!present) return {};
  if (shape.credential == CredentialStyle::header)
    return {"", {std::string(shape.credential_header)}};
  return {authorization_of(shape.credential), {}};
}

dialects::Header header_of(const std::string& method, const std::string& target,
                           const Credentials& credentials) {
  dialects::Header header;
  header.method(dialects::http::string_to_verb(method));
  header.target(target);
  if (!credentials.authorization.empty())
    header.set(dialects::http::field::authorization, credentials.authorization);
  for (const auto& name : credentials.headers)
    header.set(name, "sample");
  return header;
}

std::string describe(const std::string& method, const std::string& target,
                     const Credentials& credentials) {
  std::string text = method + " " + target;
  if (!credentials.authorization.empty()) text += " [" + credentials.authorization + "]";
  for (const auto& name : credentials.headers)
    text += " [" + name + "]";
  return text;
}

// Every dialect's claim on a request.
std::map<std::string, Claim> claims_on(const std::vector<std::unique_ptr<dialects::Dialect>>& all,
                                       const dialects::Header& header, boost::urls::url_view url) {
  std::map<std::string, Claim> out;
  for (const auto& dialect : all)
    out[std::string(dialect->name())] = dialect->claim(header, url);
  return out;
}

// The dialects with the strongest claim (none when nobody claims).
std::vector<std::string> strongest(const std::map<std::string, Claim>& claims) {
  Claim best = Claim::none;
  for (const auto& [name, claim] : claims)
    if (static_cast<int>(claim) > static_cast<int>(best)) best = claim;
  std::vector<std::string> out;
  if (best == Claim::none) return out;
  for (const auto& [name, claim] : claims)
    if (claim == best) out.push_back(name);
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

TEST_CASE("every registered dialect declares its route shapes") {
  Registered registered;
  REQUIRE(registered.all.size() == dialects::dialect_names().size());
  for (const auto& dialect : registered.all) {
    INFO(dialect->name());
    CHECK_FALSE(dialect->routes().empty());
    for (const auto& shape : dialect->routes()) {
      INFO(shape.path);
      CHECK(shape.path.starts_with('/'));
      CHECK_FALSE(shape.methods.empty());
      CHECK((shape.credential != CredentialStyle::header || !shape.credential_header.empty()));
    }
  }
}

TEST_CASE("no request built from a declared route shape is claimed equally by two dialects") {
  Registered registered;
  const auto credentials = all_credentials(registered.all);
  std::size_t requests = 0;
  for (const auto& dialect : registered.all) {
    for (const auto& shape : dialect->routes()) {
      for (const auto& target : sample_paths(shape)) {
        auto url = boost::urls::parse_origin_form(target);
        REQUIRE(url);
        for (const auto& method : sample_methods(shape)) {
          for (const auto& carried : credentials) {
            auto header = header_of(method, target, carried);
            auto top = strongest(claims_on(registered.all, header, *url));
            ++requests;
            if (top.size() > 1) {
              FAIL_CHECK(describe(method, target, carried)
                         << " (from " << dialect->name() << " " << shape.path << shape.suffix
                         << ") is claimed equally by " << joined(top));
            }
          }
        }
      }
    }
  }
  INFO(requests << " requests");
  CHECK(requests > 0);
}

TEST_CASE("a request with a shape and its credential alone goes to the shape's dialect") {
  Registered registered;
  for (const auto& dialect : registered.all) {
    for (const auto& shape : dialect->routes()) {
      std::string target = sample_paths(shape).front();
      auto url = boost::urls::parse_origin_form(target);
      REQUIRE(url);
      for (bool present : {true, false}) {
        Claim expected = present ? shape.with_credential : shape.without_credential;
        auto carried = own_credential(shape, present);
        auto header = header_of(sample_methods(shape).front(), target, carried);
        auto claims = claims_on(registered.all, header, *url);
        INFO(describe(sample_methods(shape).front(), target, carried)
             << " (from " << dialect->name() << " " << shape.path << shape.suffix << ")");
        CHECK(static_cast<int>(claims.at(std::string(dialect->name()))) >=
              static_cast<int>(expected));
        if (expected != Claim::none)
          CHECK(strongest(claims) == std::vector<std::string>{std::string(dialect->name())});
      }
    }
  }
}
