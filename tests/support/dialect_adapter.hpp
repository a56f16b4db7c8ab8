// A dialect as the shared test matrices see it. Each dialect's test folder has an adapter
// (tests/dialects/NAME/adapter.cpp) that knows that dialect's wire: how a caller presents a
// token or an e-mail and password, the request that creates, reads, lists, renames or deletes
// a client, where the client object is in an answer, which statuses mean "not found" and
// "forbidden", every route with its rules, and the dialect's fuzz entry point.
//
// CMake generates the registry of adapters from the dialect folders (tests/CMakeLists.txt,
// `clientgate_test_adapter_registry`), the way dialects/CMakeLists.txt generates the
// production registry: the consistency matrix, the authorization matrix, the storage-fault
// tests and the fuzz targets iterate over `adapters()` and name no dialect.
//
// Adapters use no Catch2 (the fuzz targets link them without it): an expectation is returned
// as a list of `Check`s and asserted by the test.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/dialects/dialect.hpp"
#include "support/http_client.hpp"
#include "support/wire.hpp"

namespace clientgate::test {

// Who calls: a token, or an e-mail with a password; `host` names an account by Host (a
// dialect that has accounts by host name adds the header; "" : the server's address).
struct Credential {
  std::string token;
  std::string email;
  std::string password;
  std::string host;
};

// One request as sent. A request whose headers hold a Host field is sent raw (HttpClient
// writes Host itself).
struct Request {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
};

// A client as the tests know it: the integer id and the uuid (a dialect uses the one its
// paths carry). `id` is 0 when a create answer shows only the uuid.
struct ClientRef {
  std::int64_t id = 0;
  std::string uuid;
};

// The canonical record, as the migration view (GET /_admin/clients/{id}) shows it.
struct Canonical {
  bool exists = false;
  std::string name, uuid, state, created_at, updated_at;  // state: active, archived, deleted
  std::int64_t localid = 0;
};

// One expectation: `actual` must equal `expected`.
struct Check {
  std::string what;
  std::string actual;
  std::string expected;
};
using Checks = std::vector<Check>;

enum class Role { administrator, manager, resource, executive };

// How a route's path writes the id: not at all, as the integer, the integer with a leading
// zero, the dialect's own encoding (DialectAdapter::encode_id), a uuid (lower or upper case).
enum class IdForm { none, integer, leading_zero, encoded, uuid, uuid_upper };
enum class Names { client, document };  // what the id in the path (or body) names

// What a route's body is made of: a fresh client name, the caller's company, the id as
// written in the path.
struct BodyInput {
  std::string name;
  long long company = 0;
  std::string id_text;
};

using MakeBody = std::function<void(Request&, const BodyInput&)>;

// One route of a dialect, for the authorization matrix.
struct Route {
  std::string method;
  std::string path;  // "{id}" stands for the id written in `form`
  IdForm form = IdForm::none;
  MakeBody body;       // empty: no body
  int success = 200;   // the status when the caller may do it
  bool write = false;  // changes the store (needs the dialect's writer rights)
  Names names = Names::client;
  std::string tag;  // what the adapter's own rules need to tell routes apart ("bulk")

  Route(std::string method, std::string path, IdForm form, MakeBody body, int success, bool write,
        Names names = Names::client, std::string tag = {})
      : method(std::move(method)),
        path(std::move(path)),
        form(form),
        body(std::move(body)),
        success(success),
        write(write),
        names(names),
        tag(std::move(tag)) {}
};

// A JSON body (with its Content-Type), for Route::body.
inline MakeBody json_body(std::function<std::string(const BodyInput&)> make) {
  return [make](Request& r, const BodyInput& in) {
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = make(in);
  };
}

// A request with a body of `content_type`.
Request with_body(Request r, const std::string& content_type, std::string body);

// A flattened value without its quotes; "<missing>" when absent.
std::string field(const Flat& flat, const std::string& key);

// "00000000-0000-4000-8000-0000000000NN": the uuid the test datasets give client NN.
std::string uuid_of(long long id);

// A JSON string literal's content (a value of a Flat without its quotes).
std::string unquote(const std::string& json);

// The canonical instant ("2023-01-01T12:00:00.123456Z") at a format's precision.
std::string at_digits(const std::string& iso6, int digits);
std::int64_t unix_seconds(const std::string& iso6);

class DialectAdapter {
 public:
  virtual ~DialectAdapter() = default;
  virtual std::string_view name() const = 0;

  // ---- credentials and client operations -------------------------------------------------

  // The headers that present `who` (nothing of what `who` lacks).
  virtual Headers credentials(const Credential& who) const = 0;

  // Creates a client named `name` in the caller's company `company`.
  virtual Request create(const Credential& who, const std::string& name,
                         long long company) const = 0;
  virtual int create_status() const { return 201; }
  // The client a create answered with (id 0 when only the uuid is shown).
  virtual std::optional<ClientRef> created(const HttpResponse& answer) const = 0;

  virtual Request list(const Credential& who) const = 0;
  virtual Request get_one(const Credential& who, const ClientRef& client) const = 0;
  // The client object of a GET answer, flattened ("path" -> compact JSON value).
  virtual std::optional<Flat> client_object(const std::string& body) const = 0;
  virtual Request rename(const Credential& who, const ClientRef& client,
                         const std::string& name) const = 0;
  // What the dialect cannot do is nullopt (the gap is documented in docs/mapping.md).
  virtual std::optional<Request> set_active(const Credential& who, const ClientRef& client,
                                            bool active) const {
    (void)who, (void)client, (void)active;
    return std::nullopt;
  }
  // A delete that keeps the record (state "deleted"); its success status.
  virtual std::optional<Request> soft_delete(const Credential& who, const ClientRef& client) const {
    (void)who, (void)client;
    return std::nullopt;
  }
  virtual int soft_delete_status() const { return 200; }
  virtual std::optional<Request> hard_delete(const Credential& who, const ClientRef& client) const {
    (void)who, (void)client;
    return std::nullopt;
  }
  // A list filtered by exact-enough name, and the first id in its answer: how a test finds
  // the integer id of a client another dialect created and showed only by uuid.
  virtual std::optional<Request> find_by_name(const Credential& who,
                                              const std::string& name) const {
    (void)who, (void)name;
    return std::nullopt;
  }
  virtual std::optional<std::int64_t> first_id(const HttpResponse& answer) const {
    (void)answer;
    return std::nullopt;
  }

  // ---- what a reader shows -----------------------------------------------------------------

  // The status of a GET of a client that is not there (or not visible).
  virtual int not_found_status() const { return 404; }
  // Whether a GET still shows a soft-deleted client.
  virtual bool shows_soft_deleted() const { return false; }
  // What the client object of a GET must hold for the canonical record `c` (docs/mapping.md).
  virtual Checks mapped_state(const Flat& seen, const Canonical& c, std::int64_t id) const = 0;

  // This dialect's own answer to a write the store cannot take (503: shape, Retry-After).
  virtual Checks unavailable(const HttpResponse& answer) const = 0;

  // ---- authorization -----------------------------------------------------------------------

  // Every route, as the dialect's README lists it, with the id forms worth checking.
  virtual std::vector<Route> routes() const = 0;
  // IdForm::encoded.
  virtual std::string encode_id(long long id) const { return std::to_string(id); }
  virtual bool may_write(Role role, bool client_manager) const = 0;
  // The answer to a caller with no valid credential.
  virtual int unauthenticated_status(const Route& route, const Credential& who) const {
    (void)route, (void)who;
    return 401;
  }
  // A write by a caller without the dialect's writer rights.
  virtual int forbidden_status() const { return 403; }
  // Another company's client or none, when the dialect answers something before (or other
  // than) its not-found; nullopt: not_found_status().
  virtual std::optional<int> foreign_status(const Route& route, bool writer) const {
    (void)route, (void)writer;
    return std::nullopt;
  }
  // A method the table does not list, on a path it does.
  virtual bool no_such_method(const Route& route, const HttpResponse& answer) const;
  // A path one segment deeper than the table's (HEAD: the test checks the 404 itself).
  virtual bool no_such_route(const Route& route, const HttpResponse& answer) const = 0;
  // Whether paths deeper than a collection are probed too (else only deeper than members).
  virtual bool probes_deeper_collections() const { return false; }

  // ---- fuzzing ---------------------------------------------------------------------------

  // The dialect's factory, the store its fuzz target runs over, its settings, and whether
  // it spools uploads (it is then given `upload_temp_dir`).
  struct FuzzSetup {
    std::unique_ptr<dialects::Dialect> (*make)(const dialects::Services&) = nullptr;
    std::string fixture;
    dialects::DialectSettings settings;
    bool uploads = false;
  };
  virtual FuzzSetup fuzz() const = 0;
};

// Every registered adapter, sorted by name (generated: tests/support/adapter_registry.cpp.in).
const std::vector<std::unique_ptr<DialectAdapter>>& adapters();
// The adapter of `name`, or nullptr when that dialect is not registered.
const DialectAdapter* adapter_named(std::string_view name);

// A request as written: raw when it names a Host, else through HttpClient::request.
HttpResponse send(HttpClient& http, const Request& r);

}  // namespace clientgate::test
