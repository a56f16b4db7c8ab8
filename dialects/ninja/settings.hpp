// The [dialects.ninja] settings (README, "Settings"), declared in settings.cpp.
#pragma once

#include <cstddef>
#include <string>

#include "clientgate/dialects/settings_schema.hpp"
#include "parse.hpp"
#include "upload_rules.hpp"

namespace clientgate::dialects::ninja {

struct Settings {
  std::string hashids_salt;
  std::string api_secret;  // empty: X-API-SECRET is not required
  std::string base_url;    // empty: http://{Host}
  std::string app_version = "5.10.0";
  std::string api_version = "5.10.0";
  // `max:100000` KiB of file plus 1 MiB for the rest of the form.
  std::size_t upload_body_limit = static_cast<std::size_t>(kUploadMaxKilobytes * 1024 + (1 << 20));
  std::string upload_temp_dir;  // empty: the system's temporary directory
  std::size_t max_contacts = default_max_contacts;
};

const SettingsSchema& settings_schema();

// The settings `table` gives, defaults for the rest; throws DialectSettingError.
Settings read_settings(const DialectSettings& table);

}  // namespace clientgate::dialects::ninja
