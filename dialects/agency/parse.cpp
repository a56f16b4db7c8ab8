#include "parse.hpp"

#include <rapidjson/document.h>

#include <cstdint>

#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/utf8.hpp"

namespace clientgate::dialects::agency {

namespace {

constexpr const char* name_field = "name";

// Decodes the code point at `pos`, advancing it; nullopt on invalid UTF-8.
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& pos) {
  CodePoint cp = decode_utf8(s, pos);
  if (cp.length == 0) return std::nullopt;
  pos += cp.length;
  return cp.value;
}

bool is_js_whitespace(char32_t cp) {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

// zod's name for the type of a JSON value, as in "expected string, received number".
std::string_view received_type(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kObjectType:
      return "object";
    case rapidjson::kArrayType:
      return "array";
    case rapidjson::kStringType:
      return "string";
    case rapidjson::kNumberType:
      return "number";
  }
  return "unknown";
}

Issues one_issue(std::string message) {
  return Issues{Issue{name_field, std::move(message)}};
}

}  // namespace

std::optional<std::size_t> utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    auto cp = next_code_point(utf8, pos);
    if (!cp) return std::nullopt;
    units += *cp >= 0x10000 ? 2 : 1;
  }
  return units;
}

std::string trim_js_whitespace(std::string_view utf8) {
  std::size_t begin = 0;
  std::size_t end = utf8.size();
  std::size_t pos = 0;
  bool leading = true;
  while (pos < utf8.size()) {
    auto cp = next_code_point(utf8, pos);
    if (!cp) return std::string(utf8);
    if (is_js_whitespace(*cp)) {
      if (leading) begin = pos;
    } else {
      leading = false;
      end = pos;
    }
  }
  if (leading) return std::string();
  return std::string(utf8.substr(begin, end - begin));
}

std::variant<std::string, Issues> parse_client_name(std::string_view body) {
  // Fastify hands an empty body to the schema as `undefined`.
  bool blank = true;
  for (char c : body)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') blank = false;
  if (blank) return one_issue("Invalid input: expected object, received undefined");

  rapidjson::Document doc;
  switch (parse_json_body(body, doc)) {
    case JsonBodyError::none:
      break;
    case JsonBodyError::malformed:
      return one_issue("Invalid input: malformed JSON");
    case JsonBodyError::too_deep:
      return one_issue("Invalid input: JSON nested too deeply");
    case JsonBodyError::invalid_utf8:
      return one_issue("Invalid input: not valid UTF-8");
  }
  if (!doc.IsObject()) {
    return one_issue("Invalid input: expected object, received " + std::string(received_type(doc)));
  }

  const rapidjson::Value* name = nullptr;
  for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
    if (std::string_view(m->name.GetString(), m->name.GetStringLength()) == name_field) {
      name = &m->value;  // the last one wins, as in JSON.parse
    }
  }
  if (name == nullptr) return one_issue("Invalid input: expected string, received undefined");
  if (!name->IsString()) {
    return one_issue("Invalid input: expected string, received " +
                     std::string(received_type(*name)));
  }

  const std::string_view raw(name->GetString(), name->GetStringLength());
  if (!valid_utf8(raw)) return one_issue("Invalid input: not valid UTF-8");
  std::string trimmed = trim_js_whitespace(raw);
  const auto length = utf16_length(trimmed);
  if (!length) return one_issue("Invalid input: not valid UTF-8");
  if (*length < min_name_length) {
    return one_issue("Too small: expected string to have >=" + std::to_string(min_name_length) +
                     " characters");
  }
  if (*length > max_name_length) {
    return one_issue("Too big: expected string to have <=" + std::to_string(max_name_length) +
                     " characters");
  }
  if (input_text_fault(trimmed, text_rules) == TextFault::refused_character) {
    return one_issue("Invalid string: must not contain control characters");
  }
  return trimmed;
}

std::optional<std::string> parse_client_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
    } else if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace clientgate::dialects::agency
