// Pure unit tests of the ninja dialect's pieces: hashids, PHP JSON, bracket-notation bodies,
// listing parameters, client input, rendering. No socket, no store.
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <random>

#include "ninja/hashid_codec.hpp"
#include "ninja/includes.hpp"
#include "ninja/list_params.hpp"
#include "ninja/parse.hpp"
#include "ninja/php_input.hpp"
#include "ninja/php_json.hpp"
#include "ninja/render.hpp"

using namespace clientgate;
using namespace clientgate::dialects::ninja;

TEST_CASE("hashids: the spec's vectors with the empty salt and length 10") {
  HashidCodec codec;
  CHECK(codec.encode(1) == "VolejRejNm");
  CHECK(codec.encode(391) == "OpnelpJeKB");
  CHECK(codec.encode(166) == "q9wdL84djP");
  CHECK(codec.encode(7064) == "YQdJqg9bOG");
  CHECK(codec.encode(7065) == "y1aKZjleQG");
  CHECK(codec.decode_id("VolejRejNm") == 1);
  CHECK(codec.decode_id("OpnelpJeKB") == 391);
  CHECK(codec.decode_id("y1aKZjleQG") == 7065);
  CHECK(codec.encode(-1).empty());
}

TEST_CASE("hashids: round trip over random ids, with and without a salt") {
  std::mt19937_64 rng(12345);
  for (const std::string salt : {"", "some salt", "ünïcode-salt"}) {
    HashidCodec codec(salt, 10);
    for (int i = 0; i < 3000; ++i) {
      std::int64_t id = static_cast<std::int64_t>(rng() >> (1 + rng() % 62));
      std::string h = codec.encode(id);
      REQUIRE(h.size() >= 10);
      REQUIRE(codec.decode_id(h) == id);
    }
    CHECK(codec.decode_id(codec.encode(INT64_MAX)) == INT64_MAX);
  }
  // A salt changes the ids; the other codec refuses them.
  HashidCodec salted("pepper", 10);
  CHECK(salted.encode(1) != "VolejRejNm");
  CHECK_FALSE(salted.decode_id("VolejRejNm").has_value());
}

TEST_CASE("hashids: garbage never decodes and never crashes") {
  HashidCodec codec;
  for (const std::string& bad : std::vector<std::string>{
           "", "1", "12345", "VolejRejN", "VolejRejNmX", "volejrejnm", "!!!!!!!!!!", "..%2F..",
           std::string(300, 'a'), std::string("Vole\0RejNm", 10),
           "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", "cccccccccc", "aaaaaaaaaa"})
    CHECK_FALSE(codec.decode_id(bad).has_value());
  std::mt19937 rng(7);
  const std::string alphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890-_ \xff";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 40, 'x');
    for (auto& c : s)
      c = alphabet[rng() % alphabet.size()];
    auto id = codec.decode_id(s);
    if (id) CHECK(codec.encode(*id) == s);
  }
  // A hash of two numbers is a valid hashid but not an id.
  std::string pair = codec.encode(std::vector<std::int64_t>{1, 2});
  CHECK(codec.decode(pair) == std::vector<std::int64_t>{1, 2});
  CHECK_FALSE(codec.decode_id(pair).has_value());
}

TEST_CASE("php json: escapes like json_encode") {
  CHECK(php_json_string("http://a/b") == R"("http:\/\/a\/b")");
  CHECK(php_json_string("App\\Models\\Client") == R"("App\\Models\\Client")");
  CHECK(php_json_string("é€😀") == R"("\u00e9\u20ac\ud83d\ude00")");
  CHECK(php_json_string(std::string("a\x01\n\"", 4)) == R"("a\u0001\n\"")");
  CHECK(php_json_string("bad\xff") == R"("bad\ufffd")");
  PhpJson j;
  j.begin_object().key("a").empty_array().key("b").begin_object().end_object().key("c");
  j.raw_number("10735.05").end_object();
  CHECK(j.text() == R"({"a":[],"b":{},"c":10735.05})");
}

namespace {
std::string to_text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string("\"") + v.GetString() + "\"";
  std::string out = v.IsArray() ? "[" : "{";
  bool first = true;
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (!first) out += ",";
      first = false;
      out += to_text(e);
    }
    return out + "]";
  }
  for (const auto& m : v.GetObject()) {
    if (!first) out += ",";
    first = false;
    out += std::string(m.name.GetString()) + ":" + to_text(m.value);
  }
  return out + "}";
}
std::string php_tree(std::string_view body) {
  rapidjson::Document d;
  REQUIRE(build_php_input(parse_urlencoded(body), d) == InputError::none);
  return to_text(d);
}
}  // namespace

TEST_CASE("php input: bracket notation as PHP's parse_str builds it") {
  CHECK(php_tree("name=Acme+Co&contacts%5B0%5D%5Bemail%5D=a%40b.c&contacts[0][send_email]=1") ==
        R"({name:"Acme Co",contacts:[{email:"a@b.c",send_email:"1"}]})");
  CHECK(php_tree("action=archive&ids[]=X&ids[]=Y") == R"({action:"archive",ids:["X","Y"]})");
  CHECK(php_tree("ids[1]=Y") == R"({ids:{1:"Y"}})");
  CHECK(php_tree("a=1&a=2") == R"({a:"2"})");
  CHECK(php_tree("a[x=1") == R"({a_x:"1"})");
  CHECK(php_tree("first.name=z& b=1&=q&&") == R"({first_name:"z",b:"1"})");
  CHECK(php_tree("a=1&a[b]=2") == R"({a:{b:"2"}})");
  CHECK(php_tree("p=%zz%4") == R"({p:"%zz%4"})");
  std::string deep = "x" + std::string();
  for (int i = 0; i < 70; ++i)
    deep += "[a]";
  CHECK(php_tree(deep + "=1&y=2") == R"({y:"2"})");
  std::string many;
  for (int i = 0; i < 1001; ++i)
    many += "f" + std::to_string(i) + "=1&";
  rapidjson::Document d;
  CHECK(build_php_input(parse_urlencoded(many), d) == InputError::too_many_fields);
}

namespace {
ListParams list_ok(const std::string& target) {
  auto url = boost::urls::parse_origin_form(target);
  REQUIRE(url);
  auto parsed = parse_list_params(*url);
  REQUIRE(std::holds_alternative<ListParams>(parsed));
  return std::get<ListParams>(parsed);
}
ListError list_error(const std::string& target) {
  auto url = boost::urls::parse_origin_form(target);
  REQUIRE(url);
  auto parsed = parse_list_params(*url);
  REQUIRE(std::holds_alternative<ListError>(parsed));
  return std::get<ListError>(parsed);
}
}  // namespace

TEST_CASE("list params: paging defaults and clamps") {
  auto p = list_ok("/api/v1/clients");
  CHECK(p.per_page == 20);
  CHECK(p.page == 1);
  CHECK(p.query.states == core::states_all);
  // BaseController: min(abs((int) per_page), 5000); 0 is Laravel's model default, 15.
  CHECK(list_ok("/c?per_page=-5").per_page == 5);
  CHECK(list_ok("/c?per_page=0").per_page == 15);
  CHECK(list_ok("/c?per_page=abc").per_page == 15);
  CHECK(list_ok("/c?per_page=").per_page == 15);
  CHECK(list_ok("/c?per_page=12abc").per_page == 12);
  CHECK(list_ok("/c?per_page=1e2").per_page == 100);
  CHECK(list_ok("/c?per_page=-999999").per_page == 5000);
  CHECK(list_ok("/c?per_page=999999").per_page == 5000);
  CHECK(list_ok("/c?per_page=99999999999999999999999").per_page == 5000);
  CHECK(list_ok("/c?per_page=7&page=3").query.offset == 14);
  CHECK(list_ok("/c?page=-2").page == 1);
  CHECK(list_ok("/c?page=x").page == 1);
}

TEST_CASE("list params: filters") {
  auto b = list_ok("/c?balance=lt:10");
  REQUIRE(b.query.balance.size() == 1);
  CHECK(b.query.balance[0].op == core::Comparison::lt);
  CHECK(b.query.balance[0].value == *core::Money::parse("10"));
  auto sdk = list_ok("/c?balance=0:gt");  // what the official SDK's test sends
  REQUIRE(sdk.query.balance.size() == 1);
  CHECK(sdk.query.balance[0].op == core::Comparison::gt);
  CHECK(list_error("/c?balance=zz:1").errors.at(0).first == "balance");
  CHECK(list_error("/c?balance=lt:abc").status == 422);
  // Tolerated as QueryFilters tolerates them: no `:` is no filter; an unknown operator is `=`.
  CHECK(list_ok("/c?balance=10").query.balance.empty());
  auto unknown_op = list_ok("/c?balance=5:zz");
  REQUIRE(unknown_op.query.balance.size() == 1);
  CHECK(unknown_op.query.balance[0].op == core::Comparison::eq);
  CHECK(unknown_op.query.balance[0].value == *core::Money::parse("5"));
  CHECK(list_ok("/c?balance=1:gt:x").query.balance.size() == 1);
  CHECK(list_ok("/c?between_balance=10:20").query.balance.size() == 2);
  CHECK(list_ok("/c?between_balance=10").query.balance.empty());  // one part: no filter
  CHECK(list_error("/c?between_balance=a:b").errors.at(0).first == "between_balance");
  CHECK(list_ok("/c?email=a@b.c").query.contact_email == "a@b.c");
  CHECK(list_ok("/c?number=0001").query.number == "0001");
  CHECK(list_ok("/c?id_number=X").query.id_number == "X");
  CHECK(list_ok("/c?name=acme").query.name_contains == "acme");
  CHECK(list_ok("/c?name=").query.name_contains == std::nullopt);
  auto f = list_ok("/c?filter=blue");
  CHECK(f.query.search_terms == std::vector<std::string>{"blue"});
  CHECK((f.query.search_fields & core::search_custom_values) != 0);
  CHECK(list_ok("/c?created_at=1631673918").query.created_since ==
        core::Timestamp::from_unix_seconds(1631673918));
  CHECK(list_ok("/c?updated_at=2022-01-01").query.updated_since ==
        core::Timestamp::parse_iso8601("2022-01-01"));
  // Carbon::parse: a date-time without a zone is UTC (what n8n sends); one Carbon cannot read
  // leaves the filter out, as the real filter catches the exception.
  CHECK(list_ok("/c?created_at=2023-06-01T00:00:00").query.created_since ==
        core::Timestamp::parse_iso8601("2023-06-01T00:00:00Z"));
  CHECK(list_ok("/c?updated_at=2023-06-01%2010:30").query.updated_since ==
        core::Timestamp::parse_iso8601("2023-06-01T10:30:00Z"));
  CHECK(list_ok("/c?created_at=2023-06-01T02:00:00%2B02:00").query.created_since ==
        core::Timestamp::parse_iso8601("2023-06-01T00:00:00Z"));
  CHECK(list_ok("/c?created_at=not-a-date").query.created_since == std::nullopt);
  CHECK(list_ok("/c?is_deleted=true").query.states == core::state_deleted);
  CHECK(list_ok("/c?is_deleted=false").query.states == core::states_live);
  CHECK(list_error("/c?is_deleted=maybe").status == 422);
  CHECK(list_ok("/c?status=active").query.states == core::state_active);
  CHECK(list_ok("/c?status=archived,deleted").query.states ==
        (core::state_archived | core::state_deleted));
  // No known word: the real nested where is empty and Laravel leaves it out.
  CHECK(list_ok("/c?status=bogus").query.states == core::states_all);
  CHECK(list_ok("/c?with_trashed=false").query.states == core::states_live);
  CHECK(list_ok("/c?with_trashed=true").query.states == core::states_all);
  CHECK(list_ok("/c?status=active,deleted&is_deleted=false").query.states == core::state_active);
}

TEST_CASE("list params: sort and include") {
  auto s = list_ok("/c?sort=name%7Cdesc");
  CHECK(s.query.sort == core::ClientColumn::name);
  CHECK(s.query.descending);
  CHECK(list_ok("/c?sort=balance").query.sort == core::ClientColumn::id);  // not column|dir
  auto display = list_ok("/c?sort=display_name%7Casc");
  CHECK(display.query.sort == core::ClientColumn::name);
  CHECK_FALSE(display.query.descending);
  CHECK(list_ok("/c?sort=name%7CASC").query.descending);  // only exactly `asc` is ascending
  auto bad = list_ok("/c?sort=name;drop%20table");
  CHECK(bad.query.sort == core::ClientColumn::id);
  CHECK_FALSE(bad.query.descending);
  CHECK(list_ok("/c?sort=name%7Csideways").query.descending);
  CHECK(list_ok("/c?sort=password%7Casc").query.sort == core::ClientColumn::id);
  list_ok("/c?include=contacts,documents,gateway_tokens");
  // Every relation of the real Client model is accepted; the transformer's available
  // includes are rendered.
  CHECK(list_ok("/c?include=contacts,activities").includes == include_activities);
  CHECK(list_ok("/c?include=invoices,company,ledger,system_logs,group_settings").includes ==
        (include_ledger | include_system_logs));
  CHECK(list_ok("/c?include=contacts.company").includes == 0);
  auto e = list_error("/c?include=contacts,spaceships");
  CHECK(e.status == 400);
  CHECK(e.message == "Relation `spaceships` is not a valid include.");
  CHECK(list_error("/c?include=contacts,%20documents").message ==
        "Relation ` documents` is not a valid include.");
}

namespace {
ClientInput input_of(const std::string& json, WriteMode mode = WriteMode::create,
                     const std::vector<core::Contact>& existing = {}) {
  static HashidCodec codec;
  rapidjson::Document d;
  d.Parse(json.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return read_client_input(d, mode, codec, existing);
}
}  // namespace

TEST_CASE("client input: fields, booleans and validation") {
  auto in =
      input_of(R"({"name":"  Acme ","country_id":"840","website":"","number":null,)"
               R"("settings":{"currency_id":"2"},"contacts":[{"email":"a@b.co","send_email":"0",)"
               R"("is_primary":"on"}],"unknown_field":1})");
  CHECK(in.errors.empty());
  CHECK(in.patch.name == "Acme");
  CHECK(in.patch.country_id == std::optional<std::int64_t>{840});
  REQUIRE(in.patch.website.has_value());
  CHECK_FALSE(in.patch.website->has_value());  // "" is null, as Laravel converts it
  CHECK(in.patch.number == std::string());
  CHECK(in.patch.currency_id == std::optional<std::int64_t>{2});
  REQUIRE(in.patch.contacts);
  CHECK((*in.patch.contacts)[0].send_email == false);
  CHECK((*in.patch.contacts)[0].is_primary == true);

  CHECK(input_of(R"({"country_id":"A"})").errors.at(0).first == "country_id");
  // ValidClientGroupSettingsRule: the error is on `settings`, worded "<key> is not a valid
  // <type>".
  auto currency = input_of(R"({"settings":{"currency_id":"A"}})");
  CHECK(currency.errors.at(0).first == "settings");
  CHECK(currency.errors.at(0).second.at(0) == "currency_id is not a valid integer");
  CHECK(input_of(R"({"settings":{"currency_id":"2.5"}})").errors.size() == 1);
  CHECK(input_of(R"({"settings":{"currency_id":3}})").patch.currency_id ==
        std::optional<std::int64_t>{3});
  CHECK(input_of(R"({"settings":{"currency_id":""}})").errors.empty());
  CHECK(input_of(R"({"contacts":"wut"})").errors.at(0).second.at(0) ==
        "The contacts must be an array.");
  CHECK(input_of(R"({"documents":"wut"})").errors.at(0).first == "documents");
  CHECK(input_of(R"({"documents":null})").errors.at(0).first == "documents");
  CHECK(input_of(R"({"documents":[]})").errors.empty());
  auto email = input_of(R"({"contacts":[{"email":"ok@x.io"},{"email":"not an email"}]})");
  REQUIRE(email.errors.size() == 1);
  CHECK(email.errors[0].first == "contacts.1.email");
  CHECK(email.errors[0].second[0] == "The contacts.1.email must be a valid email address.");
  CHECK(input_of(R"({"contacts":[{"send_email":"maybe"}]})").errors.at(0).first ==
        "contacts.0.send_email");
  CHECK(input_of(R"({"name":["x"]})").errors.at(0).first == "name");
  CHECK(input_of(R"({"name":")" + std::string(256, 'x') + R"("})").errors.at(0).first == "name");
  // A create without contacts gets one blank primary contact.
  auto none = input_of(R"({"name":"N"})");
  REQUIRE(none.patch.contacts);
  CHECK(none.patch.contacts->size() == 1);
  // An update leaves contacts alone unless sent; number "" keeps the number.
  auto upd = input_of(R"({"number":""})", WriteMode::update);
  CHECK_FALSE(upd.patch.contacts.has_value());
  CHECK_FALSE(upd.patch.number.has_value());
}

TEST_CASE("client input: contact ids only update the client's own contacts") {
  core::Contact mine;
  mine.id = 7064;
  auto in = input_of(R"({"contacts":[{"id":"YQdJqg9bOG"},{"id":"y1aKZjleQG"},{"id":"junk"}]})",
                     WriteMode::update, {mine});
  REQUIRE(in.patch.contacts);
  CHECK((*in.patch.contacts)[0].id == 7064);
  CHECK_FALSE((*in.patch.contacts)[1].id.has_value());  // 7065 is not this client's
  CHECK_FALSE((*in.patch.contacts)[2].id.has_value());
}

TEST_CASE("booleans and e-mail addresses") {
  rapidjson::Document d;
  for (auto [text, value] : std::vector<std::pair<std::string, bool>>{{"true", true},
                                                                      {"false", false},
                                                                      {"1", true},
                                                                      {"0", false},
                                                                      {"\"1\"", true},
                                                                      {"\"0\"", false},
                                                                      {"\"true\"", true},
                                                                      {"\"false\"", false},
                                                                      {"\"on\"", true},
                                                                      {"\"off\"", false}}) {
    d.Parse(text.c_str());
    CHECK(php_boolean(d) == value);
  }
  d.Parse("2");
  CHECK_FALSE(php_boolean(d).has_value());
  CHECK(valid_email("user@example.com"));
  CHECK(valid_email("a.b+c@sub.example.org"));
  CHECK_FALSE(valid_email("no-at.example.com"));
  CHECK_FALSE(valid_email("a@"));
  CHECK_FALSE(valid_email("a b@c.d"));
  CHECK_FALSE(valid_email("a@@b.c"));
  CHECK_FALSE(valid_email("a..b@c.d"));
}

TEST_CASE("render: display_name and the list envelope") {
  core::Client c;
  c.name = "X";
  CHECK(display_name(c) == "No Contact Set");
  core::Contact k;
  k.email = "only@mail.example";
  c.contacts.push_back(k);
  CHECK(display_name(c) == "only@mail.example");
  c.contacts[0].first_name = "Ann";
  CHECK(display_name(c) == "Ann ");
  c.name = "Acme";
  CHECK(display_name(c) == "Acme");

  HashidCodec codec;
  RenderContext ctx{codec, "http://h"};
  PageInfo empty;
  CHECK(render_client_list({}, empty, ctx) ==
        R"({"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":20,)"
        R"("current_page":1,"total_pages":1,"links":[]}}})");
  PageInfo paged;
  paged.total = 45;
  paged.page = 2;
  paged.previous_url = "http://h/api/v1/clients?page=1";
  paged.next_url = "http://h/api/v1/clients?page=3";
  CHECK(render_client_list({}, paged, ctx)
            .find(R"("total_pages":3,"links":{"previous":"http:\/\/h\/api\/v1\/clients?page=1",)"
                  R"("next":"http:\/\/h\/api\/v1\/clients?page=3"}})") != std::string::npos);
  CHECK(render_errors("m", {}) == R"({"message":"m","errors":{}})");
  CHECK(render_errors("The given data was invalid.", {{"number", {"taken"}}}) ==
        R"({"message":"The given data was invalid.","errors":{"number":["taken"]}})");
}
