// The authorization matrix, end to end against a real server. Each dialect's test adapter
// lists its routes (method, path, how the id is written, body, success status) and its rules
// (who may write, its unauthenticated, forbidden and not-found answers); every row runs
// for every caller (no credential, a wrong one, a token scoped to another company, a user of
// another company, each role with and without client_manager) against the caller's own
// client, another company's client and a missing id, and the status must be the one the
// dialect's rules give. Then:
// - another company's client answers byte for byte as a missing one (status, headers but
//   Date, body): every such request is sent again after the client was deleted for good;
// - no answer to a caller of one company names a client of the other;
// - the table is complete: on every path of the table, each method the table does not list
//   gets the dialect's "no such method" answer, and paths one segment deeper its "no such
//   route" answer — a route added to a dialect without a row in its adapter fails this test.
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hardening/hardening_support.hpp"
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

// ---- the table: every registered dialect's routes --------------------------------------

struct Row {
  const DialectAdapter* dialect;
  Route route;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> all = [] {
    std::vector<Row> out;
    for (const auto& d : adapters()) {
      for (Route& r : d->routes())
        out.push_back({d.get(), std::move(r)});
    }
    return out;
  }();
  return all;
}

enum class Target { collection, own, foreign, missing };

int expected_status(const Row& row, const Caller& c, Target t) {
  const DialectAdapter& d = *row.dialect;
  const Route& r = row.route;
  if (c.side == Caller::anonymous) return d.unauthenticated_status(r, c.credential);
  bool writer = d.may_write(c.role, c.client_manager);
  if (t == Target::collection || t == Target::own)
    return r.write && !writer ? d.forbidden_status() : r.success;
  // Another company's client or none: some dialects refuse a non-writer before they look at
  // the id, or refuse ids they cannot find otherwise (the adapter says).
  if (auto status = d.foreign_status(r, writer)) return *status;
  return d.not_found_status();
}

// ---- building requests -----------------------------------------------------------------

std::string written(const DialectAdapter& d, IdForm form, long long id) {
  switch (form) {
    case IdForm::none:
      return "";
    case IdForm::integer:
      return std::to_string(id);
    case IdForm::leading_zero:
      return "0" + std::to_string(id);
    case IdForm::encoded:
      return d.encode_id(id);
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

Request build(const Row& row, const Caller& c, long long id) {
  const Route& r = row.route;
  Request q;
  q.method = r.method;
  q.target = r.path;
  std::string id_text = written(*row.dialect, r.form, id);
  if (auto at = q.target.find("{id}"); at != std::string::npos) q.target.replace(at, 4, id_text);
  q.headers = row.dialect->credentials(c.credential);
  std::string name = (c.side == Caller::bravo_member ? "Created " : "Alpha Written ") +
                     std::to_string(++name_counter);
  long long company = c.side == Caller::bravo_member ? bravo : alpha;
  if (r.body) r.body(q, BodyInput{name, company, id_text});
  return q;
}

std::string describe(const Row& row, const Caller& c, const Request& q) {
  return std::string(row.dialect->name()) + " " + q.method + " " + q.target + " as " + c.label;
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
  const Row* row;
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

  for (const Row& row : rows()) {
    const Route& r = row.route;
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
        Request q = build(row, c, id);
        auto answer = send(http, q);
        INFO(describe(row, c, q) << " -> " << answer.status << " " << answer.body.substr(0, 300));
        CHECK(answer.status == expected_status(row, c, target));
        check_no_leak(c, answer);
        if (target == Target::foreign)
          foreign_answers.push_back({&row, &c, q, exact_answer(answer)});
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
  const Credential both_companies{"t-two-all", "two@alpha.test", "pw-two", ""};
  for (long long id : {alpha_shared, bravo_secret}) {
    bool deleted = false;
    for (const auto& d : adapters()) {
      auto request = d->hard_delete(both_companies, ClientRef{id, uuid_of(id)});
      if (!request) continue;
      auto gone = send(http, *request);
      INFO(d->name() << " delete for good: " << gone.status << " " << gone.body);
      REQUIRE(gone.status / 100 == 2);
      deleted = true;
      break;
    }
    REQUIRE(deleted);
  }
  for (const auto& rec : foreign_answers) {
    auto answer = send(http, rec.request);
    INFO(describe(*rec.row, *rec.caller, rec.request));
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
  std::map<std::pair<std::string_view, std::string>, std::set<std::string>> listed;
  std::map<std::pair<std::string_view, std::string>, const Row*> example;
  for (const Row& row : rows()) {
    auto key = std::make_pair(row.dialect->name(), row.route.path);
    listed[key].insert(row.route.method);
    if (row.route.method == "GET") listed[key].insert("HEAD");
    example[key] = &row;
  }

  long long probe_client = pool_first + pool_size - 1;  // nothing else uses it
  auto id_for = [&](const Route& r) {
    return r.names == Names::document ? alpha_document : probe_client;
  };

  for (const auto& [key, allowed] : listed) {
    const Row& row = *example[key];
    const DialectAdapter& d = *row.dialect;
    const Route& r = row.route;
    for (const auto& method : methods) {
      if (allowed.count(method)) continue;
      // A method the table does not list: the dialect's "not this method" answer. (A HEAD
      // answer has no body: its status and headers say it.)
      Row probe = row;
      probe.route.method = method;
      Request q = build(probe, writer, id_for(r));
      auto answer = send(http, q);
      INFO("not in the table: " << describe(probe, writer, q) << " -> " << answer.status << " "
                                << answer.body.substr(0, 300));
      CHECK(d.no_such_method(probe.route, answer));
    }
    // One segment deeper than a route of the table (under a collection, one segment more is
    // the member route with an id that is not one: the table's rows cover that). A path the
    // table does not hold gets the dialect's "no such route" answer.
    if (r.form == IdForm::none && !d.probes_deeper_collections()) continue;
    Row deeper = row;
    std::string& path = deeper.route.path;
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".xml") == 0) {
      path.insert(path.size() - 4, "/extra");
    } else {
      path += path.back() == '/' ? "extra/" : "/extra";
    }
    for (const auto& method : methods) {
      deeper.route.method = method;
      Request q = build(deeper, writer, id_for(r));
      auto answer = send(http, q);
      INFO("deeper than the table: " << describe(deeper, writer, q) << " -> " << answer.status
                                     << " " << answer.body.substr(0, 300));
      if (method == "HEAD") {
        CHECK(answer.status == 404);
      } else {
        CHECK(d.no_such_route(deeper.route, answer));
      }
    }
  }
}
