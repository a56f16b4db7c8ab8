// The client `settings` object, stored whole (core::Client::settings_json) and merged the way
// Invoice Ninja's client requests and ClientGroupSettingsSaver::saveSettings merge it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "clientgate/core/types.hpp"
#include "php_json.hpp"

namespace clientgate::dialects::ninja {

// The settings JSON to store after a write whose body is `body`; nullopt: leave it as it is
// (an update without a `settings` object). `stored` is the client's current settings (null
// on create: the ClientSettings defaults). Keys keep their order; a new key is appended;
// empty values (PHP's empty(): null, "", "0", 0, false, []) are skipped as saveSettings skips
// them; currency_id is the validated integer as a string, "1" (the company's) when missing.
// `language_code`, when the languages table knows it, sets language_id.
std::optional<std::string> merged_settings(const rapidjson::Value& body, const core::Text& stored,
                                           bool creating, std::optional<std::int64_t> currency_id);

// Writes the settings object: the stored one (or the defaults), with `currency_id` the
// client's currency as a string ("1", the company's, when it has none).
// `with_currency` false: the bare ClientSettings defaults of an unsaved client.
void write_settings(PhpJson& j, const core::Text& stored, std::optional<std::int64_t> currency_id,
                    bool with_currency = true);

// Any JSON value, written as PHP's json_encode writes what json_decode made of it.
void write_json_value(PhpJson& j, const rapidjson::Value& v);

}  // namespace clientgate::dialects::ninja
