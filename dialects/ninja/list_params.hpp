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

namespace clientgate::dialects::ninja {

// Laravel's validation error bag: field -> messages, in the order found.
using FieldErrors = std::vector<std::pair<std::string, std::vector<std::string>>>;

inline constexpr std::int64_t default_per_page = 20;
inline constexpr std::int64_t max_per_page = 5000;

struct ListParams {
  core::ClientQuery query;  // filters, states, sort; paging is set from the fields below
  std::int64_t per_page = default_per_page;
  std::int64_t page = 1;
};

struct ListError {
  int status = 422;  // 400 for an unknown include, 422 for a bad filter value
  std::string message;
  FieldErrors errors;
};

// The last value of a query parameter, as PHP keeps the last of repeated keys.
std::optional<std::string> last_param(boost::urls::url_view url, std::string_view key);

std::variant<ListParams, ListError> parse_list_params(boost::urls::url_view url);

// `balance=op:value` (also the real code's `value:op`).
std::optional<core::MoneyCondition> parse_balance_condition(std::string_view text);

}  // namespace clientgate::dialects::ninja
