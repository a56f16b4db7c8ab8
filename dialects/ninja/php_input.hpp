// Request bodies the way Laravel reads them: whatever the encoding, the fields end up in one
// PHP array. Form fields use PHP's bracket notation (`contacts[0][email]=...`, `ids[]=...`),
// which is what the official PHP SDK sends (Guzzle `form_params` = http_build_query). Here
// both JSON and forms become one RapidJSON tree, so the write rules read a single shape.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace clientgate::dialects::ninja {

struct FormField {
  std::string name;   // decoded, e.g. "contacts[0][email]"
  std::string value;  // decoded
};

// PHP's input limits: max_input_vars and max_input_nesting_level.
inline constexpr std::size_t max_input_vars = 1000;
inline constexpr std::size_t max_input_nesting = 64;

// application/x-www-form-urlencoded: '&'-separated pairs, '+' is a space, %XX decoded
// (a malformed escape is kept as written, as PHP does).
std::vector<FormField> parse_urlencoded(std::string_view body);
std::string percent_decode(std::string_view text, bool plus_is_space);

enum class InputError { none, too_many_fields };

// Builds the PHP array of these fields into `out` (an object). A PHP array whose keys are
// 0..n-1 in order becomes a JSON array, any other one an object. Fields nested deeper than
// max_input_nesting are dropped, as PHP drops them.
InputError build_php_input(const std::vector<FormField>& fields, rapidjson::Document& out);

// PHP's view of "is this an array": a JSON array, or an object (an associative array).
inline bool is_php_array(const rapidjson::Value& v) {
  return v.IsArray() || v.IsObject();
}

// The elements of a PHP array in order (an object's values in key order).
std::vector<const rapidjson::Value*> php_array_values(const rapidjson::Value& v);

}  // namespace clientgate::dialects::ninja
