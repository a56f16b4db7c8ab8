#include "list_params.hpp"

#include <algorithm>
#include <map>

#include <cmath>
#include <cstdlib>

#include "clientgate/dialects/common.hpp"
#include "hashid_codec.hpp"
#include "includes.hpp"

namespace clientgate::dialects::ninja {
namespace {

std::optional<core::Comparison> comparison(std::string_view op) {
  if (op == "lt") return core::Comparison::lt;
  if (op == "lte") return core::Comparison::lte;
  if (op == "gt") return core::Comparison::gt;
  if (op == "gte") return core::Comparison::gte;
  if (op == "eq") return core::Comparison::eq;
  return std::nullopt;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(sep, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Laravel's paginator: a page that is not an integer >= 1 is page 1.
std::int64_t page_number(const std::optional<std::string>& text) {
  if (!text) return 1;
  auto v = parse_int64(*text);
  return v && *v >= 1 ? *v : 1;
}

std::optional<core::ClientColumn> sort_column(std::string_view name) {
  using C = core::ClientColumn;
  static const std::map<std::string_view, C> columns{
      {"id", C::id},
      {"name", C::name},
      {"number", C::number},
      {"id_number", C::id_number},
      {"balance", C::balance},
      {"paid_to_date", C::paid_to_date},
      {"credit_balance", C::credit_balance},
      {"created_at", C::created_at},
      {"updated_at", C::updated_at},
      {"archived_at", C::archived_at},
      {"deleted_at", C::archived_at},
      {"website", C::website},
      {"phone", C::phone},
      {"city", C::city},
      {"state", C::state},
      {"postal_code", C::postal_code},
      {"country_id", C::country_id},
      {"vat_number", C::vat_number},
      {"custom_value1", C::custom_value1},
      {"custom_value2", C::custom_value2},
      {"custom_value3", C::custom_value3},
      {"custom_value4", C::custom_value4},
  };
  auto it = columns.find(name);
  if (it == columns.end()) return std::nullopt;
  return it->second;
}

ListError invalid(std::string field, std::string message) {
  ListError e;
  e.message = "The given data was invalid.";
  e.errors.push_back({std::move(field), {std::move(message)}});
  return e;
}

// Whether a filter's `a:b` holds a plain number past decimal(20,6), the range of the real
// balance column: refused naming that range rather than as not a number.
bool names_amount_out_of_range(std::string_view text) {
  for (const auto& part : split(text, ':'))
    if (core::Money::problem(part) == core::MoneyProblem::out_of_range) return true;
  return false;
}

// Laravel's `between` message for a number, with the real column's range.
std::string money_range_message(std::string_view attribute) {
  return "The " + std::string(attribute) +
         " must be between -99999999999999.999999 and 99999999999999.999999.";
}

}  // namespace

std::optional<std::string> last_param(boost::urls::url_view url, std::string_view key) {
  std::optional<std::string> value;
  for (auto param : url.params())
    if (param.key == key) value = param.has_value ? std::string(param.value) : std::string();
  return value;
}

// PHP's is_numeric: optional leading whitespace and sign, digits with an optional fraction,
// an optional exponent, optional trailing whitespace.
bool php_is_numeric(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
    ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
    ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    std::size_t exp_digits = 0;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
      ++j, ++exp_digits;
    if (exp_digits > 0) i = j;
  }
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
    ++i;
  return i == s.size();
}

std::int64_t php_int(std::string_view text) {
  std::size_t i = text.find_first_not_of(" \t\n\r\v\f");
  if (i == std::string_view::npos) return 0;
  std::size_t start = i;
  if (text[i] == '+' || text[i] == '-') ++i;
  // Only a decimal number counts (no hex, "inf" or "nan" as strtod would take).
  if (i >= text.size() || !(std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    return 0;
  std::string prefix(text.substr(start));
  double value = std::strtod(prefix.c_str(), nullptr);
  if (std::isnan(value)) return 0;
  if (value >= 9.2233720368547758e18) return INT64_MAX;
  if (value <= -9.2233720368547758e18) return INT64_MIN;
  return static_cast<std::int64_t>(value);
}

std::optional<core::Timestamp> carbon_instant(std::string_view text) {
  if (php_is_numeric(text)) return core::Timestamp::from_unix_seconds(php_int(text));
  if (auto t = core::Timestamp::parse_iso8601(text)) return t;
  std::string zoned(text);
  if (zoned.size() == 16) zoned += ":00";  // "2023-06-01T10:30"
  if (auto t = core::Timestamp::parse_iso8601(zoned + "Z")) return t;
  return std::nullopt;
}

std::string response_index(boost::urls::url_view url) {
  auto v = last_param(url, "index");
  return v && !v->empty() ? *v : std::string("data");
}

std::optional<core::MoneyCondition> parse_balance_condition(std::string_view text) {
  auto parts = split(text, ':');
  if (parts.size() < 2) return std::nullopt;
  std::optional<core::Comparison> op = comparison(parts[0]);
  std::string value = parts[1];
  if (!op) {
    op = comparison(parts[1]);
    value = parts[0];
  }
  // QueryFilters::operatorConvertor: an operator it does not know is `=`.
  if (!op) op = core::Comparison::eq;
  auto money = core::Money::parse(value);
  if (!money) return std::nullopt;
  return core::MoneyCondition{*op, *money};
}

std::variant<ListParams, ListError> parse_list_params(boost::urls::url_view url,
                                                      const HashidCodec* ids) {
  ListParams p;
  core::ClientQuery& q = p.query;
  q.states = core::states_all;  // the default list shows archived and deleted clients too
  q.load.contacts = true;
  q.load.documents = true;

  // per_page as BaseController reads it: min(abs((int) per_page), 5000), where 0 (also
  // "abc" or an empty value) makes Laravel's paginator use the model's 15.
  if (auto text = last_param(url, "per_page")) {
    std::int64_t v = php_int(*text);
    if (v == INT64_MIN) v = INT64_MAX;
    v = v < 0 ? -v : v;
    p.per_page = v == 0 ? model_per_page : std::min(v, max_per_page);
  }
  p.page = page_number(last_param(url, "page"));

  if (auto include = last_param(url, "include"); include && !include->empty()) {
    Includes includes = parse_includes(*include);
    if (includes.not_known) {
      ListError e;
      e.status = 400;
      e.message = "Relation `" + *includes.not_known + "` is not a valid include.";
      return e;
    }
    p.includes = includes.render;
  }
  p.index = response_index(url);

  // A filter given with an empty value is ignored, as ClientFilters does for most of them.
  auto given = [&](std::string_view key) -> std::optional<std::string> {
    auto v = last_param(url, key);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };

  if (auto v = given("name")) q.name_contains = *v;
  // Fewer than two `:` parts: the real filter does nothing.
  if (auto v = given("balance"); v && v->find(':') != std::string::npos) {
    auto c = parse_balance_condition(*v);
    if (!c && names_amount_out_of_range(*v))
      return invalid("balance", money_range_message("balance"));
    if (!c)
      return invalid("balance",
                     "The balance filter must be op:value (op one of lt, lte, gt, gte, eq) and "
                     "value a number.");
    q.balance.push_back(*c);
  }
  // Not exactly two `:` parts: the real filter does nothing.
  if (auto v = given("between_balance"); v && split(*v, ':').size() == 2) {
    auto parts = split(*v, ':');
    std::optional<core::Money> low, high;
    if (parts.size() == 2) {
      low = core::Money::parse(parts[0]);
      high = core::Money::parse(parts[1]);
    }
    if ((!low || !high) && names_amount_out_of_range(*v))
      return invalid("between_balance", money_range_message("between balance"));
    if (!low || !high)
      return invalid("between_balance", "The between balance filter must be low:high numbers.");
    q.balance.push_back({core::Comparison::gte, *low});
    q.balance.push_back({core::Comparison::lte, *high});
  }
  if (auto v = given("email")) q.contact_email = *v;
  // ClientFilters::client_id: that one client; a hash that does not decode matches nothing
  // (no client has id 0).
  if (auto v = given("client_id")) {
    std::optional<std::int64_t> id = ids ? ids->decode_id(*v) : std::nullopt;
    q.ids = {id.value_or(0)};
  }
  // ClientFilters::group: clientgate keeps no group settings, so no client is in any group.
  if (given("group")) q.ids = {0};
  // QueryFilters::with: that client too, whatever the other filters say, listed first.
  if (auto v = given("with"); v && ids) {
    if (auto id = ids->decode_id(*v)) q.with_id = *id;
  }
  if (auto v = given("id_number")) q.id_number = *v;
  if (auto v = given("number")) q.number = *v;
  q.number_ignores_case = true;  // MySQL's _ci collation under ClientFilters' where()
  if (auto v = given("filter")) {
    q.search_terms = {*v};
    q.search_fields = core::search_name | core::search_id_number | core::search_number |
                      core::search_contact_names | core::search_contact_email |
                      core::search_contact_phone | core::search_custom_values;
  }
  // A date Carbon cannot read leaves the filter out, as the real one catches and ignores it.
  if (auto v = given("created_at")) {
    if (auto t = carbon_instant(*v)) q.created_since = *t;
  }
  if (auto v = given("updated_at")) {
    if (auto t = carbon_instant(*v)) q.updated_since = *t;
  }
  if (auto v = given("status")) {
    unsigned states = 0;
    for (const auto& raw : split(*v, ',')) {
      std::string s = trim(raw);
      if (s == "active") states |= core::state_active;
      if (s == "archived") states |= core::state_archived;
      if (s == "deleted") states |= core::state_deleted;
    }
    // No known status: the real nested where is empty, which Laravel leaves out entirely.
    if (states != 0) q.states = states;
  }
  // with_trashed=false: not deleted (QueryFilters::with_trashed); any other value: no filter.
  if (auto v = given("with_trashed"); v && *v == "false") q.states &= core::states_live;
  if (auto v = given("is_deleted")) {
    if (*v == "true" || *v == "1")
      q.states &= core::state_deleted;
    else if (*v == "false" || *v == "0")
      q.states &= core::states_live;
    else
      return invalid("is_deleted", "The is deleted field must be true or false.");
  }
  if (auto v = given("sort")) {
    // ClientFilters::sort: exactly `column|direction` (anything else is no sort);
    // display_name sorts by name; a direction other than exactly `asc` is descending. An
    // unknown column is ignored (the real query would fail on it).
    auto parts = split(*v, '|');
    std::string name = parts[0] == "display_name" ? std::string("name") : parts[0];
    auto column =
        name == "number" ? std::optional(core::ClientColumn::number_digits) : sort_column(name);
    if (column && parts.size() == 2) {
      q.sort = *column;
      q.descending = parts[1] != "asc";
    }
  }

  q.limit = p.per_page;
  q.offset = p.page > INT64_MAX / p.per_page ? INT64_MAX : (p.page - 1) * p.per_page;
  q.count_total = true;
  return p;
}

}  // namespace clientgate::dialects::ninja
