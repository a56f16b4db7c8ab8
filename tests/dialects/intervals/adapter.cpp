// intervals for the shared matrices: HTTP Basic with the token as user name, trailing-slash
// paths, {"client":[...]} envelopes, "t"/"f" booleans, writes for administrators only.
#include "clientgate/dialects/intervals/intervals.hpp"
#include "dialects/intervals/fixture.hpp"
#include "support/dialect_adapter.hpp"

namespace clientgate::test::intervals {
namespace {

std::string member(const ClientRef& c) {
  return "/client/" + std::to_string(c.id) + "/";
}

class Adapter final : public DialectAdapter {
 public:
  std::string_view name() const override { return "intervals"; }

  Headers credentials(const Credential& who) const override {
    Headers h;
    if (!who.token.empty()) h.emplace_back("Authorization", basic_auth(who.token, "X"));
    return h;
  }

  Request create(const Credential& who, const std::string& name, long long) const override {
    return with_body({"POST", "/client/", credentials(who), ""}, "application/json",
                     R"({"name":)" + json_string(name) + "}");
  }
  std::optional<ClientRef> created(const HttpResponse& answer) const override {
    auto flat = flatten_json(answer.body, "client[0]");
    if (!flat || !flat->count("id")) return std::nullopt;
    return ClientRef{std::stoll(unquote(flat->at("id"))), {}};
  }
  Request list(const Credential& who) const override {
    return {"GET", "/client/", credentials(who), ""};
  }
  Request get_one(const Credential& who, const ClientRef& c) const override {
    return {"GET", member(c), credentials(who), ""};
  }
  std::optional<Flat> client_object(const std::string& body) const override {
    return flatten_json(body, "client[0]");
  }
  Request rename(const Credential& who, const ClientRef& c,
                 const std::string& name) const override {
    return with_body({"PUT", member(c), credentials(who), ""}, "application/json",
                     R"({"name":)" + json_string(name) + "}");
  }
  std::optional<Request> set_active(const Credential& who, const ClientRef& c,
                                    bool active) const override {
    return with_body({"PUT", member(c), credentials(who), ""}, "application/json",
                     std::string(R"({"active":")") + (active ? "t" : "f") + "\"}");
  }
  std::optional<Request> hard_delete(const Credential& who, const ClientRef& c) const override {
    return Request{"DELETE", member(c), credentials(who), ""};
  }

  Checks mapped_state(const Flat& s, const Canonical& c, std::int64_t id) const override {
    return {{"id", field(s, "id"), std::to_string(id)},
            {"localidunpadded", field(s, "localidunpadded"), std::to_string(c.localid)},
            {"name", field(s, "name"), c.name},
            {"datecreated", field(s, "datecreated"), c.created_at.substr(0, 10)},
            {"active", field(s, "active"), c.state == "active" ? "t" : "f"}};
  }

  Checks unavailable(const HttpResponse& r) const override {
    auto doc = flatten_json(r.body, "");
    if (!doc) return {{"body is JSON", r.body, "<JSON>"}};
    // Compact JSON values: the codes are numbers, the status a string.
    auto raw = [&](const std::string& key) {
      auto it = doc->find(key);
      return it == doc->end() ? std::string("<missing>") : it->second;
    };
    return {{"code", raw("code"), "503"},
            {"error.code", raw("error.code"), "20"},
            {"status", raw("status"), json_string("Service Unavailable")},
            {"Retry-After", r.header("Retry-After"), "1"}};
  }

  std::vector<Route> routes() const override {
    auto name_body =
        json_body([](const BodyInput& in) { return R"({"name":")" + in.name + R"("})"; });
    const auto none = IdForm::none;
    const auto integer = IdForm::integer;
    return {
        {"GET", "/client/", none, {}, 200, false},
        {"GET", "/client", none, {}, 200, false},
        {"POST", "/client/", none, name_body, 201, true},
        {"PUT", "/client/", none, name_body, 201, true},
        {"GET", "/client/{id}/", integer, {}, 200, false},
        {"GET", "/client/{id}", integer, {}, 200, false},
        {"PUT", "/client/{id}/", integer, name_body, 202, true},
        {"POST", "/client/{id}/", integer, name_body, 202, true},
        {"DELETE", "/client/{id}/", integer, {}, 200, true},
        {"POST", "/client", none, name_body, 201, true},
        {"PUT", "/client", none, name_body, 201, true},
        {"PUT", "/client/{id}", integer, name_body, 202, true},
        {"POST", "/client/{id}", integer, name_body, 202, true},
        {"DELETE", "/client/{id}", integer, {}, 200, true},
    };
  }
  bool may_write(Role role, bool) const override { return role == Role::administrator; }
  // A non-writer is refused before the id is looked at.
  std::optional<int> foreign_status(const Route& r, bool writer) const override {
    if (r.write && !writer) return 403;
    return std::nullopt;
  }
  // Another method is a 400 with API code 16, HEAD included.
  bool no_such_method(const Route&, const HttpResponse& a) const override {
    return a.status == 400 && a.body.find(R"("code":16)") != std::string::npos;
  }
  // A deeper path is "no such resource", API code 14.
  bool no_such_route(const Route&, const HttpResponse& a) const override {
    return a.status == 404 && a.body.find(R"("code":14)") != std::string::npos;
  }

  FuzzSetup fuzz() const override {
    return {clientgate::dialects::intervals::make, kFixture, {}, false};
  }
};

}  // namespace

std::unique_ptr<DialectAdapter> make_adapter() {
  return std::make_unique<Adapter>();
}

}  // namespace clientgate::test::intervals
