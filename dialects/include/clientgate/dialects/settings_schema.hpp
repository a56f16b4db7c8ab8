// What a dialect can be told in its [dialects.NAME] table, declared as data: each setting has a
// key, a type, an allowed range or pattern, a default and a line of documentation. The config
// reader checks a table against the declaration (unknown keys and bad values stop the start,
// naming `dialects.NAME.key`), and the dialect receives its settings as a struct of its own,
// filled by the same code:
//
//   struct Settings { std::string salt; std::size_t max_items = 500; };
//   const SettingsSchemaOf<Settings> schema{"mine", {
//       SettingsSchemaOf<Settings>::text("salt", &Settings::salt, "the id salt"),
//       SettingsSchemaOf<Settings>::integer("max_items", &Settings::max_items, 1, 10000,
//                                           "the most items one list holds"),
//   }};
//   Settings settings = schema.read(services.settings);
//
// A default is the struct's member initializer: nothing else states it.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects {

// A [dialects.NAME] setting that is not what the dialect can use; what() names the key
// ("dialects.intervals.description_max_bytes: must be an integer from 0 to 1099511627776").
struct DialectSettingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class SettingType { string, integer, boolean };

// "string", "integer", "boolean"
std::string_view type_name(SettingType type);

// One declared setting, as the config reader and the documentation see it.
struct SettingSpec {
  std::string key;
  SettingType type = SettingType::string;
  std::int64_t min = 0;  // integer: the allowed range, both ends included
  std::int64_t max = 0;
  // string: an ECMAScript regular expression the whole value must match; empty: any text.
  std::string pattern;
  // string: what the pattern allows, in words, for messages ("empty or an http(s):// URL").
  std::string pattern_doc;
  std::string default_text;  // the default as text: `500`, `true`, `5.10.0`
  std::string doc;           // one line
};

// The value of an integer text that SettingsSchema::problem() accepted.
std::int64_t parse_checked_integer(std::string_view text);

// The settings one dialect declares, without the struct they fill: enough to check a table.
class SettingsSchema {
 public:
  SettingsSchema(std::string dialect, std::vector<SettingSpec> specs);
  virtual ~SettingsSchema() = default;
  SettingsSchema(const SettingsSchema&) = delete;
  SettingsSchema& operator=(const SettingsSchema&) = delete;

  const std::string& dialect() const { return dialect_; }
  const std::vector<SettingSpec>& specs() const { return specs_; }
  // nullptr when `key` is not declared.
  const SettingSpec* find(std::string_view key) const;

  // "dialects.NAME.key"
  std::string where(std::string_view key) const;

  // What is wrong with `text` as the value of `spec` ("must be an integer from 1 to 10"), empty
  // when nothing is. An integer is decimal text, a boolean `true` or `false`.
  static std::string problem(const SettingSpec& spec, std::string_view text);

  // What a value of `spec`'s type must be, for a value of another type ("must be a string").
  static std::string type_problem(const SettingSpec& spec);

  // Throws DialectSettingError for the first key (in key order) that is not declared or whose
  // value has a problem().
  void check(const DialectSettings& settings) const;

 private:
  std::string dialect_;
  std::vector<SettingSpec> specs_;
};

// The declaration of the settings that fill the struct `S`: a table of fields, each bound to
// a member of `S`. Defaults are those of a value-initialized `S`.
template <typename S>
class SettingsSchemaOf final : public SettingsSchema {
 public:
  struct Field {
    SettingSpec spec;
    std::function<void(S&, std::string_view)> assign;  // from a checked text
    std::function<std::string(const S&)> show;         // the member as text
  };

  static Field text(std::string key, std::string S::*member, std::string doc,
                    std::string pattern = {}, std::string pattern_doc = {}) {
    SettingSpec spec{std::move(key),     SettingType::string,    0,  0,
                     std::move(pattern), std::move(pattern_doc), {}, std::move(doc)};
    return Field{std::move(spec),
                 [member](S& out, std::string_view value) { out.*member = std::string(value); },
                 [member](const S& in) { return in.*member; }};
  }

  template <typename Int>
  static Field integer(std::string key, Int S::*member, std::int64_t min, std::int64_t max,
                       std::string doc) {
    static_assert(std::is_integral_v<Int> && !std::is_same_v<Int, bool>);
    // A range the member cannot hold would be truncated silently: a mistake in the declaration.
    if (min > max || std::cmp_less(min, std::numeric_limits<Int>::min()) ||
        std::cmp_greater(max, std::numeric_limits<Int>::max()))
      throw std::logic_error("setting " + key + ": range " + std::to_string(min) + " to " +
                             std::to_string(max) + " does not fit its member");
    SettingSpec spec{std::move(key), SettingType::integer, min, max, {}, {}, {}, std::move(doc)};
    return Field{std::move(spec),
                 [member](S& out, std::string_view value) {
                   out.*member = static_cast<Int>(parse_checked_integer(value));
                 },
                 [member](const S& in) { return std::to_string(in.*member); }};
  }

  static Field boolean(std::string key, bool S::*member, std::string doc) {
    SettingSpec spec{std::move(key), SettingType::boolean, 0, 0, {}, {}, {}, std::move(doc)};
    return Field{std::move(spec),
                 [member](S& out, std::string_view value) { out.*member = value == "true"; },
                 [member](const S& in) { return std::string(in.*member ? "true" : "false"); }};
  }

  SettingsSchemaOf(std::string dialect, std::vector<Field> fields)
      : SettingsSchema(std::move(dialect), specs_of(fields)), fields_(std::move(fields)) {}

  // The settings `table` gives, the defaults for the rest. Throws DialectSettingError as
  // check() does.
  S read(const DialectSettings& table) const {
    check(table);
    S out{};
    for (const Field& field : fields_) {
      auto it = table.find(field.spec.key);
      if (it != table.end()) field.assign(out, it->second);
    }
    return out;
  }

 private:
  static std::vector<SettingSpec> specs_of(const std::vector<Field>& fields) {
    const S defaults{};
    std::vector<SettingSpec> specs;
    for (const Field& field : fields) {
      specs.push_back(field.spec);
      specs.back().default_text = field.show(defaults);
    }
    return specs;
  }

  std::vector<Field> fields_;
};

// The schemas of every dialect compiled in, in name order (generated with the registry).
std::vector<const SettingsSchema*> settings_schemas();

}  // namespace clientgate::dialects
