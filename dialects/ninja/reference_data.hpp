// Invoice Ninja's reference tables (countries, currencies, languages), as facts the client
// requests look up: `country_id` must exist, `country_code` / `currency_code` /
// `language_code` resolve to ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace clientgate::dialects::ninja {

struct CountryRow {
  std::int64_t id;        // ISO 3166-1 numeric
  std::string_view iso2;  // iso_3166_2
  std::string_view iso3;  // iso_3166_3
};
struct CodeRow {
  std::int64_t id;
  std::string_view code;  // a currency's code, a language's locale
};

const std::vector<CountryRow>& countries();
const std::vector<CodeRow>& currencies();
const std::vector<CodeRow>& languages();

bool country_exists(std::int64_t id);
// The real lookups compare exactly (`==` on the code): "us" finds nothing.
std::optional<std::int64_t> country_by_code(std::string_view iso2_or_iso3);
std::optional<std::int64_t> currency_by_code(std::string_view code);
std::optional<std::int64_t> language_by_locale(std::string_view locale);

}  // namespace clientgate::dialects::ninja
