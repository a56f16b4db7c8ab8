#include "parse.hpp"

#include "reference_data.hpp"
#include "strip_tags.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <unordered_set>

#include "clientgate/dialects/common.hpp"
#include "php_input.hpp"

namespace clientgate::dialects::ninja {
namespace {

constexpr std::size_t kMaxString = 255;
constexpr std::size_t kMaxNotes = 65535;

// Laravel names a field in messages with '_' as ' '.
std::string attribute(std::string_view field) {
  std::string out(field);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

// What PHP makes of a JSON number where a string is stored: json_decode gives an int when it
// fits PHP_INT_MAX, else a float, and a float becomes text with 14 significant digits
// (`precision`; "1.0E+25", "1.5E-7"). So 0.999... (any length) is "1", as the real product
// stores it, never a longer text than PHP would make.
std::string number_text(const rapidjson::Value& v) {
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14G", v.GetDouble());
  std::string text = buf;
  auto e = text.find('E');
  if (e == std::string::npos) return text;
  std::string mantissa = text.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  std::string exponent = text.substr(e + 1);  // "+25", "-07"
  char sign = exponent[0];
  auto digits = exponent.find_first_not_of('0', 1);
  return mantissa + 'E' + sign + (digits == std::string::npos ? "0" : exponent.substr(digits));
}

// A nullable string field: "" and null are null (ConvertEmptyStringsToNull), numbers are
// their text, anything else is a type error. nullopt when absent or invalid.
std::optional<core::Text> text_field(const rapidjson::Value& obj, const char* name,
                                     const std::string& error_name, std::size_t max,
                                     FieldErrors& errors) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return std::nullopt;
  const auto& v = it->value;
  std::string value;
  if (v.IsNull()) return core::Text{};
  if (v.IsString()) {
    value.assign(v.GetString(), v.GetStringLength());
  } else if (v.IsNumber()) {
    value = number_text(v);
  } else {
    add_field_message(errors, error_name, "The " + attribute(error_name) + " must be a string.");
    return std::nullopt;
  }
  if (input_text_fault(value, text_rules) != TextFault::none) {
    add_field_message(errors, error_name, "The " + attribute(error_name) + " must be a string.");
    return std::nullopt;
  }
  // Laravel's TrimStrings middleware trims every input string.
  auto b = value.find_first_not_of(" \t\n\r\v\f");
  auto e = value.find_last_not_of(" \t\n\r\v\f");
  value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
  if (value.empty()) return core::Text{};
  if (utf8_length(value) > max) {
    add_field_message(errors, error_name,
                      "The " + attribute(error_name) + " must not be greater than " +
                          std::to_string(max) + " characters.");
    return std::nullopt;
  }
  return core::Text{value};
}

// A nullable integer field (`integer|nullable`).
std::optional<std::optional<std::int64_t>> integer_field(const rapidjson::Value& obj,
                                                         const char* name,
                                                         const std::string& error_name,
                                                         FieldErrors& errors) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return std::nullopt;
  const auto& v = it->value;
  if (v.IsNull()) return std::optional<std::int64_t>{};
  if (v.IsInt64() && v.GetInt64() >= 0) return std::optional<std::int64_t>{v.GetInt64()};
  if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    if (s.empty()) return std::optional<std::int64_t>{};
    if (auto n = parse_int64(s)) return std::optional<std::int64_t>{*n};
  }
  add_field_message(errors, error_name, "The " + attribute(error_name) + " must be an integer.");
  return std::nullopt;
}

std::optional<bool> bool_field(const rapidjson::Value& obj, const char* name,
                               const std::string& error_name, FieldErrors& errors) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (auto b = php_boolean(it->value)) return b;
  add_field_message(errors, error_name,
                    "The " + attribute(error_name) + " field must be true or false.");
  return std::nullopt;
}

core::ContactInput read_contact(const rapidjson::Value& element, std::size_t index,
                                const HashidCodec& ids,
                                const std::unordered_set<core::ContactId>& existing,
                                FieldErrors& errors) {
  core::ContactInput c;
  std::string prefix = "contacts." + std::to_string(index) + ".";
  if (!element.IsObject()) {
    add_field_message(errors, "contacts." + std::to_string(index),
                      "The contacts." + std::to_string(index) + " must be an array.");
    return c;
  }
  if (auto it = element.FindMember("id"); it != element.MemberEnd() && it->value.IsString()) {
    std::string_view hashed(it->value.GetString(), it->value.GetStringLength());
    if (auto id = ids.decode_id(hashed); id && existing.count(*id)) c.id = *id;
  }
#define CLIENTGATE_X(f) \
  if (auto v = text_field(element, #f, prefix + #f, kMaxString, errors)) c.f.emplace(std::move(*v));
  CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
  if (c.email && *c.email && !valid_email(**c.email))
    add_field_message(errors, prefix + "email",
                      "The " + prefix + "email must be a valid email address.");
  if (auto b = bool_field(element, "is_primary", prefix + "is_primary", errors)) c.is_primary = b;
  if (auto b = bool_field(element, "send_email", prefix + "send_email", errors)) c.send_email = b;
  // The masked "**********" the API shows (only stars), or a blank, leaves the password as it
  // is (the real Request drops it). Otherwise StoreClientRequest's rules, in order, first
  // failure only (bail): string, min:7, a lower-case letter, an upper-case letter, a digit.
  // (read_client_input rewrites these for an update, whose request words them differently.)
  if (auto it = element.FindMember("password"); it != element.MemberEnd() && !it->value.IsNull()) {
    std::string field = prefix + "password";
    if (!it->value.IsString()) {
      add_field_message(errors, field, "The " + field + " must be a string.");
    } else {
      std::string pw(it->value.GetString(), it->value.GetStringLength());
      bool masked = !pw.empty() && pw.find_first_not_of('*') == std::string::npos;
      auto has = [&](char lo, char hi) {
        return std::any_of(pw.begin(), pw.end(), [&](char ch) { return ch >= lo && ch <= hi; });
      };
      if (pw.empty() || masked) {
        // unchanged
      } else if (utf8_length(pw) < 7) {
        add_field_message(errors, field, "The " + field + " must be at least 7 characters.");
      } else if (!has('a', 'z') || !has('A', 'Z') || !has('0', '9')) {
        add_field_message(errors, field, "The " + field + " format is invalid.");
      } else {
        c.password = pw;
      }
    }
  }
  return c;
}

// A country id field, or its code field; nullopt when absent or refused.
std::optional<std::optional<std::int64_t>> country_field(const rapidjson::Value& obj,
                                                         const char* id_name, const char* code_name,
                                                         FieldErrors& errors) {
  if (auto it = obj.FindMember(code_name);
      it != obj.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
    std::string_view code(it->value.GetString(), it->value.GetStringLength());
    if (auto id = country_by_code(code)) return std::optional<std::int64_t>{*id};
    // The real lookup gives "" here, which then fails to save; refused by name instead.
    add_field_message(errors, code_name, "The selected " + attribute(code_name) + " is invalid.");
    return std::nullopt;
  }
  auto v = integer_field(obj, id_name, id_name, errors);
  if (v && *v && !country_exists(**v)) {
    add_field_message(errors, id_name, "The selected " + attribute(id_name) + " is invalid.");
    return std::nullopt;
  }
  return v;
}

// settings.currency_id as ValidClientGroupSettingsRule judges it (an integer, "" ignored):
// the error is on `settings`, "currency_id is not a valid integer".
std::optional<std::optional<std::int64_t>> settings_currency(const rapidjson::Value& settings,
                                                             FieldErrors& errors) {
  auto it = settings.FindMember("currency_id");
  if (it == settings.MemberEnd() || it->value.IsNull()) return std::nullopt;
  const auto& v = it->value;
  if (v.IsString() && v.GetStringLength() == 0) return std::optional<std::int64_t>{};
  if (v.IsInt64())
    return std::optional<std::int64_t>{v.GetInt64() < 0 ? -v.GetInt64() : v.GetInt64()};
  if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    if (php_is_numeric(s)) {
      double d = std::strtod(std::string(s).c_str(), nullptr);
      double whole = std::floor(std::fabs(d));
      if (whole == std::fabs(d) && whole < 9.2e18)
        return std::optional<std::int64_t>{static_cast<std::int64_t>(whole)};
    }
  }
  add_field_message(errors, "settings", "currency_id is not a valid integer");
  return std::nullopt;
}

// UpdateClientRequest::messages(): every password rule says "Password Strength" (the same
// message once: Laravel's message bag keeps no duplicates) and the email rule names plain
// "email".
void reword_for_update(FieldErrors& errors) {
  for (auto& [field, messages] : errors) {
    bool contact = field.rfind("contacts.", 0) == 0;
    auto ends_with = [&](std::string_view tail) {
      return field.size() > tail.size() &&
             field.compare(field.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (contact && ends_with(".password")) {
      messages = {"Password Strength"};
    } else if (contact && ends_with(".email")) {
      for (auto& m : messages)
        if (m == "The " + field + " must be a valid email address.")
          m = "The email must be a valid email address.";
    }
  }
}

}  // namespace

std::optional<bool> php_boolean(const rapidjson::Value& v) {
  if (v.IsBool()) return v.GetBool();
  if (v.IsInt64()) {
    if (v.GetInt64() == 1) return true;
    if (v.GetInt64() == 0) return false;
    return std::nullopt;
  }
  if (!v.IsString()) return std::nullopt;
  std::string s(v.GetString(), v.GetStringLength());
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (s == "1" || s == "true" || s == "on" || s == "yes") return true;
  if (s == "0" || s == "false" || s == "off" || s == "no") return false;
  return std::nullopt;
}

bool valid_email(std::string_view a) {
  if (a.size() > 254) return false;
  auto at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || at > 64) return false;
  std::string_view local = a.substr(0, at), domain = a.substr(at + 1);
  for (unsigned char c : a)
    if (c <= 0x20 || c == 0x7F) return false;
  if (local.find('@') != std::string_view::npos) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  for (unsigned char c : local)
    if (std::string_view("()<>[]\\,;:\"").find(static_cast<char>(c)) != std::string_view::npos)
      return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return false;
  for (unsigned char c : domain)
    if (!(std::isalnum(c) || c == '-' || c == '.' || c >= 0x80)) return false;
  return true;
}

std::optional<core::ClientPatch> read_bulk_update(const rapidjson::Value& body,
                                                  FieldErrors& errors) {
  static const rapidjson::Value empty_object(rapidjson::kObjectType);
  const rapidjson::Value& obj = body.IsObject() ? body : empty_object;
  auto it = obj.FindMember("column");
  if (it == obj.MemberEnd() || it->value.IsNull() ||
      (it->value.IsString() && it->value.GetStringLength() == 0)) {
    add_field_message(errors, "column", "The column field is required when action is bulk update.");
    return std::nullopt;
  }
  if (!it->value.IsString()) {
    add_field_message(errors, "column", "The column must be a string.");
    add_field_message(errors, "column", "The selected column is invalid.");
    return std::nullopt;
  }
  std::string column(it->value.GetString(), it->value.GetStringLength());
  static const std::set<std::string_view> bulk_update_columns{
      "public_notes",  "industry_id",   "size_id",       "country_id",
      "custom_value1", "custom_value2", "custom_value3", "custom_value4"};
  if (bulk_update_columns.count(column) == 0) {
    add_field_message(errors, "column", "The selected column is invalid.");
    return std::nullopt;
  }
  // `new_value` is never required (the real rule string is malformed); absent sets null.
  bool absent = obj.FindMember("new_value") == obj.MemberEnd();
  core::ClientPatch p;
  std::size_t before = errors.size();
  if (column == "country_id") {
    if (absent)
      p.country_id.emplace(std::nullopt);
    else if (auto v = integer_field(obj, "new_value", "new_value", errors))
      p.country_id.emplace(*v);
  } else if (column == "industry_id" || column == "size_id") {
    // Columns clientgate does not keep: accepted, nothing to change.
  } else {
    std::size_t max = column == "public_notes" ? kMaxNotes : kMaxString;
    std::optional<core::Text> value = absent
                                          ? std::optional<core::Text>(core::Text{})
                                          : text_field(obj, "new_value", "new_value", max, errors);
    if (column == "public_notes" && value)
      p.public_notes.emplace(*value);
    else if (column == "custom_value1" && value)
      p.custom_value1.emplace(*value);
    else if (column == "custom_value2" && value)
      p.custom_value2.emplace(*value);
    else if (column == "custom_value3" && value)
      p.custom_value3.emplace(*value);
    else if (column == "custom_value4" && value)
      p.custom_value4.emplace(*value);
  }
  if (errors.size() != before) return std::nullopt;
  return p;
}

ClientInput read_client_input(const rapidjson::Value& body, WriteMode mode, const HashidCodec& ids,
                              const std::vector<core::Contact>& existing,
                              std::size_t max_contacts) {
  ClientInput in;
  auto& p = in.patch;
  auto& errors = in.errors;
  static const rapidjson::Value empty_object(rapidjson::kObjectType);
  const rapidjson::Value& obj = body.IsObject() ? body : empty_object;

  if (auto v = text_field(obj, "name", "name", kMaxString, errors)) p.name = v->value_or("");
#define CLIENTGATE_NINJA_TEXT(f, max) \
  if (auto v = text_field(obj, #f, #f, max, errors)) p.f.emplace(std::move(*v));
  CLIENTGATE_NINJA_TEXT(website, kMaxString)
  CLIENTGATE_NINJA_TEXT(private_notes, kMaxNotes)
  CLIENTGATE_NINJA_TEXT(public_notes, kMaxNotes)
  CLIENTGATE_NINJA_TEXT(address1, kMaxString)
  CLIENTGATE_NINJA_TEXT(address2, kMaxString)
  CLIENTGATE_NINJA_TEXT(phone, kMaxString)
  CLIENTGATE_NINJA_TEXT(city, kMaxString)
  CLIENTGATE_NINJA_TEXT(state, kMaxString)
  CLIENTGATE_NINJA_TEXT(postal_code, kMaxString)
  CLIENTGATE_NINJA_TEXT(custom_value1, kMaxString)
  CLIENTGATE_NINJA_TEXT(custom_value2, kMaxString)
  CLIENTGATE_NINJA_TEXT(custom_value3, kMaxString)
  CLIENTGATE_NINJA_TEXT(custom_value4, kMaxString)
  CLIENTGATE_NINJA_TEXT(shipping_address1, kMaxString)
  CLIENTGATE_NINJA_TEXT(shipping_address2, kMaxString)
  CLIENTGATE_NINJA_TEXT(shipping_city, kMaxString)
  CLIENTGATE_NINJA_TEXT(shipping_state, kMaxString)
  CLIENTGATE_NINJA_TEXT(shipping_postal_code, kMaxString)
  CLIENTGATE_NINJA_TEXT(vat_number, kMaxString)
  CLIENTGATE_NINJA_TEXT(id_number, kMaxString)
  CLIENTGATE_NINJA_TEXT(classification, kMaxString)
#undef CLIENTGATE_NINJA_TEXT
  // `classification`: bail|sometimes|nullable|in:... (the client requests).
  if (p.classification && *p.classification) {
    static const std::set<std::string_view> classes{"individual",  "business", "company",
                                                    "partnership", "trust",    "charity",
                                                    "government",  "other"};
    if (classes.count(**p.classification) == 0) {
      add_field_message(errors, "classification", "The selected classification is invalid.");
      p.classification.reset();
    }
  }

  if (auto v = text_field(obj, "number", "number", kMaxString, errors)) {
    // Empty on create: the next free number. Empty on update: the number stays.
    if (*v)
      p.number = **v;
    else if (mode == WriteMode::create)
      p.number = std::string();
  }
  // `integer|nullable|exists:countries,id`; `country_code` / `shipping_country_code` (ISO
  // 3166 alpha-2 or alpha-3) name the country instead and win over an id.
  if (auto v = country_field(obj, "country_id", "country_code", errors)) p.country_id.emplace(*v);
  if (auto v = country_field(obj, "shipping_country_id", "shipping_country_code", errors))
    p.shipping_country_id.emplace(*v);

  if (auto it = obj.FindMember("settings"); it != obj.MemberEnd() && !it->value.IsNull()) {
    if (!is_php_array(it->value)) {
      add_field_message(errors, "settings", "The settings must be an array.");
    } else if (it->value.IsObject()) {
      if (auto v = settings_currency(it->value, errors)) p.currency_id.emplace(*v);
    }
  }
  // `currency_code` (StoreClientRequest only; an update ignores it, as the real one does).
  if (auto it = obj.FindMember("currency_code"); mode == WriteMode::create &&
                                                 it != obj.MemberEnd() && it->value.IsString() &&
                                                 it->value.GetStringLength() > 0) {
    std::string_view code(it->value.GetString(), it->value.GetStringLength());
    if (auto id = currency_by_code(code))
      p.currency_id.emplace(*id);
    else  // the real lookup gives "" (no currency); refused with the request's own message
      add_field_message(errors, "currency_code", "Currency code does not exist");
  }

  if (auto it = obj.FindMember("documents"); it != obj.MemberEnd()) {
    if (!is_php_array(it->value))
      add_field_message(errors, "documents", "The documents must be an array.");
  }

  if (auto it = obj.FindMember("contacts"); it != obj.MemberEnd()) {
    const auto& v = it->value;
    if (v.IsNull() || (v.IsString() && v.GetStringLength() == 0)) {
      p.contacts = std::vector<core::ContactInput>{};
    } else if (!is_php_array(v)) {
      add_field_message(errors, "contacts", "The contacts must be an array.");
    } else if ((v.IsArray() ? v.Size() : v.MemberCount()) > max_contacts) {
      // Laravel's `max` rule on an array; the elements are not read at all.
      add_field_message(
          errors, "contacts",
          "The contacts must not have more than " + std::to_string(max_contacts) + " items.");
    } else {
      std::vector<core::ContactInput> contacts;
      auto elements = php_array_values(v);
      std::unordered_set<core::ContactId> known;
      for (const auto& contact : existing)
        known.insert(contact.id);
      // `distinct`, case-insensitive, in one pass.
      std::unordered_set<std::string> emails;
      for (std::size_t i = 0; i < elements.size(); ++i) {
        contacts.push_back(read_contact(*elements[i], i, ids, known, errors));
        const auto& email = contacts.back().email;
        if (email && *email) {
          std::string lower = **email;
          std::transform(lower.begin(), lower.end(), lower.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          if (!emails.insert(lower).second)
            add_field_message(
                errors, "contacts." + std::to_string(i) + ".email",
                "The contacts." + std::to_string(i) + ".email field has a duplicate value.");
        }
      }
      p.contacts = std::move(contacts);
    }
  }
  // A client always keeps one contact: none given on create (or an empty list) is one blank
  // primary contact, as the real ClientContactRepository makes.
  if (mode == WriteMode::create && (!p.contacts || p.contacts->empty())) {
    core::ContactInput blank;
    blank.is_primary = true;
    p.contacts = std::vector<core::ContactInput>{blank};
  } else if (p.contacts && p.contacts->empty()) {
    core::ContactInput blank;
    blank.is_primary = true;
    p.contacts->push_back(blank);
  }
  // prepareForValidation() of both client requests: strip_tags on the name.
  if (p.name) *p.name = strip_tags(*p.name);
  if (mode == WriteMode::update) reword_for_update(errors);
  return in;
}

}  // namespace clientgate::dialects::ninja
