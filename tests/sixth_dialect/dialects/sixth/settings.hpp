// The [dialects.sixth] settings, declared in settings.cpp: none so far, so that a table naming
// any key stops the start instead of being ignored.
#pragma once

#include "clientgate/dialects/settings_schema.hpp"

namespace clientgate::dialects::sixth {

struct Settings {};

const SettingsSchema& settings_schema();

// The settings `table` gives, defaults for the rest; throws DialectSettingError.
Settings read_settings(const DialectSettings& table);

}  // namespace clientgate::dialects::sixth
