// The query string of GET /api/v1/clients, read the way Invoice Ninja's ClientFilters and
// Laravel's paginator read it (see README.md for every decision on bad values).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/url/url_view.hpp>

#include "clientgate/core/query.hpp"
#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::ninja {

// Laravel's validation error bag: field -> messages, in the order found.
using FieldErrors = FieldMessages;

inline constexpr std::int64_t default_per_page = 20;
inline constexpr std::int64_t max_per_page = 5000;
// Laravel's paginate(0) falls back to the model's $perPage (Eloquent's 15).
inline constexpr std::int64_t model_per_page = 15;

struct ListParams {
  core::ClientQuery query;  // filters, states, sort; paging is set from the fields below
  std::int64_t per_page = default_per_page;
  std::int64_t page = 1;
  unsigned includes = 0;       // IncludeFlag bits to render (includes.hpp)
  std::string index = "data";  // the envelope key (`index=`); "none": no envelope
};

struct ListError {
  int status = 422;  // 400 for an unknown include, 422 for a bad filter value
  std::string message;
  FieldErrors errors;
};

// The last value of a query parameter, as PHP keeps the last of repeated keys.
std::optional<std::string> last_param(boost::urls::url_view url, std::string_view key);

class HashidCodec;
// `ids` decodes `client_id`; without it (unit tests) a client_id matches nothing.
std::variant<ListParams, ListError> parse_list_params(boost::urls::url_view url,
                                                      const HashidCodec* ids = nullptr);

// PHP's is_numeric.
bool php_is_numeric(std::string_view s);

// PHP's (int) cast of a string: leading blanks, a sign, the longest numeric prefix
// ("12abc" -> 12, "1e3" -> 1000, "abc" -> 0), saturated at the int64 range.
std::int64_t php_int(std::string_view text);

// A created_at / updated_at value as QueryFilters reads it: numeric -> Unix seconds, otherwise
// Carbon::parse (a date-time without a zone is UTC, the app's zone); nullopt where Carbon
// would throw (the real filter then does nothing).
std::optional<core::Timestamp> carbon_instant(std::string_view text);

// The envelope key the real BaseController::response uses: `index`, else "data".
std::string response_index(boost::urls::url_view url);

// `balance=op:value` (also the real code's `value:op`).
std::optional<core::MoneyCondition> parse_balance_condition(std::string_view text);

}  // namespace clientgate::dialects::ninja
