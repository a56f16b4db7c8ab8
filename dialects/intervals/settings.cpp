#include "settings.hpp"

namespace clientgate::dialects::intervals {
namespace {

using Schema = SettingsSchemaOf<Settings>;

const Schema& schema() {
  constexpr std::int64_t huge = std::int64_t{1} << 40;
  static const Schema declared{
      "intervals",
      {
          Schema::integer("description_max_tags", &Settings::max_tags, 0, huge,
                          "'<' characters in a description; more: 400, code 18"),
          Schema::integer("description_max_bytes", &Settings::max_bytes, 0, huge,
                          "bytes of the cleaned (stored) description; more: 400, code 18"),
          Schema::integer("description_max_depth", &Settings::max_depth, 1, huge,
                          "nesting of the cleaned description; deeper: 400, code 18"),
          Schema::integer("description_max_parse_bytes", &Settings::max_parse_bytes, 65536, huge,
                          "the HTML parser's memory for one description; more: 400, code 18"),
          Schema::integer("description_max_parse_ms", &Settings::max_parse_ms, 0, huge,
                          "the HTML parser's time for one description (0: no limit)"),
      }};
  return declared;
}

}  // namespace

const SettingsSchema& settings_schema() {
  return schema();
}

Settings read_settings(const DialectSettings& table) {
  return schema().read(table);
}

}  // namespace clientgate::dialects::intervals
