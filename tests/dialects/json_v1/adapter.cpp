// json_v1 for the shared matrices: Bearer tokens, integer ids, Laravel's JSON errors.
#include "clientgate/dialects/json_v1/json_v1.hpp"
#include "dialects/json_v1/fixture.hpp"
#include "support/dialect_adapter.hpp"

namespace clientgate::test::json_v1 {
namespace {

const std::string collection = "/api/v1/clients";

std::string member(const ClientRef& c) {
  return collection + "/" + std::to_string(c.id);
}

class Adapter final : public DialectAdapter {
 public:
  std::string_view name() const override { return "json_v1"; }

  Headers credentials(const Credential& who) const override {
    Headers h;
    if (!who.token.empty()) h.emplace_back("Authorization", "Bearer " + who.token);
    return h;
  }

  Request create(const Credential& who, const std::string& name, long long company) const override {
    return with_body(
        {"POST", collection, credentials(who), ""}, "application/json",
        R"({"title":)" + json_string(name) + R"(,"company_id":)" + std::to_string(company) + "}");
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
                     R"({"title":)" + json_string(name) + "}");
  }
  std::optional<Request> hard_delete(const Credential& who, const ClientRef& c) const override {
    return Request{"DELETE", member(c), credentials(who), ""};
  }
  std::optional<Request> find_by_name(const Credential& who,
                                      const std::string& name) const override {
    std::string query = name;
    for (std::size_t at = query.find(' '); at != std::string::npos; at = query.find(' '))
      query.replace(at, 1, "%20");
    return Request{"GET", collection + "?title=" + query, credentials(who), ""};
  }
  std::optional<std::int64_t> first_id(const HttpResponse& answer) const override {
    auto pos = answer.body.find("\"id\":");
    if (pos == std::string::npos) return std::nullopt;
    return std::stoll(answer.body.substr(pos + 5));
  }

  Checks mapped_state(const Flat& s, const Canonical& c, std::int64_t id) const override {
    return {{"id", field(s, "id"), std::to_string(id)},
            {"title", field(s, "title"), c.name},
            {"created_at", field(s, "created_at"), c.created_at},
            {"updated_at", field(s, "updated_at"), c.updated_at}};
  }

  Checks unavailable(const HttpResponse& r) const override {
    return {{"body", r.body, R"({"message":"Service Unavailable"})"}};
  }

  std::vector<Route> routes() const override {
    auto create_body = json_body([](const BodyInput& in) {
      return R"({"title":")" + in.name + R"(","company_id":)" + std::to_string(in.company) + "}";
    });
    auto update_body =
        json_body([](const BodyInput& in) { return R"({"title":")" + in.name + R"("})"; });
    const std::string m = collection + "/{id}";
    return {
        {"GET", collection, IdForm::none, {}, 200, false},
        {"HEAD", collection, IdForm::none, {}, 200, false},
        {"POST", collection, IdForm::none, create_body, 201, true},
        {"GET", m, IdForm::integer, {}, 200, false},
        {"HEAD", m, IdForm::integer, {}, 200, false},
        {"PUT", m, IdForm::integer, update_body, 200, true},
        {"PATCH", m, IdForm::integer, update_body, 200, true},
        {"DELETE", m, IdForm::integer, {}, 204, true},
    };
  }
  bool may_write(Role, bool) const override { return true; }
  bool no_such_route(const Route&, const HttpResponse& a) const override {
    return a.status == 404 && a.body.find("could not be found") != std::string::npos;
  }

  FuzzSetup fuzz() const override {
    return {clientgate::dialects::json_v1::make, kFixture, {}, false};
  }
};

}  // namespace

std::unique_ptr<DialectAdapter> make_adapter() {
  return std::make_unique<Adapter>();
}

}  // namespace clientgate::test::json_v1
