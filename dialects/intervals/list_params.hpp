// The collection's query string (filters, sort, paging) to a core::ClientQuery.
#pragma once

#include <boost/url/params_view.hpp>
#include <cstdint>
#include <variant>

#include "clientgate/core/query.hpp"
#include "render.hpp"

namespace clientgate::dialects::intervals {

inline constexpr std::int64_t default_limit = 10;
// A CSV filter with more values than this is refused (it would only make a slow query).
inline constexpr std::size_t max_list_values = 500;

// Unknown parameters: API code 17 (each named). Bad values: API code 18, the Intervals
// "bad field/parameter" validation error. A parameter given twice: the last wins; one given
// empty (`?active=`) is as if absent.
std::variant<core::ClientQuery, ApiError> list_query(boost::urls::params_view params);

// Whether `key` is one of the collection's filters (localid, active, search, ...). Elsewhere
// (a member route, a write) such a parameter is ignored, not refused.
bool is_list_parameter(std::string_view key);

}  // namespace clientgate::dialects::intervals
