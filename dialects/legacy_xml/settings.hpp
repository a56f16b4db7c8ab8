// The [dialects.legacy_xml] settings (README, "Settings"), declared in settings.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "clientgate/dialects/settings_schema.hpp"

namespace clientgate::dialects::legacy_xml {

struct Settings {
  std::size_t batch_size = 500;          // clients read per step of a streamed list
  std::int64_t company_cache_ms = 5000;  // how long Host and company lookups are remembered
};

const SettingsSchema& settings_schema();

// The settings `table` gives, defaults for the rest; throws DialectSettingError.
Settings read_settings(const DialectSettings& table);

}  // namespace clientgate::dialects::legacy_xml
