// The intervals dialect's wire pieces without a socket or a store: rendering, body parsing,
// the query string, the address and the description clean-up.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <variant>

#include "intervals/client_fields.hpp"
#include "intervals/description_html.hpp"
#include "intervals/list_params.hpp"
#include "intervals/parse.hpp"
#include "intervals/render.hpp"

using namespace clientgate;
using namespace clientgate::dialects::intervals;
namespace http = boost::beast::http;

namespace {

core::Client sample_client() {
  core::Client c;
  c.id = 123;
  c.company_id = 456;
  c.localid = 7;
  c.name = "Acme \"Corp\" <One>";
  c.created_at = *core::Timestamp::parse_iso8601("2023-01-05T12:00:00Z");
  c.description = "Best <b>client</b>";
  c.email = "info@acme.test";
  c.address1 = "1 Main St";
  c.city = "Springfield";
  c.state = "IL";
  c.postal_code = "62701";
  return c;
}

Envelope collection_of(const core::Client& c, bool admin) {
  Envelope e;
  e.personid = "7";
  e.listcount = 42;
  e.clients.emplace();
  e.clients->push_back(show_client(c, admin));
  return e;
}

BodyFields fields_of(std::string_view type, std::string_view body) {
  auto parsed = parse_body(type, body);
  REQUIRE(std::holds_alternative<BodyFields>(parsed));
  return std::get<BodyFields>(parsed);
}

ApiError body_error(std::string_view type, std::string_view body) {
  auto parsed = parse_body(type, body);
  REQUIRE(std::holds_alternative<ApiError>(parsed));
  return std::get<ApiError>(parsed);
}

core::ClientPatch patch_of(const BodyFields& fields, bool creating = false) {
  auto patch = client_patch(fields, creating);
  REQUIRE(std::holds_alternative<core::ClientPatch>(patch));
  return std::get<core::ClientPatch>(patch);
}

ApiError patch_error(const BodyFields& fields, bool creating = false) {
  auto patch = client_patch(fields, creating);
  REQUIRE(std::holds_alternative<ApiError>(patch));
  return std::get<ApiError>(patch);
}

std::variant<core::ClientQuery, ApiError> query_of(const std::string& target) {
  auto url = boost::urls::parse_origin_form(target);
  REQUIRE(url);
  return list_query(url->params());
}

core::ClientQuery good_query(const std::string& target) {
  auto q = query_of(target);
  REQUIRE(std::holds_alternative<core::ClientQuery>(q));
  return std::get<core::ClientQuery>(q);
}

int query_error_code(const std::string& target) {
  auto q = query_of(target);
  REQUIRE(std::holds_alternative<ApiError>(q));
  return static_cast<int>(std::get<ApiError>(q).code);
}

std::string clean(std::string_view html) {
  auto out = clean_description_html(html);
  REQUIRE(out);
  return *out;
}

}  // namespace

TEST_CASE("intervals render: a collection in JSON, everything a string") {
  auto body = render(collection_of(sample_client(), true), Format::json);
  CHECK(body == R"({"personid":"7","status":"OK","code":200,"listcount":42,"client":[{"id":"123",)"
                R"("localid":"000007","localidunpadded":"7","name":"Acme \"Corp\" <One>",)"
                R"("datecreated":"2023-01-05","description":"Best <b>client</b>",)"
                R"("email":"info@acme.test","website":null,"phone":null,"fax":null,)"
                R"("address":"1 Main St\nSpringfield, IL 62701","active":"t"}]})");
}

TEST_CASE("intervals render: administrator-only fields are left out for the others") {
  auto c = sample_client();
  c.active = false;
  auto body = render(collection_of(c, false), Format::json);
  CHECK(body ==
        R"({"personid":"7","status":"OK","code":200,"listcount":42,"client":[{"id":"123",)"
        R"("localid":"000007","localidunpadded":"7","name":"Acme \"Corp\" <One>","active":"f"}]})");
  auto xml = render(collection_of(c, false), Format::xml);
  CHECK(xml.find("<description>") == std::string::npos);
  CHECK(xml.find("<datecreated>") == std::string::npos);
}

TEST_CASE("intervals render: a collection in XML, null as an empty element") {
  auto body = render(collection_of(sample_client(), true), Format::xml);
  CHECK(body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><intervals><personid>7</personid>"
        "<status>OK</status><code>200</code><listcount>42</listcount><client><item>"
        "<id>123</id><localid>000007</localid><localidunpadded>7</localidunpadded>"
        "<name>Acme \"Corp\" &lt;One&gt;</name><datecreated>2023-01-05</datecreated>"
        "<description>Best &lt;b&gt;client&lt;/b&gt;</description>"
        "<email>info@acme.test</email><website></website><phone></phone><fax></fax>"
        "<address>1 Main St\nSpringfield, IL 62701</address><active>t</active>"
        "</item></client></intervals>");
}

TEST_CASE("intervals render: create, update and delete envelopes") {
  Envelope created;
  created.personid = "7";
  created.status = http::status::created;
  created.clients.emplace();
  created.clients->push_back(show_client(sample_client(), true));
  auto json = render(created, Format::json);
  CHECK(json.rfind(R"({"personid":"7","status":"Created","code":201,"client":[{"id":"123",)", 0) ==
        0);
  created.status = http::status::accepted;
  CHECK(render(created, Format::json)
            .rfind(R"({"personid":"7","status":"Accepted","code":202,"client":[)", 0) == 0);
  CHECK(render(created, Format::xml)
            .find("<status>Accepted</status><code>202</code><client><item>") != std::string::npos);

  Envelope deleted;
  deleted.personid = "7";
  CHECK(render(deleted, Format::json) == R"({"personid":"7","status":"OK","code":200})");
  CHECK(render(deleted, Format::xml) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><intervals><personid>7</personid>"
        "<status>OK</status><code>200</code></intervals>");
}

TEST_CASE("intervals render: errors with the API code, message and verbose") {
  auto e = error_envelope("7", api_error(ApiCode::no_such_resource, "No client with id 99"));
  CHECK(e.status == http::status::not_found);
  CHECK(render(e, Format::json) ==
        R"({"personid":"7","status":"Not Found","code":404,"error":{"code":14,)"
        R"("message":"Resource not found","verbose":["No client with id 99"]}})");
  CHECK(render(e, Format::xml) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><intervals><personid>7</personid>"
        "<status>Not Found</status><code>404</code><error><code>14</code>"
        "<message>Resource not found</message><verbose><item>No client with id 99</item>"
        "</verbose></error></intervals>");
  auto anonymous = error_envelope("", api_error(ApiCode::invalid_auth, "x"));
  CHECK(render(anonymous, Format::json)
            .rfind(R"({"personid":"","status":"Unauthorized","code":401,"error":{"code":9,)", 0) ==
        0);
  CHECK(error_envelope("7", api_error(ApiCode::permission, "x")).status == http::status::forbidden);
  CHECK(error_envelope("7", api_error(ApiCode::method_not_available, "x")).status ==
        http::status::bad_request);
  CHECK(error_envelope("7", api_error(ApiCode::unknown_parameter, "x")).status ==
        http::status::bad_request);
  CHECK(error_envelope("7", api_error(ApiCode::validation, "x")).status ==
        http::status::bad_request);
  CHECK(error_envelope("7", api_error(ApiCode::general, "x")).status ==
        http::status::internal_server_error);
  CHECK(error_envelope("7", api_error(ApiCode::service_offline, "x")).status ==
        http::status::service_unavailable);
}

TEST_CASE("intervals render: XML never carries characters XML 1.0 forbids") {
  auto c = sample_client();
  c.name = std::string("bell\x07") + "end\xEF\xBF\xBE";
  auto xml = render(collection_of(c, false), Format::xml);
  CHECK(xml.find("<name>bell\xEF\xBF\xBD"
                 "end\xEF\xBF\xBD</name>") != std::string::npos);
}

TEST_CASE("intervals format: chosen by Accept") {
  auto format_for = [](const char* accept) {
    http::request<http::empty_body> req{http::verb::get, "/client/", 11};
    if (accept) req.set(http::field::accept, accept);
    return response_format(req.base());
  };
  CHECK(format_for(nullptr) == Format::json);
  CHECK(format_for("application/json") == Format::json);
  CHECK(format_for("application/xml") == Format::xml);
  CHECK(format_for("Application/XML; charset=utf-8") == Format::xml);
  CHECK(format_for("text/html, application/xml;q=0.9") == Format::xml);
  CHECK(format_for("application/json, application/xml") == Format::json);
  CHECK(format_for("*/*") == Format::json);
  CHECK(content_type(Format::xml) == "application/xml; charset=utf-8");
  CHECK(content_type(Format::json) == "application/json; charset=utf-8");
}

TEST_CASE("intervals fields: localid padded and unpadded, address joined") {
  CHECK(padded_localid(7) == "000007");
  CHECK(padded_localid(123456) == "123456");
  CHECK(padded_localid(1234567) == "1234567");

  core::Client c;
  CHECK_FALSE(address_text(c));
  c.address1 = "1 Main St";
  CHECK(*address_text(c) == "1 Main St");
  c.address2 = "Suite 4";
  CHECK(*address_text(c) == "1 Main St\nSuite 4");
  c.city = "Springfield";
  CHECK(*address_text(c) == "1 Main St\nSuite 4\nSpringfield");
  c.postal_code = "62701";
  CHECK(*address_text(c) == "1 Main St\nSuite 4\nSpringfield, 62701");
  c.state = "IL";
  CHECK(*address_text(c) == "1 Main St\nSuite 4\nSpringfield, IL 62701");
  c.address1 = "";  // empty lines are left out
  c.city.reset();
  CHECK(*address_text(c) == "Suite 4\nIL 62701");
}

TEST_CASE("intervals body: JSON object of strings") {
  auto fields = fields_of("application/json",
                          R"({"name":"Acme","description":null,"active":false,"phone":"1"})");
  REQUIRE(fields.size() == 4);
  CHECK(fields[0].name == "name");
  CHECK(*fields[0].value == "Acme");
  CHECK_FALSE(fields[1].value);
  CHECK(*fields[2].value == "f");
  CHECK(fields_of("application/json", "").empty());
  CHECK(fields_of("text/plain", "  \n").empty());
}

TEST_CASE("intervals body: a JSON number for a string field is its exact text") {
  auto fields =
      fields_of("application/json", R"({"name":5,"phone":5550100,"fax":-1.50,"address":1e3,)"
                                    R"("website":12345678901234567890123,"active":1})");
  REQUIRE(fields.size() == 6);
  CHECK(*fields[0].value == "5");
  CHECK(*fields[1].value == "5550100");
  CHECK(*fields[2].value == "-1.50");
  CHECK(*fields[3].value == "1e3");
  CHECK(*fields[4].value == "12345678901234567890123");  // no rounding through a double
  CHECK(*fields[5].value == "1");
  auto patch = std::get<core::ClientPatch>(client_patch(fields, true));
  CHECK(*patch.name == "5");
  CHECK(**patch.phone == "5550100");
  CHECK(*patch.active == true);
  // Still JSON: a malformed number is refused.
  CHECK(body_error("application/json", R"({"phone":01})").code == ApiCode::validation);
  CHECK(body_error("application/json", R"({"phone":1.})").code == ApiCode::validation);
}

TEST_CASE("intervals body: bad JSON bodies are validation errors") {
  CHECK(body_error("application/json", R"([{"name":"Acme"}])").code == ApiCode::validation);
  CHECK(body_error("application/json", R"({"name":"Acme")").code == ApiCode::validation);
  CHECK(body_error("application/json", R"("Acme")").code == ApiCode::validation);
  CHECK(body_error("application/json", R"({"name":[5]})").verbose ==
        std::vector<std::string>{"The field name must be a string"});
  CHECK(body_error("application/json", R"({"name":{"a":1}})").code == ApiCode::validation);
  CHECK(body_error("application/json", R"({"phone":true})").code == ApiCode::validation);
  CHECK(body_error("application/json", "{\"name\":\"\xC3\x28\"}").code == ApiCode::validation);
  CHECK(body_error("application/json", std::string(100, '[') + std::string(100, ']')).code ==
        ApiCode::validation);
  // XML sent as JSON, and the reverse.
  CHECK(body_error("application/json", "<client><name>Acme</name></client>").code ==
        ApiCode::validation);
  CHECK(body_error("application/xml", R"({"name":"Acme"})").code == ApiCode::validation);
  CHECK(body_error("text/plain", R"({"name":"Acme"})").code == ApiCode::validation);
  CHECK(body_error("", R"({"name":"Acme"})").code == ApiCode::validation);
}

TEST_CASE("intervals body: XML <client> with text fields") {
  auto fields = fields_of("application/xml",
                          "<?xml version=\"1.0\"?><client><name>Acme &amp; Co</name>"
                          "<description><![CDATA[<b>x</b>]]></description><fax/>"
                          "<active>t</active></client>");
  REQUIRE(fields.size() == 4);
  CHECK(*fields[0].value == "Acme & Co");
  CHECK(*fields[1].value == "<b>x</b>");
  CHECK(fields[2].name == "fax");
  CHECK_FALSE(fields[2].value);
  CHECK(*fields[3].value == "t");
  CHECK(fields_of("text/xml", "<client/>").empty());
}

TEST_CASE("intervals body: a DOCTYPE is refused and entities are never expanded") {
  auto doctype = body_error("application/xml",
                            "<?xml version=\"1.0\"?><!DOCTYPE client [<!ENTITY xxe SYSTEM "
                            "\"file:///etc/passwd\">]><client><name>&xxe;</name></client>");
  CHECK(doctype.code == ApiCode::validation);
  CHECK(doctype.verbose == std::vector<std::string>{"The request body must not have a DOCTYPE"});
  CHECK(body_error("application/xml", "<!DOCTYPE client><client/>").code == ApiCode::validation);
  // An undeclared entity stays the text it is.
  auto fields = fields_of("application/xml", "<client><name>&xxe;</name></client>");
  CHECK(*fields[0].value == "&xxe;");
}

TEST_CASE("intervals body: bad XML bodies are validation errors") {
  CHECK(body_error("application/xml", "<client><name>Acme</client>").code == ApiCode::validation);
  CHECK(body_error("application/xml", "<person><name>Acme</name></person>").code ==
        ApiCode::validation);
  CHECK(body_error("application/xml", "<client><name><b>A</b></name></client>").code ==
        ApiCode::validation);
  CHECK(body_error("application/xml", "<client>loose text</client>").code == ApiCode::validation);
  CHECK(body_error("application/xml", "<client><name>\xFF</name></client>").code ==
        ApiCode::validation);
}

TEST_CASE("intervals patch: fields to the canonical client") {
  auto patch = patch_of({{"name", "Acme"},
                         {"datecreated", "2024-02-29"},
                         {"email", "a@b.test"},
                         {"website", "https://acme.test"},
                         {"phone", "555"},
                         {"fax", std::nullopt},
                         {"active", "F"}},
                        true);
  CHECK(*patch.name == "Acme");
  CHECK(patch.created_at->date() == "2024-02-29");
  CHECK(**patch.email == "a@b.test");
  CHECK(**patch.website == "https://acme.test");
  CHECK(**patch.phone == "555");
  REQUIRE(patch.fax);
  CHECK_FALSE(*patch.fax);
  CHECK(*patch.active == false);
  CHECK_FALSE(patch.description);
  CHECK_FALSE(patch.address1);
}

TEST_CASE("intervals patch: address goes whole into address1 and clears the other parts") {
  auto patch = patch_of({{"address", "1 Main St\nSpringfield"}});
  CHECK(**patch.address1 == "1 Main St\nSpringfield");
  for (const auto* part : {&patch.address2, &patch.city, &patch.state, &patch.postal_code}) {
    REQUIRE(part->has_value());
    CHECK_FALSE(part->value().has_value());
  }
  auto cleared = patch_of({{"address", std::nullopt}});
  REQUIRE(cleared.address1);
  CHECK_FALSE(*cleared.address1);
}

TEST_CASE("intervals patch: the description is cleaned") {
  auto patch = patch_of({{"description", "<p onclick=\"x()\">Hi<script>alert(1)</script></p>"}});
  CHECK(**patch.description == "<p>Hi</p>");
}

TEST_CASE("intervals patch: read-only fields are ignored, unknown ones are code 17") {
  auto patch = patch_of({{"id", "5"}, {"localid", "000005"}, {"localidunpadded", "5"}});
  CHECK_FALSE(patch.name);
  auto unknown = patch_error({{"name", "A"}, {"statusid", "1"}, {"balance", "2"}});
  CHECK(unknown.code == ApiCode::unknown_parameter);
  CHECK(unknown.verbose ==
        std::vector<std::string>{"Unknown field: statusid", "Unknown field: balance"});
}

TEST_CASE("intervals patch: required name and length limits are code 18") {
  CHECK(patch_error({}, true).verbose == std::vector<std::string>{"The field name is required"});
  CHECK(patch_error({{"name", "  "}}).code == ApiCode::validation);
  CHECK(patch_error({{"name", std::nullopt}}).code == ApiCode::validation);
  CHECK(patch_of({{"name", std::string(255, 'n')}}).name);
  CHECK(patch_error({{"name", std::string(256, 'n')}}).verbose ==
        std::vector<std::string>{"The field name may not be longer than 255 characters"});
  // Characters, not bytes: 255 two-byte characters fit.
  std::string umlauts;
  for (int i = 0; i < 255; ++i)
    umlauts += "\xC3\xBC";
  CHECK(patch_of({{"name", umlauts}}).name);
  CHECK(patch_of({{"email", std::string(255, 'e')}}).email);
  CHECK(patch_error({{"email", std::string(256, 'e')}}).code == ApiCode::validation);
  CHECK(patch_error({{"website", std::string(256, 'w')}}).code == ApiCode::validation);
  CHECK(patch_of({{"phone", std::string(50, '5')}}).phone);
  CHECK(patch_error({{"phone", std::string(51, '5')}}).code == ApiCode::validation);
  CHECK(patch_error({{"fax", std::string(51, '5')}}).code == ApiCode::validation);
  // Every problem is named.
  CHECK(patch_error({{"phone", std::string(51, '5')}, {"active", "maybe"}}).verbose.size() == 2);
}

TEST_CASE("intervals patch: dates and booleans") {
  CHECK(patch_error({{"datecreated", "2023-02-30"}}).code == ApiCode::validation);
  CHECK(patch_error({{"datecreated", "2023-1-5"}}).code == ApiCode::validation);
  CHECK(patch_error({{"datecreated", "2023-01-05T10:00:00Z"}}).code == ApiCode::validation);
  CHECK(patch_error({{"datecreated", std::nullopt}}).code == ApiCode::validation);
  CHECK(patch_error({{"active", "maybe"}}).code == ApiCode::validation);
  CHECK(patch_error({{"active", std::nullopt}}).code == ApiCode::validation);
  CHECK(*patch_of({{"active", "true"}}).active);
  CHECK(*parse_boolean("T"));
  CHECK_FALSE(*parse_boolean("0"));
  CHECK_FALSE(parse_boolean("yes"));
}

TEST_CASE("intervals query: defaults") {
  auto q = good_query("/client/");
  CHECK(q.limit == 10);
  CHECK(q.offset == 0);
  CHECK(q.sort == core::ClientColumn::id);
  CHECK_FALSE(q.descending);
  CHECK(q.states == core::states_live);
  CHECK_FALSE(q.with_active_project);
}

TEST_CASE("intervals query: every filter") {
  auto q = good_query(
      "/client/?localid=1,2,%2003&active=f&search=acme,%20beta,&projectsonly=t"
      "&sortfield=DateCreated&sortdir=desc&offset=5&limit=100000");
  CHECK(q.localids == std::vector<std::int64_t>{1, 2, 3});
  CHECK(q.states == core::state_archived);
  CHECK(q.search_terms == std::vector<std::string>{"acme", "beta"});
  CHECK(q.search_fields == (core::search_name | core::search_description | core::search_localid));
  CHECK(q.with_active_project);
  CHECK(q.sort == core::ClientColumn::created_at);
  CHECK(q.descending);
  CHECK(q.offset == 5);
  CHECK(q.limit == 100000);
  CHECK(good_query("/client/?active=t").states == core::state_active);
  CHECK(good_query("/client/?projectsonly=f").with_active_project == false);
  CHECK(good_query("/client/?sortfield=name&sortdir=Asc").sort == core::ClientColumn::name);
  CHECK(good_query("/client/?sortfield=LOCALID").sort == core::ClientColumn::localid);
  CHECK(good_query("/client/?limit=0").limit == 0);
  CHECK(good_query("/client/?limit=5&limit=7").limit == 7);           // the last wins
  CHECK(good_query("/client/?active=").states == core::states_live);  // empty: absent
  CHECK(good_query("/client/?").limit == 10);
  CHECK(good_query("/client/?&limit=3&&").limit == 3);
}

TEST_CASE("intervals query: unknown parameters are code 17, bad values code 18") {
  CHECK(query_error_code("/client/?statusid=1") == 17);
  CHECK(query_error_code("/client/?Limit=1") == 17);
  CHECK(query_error_code("/client/?limit=1&page=2") == 17);
  CHECK(query_error_code("/client/?limit=-1") == 18);
  CHECK(query_error_code("/client/?limit=abc") == 18);
  CHECK(query_error_code("/client/?limit=99999999999999999999") == 18);
  CHECK(query_error_code("/client/?offset=1e9") == 18);
  CHECK(query_error_code("/client/?offset=-3") == 18);
  CHECK(query_error_code("/client/?sortfield=password") == 18);
  CHECK(query_error_code("/client/?sortdir=sideways") == 18);
  CHECK(query_error_code("/client/?active=maybe") == 18);
  CHECK(query_error_code("/client/?projectsonly=2") == 18);
  CHECK(query_error_code("/client/?localid=1,,x") == 18);
  CHECK(query_error_code("/client/?localid=1,") == 18);
  CHECK(query_error_code("/client/?localid=-1") == 18);
  std::string many = "/client/?localid=1";
  for (int i = 0; i < 600; ++i)
    many += ",1";
  CHECK(query_error_code(many) == 18);
}

TEST_CASE("intervals html: script and style elements go with their content") {
  CHECK(clean("<p>Hi<script>alert(1)</script> there</p>") == "<p>Hi there</p>");
  CHECK(clean("<style>p{color:red}</style><b>bold</b>") == "<b>bold</b>");
  CHECK(clean("<SCRIPT type=\"text/javascript\">x()</SCRIPT>ok") == "ok");
  CHECK(clean("<svg><script>alert(1)</script><circle r=\"2\"></circle></svg>") ==
        "<svg><circle r=\"2\"></circle></svg>");
  CHECK(clean("<script>never closed") == "");
}

TEST_CASE("intervals html: event handlers and javascript: URLs go, the rest stays") {
  CHECK(clean("<img src=\"a.png\" onerror=\"alert(1)\" alt=\"A\">") ==
        "<img src=\"a.png\" alt=\"A\">");
  CHECK(clean("<div OnMouseOver='x()' class=\"c\">t</div>") == "<div class=\"c\">t</div>");
  CHECK(clean("<a href=\"javascript:alert(1)\" title=\"t\">x</a>") == "<a title=\"t\">x</a>");
  CHECK(clean("<a href=\" JaVaScRiPt:alert(1)\">x</a>") == "<a>x</a>");
  CHECK(clean("<a href=\"java&#x09;script:alert(1)\">x</a>") == "<a>x</a>");
  CHECK(clean("<a href=\"&#106;avascript:alert(1)\">x</a>") == "<a>x</a>");
  CHECK(clean("<a href=\"vbscript:msgbox\">x</a>") == "<a>x</a>");
  CHECK(clean("<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>") == "<iframe></iframe>");
  CHECK(clean("<a href=\"https://example.com/?a=1&amp;b=2\">link</a>") ==
        "<a href=\"https://example.com/?a=1&amp;b=2\">link</a>");
  CHECK(clean("<p>Notes <!-- hidden --> here</p>") == "<p>Notes  here</p>");
}

TEST_CASE("intervals html: nested and broken markup is repaired, not passed through") {
  CHECK(clean("<ul><li>one<li>two</ul>") == "<ul><li>one</li><li>two</li></ul>");
  CHECK(clean("<b><i>x</b></i>") == "<b><i>x</i></b>");
  CHECK(clean("<div><div><span onclick=\"x\">deep</span></div></div>") ==
        "<div><div><span>deep</span></div></div>");
  CHECK(clean("<p>unclosed <em>emphasis") == "<p>unclosed <em>emphasis</em></p>");
  // "scr<script" is one (unknown) tag name: not written, its text kept and escaped.
  CHECK(clean("<scr<script>ipt>alert(1)</script>") == "ipt&gt;alert(1)");
  CHECK(clean("<img src=x onerror=alert(1)//") == "");
  CHECK(clean("1 < 2 and <b>3 > 2</b>") == "1 &lt; 2 and <b>3 &gt; 2</b>");
  // An attribute may not close the element it is in, whatever a browser later makes of it.
  CHECK(clean("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></p></noscript>") ==
        "<noscript><p title=\"&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;\"></p>"
        "</noscript>");
}

TEST_CASE("intervals html: text without markup is kept as it is; too much markup is refused") {
  CHECK(clean("Fish & Chips, \"quoted\" &amp; more") == "Fish & Chips, \"quoted\" &amp; more");
  CHECK(clean("") == "");
  std::string deep;
  for (std::size_t i = 0; i < max_description_markup; ++i)
    deep += "<i>";
  CHECK(clean(deep).size() > deep.size());
  CHECK_FALSE(clean_description_html(deep + "<i>"));
}

TEST_CASE("intervals html: raw-text elements neither grow on a round trip nor carry markup") {
  CHECK(clean("<iframe><script>alert(1)</script></iframe>after") == "<iframe></iframe>after");
  CHECK(clean("<noembed><img src=x onerror=alert(1)></noembed>") == "<noembed></noembed>");
  CHECK(clean("<xmp><b>shown as text</b></xmp>") == "<pre>&lt;b&gt;shown as text&lt;/b&gt;</pre>");
  // What comes out is what comes back: a read, then a write of the same text, changes nothing.
  for (const char* html :
       {"<p>Hi <b>there</b> &amp; <a href=\"https://x.test/?a=1&amp;b=2\">you</a></p>",
        "<xmp>a < b</xmp>", "<textarea>&lt;b&gt;</textarea>", "<ul><li>one<li>two</ul>",
        "<p title='\"quoted\"'>1 < 2</p>", "<svg viewBox=\"0 0 1 1\"><circle r=\"1\"/></svg>"}) {
    INFO(html);
    auto once = clean(html);
    CHECK(clean(once) == once);
  }
}
