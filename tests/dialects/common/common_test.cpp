#include <catch2/catch.hpp>

#include <boost/url/parse.hpp>
#include <string>
#include <vector>

#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/text_rules.hpp"
#include "clientgate/dialects/transport_errors.hpp"
#include "clientgate/dialects/utf8.hpp"

using namespace clientgate::dialects;
using namespace std::string_literals;

TEST_CASE("decode_utf8: code points and their lengths") {
  CHECK(decode_utf8("a", 0).value == U'a');
  CHECK(decode_utf8("a", 0).length == 1);
  CHECK(decode_utf8("\xc3\xa9", 0).value == U'\u00e9');
  CHECK(decode_utf8("\xc3\xa9", 0).length == 2);
  CHECK(decode_utf8("x\xe2\x82\xac", 1).value == U'\u20ac');
  CHECK(decode_utf8("x\xe2\x82\xac", 1).length == 3);
  CHECK(decode_utf8("\xf0\x9f\x98\x80", 0).value == U'\U0001F600');
  CHECK(decode_utf8("\xf4\x8f\xbf\xbf", 0).value == 0x10FFFF);
  CHECK(decode_utf8("\xf4\x8f\xbf\xbf", 0).length == 4);
}

TEST_CASE("decode_utf8: what is not UTF-8 has length 0") {
  for (const char* bad : {
           "\x80",              // a stray continuation byte
           "\xff",              // a byte no sequence starts with
           "\xc3",              // truncated
           "\xe2\x82",          // truncated
           "\xe2\x28\xa1",      // a continuation byte missing
           "\xc0\xaf",          // overlong '/'
           "\xc1\xbf",          // overlong
           "\xe0\x80\xaf",      // overlong
           "\xf0\x80\x80\xaf",  // overlong
           "\xed\xa0\x80",      // U+D800, a UTF-16 surrogate
           "\xed\xbf\xbf",      // U+DFFF
           "\xf4\x90\x80\x80",  // past U+10FFFF
           "\xf5\x80\x80\x80",  // past U+10FFFF
       }) {
    INFO(bad);
    CHECK(decode_utf8(bad, 0).length == 0);
    CHECK_FALSE(valid_utf8(bad));
  }
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("plain caf\xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK(valid_utf8("nul \0 is UTF-8"s));
}

TEST_CASE("utf8_or_replaced: each byte that is not UTF-8 becomes one replacement") {
  CHECK(utf8_or_replaced("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(utf8_or_replaced("a\xff"
                         "b") ==
        "a\xef\xbf\xbd"
        "b");
  CHECK(utf8_or_replaced("\xe2\x82") == "\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(utf8_or_replaced("\xed\xa0\x80", "?") == "???");
  CHECK(utf8_or_replaced("\xc3\xa9\x80", "?") == "\xc3\xa9?");
}

TEST_CASE("text rules: which characters are control characters and XML characters") {
  for (char32_t cp : {U'\0', char32_t{0x01}, char32_t{0x08}, char32_t{0x0B}, char32_t{0x0C},
                      char32_t{0x1F}, char32_t{0x7F}})
    CHECK(is_control_character(cp));
  for (char32_t cp : {U'\t', U'\n', U'\r', U' ', U'a', U'\u0080', U'\u00e9', U'\uFFFE'})
    CHECK_FALSE(is_control_character(cp));
  for (char32_t cp : {U'\t', U'\n', U'\r', U' ', char32_t{0x7F}, U'\uD7FF', U'\uE000', U'\uFFFD',
                      U'\U00010000', U'\U0010FFFF'})
    CHECK(is_xml_char(cp));
  for (char32_t cp : {U'\0', char32_t{0x01}, char32_t{0x1F}, char32_t{0xD800}, char32_t{0xDFFF},
                      U'\uFFFE', U'\uFFFF', char32_t{0x110000}})
    CHECK_FALSE(is_xml_char(cp));
}

TEST_CASE("text rules: what each RefusedOnInput refuses") {
  constexpr TextRules keep{RefusedOnInput::nothing};
  constexpr TextRules xml{RefusedOnInput::non_xml_characters};
  constexpr TextRules controls{RefusedOnInput::control_characters};
  for (const auto* rules : {&keep, &xml, &controls}) {
    CHECK(input_text_fault("", *rules) == TextFault::none);
    CHECK(input_text_fault("tab\tline\ncr\r caf\xc3\xa9", *rules) == TextFault::none);
    CHECK(input_text_fault("bad \xff", *rules) == TextFault::not_utf8);
    CHECK(input_text_fault("\xed\xa0\x80", *rules) == TextFault::not_utf8);
  }
  CHECK(input_text_fault("a\x01", keep) == TextFault::none);
  CHECK(input_text_fault("a\x01", xml) == TextFault::refused_character);
  CHECK(input_text_fault("a\x01", controls) == TextFault::refused_character);
  CHECK(input_text_fault("nul \0"s, controls) == TextFault::refused_character);
  // DEL is an XML character; U+FFFE is not a control character.
  CHECK(input_text_fault("a\x7f", keep) == TextFault::none);
  CHECK(input_text_fault("a\x7f", xml) == TextFault::none);
  CHECK(input_text_fault("a\x7f", controls) == TextFault::refused_character);
  CHECK(input_text_fault("\xef\xbf\xbe", xml) == TextFault::refused_character);
  CHECK(input_text_fault("\xef\xbf\xbe", controls) == TextFault::none);
  // The first fault decides.
  CHECK(input_text_fault("\x01\xff", controls) == TextFault::refused_character);
  CHECK(input_text_fault("\xff\x01", controls) == TextFault::not_utf8);
}

TEST_CASE("text rules: xml_chars_only writes what XML cannot carry as the replacement") {
  constexpr TextRules fffd{};
  constexpr TextRules star{RefusedOnInput::nothing, "*"};
  CHECK(xml_chars_only("plain & <b> caf\xc3\xa9\t\n\r\x7f", fffd) ==
        "plain & <b> caf\xc3\xa9\t\n\r\x7f");
  CHECK(xml_chars_only("a\x01"
                       "b\0c"s,
                       star) == "a*b*c");
  CHECK(xml_chars_only("\xef\xbf\xbe\xef\xbf\xbf\xff", star) == "***");
  CHECK(xml_chars_only("x\x02", fffd) == "x\xef\xbf\xbd");
  CHECK(xml_chars_only("", fffd).empty());
}

TEST_CASE("text rules: markup escaping") {
  auto escaped = [](std::string_view text, MarkupEscaping how) {
    std::string out = "<";
    append_markup_escaped(out, text, how);
    return out;
  };
  constexpr TextRules star{RefusedOnInput::non_xml_characters, "*"};
  SECTION("plain HTML text and attributes: & < > (and \" in an attribute), bytes as they are") {
    CHECK(escaped("1 < 2 & \"3\" > 0\x01\xff\r", {}) == "<1 &lt; 2 &amp; \"3\" &gt; 0\x01\xff\r");
    CHECK(escaped("a\"b\tc\n", {true, false, nullptr}) == "<a&quot;b\tc\n");
  }
  SECTION("XML as Builder writes it") {
    MarkupEscaping text{false, true, &star};
    MarkupEscaping attribute{true, true, &star};
    CHECK(escaped("a\r\nb\tc\"d", text) == "<a&#13;\nb\tc\"d");
    CHECK(escaped("a\r\nb\tc\"d", attribute) == "<a&#13;&#10;b&#9;c&quot;d");
    CHECK(escaped("x\x01\xff\xef\xbf\xbf caf\xc3\xa9 &", text) == "<x*** caf\xc3\xa9 &amp;");
  }
}

TEST_CASE("transport errors: one status and standard text for every dialect") {
  CHECK(transport_status(TransportError::body_too_large) == http::status::payload_too_large);
  CHECK(transport_status(TransportError::timeout) == http::status::request_timeout);
  CHECK(transport_status(TransportError::bad_request) == http::status::bad_request);
  CHECK(transport_status(TransportError::unavailable) == http::status::service_unavailable);
  CHECK(transport_message(TransportError::body_too_large) == "Payload Too Large");
  CHECK(transport_message(TransportError::timeout) == "Request Timeout");
  CHECK(transport_message(TransportError::bad_request) == "Bad Request");
  CHECK(transport_message(TransportError::unavailable) == "Service Unavailable");
}

TEST_CASE("json_message_body: {\"message\": ...}, escaped") {
  CHECK(json_message_body("Not Found") == R"({"message":"Not Found"})");
  CHECK(json_message_body("a \"quote\" \\ \x01") == R"({"message":"a \"quote\" \\ \u0001"})");
  CHECK(json_message_body("caf\xc3\xa9") == "{\"message\":\"caf\xc3\xa9\"}");
  CHECK(json_message_body("") == R"({"message":""})");
}

TEST_CASE("path_segments: the plain split gives Boost.URL's decoded segments") {
  for (const char* target :
       {"/", "/api", "/api/v1/clients", "/api/v1/clients/", "/api/v1/clients/12", "//a", "/a//b/",
        "/clients/7.xml", "/a%2Fb/c", "/%61pi/v1", "/./x", "/.//x", "/a/./b", "/client/?limit=25",
        "/x?q=/y"}) {
    auto url = boost::urls::parse_origin_form(target);
    REQUIRE(url);
    std::vector<std::string> decoded;
    for (auto segment : url->segments())
      decoded.push_back(segment);
    CHECK(path_segments(*url) == decoded);
  }
}
