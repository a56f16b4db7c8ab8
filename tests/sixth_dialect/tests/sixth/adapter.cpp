// The sixth dialect for the shared matrices: Bearer tokens, integer ids, {"error": ...}.
#include "clientgate/dialects/sixth/sixth.hpp"
#include "support/dialect_adapter.hpp"

namespace clientgate::test::sixth {
namespace {

const std::string collection = "/sixth/clients";

std::string member(const ClientRef& c) {
  return collection + "/" + std::to_string(c.id);
}

// What the fuzz target runs over: one company, one token, two clients.
constexpr const char* fixture = R"({
  "format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "Sixth Co"}, {"id": 2, "title": "Other Co"}],
  "users": [
    {"id": 1, "name": "Six", "email": "six@example.com",
     "memberships": [{"company_id": 1, "role": "administrator", "client_manager": true}],
     "tokens": [{"token": "sixth-token"}]},
    {"id": 2, "name": "Other", "email": "other@example.com",
     "memberships": [{"company_id": 2, "role": "administrator"}],
     "tokens": [{"token": "other-token"}]}],
  "clients": [{"id": 1, "company_id": 1, "name": "First"},
              {"id": 2, "company_id": 2, "name": "Elsewhere"}]
})";

class Adapter final : public DialectAdapter {
 public:
  std::string_view name() const override { return "sixth"; }

  Headers credentials(const Credential& who) const override {
    Headers h;
    if (!who.token.empty()) h.emplace_back("Authorization", "Bearer " + who.token);
    return h;
  }

  Request create(const Credential& who, const std::string& name, long long) const override {
    return with_body({"POST", collection, credentials(who), ""}, "application/json",
                     R"({"name":)" + json_string(name) + "}");
  }
  std::optional<ClientRef> created(const HttpResponse& answer) const override {
    auto flat = flatten_json(answer.body, "");
    if (!flat || !flat->count("id")) return std::nullopt;
    return ClientRef{std::stoll(flat->at("id")), {}};
  }
  Request list(const Credential& who) const override {
    return {"GET", collection, credentials(who), ""};
  }
  Request get_one(const Credential& who, const ClientRef& c) const override {
    return {"GET", member(c), credentials(who), ""};
  }
  std::optional<Flat> client_object(const std::string& body) const override {
    return flatten_json(body, "");
  }
  Request rename(const Credential& who, const ClientRef& c,
                 const std::string& name) const override {
    return with_body({"PUT", member(c), credentials(who), ""}, "application/json",
                     R"({"name":)" + json_string(name) + "}");
  }
  std::optional<Request> hard_delete(const Credential& who, const ClientRef& c) const override {
    return Request{"DELETE", member(c), credentials(who), ""};
  }

  Checks mapped_state(const Flat& s, const Canonical& c, std::int64_t id) const override {
    return {{"id", field(s, "id"), std::to_string(id)},
            {"name", field(s, "name"), c.name},
            {"created_at", field(s, "created_at"), c.created_at},
            {"updated_at", field(s, "updated_at"), c.updated_at}};
  }

  Checks unavailable(const HttpResponse& r) const override {
    return {{"body", r.body, R"({"error":"unavailable, retry later"})"},
            {"Retry-After", r.header("Retry-After"), "1"}};
  }

  std::vector<Route> routes() const override {
    auto name_body =
        json_body([](const BodyInput& in) { return R"({"name":")" + in.name + R"("})"; });
    const std::string m = collection + "/{id}";
    return {
        {"GET", collection, IdForm::none, {}, 200, false},
        {"HEAD", collection, IdForm::none, {}, 200, false},
        {"POST", collection, IdForm::none, name_body, 201, true},
        {"GET", m, IdForm::integer, {}, 200, false},
        {"HEAD", m, IdForm::integer, {}, 200, false},
        {"PUT", m, IdForm::integer, name_body, 200, true},
        {"DELETE", m, IdForm::integer, {}, 204, true},
    };
  }
  bool may_write(Role, bool) const override { return true; }
  bool no_such_route(const Route&, const HttpResponse& a) const override {
    return a.status == 404 && a.body == R"({"error":"no such route"})";
  }

  FuzzSetup fuzz() const override {
    return {clientgate::dialects::sixth::make, fixture, {}, false};
  }
};

}  // namespace

std::unique_ptr<DialectAdapter> make_adapter() {
  return std::make_unique<Adapter>();
}

}  // namespace clientgate::test::sixth
