#include "clientgate/dialects/settings_schema.hpp"

#include <algorithm>
#include <regex>

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects {

std::string_view type_name(SettingType type) {
  switch (type) {
    case SettingType::string:
      return "string";
    case SettingType::integer:
      return "integer";
    case SettingType::boolean:
      return "boolean";
  }
  return "string";
}

std::int64_t parse_checked_integer(std::string_view text) {
  auto value = parse_int64(text, /*allow_negative=*/true);
  return value ? *value : 0;
}

SettingsSchema::SettingsSchema(std::string dialect, std::vector<SettingSpec> specs)
    : dialect_(std::move(dialect)), specs_(std::move(specs)) {
  // A pattern that does not compile is a mistake in the declaration, found at the first start.
  for (const SettingSpec& spec : specs_)
    if (!spec.pattern.empty()) (void)std::regex(spec.pattern, std::regex::ECMAScript);
}

const SettingSpec* SettingsSchema::find(std::string_view key) const {
  auto it = std::find_if(specs_.begin(), specs_.end(),
                         [&](const SettingSpec& spec) { return spec.key == key; });
  return it == specs_.end() ? nullptr : &*it;
}

std::string SettingsSchema::where(std::string_view key) const {
  return "dialects." + dialect_ + "." + std::string(key);
}

std::string SettingsSchema::type_problem(const SettingSpec& spec) {
  switch (spec.type) {
    case SettingType::integer:
      return "must be an integer from " + std::to_string(spec.min) + " to " +
             std::to_string(spec.max);
    case SettingType::boolean:
      return "must be true or false";
    case SettingType::string:
      break;
  }
  return "must be a string";
}

std::string SettingsSchema::problem(const SettingSpec& spec, std::string_view text) {
  switch (spec.type) {
    case SettingType::integer: {
      auto value = parse_int64(text, /*allow_negative=*/true);
      if (!value || *value < spec.min || *value > spec.max) return type_problem(spec);
      return {};
    }
    case SettingType::boolean:
      return text == "true" || text == "false" ? std::string() : type_problem(spec);
    case SettingType::string:
      break;
  }
  if (spec.pattern.empty()) return {};
  if (std::regex_match(text.begin(), text.end(), std::regex(spec.pattern, std::regex::ECMAScript)))
    return {};
  return spec.pattern_doc.empty() ? "must match " + spec.pattern : "must be " + spec.pattern_doc;
}

void SettingsSchema::check(const DialectSettings& settings) const {
  for (const auto& [key, value] : settings) {  // a std::map: in key order
    const SettingSpec* spec = find(key);
    if (spec == nullptr) throw DialectSettingError(where(key) + ": unknown setting");
    if (auto message = problem(*spec, value); !message.empty())
      throw DialectSettingError(where(key) + ": " + message);
  }
}

}  // namespace clientgate::dialects
