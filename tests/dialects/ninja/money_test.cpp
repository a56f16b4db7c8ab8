// Money over Invoice Ninja's whole decimal(20,6) range in the ninja dialect: the balance
// filters' parameters, and a real clientgate process rendering, filtering and sorting 14-digit
// amounts exactly.
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>

#include "ninja/hashid_codec.hpp"
#include "ninja/list_params.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate;
using dialects::ninja::ListError;
using dialects::ninja::ListParams;

namespace {

std::variant<ListParams, ListError> list(const std::string& target) {
  auto url = boost::urls::parse_origin_form(target);
  REQUIRE(url);
  return dialects::ninja::parse_list_params(*url);
}

const std::string kRange = " must be between -99999999999999.999999 and 99999999999999.999999.";

// Company 1 with amounts at both ends of the range; company 2's client must never show.
const std::string kMoneyDataset = R"({
  "format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "Design Studio"}, {"id": 2, "title": "Elsewhere"}],
  "users": [{"id": 1, "name": "Admin", "email": "admin@example.com",
             "memberships": [{"company_id": 1, "role": "administrator", "client_manager": true}],
             "tokens": [{"token": "company-token-test", "company_id": 1}]}],
  "clients": [
    {"id": 1, "company_id": 1, "name": "Top", "balance": "99999999999999.999999",
     "paid_to_date": "-99999999999999.999999", "credit_balance": "12345678901234.5"},
    {"id": 2, "company_id": 1, "name": "Below top", "balance": "99999999999999.999998"},
    {"id": 3, "company_id": 1, "name": "Bottom", "balance": "-99999999999999.999999"},
    {"id": 4, "company_id": 1, "name": "Small", "balance": "10735.05"},
    {"id": 5, "company_id": 2, "name": "Other tenant", "balance": "99999999999999.999999"}
  ]
})";

const test::Headers kSdk = {{"X-API-TOKEN", "company-token-test"},
                            {"X-Requested-With", "XMLHttpRequest"}};

std::vector<std::string> names(const std::string& body) {
  std::vector<std::string> out;
  for (auto at = body.find(R"("name":")"); at != std::string::npos;
       at = body.find(R"("name":")", at)) {
    at += 8;
    out.push_back(body.substr(at, body.find('"', at) - at));
  }
  return out;
}

}  // namespace

TEST_CASE("ninja money: balance filters take the whole range, and name the range past it") {
  auto top = list("/c?balance=gt:99999999999999.999999");
  REQUIRE(std::holds_alternative<ListParams>(top));
  CHECK(std::get<ListParams>(top).query.balance.at(0).value.canonical() == "99999999999999.999999");
  auto sdk_order = list("/c?balance=-99999999999999.999999:lte");
  REQUIRE(std::holds_alternative<ListParams>(sdk_order));
  CHECK(std::get<ListParams>(sdk_order).query.balance.at(0).op == core::Comparison::lte);
  CHECK(std::holds_alternative<ListParams>(
      list("/c?between_balance=-99999999999999.999999:99999999999999.999999")));

  for (const char* past : {"/c?balance=gt:100000000000000", "/c?balance=100000000000000:lt",
                           "/c?balance=eq:-100000000000000.000001"}) {
    INFO(past);
    auto refused = list(past);
    REQUIRE(std::holds_alternative<ListError>(refused));
    const auto& e = std::get<ListError>(refused);
    CHECK(e.status == 422);
    CHECK(e.errors.at(0).first == "balance");
    CHECK(e.errors.at(0).second == std::vector<std::string>{"The balance" + kRange});
  }
  auto between = list("/c?between_balance=0:100000000000000");
  REQUIRE(std::holds_alternative<ListError>(between));
  CHECK(std::get<ListError>(between).errors.at(0).first == "between_balance");
  CHECK(std::get<ListError>(between).errors.at(0).second ==
        std::vector<std::string>{"The between balance" + kRange});
  // Not a number at all is still the filter's own message.
  auto garbage = list("/c?balance=gt:1e20");
  REQUIRE(std::holds_alternative<ListError>(garbage));
  CHECK(std::get<ListError>(garbage).errors.at(0).second.at(0).find("op:value") !=
        std::string::npos);
}

TEST_CASE("ninja money end to end: 14-digit amounts read, filtered and sorted exactly") {
  test::ServerProcess server({kMoneyDataset, {}, {}});
  test::HttpClient http(server.host(), server.port());

  // The real one casts to a PHP float (99999999999999.999999 would come back as
  // 100000000000000); clientgate writes the exact decimal (README: our choice).
  auto one = http.get("/api/v1/clients/" + dialects::ninja::HashidCodec().encode(1), kSdk);
  REQUIRE(one.status == 200);
  CHECK(one.body.find(R"("balance":99999999999999.999999,)") != std::string::npos);
  CHECK(one.body.find(R"("paid_to_date":-99999999999999.999999,)") != std::string::npos);
  CHECK(one.body.find(R"("credit_balance":12345678901234.5,)") != std::string::npos);

  auto all = http.get("/api/v1/clients", kSdk);
  REQUIRE(all.status == 200);
  CHECK(all.body.find(R"("balance":-99999999999999.999999,)") != std::string::npos);
  CHECK(all.body.find(R"("balance":10735.05,)") != std::string::npos);

  using V = std::vector<std::string>;
  auto filtered = [&](const std::string& query) {
    auto r = http.get("/api/v1/clients?" + query, kSdk);
    REQUIRE(r.status == 200);
    return names(r.body);
  };
  CHECK(filtered("balance=gt:99999999999999.999998") == V{"Top"});
  CHECK(filtered("balance=gte:99999999999999.999998") == V{"Top", "Below top"});
  CHECK(filtered("balance=99999999999999.999999:eq") == V{"Top"});
  CHECK(filtered("balance=lt:-99999999999999.999998") == V{"Bottom"});
  CHECK(filtered("balance=lte:10735.05") == V{"Bottom", "Small"});
  CHECK(filtered("between_balance=10735.05:99999999999999.999998") == V{"Below top", "Small"});
  CHECK(filtered("sort=balance%7Cdesc") == V{"Top", "Below top", "Small", "Bottom"});
  CHECK(filtered("sort=balance%7Casc") == V{"Bottom", "Small", "Below top", "Top"});
  CHECK(filtered("sort=paid_to_date%7Casc").front() == "Top");

  // One past the range: the validation shape naming the parameter.
  auto past = http.get("/api/v1/clients?balance=gt:100000000000000", kSdk);
  CHECK(past.status == 422);
  CHECK(past.body ==
        R"({"message":"The given data was invalid.","errors":{"balance":["The balance)" + kRange +
            R"("]}})");

  // Amounts are not fillable (as in the real model): a create that sends one past the range
  // is not refused for it, and the client starts at zero.
  auto created =
      http.request("POST", "/api/v1/clients",
                   {{"X-API-TOKEN", "company-token-test"}, {"Content-Type", "application/json"}},
                   R"({"name":"New","balance":"100000000000000","paid_to_date":1e30})");
  REQUIRE(created.status == 200);
  CHECK(created.body.find(R"("balance":0,)") != std::string::npos);
  CHECK(created.body.find(R"("paid_to_date":0,)") != std::string::npos);
}
