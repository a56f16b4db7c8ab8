#include "settings.hpp"

namespace clientgate::dialects::legacy_xml {
namespace {

using Schema = SettingsSchemaOf<Settings>;

const Schema& schema() {
  static const Schema declared{
      "legacy_xml",
      {
          Schema::integer("batch_size", &Settings::batch_size, 1, 100000,
                          "clients read from the store per step of a streamed list"),
          Schema::integer("company_cache_ms", &Settings::company_cache_ms, 0, 24 * 3600 * 1000,
                          "how long Host slug and company lookups are remembered; 0: ask the "
                          "store every time"),
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

}  // namespace clientgate::dialects::legacy_xml
