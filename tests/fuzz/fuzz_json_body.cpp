// The JSON body readers: dialects::parse_json_body (depth limit, UTF-8) and what each dialect
// makes of a body: json_v1's client body (JSON and form), agency's {name}, intervals' JSON
// fields, ninja's PHP-array input (JSON and form) and its client rules.
#include <rapidjson/document.h>
#include <cstddef>
#include <cstdint>
#include <variant>

#include "agency/parse.hpp"
#include "clientgate/dialects/common.hpp"
#include "fuzz_check.hpp"
#include "intervals/parse.hpp"
#include "json_v1/parse.hpp"
#include "ninja/parse.hpp"
#include "ninja/php_input.hpp"

using namespace clientgate::dialects;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ninja::HashidCodec ids("", 10);
  std::string_view body(reinterpret_cast<const char*>(data), size);

  for (int depth : {64, 16, 1}) {
    rapidjson::Document doc;
    auto error = parse_json_body(body, doc, depth);
    if (error == JsonBodyError::none) {
      clientgate::fuzz::check(valid_utf8(body), "a body with invalid UTF-8 accepted");
    }
    // Numbers as text (intervals) accepts exactly the bodies the ordinary parse accepts.
    rapidjson::Document as_text;
    clientgate::fuzz::check(parse_json_body(body, as_text, depth, true) == error,
                            "numbers as text changes what is well-formed JSON");
    if (depth == 64 && error == JsonBodyError::none && doc.IsObject()) {
      (void)ninja::read_client_input(doc, ninja::WriteMode::create, ids);
      (void)ninja::read_client_input(doc, ninja::WriteMode::update, ids);
    }
  }

  for (auto kind : {json_v1::BodyKind::create, json_v1::BodyKind::update}) {
    (void)json_v1::parse_client_body("application/json", body, kind);
    (void)json_v1::parse_client_body("application/x-www-form-urlencoded", body, kind);
  }
  (void)agency::parse_client_name(body);
  (void)agency::trim_js_whitespace(body);
  (void)agency::utf16_length(body);
  (void)intervals::parse_body("application/json", body);

  rapidjson::Document form;
  form.SetObject();
  if (ninja::build_php_input(ninja::parse_urlencoded(body), form) == ninja::InputError::none) {
    (void)ninja::read_client_input(form, ninja::WriteMode::create, ids);
    (void)ninja::read_client_input(form, ninja::WriteMode::update, ids);
  }
  return 0;
}
