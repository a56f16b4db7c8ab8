// The [dialects.intervals] settings (README, "Settings"), declared in settings.cpp: the bounds
// of a description's clean-up, and nothing else so far.
#pragma once

#include "clientgate/dialects/settings_schema.hpp"
#include "description_html.hpp"

namespace clientgate::dialects::intervals {

using Settings = DescriptionLimits;

const SettingsSchema& settings_schema();

// The settings `table` gives, defaults for the rest; throws DialectSettingError.
Settings read_settings(const DialectSettings& table);

}  // namespace clientgate::dialects::intervals
