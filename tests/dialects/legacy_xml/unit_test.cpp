// legacy_xml rendering and parsing, without a socket or a store.
#include <catch2/catch.hpp>

#include "legacy_xml/company_directory.hpp"
#include "legacy_xml/parse.hpp"
#include "legacy_xml/render.hpp"
#include "legacy_xml/routes.hpp"
#include "legacy_xml/xml_text.hpp"

using namespace clientgate;
using namespace clientgate::dialects::legacy_xml;

namespace {

core::Client munch_museum() {
  core::Client c;
  c.id = 21;
  c.name = "Munch Museum";
  c.active = true;
  c.created_at = *core::Timestamp::parse_iso8601("2007-03-30T20:28:40Z");
  c.updated_at = *core::Timestamp::parse_iso8601("2007-12-20T06:55:23.987654Z");
  return c;
}

ClientElements elements_of(const std::string& body) {
  auto parsed = read_client_xml(body);
  if (auto* bad = std::get_if<BodyError>(&parsed)) FAIL("unexpected body error: " << bad->message);
  return std::get<ClientElements>(parsed);
}

std::string body_error(const std::string& body) {
  auto parsed = read_client_xml(body);
  REQUIRE(std::holds_alternative<BodyError>(parsed));
  return std::get<BodyError>(parsed).message;
}

core::ClientPatch patch_of(const std::string& body, bool creating) {
  auto patch = client_patch(elements_of(body), creating);
  if (auto* messages = std::get_if<std::vector<std::string>>(&patch))
    FAIL("unexpected validation errors: " << messages->front());
  return std::get<core::ClientPatch>(patch);
}

std::vector<std::string> messages_of(const std::string& body, bool creating) {
  auto patch = client_patch(elements_of(body), creating);
  REQUIRE(std::holds_alternative<std::vector<std::string>>(patch));
  return std::get<std::vector<std::string>>(patch);
}

}  // namespace

TEST_CASE("legacy_xml render: the seed's sample client, byte for byte") {
  CHECK(client_document(munch_museum(), {}, {}) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<client>\n"
        "  <id type=\"integer\">21</id>\n"
        "  <name>Munch Museum</name>\n"
        "  <active type=\"boolean\">true</active>\n"
        "  <code nil=\"true\"/>\n"
        "  <description nil=\"true\"/>\n"
        "  <url nil=\"true\"/>\n"
        "  <created-at type=\"datetime\">2007-03-30T20:28:40Z</created-at>\n"
        "  <updated-at type=\"datetime\">2007-12-20T06:55:23Z</updated-at>\n"
        "</client>\n");
}

TEST_CASE("legacy_xml render: empty strings, escaping, inactive") {
  auto c = munch_museum();
  c.name = "Smith & Sons <\"Ltd\"> 'x' > y";
  c.active = false;
  c.code = "";
  c.description = "line 1\r\nline 2\ttabbed";
  c.website = "http://abc.com/?a=1&b=2";
  auto xml = client_document(c, {}, {});
  CHECK(xml.find("  <name>Smith &amp; Sons &lt;\"Ltd\"&gt; 'x' &gt; y</name>\n") !=
        std::string::npos);
  CHECK(xml.find("  <active type=\"boolean\">false</active>\n") != std::string::npos);
  CHECK(xml.find("  <code></code>\n") != std::string::npos);
  CHECK(xml.find("  <description>line 1&#13;\nline 2\ttabbed</description>\n") !=
        std::string::npos);
  CHECK(xml.find("  <url>http://abc.com/?a=1&amp;b=2</url>\n") != std::string::npos);
}

TEST_CASE("legacy_xml render: characters XML 1.0 cannot carry become '*'") {
  std::string out;
  append_text(out, std::string("a\x01"
                               "b\x00"
                               "c",
                               5));
  CHECK(out == "a*b*c");
  out.clear();
  append_text(out, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");  // café € 😀 kept as UTF-8
  CHECK(out == "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  out.clear();
  append_text(out, "bad \xff byte, \xef\xbf\xbe nonchar");
  CHECK(out == "bad * byte, * nonchar");
  out.clear();
  append_attribute_value(out, "a\"b\nc&");
  CHECK(out == "a&quot;b&#10;c&amp;");
}

TEST_CASE("legacy_xml render: include=projects,tasks") {
  auto c = munch_museum();
  core::Project p;
  p.id = 5;
  p.client_id = 21;
  p.name = "Website";
  p.active = false;
  p.code = "W-1";
  p.created_at = *core::Timestamp::parse_iso8601("2008-01-07T15:22:33Z");
  p.updated_at = *core::Timestamp::parse_iso8601("2008-01-08T15:22:33Z");
  p.tasks = {core::Task{7, 5, "Design"}};
  std::vector<core::Project> projects{p};

  auto with_projects = client_document(c, projects, Embedding{true, false});
  CHECK(with_projects.find("  <updated-at type=\"datetime\">2007-12-20T06:55:23Z</updated-at>\n"
                           "  <projects type=\"array\" total=\"1\" end=\"1\" start=\"1\">\n"
                           "    <project>\n"
                           "      <id type=\"integer\">5</id>\n"
                           "      <name>Website</name>\n"
                           "      <active type=\"boolean\">false</active>\n"
                           "      <code>W-1</code>\n"
                           "      <description nil=\"true\"/>\n"
                           "      <url nil=\"true\"/>\n"
                           "      <created-at type=\"datetime\">2008-01-07T15:22:33Z</created-at>\n"
                           "      <updated-at type=\"datetime\">2008-01-08T15:22:33Z</updated-at>\n"
                           "    </project>\n"
                           "  </projects>\n"
                           "</client>\n") != std::string::npos);
  CHECK(with_projects.find("<tasks") == std::string::npos);

  auto with_tasks = client_document(c, projects, Embedding{true, true});
  CHECK(with_tasks.find("      <updated-at type=\"datetime\">2008-01-08T15:22:33Z</updated-at>\n"
                        "      <tasks type=\"array\" total=\"1\" end=\"1\" start=\"1\">\n"
                        "        <task>\n"
                        "          <id type=\"integer\">7</id>\n"
                        "          <name>Design</name>\n"
                        "        </task>\n"
                        "      </tasks>\n"
                        "    </project>\n") != std::string::npos);

  auto none = client_document(c, {}, Embedding{true, true});
  CHECK(none.find("  <projects type=\"array\" total=\"0\" end=\"0\" start=\"1\">\n  "
                  "</projects>\n</client>\n") != std::string::npos);
}

TEST_CASE("legacy_xml render: list root and errors") {
  std::string out;
  append_list_open(out, RangeReport{6, 1, 4});
  append_list_close(out);
  CHECK(out ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clients type=\"array\" total=\"6\" end=\"4\" "
        "start=\"1\">\n</clients>\n");
  CHECK(errors_document("Name can't be blank") ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>Name can't be "
        "blank</error>\n</errors>\n");
  std::vector<std::string> two{"Name can't be blank",
                               "Url is too long (maximum is 255 characters)"};
  CHECK(errors_document(two) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <error>Name can't be "
        "blank</error>\n  <error>Url is too long (maximum is 255 characters)</error>\n</errors>\n");
}

TEST_CASE("legacy_xml parse: the seed's create body") {
  auto patch = patch_of(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<client> <!-- name (REQUIRED) --> <name>ABC Corp</name> <!-- active (optional boolean, "
      "default = true) --> <active>true</active> <!-- code (optional identifier) --> "
      "<code>12345</code> <!-- description (optional) --> <description>One of our best "
      "clients</description> <!-- url (optional external link) --> <url>http://abc.com</url> "
      "</client>",
      true);
  CHECK(patch.name == "ABC Corp");
  CHECK(patch.active == true);
  CHECK(patch.code == core::Text("12345"));
  CHECK(patch.description == core::Text("One of our best clients"));
  CHECK(patch.website == core::Text("http://abc.com"));
}

TEST_CASE("legacy_xml parse: partial bodies, nil, empty, unknown elements, text forms") {
  auto only_name = patch_of("<client><name>X</name></client>", false);
  CHECK(only_name.name == "X");
  CHECK(!only_name.active);
  CHECK(!only_name.code);
  CHECK(!only_name.website);

  auto nulls = patch_of(
      "<client><code nil=\"true\"/><description></description><url type=\"string\"></url>"
      "<id type=\"integer\">99</id><created-at>2001-01-01T00:00:00Z</created-at><foo><bar/></foo>"
      "</client>",
      false);
  CHECK(nulls.code == core::Change<core::Text>(core::Text{}));         // nil="true": NULL
  CHECK(nulls.description == core::Change<core::Text>(core::Text{}));  // empty: NULL (Rails)
  CHECK(nulls.website == core::Change<core::Text>(core::Text("")));    // type="string": ""
  CHECK(!nulls.name);

  auto text = patch_of(
      "<client><name>A &amp; B &lt;c&gt; &#233;&#x20AC; &quot;q&quot;<![CDATA[ <raw> ]]></name>"
      "<description>l1\r\nl2&#13;</description></client>",
      false);
  CHECK(*text.name == "A & B <c> \xc3\xa9\xe2\x82\xac \"q\" <raw> ");
  CHECK(text.description == core::Text("l1\nl2\r"));

  // Rails: a root other than <client> is no client parameter at all.
  auto other_root = elements_of("<project><name>X</name></project>");
  CHECK(!other_root.name);
  CHECK(!elements_of("").name);
  CHECK(!elements_of("  \n ").name);
}

TEST_CASE("legacy_xml parse: Rails booleans") {
  for (auto t : {"true", "TRUE", "True", "t", "T", "1", " true "})
    CHECK(rails_boolean(t) == true);
  for (auto f : {"false", "f", "0", "no", "yes", "2"})
    CHECK(rails_boolean(f) == false);
  CHECK(!rails_boolean(""));
  CHECK(!rails_boolean("  "));
  CHECK(patch_of("<client><active>false</active></client>", false).active == false);
  CHECK(patch_of("<client><active type=\"boolean\">1</active></client>", false).active == true);
  CHECK(messages_of("<client><active/></client>", false) ==
        std::vector<std::string>{"Active is not included in the list"});
}

TEST_CASE("legacy_xml parse: validation messages") {
  CHECK(messages_of("<client><code>1</code></client>", true) ==
        std::vector<std::string>{"Name can't be blank"});
  CHECK(messages_of("", true) == std::vector<std::string>{"Name can't be blank"});
  CHECK(messages_of("<client><name>   </name></client>", false) ==
        std::vector<std::string>{"Name can't be blank"});
  CHECK(messages_of("<client><name nil=\"true\"/></client>", false) ==
        std::vector<std::string>{"Name can't be blank"});
  CHECK(patch_of("<client></client>", false).name == std::nullopt);

  std::string n255(255, 'n');
  CHECK(patch_of("<client><name>" + n255 + "</name></client>", true).name == n255);
  CHECK(messages_of("<client><name>" + n255 + "x</name></client>", true) ==
        std::vector<std::string>{"Name is too long (maximum is 255 characters)"});
  std::string e255;
  for (int i = 0; i < 255; ++i)
    e255 += "\xc3\xa9";  // 255 characters, 510 bytes
  CHECK(patch_of("<client><name>" + e255 + "</name></client>", true).name == e255);

  CHECK(messages_of("<client><name>" + n255 + "x</name><url>" + std::string(256, 'u') +
                        "</url><code>" + std::string(256, 'c') + "</code></client>",
                    true) ==
        std::vector<std::string>{"Name is too long (maximum is 255 characters)",
                                 "Code is too long (maximum is 255 characters)",
                                 "Url is too long (maximum is 255 characters)"});
  CHECK(messages_of("<client><name>a</name><name>b</name></client>", true) ==
        std::vector<std::string>{"Name is given more than once"});
  CHECK(messages_of("<client><name><first>a</first></name></client>", true) ==
        std::vector<std::string>{"Name is invalid"});
}

TEST_CASE("legacy_xml parse: entities are never expanded") {
  std::string billion_laughs =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      " <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
      "]>\n<client><name>&lol9;</name></client>";
  CHECK(body_error(billion_laughs) == "Document type declarations are not allowed");
  std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE client [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<client><name>&xxe;</name></client>";
  CHECK(body_error(external) == "Document type declarations are not allowed");
  CHECK(body_error("<!DOCTYPE client SYSTEM \"http://example.com/x.dtd\"><client/>") ==
        "Document type declarations are not allowed");
  // An undeclared entity reference is taken as the text it is.
  CHECK(patch_of("<client><name>&lol9;</name></client>", true).name == "&lol9;");
}

TEST_CASE("legacy_xml parse: bodies that are not XML") {
  const std::string malformed = "The request body is not well-formed XML";
  CHECK(body_error("<client><name>x</client>") == malformed);
  CHECK(body_error("<client>") == malformed);
  CHECK(body_error("name=x") == malformed);
  CHECK(body_error("{\"name\":\"x\"}") == malformed);
  CHECK(body_error("<client/>trailing") == malformed);
  CHECK(body_error("<client/><client/>") == malformed);
  CHECK(body_error("<?xml version=\"1.0\"?>") == malformed);
  CHECK(body_error("<client a=b/>") == malformed);
  CHECK(body_error("<client><name>a < b</name></client>") == malformed);

  const std::string not_utf8 = "The request body is not valid UTF-8";
  CHECK(body_error("<client><name>caf\xe9</name></client>") == not_utf8);
  CHECK(body_error("<client><name>\xc0\xaf</name></client>") == not_utf8);      // overlong
  CHECK(body_error("<client><name>\xed\xa0\x80</name></client>") == not_utf8);  // surrogate

  const std::string illegal = "The request body contains a character that XML 1.0 does not allow";
  CHECK(body_error("<client><name>a\x01</name></client>") == illegal);
  CHECK(body_error(std::string("<client><name>a\0b</name></client>", 29)) == illegal);
  CHECK(body_error("<client><name>\xef\xbf\xbf</name></client>") == illegal);
  CHECK(body_error("<client><name>&#1;</name></client>") == illegal);
  CHECK(body_error("<client><name>a&#0;b</name></client>") == illegal);
  CHECK(body_error("<client><name>&#xFFFE;</name></client>") == illegal);
  CHECK(body_error("<client><name>&#xD800;</name></client>") == illegal);
  CHECK(body_error("<client><name>&#x110000;</name></client>") == illegal);
  CHECK(body_error("<client><name>&#99999999999;</name></client>") == illegal);
  CHECK(body_error("<client><name>&#;</name></client>") == illegal);
  // Tab, LF, CR and DEL are characters XML allows.
  CHECK(patch_of("<client><name>a\tb\x7f</name></client>", true).name == "a\tb\x7f");
}

TEST_CASE("legacy_xml ranges: the spec's arithmetic") {
  auto range = [](std::optional<std::string> s, std::optional<std::string> e) {
    auto parsed = parse_range(s, e);
    REQUIRE(std::holds_alternative<RangeRequest>(parsed));
    return std::get<RangeRequest>(parsed);
  };
  auto refused = [](std::optional<std::string> s, std::optional<std::string> e) {
    return std::holds_alternative<std::string>(parse_range(s, e));
  };
  auto report = [](RangeReport r) { return std::tuple(r.total, r.start, r.end); };

  // None: everything.
  CHECK(report(resolve_range(range({}, {}), 6)) == std::tuple(6, 1, 6));
  // The seed's example.
  CHECK(report(resolve_range(range("1", "4"), 6)) == std::tuple(6, 1, 4));
  // Only start: to the last.
  CHECK(report(resolve_range(range("3", {}), 6)) == std::tuple(6, 3, 6));
  // Only end.
  CHECK(report(resolve_range(range({}, "2"), 6)) == std::tuple(6, 1, 2));
  // End past the total: clamped.
  CHECK(report(resolve_range(range("5", "100"), 6)) == std::tuple(6, 5, 6));
  // Empty results: end = start - 1.
  CHECK(report(resolve_range(range({}, {}), 0)) == std::tuple(0, 1, 0));
  CHECK(report(resolve_range(range("1", "10"), 0)) == std::tuple(0, 1, 0));
  CHECK(report(resolve_range(range("10", {}), 6)) == std::tuple(6, 10, 9));
  CHECK(report(resolve_range(range("7", "9"), 6)) == std::tuple(6, 7, 6));
  CHECK(report(resolve_range(range("3", "2"), 6)) == std::tuple(6, 3, 2));
  CHECK(report(resolve_range(range("1", "0"), 6)) == std::tuple(6, 1, 0));
  CHECK(resolve_range(range("2", "4"), 6).count() == 3);
  // Refused: start < 1, end < start - 1, not a whole number.
  CHECK(refused("0", {}));
  CHECK(refused("-1", {}));
  CHECK(refused("3", "1"));
  CHECK(refused({}, "-1"));
  CHECK(refused("abc", {}));
  CHECK(refused({}, "4x"));
  CHECK(refused("", {}));
  CHECK(refused("1.5", {}));
  CHECK(refused("+1", {}));
  CHECK(refused("99999999999999999999", {}));
}

TEST_CASE("legacy_xml include parameter") {
  auto embedding = [](std::optional<std::string> v) {
    auto parsed = parse_include(v);
    REQUIRE(std::holds_alternative<Embedding>(parsed));
    auto e = std::get<Embedding>(parsed);
    return std::pair(e.projects, e.tasks);
  };
  CHECK(embedding({}) == std::pair(false, false));
  CHECK(embedding("") == std::pair(false, false));
  CHECK(embedding("projects") == std::pair(true, false));
  CHECK(embedding("projects,tasks") == std::pair(true, true));
  CHECK(embedding("tasks, projects") == std::pair(true, true));
  for (auto bad : {"tasks", "contacts", "projects,contacts", "projects,", "Projects"})
    CHECK(std::holds_alternative<std::string>(parse_include(std::string(bad))));
}

TEST_CASE("legacy_xml routes") {
  CHECK(claims_path("/clients.xml"));
  CHECK(claims_path("/clients/12.xml"));
  CHECK(claims_path("/clients/my_active_assignments.xml"));
  CHECK(claims_path("/clients/12/projects.xml"));
  CHECK_FALSE(claims_path("/clients"));
  CHECK_FALSE(claims_path("/clients/12"));
  CHECK_FALSE(claims_path("/clients.json"));
  CHECK_FALSE(claims_path("/client/12.xml"));
  CHECK_FALSE(claims_path("/api/v1/clients.xml"));

  CHECK(route_of("/clients.xml").kind == RouteKind::collection);
  CHECK(route_of("/clients/21.xml").kind == RouteKind::member);
  CHECK(route_of("/clients/21.xml").id == 21);
  CHECK(route_of("/clients/active.xml").list == ListKind::active);
  CHECK(route_of("/clients/inactive.xml").list == ListKind::inactive);
  CHECK(route_of("/clients/my_assignments.xml").list == ListKind::my_assignments);
  CHECK(route_of("/clients/my_active_assignments.xml").list == ListKind::my_active_assignments);
  CHECK(route_of("/clients/my_inactive_assignments.xml").list == ListKind::my_inactive_assignments);
  CHECK(route_of("/clients/my_inactive_assignments.xml").kind == RouteKind::list);
  for (auto unknown : {"/clients/abc.xml", "/clients/0.xml", "/clients/-1.xml", "/clients/.xml",
                       "/clients/12/projects.xml", "/clients/99999999999999999999.xml"})
    CHECK(route_of(unknown).kind == RouteKind::unknown);
  CHECK(allowed_methods(RouteKind::collection) == "GET, POST");
  CHECK(allowed_methods(RouteKind::list) == "GET");
  CHECK(allowed_methods(RouteKind::member) == "GET, PUT, DELETE");
}

TEST_CASE("legacy_xml account label from Host") {
  CHECK(account_label("design-studio.example.com") == "design-studio");
  CHECK(account_label("Design-Studio.example.com:8080") == "design-studio");
  CHECK(account_label("northwind") == "northwind");
  CHECK(account_label("localhost:8080") == "localhost");
  CHECK(!account_label("127.0.0.1:8080"));
  CHECK(!account_label("[::1]:8080"));
  CHECK(!account_label(""));
  CHECK(!account_label(".example.com"));
}
