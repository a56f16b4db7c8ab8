#include "settings.hpp"

namespace clientgate::dialects::json_v1 {
namespace {

using Schema = SettingsSchemaOf<Settings>;

const Schema& schema() {
  static const Schema declared{"json_v1", {}};
  return declared;
}

}  // namespace

const SettingsSchema& settings_schema() {
  return schema();
}

Settings read_settings(const DialectSettings& table) {
  return schema().read(table);
}

}  // namespace clientgate::dialects::json_v1
