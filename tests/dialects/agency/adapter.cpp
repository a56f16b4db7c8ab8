// agency for the shared matrices: Bearer tokens, clients by uuid only, camelCase JSON.
#include <fstream>
#include <iterator>

#include "clientgate/dialects/agency/agency.hpp"
#include "support/dialect_adapter.hpp"

namespace clientgate::test::agency {
namespace {

std::string member(const ClientRef& c) {
  return "/clients/" + c.uuid;
}

class Adapter final : public DialectAdapter {
 public:
  std::string_view name() const override { return "agency"; }

  Headers credentials(const Credential& who) const override {
    Headers h;
    if (!who.token.empty()) h.emplace_back("Authorization", "Bearer " + who.token);
    return h;
  }

  Request create(const Credential& who, const std::string& name, long long) const override {
    return with_body({"POST", "/clients", credentials(who), ""}, "application/json",
                     R"({"name":)" + json_string(name) + "}");
  }
  // Only the uuid: the integer id is found through another dialect's find_by_name.
  std::optional<ClientRef> created(const HttpResponse& answer) const override {
    auto flat = flatten_json(answer.body, "");
    if (!flat || !flat->count("id")) return std::nullopt;
    return ClientRef{0, unquote(flat->at("id"))};
  }
  Request list(const Credential& who) const override {
    return {"GET", "/clients", credentials(who), ""};
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

  Checks mapped_state(const Flat& s, const Canonical& c, std::int64_t) const override {
    return {{"id", field(s, "id"), c.uuid},
            {"name", field(s, "name"), c.name},
            {"createdAt", field(s, "createdAt"), at_digits(c.created_at, 3)},
            {"updatedAt", field(s, "updatedAt"), at_digits(c.updated_at, 3)}};
  }

  Checks unavailable(const HttpResponse& r) const override {
    return {{"body", r.body, R"({"message":"Service unavailable"})"},
            {"Retry-After", r.header("Retry-After"), "1"}};
  }

  std::vector<Route> routes() const override {
    auto name_body =
        json_body([](const BodyInput& in) { return R"({"name":")" + in.name + R"("})"; });
    return {
        {"GET", "/clients", IdForm::none, {}, 200, false},
        {"HEAD", "/clients", IdForm::none, {}, 200, false},
        {"POST", "/clients", IdForm::none, name_body, 201, true},
        {"GET", "/clients/{id}", IdForm::uuid, {}, 200, false},
        {"GET", "/clients/{id}", IdForm::uuid_upper, {}, 200, false},
        {"HEAD", "/clients/{id}", IdForm::uuid, {}, 200, false},
        {"PUT", "/clients/{id}", IdForm::uuid, name_body, 200, true},
        {"DELETE", "/clients/{id}", IdForm::uuid, {}, 204, true},
    };
  }
  bool may_write(Role, bool) const override { return true; }
  bool no_such_route(const Route&, const HttpResponse& a) const override {
    return a.status == 404 && a.body == R"({"message":"Route not found"})";
  }

  FuzzSetup fuzz() const override {
    std::ifstream in(CLIENTGATE_SOURCE_DIR "/tests/dialects/agency/fixture.json");
    std::string fixture((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return {clientgate::dialects::agency::make, fixture, {}, false};
  }
};

}  // namespace

std::unique_ptr<DialectAdapter> make_adapter() {
  return std::make_unique<Adapter>();
}

}  // namespace clientgate::test::agency
