#include <rapidjson/document.h>
#include <boost/url/parse.hpp>

#include "clientgate/dialects/common.hpp"
#include "parse.hpp"

namespace clientgate::dialects::json_v1 {
namespace {

// Laravel's TrimStrings middleware, then ConvertEmptyStringsToNull: "  " is absent.
std::optional<std::string> trimmed_or_null(std::string_view s) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

// Laravel's `integer|min:min|max:max` on a query parameter.
std::optional<std::int64_t> integer_param(boost::urls::url_view url, const std::string& key,
                                          const std::string& label, std::int64_t min,
                                          std::optional<std::int64_t> max,
                                          ValidationErrors& errors) {
  auto raw = query_param(url, key);
  if (!raw) return std::nullopt;
  auto value = trimmed_or_null(*raw);
  if (!value) return std::nullopt;
  auto number = parse_int64(*value, true);
  if (!number) {
    add_field_message(errors, key, "The " + label + " field must be an integer.");
    return std::nullopt;
  }
  if (*number < min) {
    add_field_message(errors, key,
                      "The " + label + " field must be at least " + std::to_string(min) + ".");
    return std::nullopt;
  }
  if (max && *number > *max) {
    add_field_message(
        errors, key,
        "The " + label + " field must not be greater than " + std::to_string(*max) + ".");
    return std::nullopt;
  }
  return number;
}

// One input value as Laravel sees it after its middleware: absent, null, a string, or
// something else (number, boolean, array, object).
struct Input {
  enum Kind { absent, null, string, integer, other } kind = absent;
  std::string text;
  std::int64_t integer_value = 0;
};

Input json_input(const rapidjson::Value& object, const char* key) {
  Input in;
  if (!object.IsObject()) return in;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return in;
  const auto& v = it->value;
  if (v.IsNull()) {
    in.kind = Input::null;
  } else if (v.IsString()) {
    auto t = trimmed_or_null({v.GetString(), v.GetStringLength()});
    in.kind = t ? Input::string : Input::null;
    if (t) in.text = *t;
  } else if (v.IsInt64()) {
    in.kind = Input::integer;
    in.integer_value = v.GetInt64();
  } else {
    in.kind = Input::other;
  }
  return in;
}

Input form_input(std::string_view body, const char* key) {
  Input in;
  // Parsed as the query of an origin-form target over a copy: Boost.URL 1.81's parse_query
  // measures its input with strlen (query_ref from s.data()), reading past a body that is not
  // NUL-terminated and stopping early at a NUL byte.
  std::string target = "/?" + std::string(body);
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return in;
  for (auto param : url->encoded_params()) {
    if (param.key != key) continue;
    std::string value;
    value.resize(param.value.decoded_size());
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;  // a form body writes spaces as +
    param.value.decode(opts, boost::urls::string_token::assign_to(value));
    auto t = trimmed_or_null(value);
    in.kind = t ? Input::string : Input::null;
    if (t) in.text = *t;
    return in;
  }
  return in;
}

void validate_title(const Input& title, BodyKind kind, ValidationErrors& errors, ClientBody& out) {
  // create: required|string|max:255; update: sometimes|required|string|max:255.
  if (title.kind == Input::absent && kind == BodyKind::update) return;
  if (title.kind == Input::absent || title.kind == Input::null) {
    add_field_message(errors, "title", "The title field is required.");
  } else if (title.kind != Input::string ||
             input_text_fault(title.text, text_rules) != TextFault::none) {
    // A form's %FF decodes to a byte that is not UTF-8: the shared rules refuse it.
    add_field_message(errors, "title", "The title field must be a string.");
  } else if (utf8_length(title.text) > kMaxTitle) {
    add_field_message(errors, "title", "The title field must not be greater than 255 characters.");
  } else {
    out.title = title.text;
  }
}

void validate_company(const Input& company, BodyKind kind, ValidationErrors& errors,
                      ClientBody& out) {
  if (kind == BodyKind::update) return;  // a client does not move between companies
  if (company.kind == Input::absent || company.kind == Input::null) {
    add_field_message(errors, "company_id", "The company id field is required.");
    return;
  }
  std::optional<std::int64_t> id;
  if (company.kind == Input::integer) id = company.integer_value;
  if (company.kind == Input::string) id = parse_int64(company.text, true);
  if (!id) {
    add_field_message(errors, "company_id", "The company id field must be an integer.");
    return;
  }
  out.company_id = id;
}

}  // namespace

std::variant<ListParams, ValidationErrors> parse_list_params(boost::urls::url_view url) {
  ValidationErrors errors;
  ListParams p;
  p.company_id = integer_param(url, "company_id", "company id", INT64_MIN, std::nullopt, errors);
  if (auto t = query_param(url, "title")) p.title = trimmed_or_null(*t);
  if (auto v = integer_param(url, "per_page", "per page", 1, kMaxPerPage, errors)) p.per_page = *v;
  if (auto v = integer_param(url, "page", "page", 1, std::nullopt, errors)) p.page = *v;
  if (!errors.empty()) return errors;
  return p;
}

ParsedBody parse_client_body(std::string_view media_type, std::string_view body, BodyKind kind) {
  ParsedBody out;
  Input title, company;
  if (media_type == "application/x-www-form-urlencoded") {
    if (!valid_utf8(body)) {
      out.malformed = true;
      return out;
    }
    title = form_input(body, "title");
    company = form_input(body, "company_id");
  } else if (!body.empty()) {
    rapidjson::Document doc;
    if (parse_json_body(body, doc) != JsonBodyError::none) {
      out.malformed = true;
      return out;
    }
    // A JSON value that is not an object carries no fields (Laravel's input bag is empty).
    title = json_input(doc, "title");
    company = json_input(doc, "company_id");
  }
  validate_title(title, kind, out.errors, out.fields);
  validate_company(company, kind, out.errors, out.fields);
  return out;
}

}  // namespace clientgate::dialects::json_v1
