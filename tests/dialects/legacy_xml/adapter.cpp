// legacy_xml (LiveTimer) for the shared matrices: HTTP Basic with an e-mail and password, an
// account chosen by Host, Rails-style XML, writes for client managers only.
#include "clientgate/dialects/legacy_xml/legacy_xml.hpp"
#include "dialects/legacy_xml/fixture.hpp"
#include "support/dialect_adapter.hpp"

namespace clientgate::test::legacy_xml {
namespace {

std::string xml_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string xml_client(const std::string& inner) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><client>" + inner + "</client>";
}

std::string member(const ClientRef& c) {
  return "/clients/" + std::to_string(c.id) + ".xml";
}

class Adapter final : public DialectAdapter {
 public:
  std::string_view name() const override { return "legacy_xml"; }

  Headers credentials(const Credential& who) const override {
    Headers h;
    if (!who.email.empty()) h.emplace_back("Authorization", basic_auth(who.email, who.password));
    if (!who.host.empty()) h.emplace_back("Host", who.host);
    return h;
  }

  Request create(const Credential& who, const std::string& name, long long) const override {
    return with_body({"POST", "/clients.xml", credentials(who), ""}, "application/xml",
                     xml_client("<name>" + xml_text(name) + "</name>"));
  }
  std::optional<ClientRef> created(const HttpResponse& answer) const override {
    auto flat = flatten_xml(answer.body, "client");
    if (!flat || !flat->count("id")) return std::nullopt;
    return ClientRef{std::stoll(flat->at("id")), {}};
  }
  Request list(const Credential& who) const override {
    return {"GET", "/clients.xml", credentials(who), ""};
  }
  Request get_one(const Credential& who, const ClientRef& c) const override {
    return {"GET", member(c), credentials(who), ""};
  }
  std::optional<Flat> client_object(const std::string& body) const override {
    return flatten_xml(body, "client");
  }
  Request rename(const Credential& who, const ClientRef& c,
                 const std::string& name) const override {
    return with_body({"PUT", member(c), credentials(who), ""}, "application/xml",
                     xml_client("<name>" + xml_text(name) + "</name>"));
  }
  std::optional<Request> set_active(const Credential& who, const ClientRef& c,
                                    bool active) const override {
    return with_body(
        {"PUT", member(c), credentials(who), ""}, "application/xml",
        xml_client(std::string("<active>") + (active ? "true" : "false") + "</active>"));
  }
  std::optional<Request> hard_delete(const Credential& who, const ClientRef& c) const override {
    return Request{"DELETE", member(c), credentials(who), ""};
  }

  Checks mapped_state(const Flat& s, const Canonical& c, std::int64_t id) const override {
    return {{"id", field(s, "id"), std::to_string(id)},
            {"name", field(s, "name"), c.name},
            {"created-at", field(s, "created-at"), at_digits(c.created_at, 0)},
            {"updated-at", field(s, "updated-at"), at_digits(c.updated_at, 0)},
            {"active", field(s, "active"), c.state == "active" ? "true" : "false"}};
  }

  Checks unavailable(const HttpResponse& r) const override {
    const std::string start = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>";
    return {{"Content-Type", r.header("Content-Type"), "application/xml; charset=utf-8"},
            {"body starts", r.body.substr(0, start.size()), start},
            {"Retry-After", r.header("Retry-After"), "1"}};
  }

  std::vector<Route> routes() const override {
    auto client = [](Request& q, const BodyInput& in) {
      q.headers.emplace_back("Content-Type", "application/xml");
      q.body = "<client><name>" + in.name + "</name></client>";
    };
    const auto none = IdForm::none;
    return {
        {"GET", "/clients.xml", none, {}, 200, false},
        {"HEAD", "/clients.xml", none, {}, 200, false},
        {"POST", "/clients.xml", none, client, 201, true},
        {"GET", "/clients/active.xml", none, {}, 200, false},
        {"GET", "/clients/inactive.xml", none, {}, 200, false},
        {"GET", "/clients/my_assignments.xml", none, {}, 200, false},
        {"GET", "/clients/my_active_assignments.xml", none, {}, 200, false},
        {"GET", "/clients/my_inactive_assignments.xml", none, {}, 200, false},
        {"GET", "/clients/{id}.xml", IdForm::integer, {}, 200, false},
        {"GET", "/clients/{id}.xml", IdForm::leading_zero, {}, 200, false},
        {"HEAD", "/clients/{id}.xml", IdForm::integer, {}, 200, false},
        {"PUT", "/clients/{id}.xml", IdForm::integer, client, 200, true},
        {"DELETE", "/clients/{id}.xml", IdForm::integer, {}, 200, true},
    };
  }
  bool may_write(Role, bool client_manager) const override { return client_manager; }
  // A non-writer is refused before the id is looked at.
  std::optional<int> foreign_status(const Route& r, bool writer) const override {
    if (r.write && !writer) return 403;
    return std::nullopt;
  }
  bool no_such_route(const Route&, const HttpResponse& a) const override {
    return a.status == 404 && a.body.empty();
  }
  bool probes_deeper_collections() const override { return true; }

  FuzzSetup fuzz() const override {
    return {clientgate::dialects::legacy_xml::make, kFixture, {}, false};
  }
};

}  // namespace

std::unique_ptr<DialectAdapter> make_adapter() {
  return std::make_unique<Adapter>();
}

}  // namespace clientgate::test::legacy_xml
