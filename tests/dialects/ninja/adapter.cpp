// ninja (Invoice Ninja v5) for the shared matrices: X-API-TOKEN, hashids, soft deletes and
// bulk actions, Laravel's answers as Invoice Ninja shapes them (400 for a missing model,
// 401 for a forbidden action).
#include "clientgate/dialects/ninja/ninja.hpp"
#include "dialects/ninja/fixture.hpp"
#include "ninja/hashid_codec.hpp"
#include "support/dialect_adapter.hpp"

namespace clientgate::test::ninja {
namespace {

const std::string collection = "/api/v1/clients";

const clientgate::dialects::ninja::HashidCodec& hashids() {
  static const clientgate::dialects::ninja::HashidCodec codec;
  return codec;
}

class Adapter final : public DialectAdapter {
 public:
  std::string_view name() const override { return "ninja"; }

  Headers credentials(const Credential& who) const override {
    Headers h;
    if (!who.token.empty()) h.emplace_back("X-API-TOKEN", who.token);
    return h;
  }

  Request create(const Credential& who, const std::string& name, long long) const override {
    return with_body({"POST", collection, credentials(who), ""}, "application/json",
                     R"({"name":)" + json_string(name) + "}");
  }
  int create_status() const override { return 200; }
  std::optional<ClientRef> created(const HttpResponse& answer) const override {
    auto flat = flatten_json(answer.body, "data");
    if (!flat || !flat->count("id")) return std::nullopt;
    auto id = hashids().decode_id(unquote(flat->at("id")));
    if (!id) return std::nullopt;
    return ClientRef{*id, {}};
  }
  Request list(const Credential& who) const override {
    return {"GET", collection, credentials(who), ""};
  }
  Request get_one(const Credential& who, const ClientRef& c) const override {
    return {"GET", member(c), credentials(who), ""};
  }
  std::optional<Flat> client_object(const std::string& body) const override {
    return flatten_json(body, "data");
  }
  Request rename(const Credential& who, const ClientRef& c,
                 const std::string& name) const override {
    return with_body({"PUT", member(c), credentials(who), ""}, "application/json",
                     R"({"name":)" + json_string(name) + "}");
  }
  std::optional<Request> set_active(const Credential& who, const ClientRef& c,
                                    bool active) const override {
    // The bulk restore also un-deletes a soft-deleted client.
    return with_body({"POST", collection + "/bulk", credentials(who), ""}, "application/json",
                     std::string(R"({"action":")") + (active ? "restore" : "archive") +
                         R"(","ids":[")" + hashids().encode(c.id) + "\"]}");
  }
  std::optional<Request> soft_delete(const Credential& who, const ClientRef& c) const override {
    return Request{"DELETE", member(c), credentials(who), ""};
  }
  // No hard delete: ninja deletes only softly.

  int not_found_status() const override { return 400; }
  bool shows_soft_deleted() const override { return true; }
  Checks mapped_state(const Flat& s, const Canonical& c, std::int64_t id) const override {
    auto decoded = hashids().decode_id(field(s, "id"));
    const bool soft_gone = c.state == "deleted";
    return {
        {"id decodes", decoded ? std::to_string(*decoded) : "<undecodable>", std::to_string(id)},
        {"name", field(s, "name"), c.name},
        {"created_at", field(s, "created_at"), std::to_string(unix_seconds(c.created_at))},
        {"updated_at", field(s, "updated_at"), std::to_string(unix_seconds(c.updated_at))},
        {"is_deleted", field(s, "is_deleted"), soft_gone ? "true" : "false"},
        {"archived_at set", field(s, "archived_at") != "0" ? "set" : "0",
         c.state != "active" ? "set" : "0"},
    };
  }

  Checks unavailable(const HttpResponse& r) const override {
    return {
        {"body", r.body, R"({"message":"The service is unavailable, retry later.","errors":{}})"}};
  }

  std::vector<Route> routes() const override {
    auto name_body =
        json_body([](const BodyInput& in) { return R"({"name":")" + in.name + R"("})"; });
    auto bulk_body = json_body([](const BodyInput& in) {
      return R"({"action":"archive","ids":[")" + in.id_text + R"("]})";
    });
    auto multipart = [](bool spoofed) {
      return [spoofed](Request& q, const BodyInput&) {
        q.headers.emplace_back("Content-Type", "multipart/form-data; boundary=XyZ");
        q.body = spoofed
                     ? "--XyZ\r\nContent-Disposition: form-data; name=\"_method\"\r\n\r\nPUT\r\n"
                     : "";
        q.body +=
            "--XyZ\r\nContent-Disposition: form-data; name=\"documents[]\"; "
            "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
      };
    };
    const std::string m = collection + "/{id}";
    const auto e = IdForm::encoded;
    std::vector<Route> listed = {
        {"GET", collection, IdForm::none, {}, 200, false},
        {"POST", collection, IdForm::none, name_body, 200, true},
        {"GET", m, e, {}, 200, false},
        {"HEAD", m, e, {}, 200, false},
        {"GET", m + "/edit", e, {}, 200, false},
        {"PUT", m, e, name_body, 200, true},
        {"PATCH", m, e, name_body, 200, true},
        {"DELETE", m, e, {}, 200, true},
        {"POST", collection + "/bulk", e, bulk_body, 200, true, Names::client, "bulk"},
        {"PUT", m + "/upload", e, multipart(false), 200, true},
        {"POST", m + "/upload", e, multipart(true), 200, true},
        {"GET", "/api/v1/documents/{id}/download", e, {}, 200, false, Names::document},
    };
    // Every route again under `/v1/api` (the old docs' typo, served as well).
    std::vector<Route> all = listed;
    for (const Route& r : listed) {
      Route alias = r;
      alias.path = "/v1/api/" + r.path.substr(8);
      all.push_back(alias);
    }
    return all;
  }
  std::string encode_id(long long id) const override { return hashids().encode(id); }
  bool may_write(Role role, bool client_manager) const override {
    return role == Role::administrator || role == Role::manager ||
           (role == Role::resource && client_manager);
  }
  int unauthenticated_status(const Route& r, const Credential& who) const override {
    if (!who.token.empty() || r.path.find("/documents/") != std::string::npos) return 403;
    // Without X-API-TOKEN only the paths no other dialect has are ninja's: `/v1/api` (the old
    // docs' prefix, 403 "Invalid token" as the spec says) and documents. `/api/v1/clients...`
    // is json_v1's, which matches its route before it asks for credentials (its README): 401
    // on its routes, 405 for another method of one, 404 deeper.
    if (r.path.rfind("/v1/api/", 0) == 0) return 403;
    std::string rest = r.path.substr(collection.size());
    if (rest.empty()) return 401;
    if (rest.find('/', 1) != std::string::npos) return 404;
    return r.method == "POST" ? 405 : 401;
  }
  int forbidden_status() const override { return 401; }
  // The bulk action refuses ids it cannot find as invalid data.
  std::optional<int> foreign_status(const Route& r, bool writer) const override {
    if (r.tag == "bulk") return writer ? 422 : 401;
    return std::nullopt;
  }
  bool no_such_method(const Route& r, const HttpResponse& a) const override {
    // Laravel reads `bulk` in another method as the member route's id: no such client.
    if (r.tag == "bulk" && a.status == 400 &&
        (r.method == "HEAD" ||
         a.body == R"({"message":"No query results for model [App\\Models\\Client]."})")) {
      return true;
    }
    if (r.method == "HEAD") return (a.status == 405 && a.has_header("Allow")) || a.status == 404;
    return a.status == 404 && a.body == R"({"message":"Method not supported for this route"})";
  }
  bool no_such_route(const Route&, const HttpResponse& a) const override {
    return a.status == 404 && a.body == R"({"message":"Method not supported for this route"})";
  }

  FuzzSetup fuzz() const override {
    return {clientgate::dialects::ninja::make, kFixture, {}, /*uploads=*/true};
  }

 private:
  static std::string member(const ClientRef& c) {
    return collection + "/" + hashids().encode(c.id);
  }
};

}  // namespace

std::unique_ptr<DialectAdapter> make_adapter() {
  return std::make_unique<Adapter>();
}

}  // namespace clientgate::test::ninja
