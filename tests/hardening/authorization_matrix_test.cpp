// The authorization matrix, end to end against a real server. ONE table lists every route of
// every dialect (method, path, how the id is written, body, success status); every row runs
// for every caller (no credential, a wrong one, a token scoped to another company, a user of
// another company, each role with and without client_manager) against the caller's own
// client, another company's client and a missing id, and the status must be the one the
// dialect's rules give. Then:
// - another company's client answers byte for byte as a missing one (status, headers but
//   Date, body): every such request is sent again after the client was deleted for good;
// - no answer to a caller of one company names a client of the other;
// - the table is complete: on every path of the table, each method the table does not list
//   gets the dialect's "no such method" answer, and paths one segment deeper its "no such
//   route" answer — a route added to a dialect without a row here fails this test.
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hardening/hardening_support.hpp"
#include "ninja/hashid_codec.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;
using namespace clientgate::test::hardening;

namespace {

// ---- the world -------------------------------------------------------------------------

constexpr long long alpha = 1, bravo = 2;
constexpr long long alpha_shared = 100;   // company 1, its project assigned to every role
constexpr long long bravo_secret = 200;   // company 2
constexpr long long alpha_document = 10;  // on alpha_shared
constexpr long long bravo_document = 20;  // on bravo_secret
constexpr long long never_existed = 987654;
constexpr long long pool_first = 1000, pool_size = 400;  // company 1, one per write

std::string uuid_of(long long id) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012llx", id);
  return text;
}

enum class Role { administrator, manager, resource, executive };

struct Caller {
  std::string label;
  Credential credential;
  enum Side { anonymous, alpha_member, bravo_member } side;
  Role role = Role::administrator;
  bool client_manager = false;
};

const std::vector<Caller>& callers() {
  static const std::vector<Caller> all = [] {
    std::vector<Caller> out;
    out.push_back({"no credential", {}, Caller::anonymous});
    out.push_back({"wrong credential",
                   {"no-such-token", "administrator-cm@alpha.test", "wrong password", ""},
                   Caller::anonymous});
    const std::pair<Role, std::string> roles[] = {{Role::administrator, "administrator"},
                                                  {Role::manager, "manager"},
                                                  {Role::resource, "resource"},
                                                  {Role::executive, "executive"}};
    for (const auto& [role, name] : roles) {
      for (bool cm : {false, true}) {
        std::string key = name + (cm ? "-cm" : "");
        out.push_back({key,
                       {"t-" + key, key + "@alpha.test", "pw-" + key, ""},
                       Caller::alpha_member,
                       role,
                       cm});
      }
    }
    // A member of both companies, through a token (or legacy_xml account) of the other one.
    out.push_back({"token scoped to another company",
                   {"t-two-scoped-bravo", "two@alpha.test", "pw-two", "bravo.clients.test"},
                   Caller::bravo_member,
                   Role::administrator,
                   true});
    out.push_back({"user of another company",
                   {"t-bravo-admin", "admin@bravo.test", "pw-bravo", ""},
                   Caller::bravo_member,
                   Role::administrator,
                   true});
    return out;
  }();
  return all;
}

std::string world_dataset() {
  std::string users;
  long long user_id = 1;
  std::string assignees;
  for (const auto& c : callers()) {
    if (c.side != Caller::alpha_member) continue;
    const char* role = c.role == Role::administrator ? "administrator"
                       : c.role == Role::manager     ? "manager"
                       : c.role == Role::resource    ? "resource"
                                                     : "executive";
    users += R"({"id":)" + std::to_string(user_id) + R"(,"name":")" + c.label + R"(","email":")" +
             c.credential.email + R"(","password":")" + c.credential.password +
             R"(","memberships":[{"company_id":1,"role":")" + role + R"(","client_manager":)" +
             (c.client_manager ? "true" : "false") + R"(}],"tokens":[{"token":")" +
             c.credential.token + R"("}]},)";
    assignees += (assignees.empty() ? "" : ",") + std::to_string(user_id);
    ++user_id;
  }
  users += R"({"id":20,"name":"Two Companies","email":"two@alpha.test","password":"pw-two",
    "memberships":[{"company_id":1,"role":"administrator","client_manager":true},
                   {"company_id":2,"role":"administrator","client_manager":true}],
    "tokens":[{"token":"t-two-all"},{"token":"t-two-scoped-bravo","company_id":2}]},
    {"id":21,"name":"Bravo Admin","email":"admin@bravo.test","password":"pw-bravo",
    "memberships":[{"company_id":2,"role":"administrator","client_manager":true}],
    "tokens":[{"token":"t-bravo-admin"}]})";
  auto document = [](long long id) {
    return R"([{"id":)" + std::to_string(id) +
           R"(,"name":"notes.txt","type":"txt","is_public":true,)"
           R"("created_at":"2023-01-02T09:00:00Z","content_base64":"aGVsbG8K"}])";
  };
  std::string clients = R"({"id":100,"company_id":1,"name":"Alpha Shared","uuid":")" +
                        uuid_of(alpha_shared) + R"(","documents":)" + document(alpha_document) +
                        R"(},{"id":200,"company_id":2,"name":"Bravo Secret","uuid":")" +
                        uuid_of(bravo_secret) + R"(","documents":)" + document(bravo_document) +
                        "}";
  for (long long id = pool_first; id < pool_first + pool_size; ++id) {
    clients += R"(,{"id":)" + std::to_string(id) + R"(,"company_id":1,"name":"Alpha Pool )" +
               std::to_string(id) + R"(","uuid":")" + uuid_of(id) + R"("})";
  }
  return R"({"format":"clientgate-dataset/1",
    "companies":[{"id":1,"title":"Alpha Co","slug":"alpha","clients_enabled":true},
                 {"id":2,"title":"Bravo Co","slug":"bravo","clients_enabled":true}],
    "users":[)" +
         users + R"(],"clients":[)" + clients +
         R"(],"projects":[{"id":1,"client_id":100,"name":"Alpha Project","active":true,
           "assignees":[)" +
         assignees + R"(],"time_entries":0}]})";
}

// ---- the table -------------------------------------------------------------------------

enum class IdForm { none, integer, leading_zero, hashid, uuid, uuid_upper };
enum class Names { client, document };  // what the id in the path (or body) names
enum class Body {
  none,
  json_v1_create,
  json_v1_update,
  ninja_name,
  ninja_bulk_archive,
  ninja_upload,
  ninja_upload_spoofed,
  agency_name,
  legacy_client,
  intervals_name,
};

struct Route {
  Dialect dialect;
  std::string method;
  std::string path;  // "{id}" stands for the id written in `form`
  IdForm form;
  Body body;
  int success;  // the status when the caller may do it
  bool write;   // changes the store (needs the dialect's writer rights)
  Names names = Names::client;
};

using D = Dialect;
// Every route of every dialect, as its README lists it, with the id forms worth checking.
const std::vector<Route>& listed_routes() {
  static const std::vector<Route> all = {
      // json_v1
      {D::json_v1, "GET", "/api/v1/clients", IdForm::none, Body::none, 200, false},
      {D::json_v1, "HEAD", "/api/v1/clients", IdForm::none, Body::none, 200, false},
      {D::json_v1, "POST", "/api/v1/clients", IdForm::none, Body::json_v1_create, 201, true},
      {D::json_v1, "GET", "/api/v1/clients/{id}", IdForm::integer, Body::none, 200, false},
      {D::json_v1, "HEAD", "/api/v1/clients/{id}", IdForm::integer, Body::none, 200, false},
      {D::json_v1, "PUT", "/api/v1/clients/{id}", IdForm::integer, Body::json_v1_update, 200, true},
      {D::json_v1, "PATCH", "/api/v1/clients/{id}", IdForm::integer, Body::json_v1_update, 200,
       true},
      {D::json_v1, "DELETE", "/api/v1/clients/{id}", IdForm::integer, Body::none, 204, true},
      // legacy_xml
      {D::legacy_xml, "GET", "/clients.xml", IdForm::none, Body::none, 200, false},
      {D::legacy_xml, "HEAD", "/clients.xml", IdForm::none, Body::none, 200, false},
      {D::legacy_xml, "POST", "/clients.xml", IdForm::none, Body::legacy_client, 201, true},
      {D::legacy_xml, "GET", "/clients/active.xml", IdForm::none, Body::none, 200, false},
      {D::legacy_xml, "GET", "/clients/inactive.xml", IdForm::none, Body::none, 200, false},
      {D::legacy_xml, "GET", "/clients/my_assignments.xml", IdForm::none, Body::none, 200, false},
      {D::legacy_xml, "GET", "/clients/my_active_assignments.xml", IdForm::none, Body::none, 200,
       false},
      {D::legacy_xml, "GET", "/clients/my_inactive_assignments.xml", IdForm::none, Body::none, 200,
       false},
      {D::legacy_xml, "GET", "/clients/{id}.xml", IdForm::integer, Body::none, 200, false},
      {D::legacy_xml, "GET", "/clients/{id}.xml", IdForm::leading_zero, Body::none, 200, false},
      {D::legacy_xml, "HEAD", "/clients/{id}.xml", IdForm::integer, Body::none, 200, false},
      {D::legacy_xml, "PUT", "/clients/{id}.xml", IdForm::integer, Body::legacy_client, 200, true},
      {D::legacy_xml, "DELETE", "/clients/{id}.xml", IdForm::integer, Body::none, 200, true},
      // ninja
      {D::ninja, "GET", "/api/v1/clients", IdForm::none, Body::none, 200, false},
      {D::ninja, "POST", "/api/v1/clients", IdForm::none, Body::ninja_name, 200, true},
      {D::ninja, "GET", "/api/v1/clients/{id}", IdForm::hashid, Body::none, 200, false},
      {D::ninja, "HEAD", "/api/v1/clients/{id}", IdForm::hashid, Body::none, 200, false},
      {D::ninja, "GET", "/api/v1/clients/{id}/edit", IdForm::hashid, Body::none, 200, false},
      {D::ninja, "PUT", "/api/v1/clients/{id}", IdForm::hashid, Body::ninja_name, 200, true},
      {D::ninja, "PATCH", "/api/v1/clients/{id}", IdForm::hashid, Body::ninja_name, 200, true},
      {D::ninja, "DELETE", "/api/v1/clients/{id}", IdForm::hashid, Body::none, 200, true},
      {D::ninja, "POST", "/api/v1/clients/bulk", IdForm::hashid, Body::ninja_bulk_archive, 200,
       true},
      {D::ninja, "PUT", "/api/v1/clients/{id}/upload", IdForm::hashid, Body::ninja_upload, 200,
       true},
      {D::ninja, "POST", "/api/v1/clients/{id}/upload", IdForm::hashid, Body::ninja_upload_spoofed,
       200, true},
      {D::ninja, "GET", "/api/v1/documents/{id}/download", IdForm::hashid, Body::none, 200, false,
       Names::document},
      // agency
      {D::agency, "GET", "/clients", IdForm::none, Body::none, 200, false},
      {D::agency, "HEAD", "/clients", IdForm::none, Body::none, 200, false},
      {D::agency, "POST", "/clients", IdForm::none, Body::agency_name, 201, true},
      {D::agency, "GET", "/clients/{id}", IdForm::uuid, Body::none, 200, false},
      {D::agency, "GET", "/clients/{id}", IdForm::uuid_upper, Body::none, 200, false},
      {D::agency, "HEAD", "/clients/{id}", IdForm::uuid, Body::none, 200, false},
      {D::agency, "PUT", "/clients/{id}", IdForm::uuid, Body::agency_name, 200, true},
      {D::agency, "DELETE", "/clients/{id}", IdForm::uuid, Body::none, 204, true},
      // intervals
      {D::intervals, "GET", "/client/", IdForm::none, Body::none, 200, false},
      {D::intervals, "GET", "/client", IdForm::none, Body::none, 200, false},
      {D::intervals, "POST", "/client/", IdForm::none, Body::intervals_name, 201, true},
      {D::intervals, "PUT", "/client/", IdForm::none, Body::intervals_name, 201, true},
      {D::intervals, "GET", "/client/{id}/", IdForm::integer, Body::none, 200, false},
      {D::intervals, "GET", "/client/{id}", IdForm::integer, Body::none, 200, false},
      {D::intervals, "PUT", "/client/{id}/", IdForm::integer, Body::intervals_name, 202, true},
      {D::intervals, "POST", "/client/{id}/", IdForm::integer, Body::intervals_name, 202, true},
      {D::intervals, "DELETE", "/client/{id}/", IdForm::integer, Body::none, 200, true},
      {D::intervals, "POST", "/client", IdForm::none, Body::intervals_name, 201, true},
      {D::intervals, "PUT", "/client", IdForm::none, Body::intervals_name, 201, true},
      {D::intervals, "PUT", "/client/{id}", IdForm::integer, Body::intervals_name, 202, true},
      {D::intervals, "POST", "/client/{id}", IdForm::integer, Body::intervals_name, 202, true},
      {D::intervals, "DELETE", "/client/{id}", IdForm::integer, Body::none, 200, true},
  };
  return all;
}

// The table: the rows above, and ninja's every route again under `/v1/api` (the old docs'
// typo, served as well).
const std::vector<Route>& routes() {
  static const std::vector<Route> all = [] {
    std::vector<Route> out = listed_routes();
    for (const Route& r : listed_routes()) {
      if (r.dialect != D::ninja || r.path.rfind("/api/v1/", 0) != 0) continue;
      Route alias = r;
      alias.path = "/v1/api/" + r.path.substr(8);
      out.push_back(alias);
    }
    return out;
  }();
  return all;
}

// ---- what each dialect answers ---------------------------------------------------------

bool may_write(Dialect d, const Caller& c) {
  switch (d) {
    case D::json_v1:
    case D::agency:
      return true;
    case D::ninja:
      return c.role == Role::administrator || c.role == Role::manager ||
             (c.role == Role::resource && c.client_manager);
    case D::legacy_xml:
      return c.client_manager;
    case D::intervals:
      return c.role == Role::administrator;
  }
  return false;
}

int unauthenticated_status(const Route& r, const Caller& c) {
  if (r.dialect != D::ninja) return 401;
  if (!c.credential.token.empty() || r.path.find("/documents/") != std::string::npos) return 403;
  // Without X-API-TOKEN only the paths no other dialect has are ninja's: `/v1/api` (the old
  // docs' prefix, 403 "Invalid token" as the spec says) and documents. `/api/v1/clients...`
  // is json_v1's, which matches its route before it asks for credentials (its README): 401 on
  // its routes, 405 for another method of one, 404 deeper.
  if (r.path.rfind("/v1/api/", 0) == 0) return 403;
  std::string rest = r.path.substr(std::string("/api/v1/clients").size());
  if (rest.empty()) return 401;
  if (rest.find('/', 1) != std::string::npos) return 404;
  return r.method == "POST" ? 405 : 401;
}

int forbidden_status(Dialect d) {
  return d == D::ninja ? 401 : 403;
}

int not_found_status(Dialect d) {
  return d == D::ninja ? 400 : 404;
}

enum class Target { collection, own, foreign, missing };

int expected_status(const Route& r, const Caller& c, Target t) {
  if (c.side == Caller::anonymous) return unauthenticated_status(r, c);
  bool writer = may_write(r.dialect, c);
  if (t == Target::collection || t == Target::own)
    return r.write && !writer ? forbidden_status(r.dialect) : r.success;
  // Another company's client or none: legacy_xml and intervals refuse a non-writer before
  // they look at the id; ninja's bulk refuses ids it cannot find as invalid data.
  if (r.write && !writer && (r.dialect == D::legacy_xml || r.dialect == D::intervals)) return 403;
  if (r.body == Body::ninja_bulk_archive) return writer ? 422 : 401;
  return not_found_status(r.dialect);
}

// ---- building requests -----------------------------------------------------------------

const clientgate::dialects::ninja::HashidCodec& hashids() {
  static const clientgate::dialects::ninja::HashidCodec codec;
  return codec;
}

std::string written(IdForm form, long long id) {
  switch (form) {
    case IdForm::none:
      return "";
    case IdForm::integer:
      return std::to_string(id);
    case IdForm::leading_zero:
      return "0" + std::to_string(id);
    case IdForm::hashid:
      return hashids().encode(id);
    case IdForm::uuid:
      return uuid_of(id);
    case IdForm::uuid_upper: {
      std::string u = uuid_of(id);
      for (auto& ch : u)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return u;
    }
  }
  return "";
}

int name_counter = 0;

Request build(const Route& r, const Caller& c, long long id) {
  Request q;
  q.method = r.method;
  q.target = r.path;
  std::string id_text = written(r.form, id);
  if (auto at = q.target.find("{id}"); at != std::string::npos) q.target.replace(at, 4, id_text);
  q.headers = credential_headers(r.dialect, c.credential);
  std::string name = (c.side == Caller::bravo_member ? "Created " : "Alpha Written ") +
                     std::to_string(++name_counter);
  long long company = c.side == Caller::bravo_member ? bravo : alpha;
  auto json = [&](std::string body) {
    q.headers.emplace_back("Content-Type", "application/json");
    q.body = std::move(body);
  };
  auto multipart = [&](bool spoofed) {
    q.headers.emplace_back("Content-Type", "multipart/form-data; boundary=XyZ");
    q.body =
        spoofed ? "--XyZ\r\nContent-Disposition: form-data; name=\"_method\"\r\n\r\nPUT\r\n" : "";
    q.body +=
        "--XyZ\r\nContent-Disposition: form-data; name=\"documents[]\"; "
        "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
  };
  switch (r.body) {
    case Body::none:
      break;
    case Body::json_v1_create:
      json(R"({"title":")" + name + R"(","company_id":)" + std::to_string(company) + "}");
      break;
    case Body::json_v1_update:
      json(R"({"title":")" + name + R"("})");
      break;
    case Body::ninja_name:
    case Body::agency_name:
    case Body::intervals_name:
      json(R"({"name":")" + name + R"("})");
      break;
    case Body::ninja_bulk_archive:
      json(R"({"action":"archive","ids":[")" + id_text + R"("]})");
      break;
    case Body::ninja_upload:
      multipart(false);
      break;
    case Body::ninja_upload_spoofed:
      multipart(true);
      break;
    case Body::legacy_client:
      q.headers.emplace_back("Content-Type", "application/xml");
      q.body = "<client><name>" + name + "</name></client>";
      break;
  }
  return q;
}

// legacy_xml's account comes from Host, which HttpClient writes itself: such requests go raw.
HttpResponse send_as(HttpClient& http, const Request& q, const Caller& c, Dialect d) {
  if (d != D::legacy_xml || c.credential.host.empty()) return send(http, q);
  std::string bytes = q.method + " " + q.target + " HTTP/1.1\r\n";
  for (const auto& [k, v] : q.headers)
    bytes += k + ": " + v + "\r\n";
  bytes += "Content-Length: " + std::to_string(q.body.size()) + "\r\n\r\n" + q.body;
  return http.raw(bytes);
}

std::string describe(const Route& r, const Caller& c, const Request& q) {
  return name_of(r.dialect) + " " + q.method + " " + q.target + " as " + c.label;
}

// Status, every header but Date, and the body.
std::string exact_answer(const HttpResponse& r) {
  std::string out = std::to_string(r.status) + "\n";
  for (const auto& [k, v] : r.headers) {
    std::string lower = k;
    for (auto& ch : lower)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower != "date") out += k + ": " + v + "\n";
  }
  return out + "\n" + r.body;
}

// Nothing of the other company appears in an answer.
void check_no_leak(const Caller& c, const HttpResponse& r) {
  if (c.side == Caller::bravo_member) {
    CHECK(r.body.find("Alpha") == std::string::npos);
  } else {
    CHECK(r.body.find("Bravo") == std::string::npos);
  }
}

struct Recorded {
  const Route* route;
  const Caller* caller;
  Request request;
  std::string answer;
};

}  // namespace

// The matrix sends a wrong password for every legacy_xml route and target from one address,
// hundreds in all: the failed-sign-in throttle (tests/hardening/password_flood_test.cpp) is
// turned off here so that each gets the answer under test instead of 429.
const char* kNoSignInThrottle = "[auth]\nfailures_per_address = 0\nfailures_per_account = 0\n";

TEST_CASE("authorization matrix: every dialect, route, caller and target", "[hardening][authz]") {
  ServerProcess server({world_dataset(), {}, kNoSignInThrottle});
  HttpClient http(server.host(), server.port());
  long long next_pool = pool_first;
  std::vector<Recorded> foreign_answers;

  for (const Route& r : routes()) {
    for (const Caller& c : callers()) {
      std::vector<std::pair<Target, long long>> targets;
      bool document = r.names == Names::document;
      if (r.form == IdForm::none) {
        targets.emplace_back(Target::collection, 0);
      } else {
        if (c.side != Caller::bravo_member) {
          // Reads use the shared client; each write gets a client of its own.
          long long own = document ? alpha_document : r.write ? next_pool++ : alpha_shared;
          targets.emplace_back(Target::own, own);
        }
        long long foreign = c.side == Caller::bravo_member
                                ? (document ? alpha_document : alpha_shared)
                                : (document ? bravo_document : bravo_secret);
        targets.emplace_back(Target::foreign, foreign);
        targets.emplace_back(Target::missing, never_existed);
      }
      REQUIRE(next_pool < pool_first + pool_size);
      for (auto [target, id] : targets) {
        Request q = build(r, c, id);
        auto answer = send_as(http, q, c, r.dialect);
        INFO(describe(r, c, q) << " -> " << answer.status << " " << answer.body.substr(0, 300));
        CHECK(answer.status == expected_status(r, c, target));
        check_no_leak(c, answer);
        if (target == Target::foreign) foreign_answers.push_back({&r, &c, q, exact_answer(answer)});
      }
    }
  }

  // Nothing was changed through another company: both clients and documents are as imported.
  {
    auto exported = run_clientgate({"export", "--db", server.db_path().string()});
    REQUIRE(exported.exit_code == 0);
    auto doc = parse_json(exported.out);
    std::map<long long, std::string> names;
    for (const auto& cl : doc["clients"].GetArray()) {
      names[cl["id"].GetInt64()] = cl["name"].GetString();
      if (cl["id"].GetInt64() == alpha_shared || cl["id"].GetInt64() == bravo_secret) {
        CHECK(cl["documents"].GetArray().Size() == 1);
        CHECK(cl["active"].GetBool());
        CHECK_FALSE(cl["is_deleted"].GetBool());
      }
    }
    CHECK(names[alpha_shared] == "Alpha Shared");
    CHECK(names[bravo_secret] == "Bravo Secret");
  }

  // The same requests once those clients are gone for good: the answers must not change.
  const Headers both_companies = {{"Authorization", "Bearer t-two-all"}};
  for (long long id : {alpha_shared, bravo_secret}) {
    auto gone = http.request("DELETE", "/api/v1/clients/" + std::to_string(id), both_companies);
    REQUIRE(gone.status == 204);
  }
  for (const auto& rec : foreign_answers) {
    auto answer = send_as(http, rec.request, *rec.caller, rec.route->dialect);
    INFO(describe(*rec.route, *rec.caller, rec.request));
    CHECK(exact_answer(answer) == rec.answer);
  }
}

TEST_CASE("authorization matrix: the table holds every route each dialect answers",
          "[hardening][authz]") {
  ServerProcess server({world_dataset(), {}, {}});
  HttpClient http(server.host(), server.port());
  const Caller& writer = callers()[3];  // administrator with client_manager: may do anything
  REQUIRE(writer.label == "administrator-cm");
  const std::vector<std::string> methods = {"GET",   "HEAD",   "POST",   "PUT",
                                            "PATCH", "DELETE", "OPTIONS"};

  // (dialect, path) -> the methods the table lists; HEAD is GET (the gateway's rule).
  std::map<std::pair<Dialect, std::string>, std::set<std::string>> listed;
  std::map<std::pair<Dialect, std::string>, const Route*> example;
  for (const Route& r : routes()) {
    auto key = std::make_pair(r.dialect, r.path);
    listed[key].insert(r.method);
    if (r.method == "GET") listed[key].insert("HEAD");
    example[key] = &r;
  }

  long long probe_client = pool_first + pool_size - 1;  // nothing else uses it
  auto id_for = [&](const Route& r) {
    return r.names == Names::document ? alpha_document : probe_client;
  };

  // A method the table does not list: the dialect's "not this method" answer.
  // (A HEAD answer has no body: its status and headers say it.)
  auto no_such_method = [](const Route& r, const HttpResponse& a) {
    // Laravel reads `bulk` in another method as the member route's id: no such client.
    if (r.dialect == D::ninja && r.path.size() > 5 &&
        r.path.compare(r.path.size() - 5, 5, "/bulk") == 0 && a.status == 400 &&
        (r.method == "HEAD" ||
         a.body == R"({"message":"No query results for model [App\\Models\\Client]."})")) {
      return true;
    }
    if (r.method == "HEAD" && r.dialect != D::intervals) {
      return (a.status == 405 && a.has_header("Allow")) || a.status == 404;
    }
    switch (r.dialect) {
      case D::json_v1:
      case D::legacy_xml:
      case D::agency:
        return a.status == 405 && a.has_header("Allow");
      case D::ninja:
        return a.status == 404 && a.body == R"({"message":"Method not supported for this route"})";
      case D::intervals:
        return a.status == 400 && a.body.find(R"("code":16)") != std::string::npos;
    }
    return false;
  };
  // A path the table does not hold: the dialect's "no such route" answer (for intervals a
  // deeper path is "no such resource", API code 14).
  auto no_such_route = [](const Route& r, const HttpResponse& a) {
    if (r.method == "HEAD") return a.status == 404;
    switch (r.dialect) {
      case D::json_v1:
        return a.status == 404 && a.body.find("could not be found") != std::string::npos;
      case D::legacy_xml:
        return a.status == 404 && a.body.empty();
      case D::agency:
        return a.status == 404 && a.body == R"({"message":"Route not found"})";
      case D::ninja:
        return a.status == 404 && a.body == R"({"message":"Method not supported for this route"})";
      case D::intervals:
        return a.status == 404 && a.body.find(R"("code":14)") != std::string::npos;
    }
    return false;
  };

  for (const auto& [key, allowed] : listed) {
    const Route& r = *example[key];
    for (const auto& method : methods) {
      if (allowed.count(method)) continue;
      Route probe = r;
      probe.method = method;
      Request q = build(probe, writer, id_for(r));
      auto answer = send(http, q);
      INFO("not in the table: " << describe(probe, writer, q) << " -> " << answer.status << " "
                                << answer.body.substr(0, 300));
      CHECK(no_such_method(probe, answer));
    }
    // One segment deeper than a route of the table (under a collection, one segment more is
    // the member route with an id that is not one: the table's rows cover that).
    if (r.form == IdForm::none && r.dialect != D::legacy_xml) continue;
    Route deeper = r;
    if (deeper.path.size() > 4 && deeper.path.compare(deeper.path.size() - 4, 4, ".xml") == 0) {
      deeper.path.insert(deeper.path.size() - 4, "/extra");
    } else {
      deeper.path += deeper.path.back() == '/' ? "extra/" : "/extra";
    }
    for (const auto& method : methods) {
      deeper.method = method;
      Request q = build(deeper, writer, id_for(r));
      auto answer = send(http, q);
      INFO("deeper than the table: " << describe(deeper, writer, q) << " -> " << answer.status
                                     << " " << answer.body.substr(0, 300));
      CHECK(no_such_route(deeper, answer));
    }
  }
}
