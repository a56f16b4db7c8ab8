#include "list_params.hpp"

#include <algorithm>
#include <map>

#include "clientgate/dialects/common.hpp"

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

// Unix seconds, or an ISO 8601 date / date-time.
std::optional<core::Timestamp> instant(std::string_view text) {
  if (auto s = parse_int64(text)) return core::Timestamp::from_unix_seconds(*s);
  return core::Timestamp::parse_iso8601(text);
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

std::optional<core::MoneyCondition> parse_balance_condition(std::string_view text) {
  auto parts = split(text, ':');
  if (parts.size() != 2) return std::nullopt;
  std::optional<core::Comparison> op = comparison(parts[0]);
  std::string value = parts[1];
  if (!op) {
    op = comparison(parts[1]);
    value = parts[0];
  }
  if (!op) return std::nullopt;
  auto money = core::Money::parse(value);
  if (!money) return std::nullopt;
  return core::MoneyCondition{*op, *money};
}

std::variant<ListParams, ListError> parse_list_params(boost::urls::url_view url) {
  ListParams p;
  core::ClientQuery& q = p.query;
  q.states = core::states_all;  // the default list shows archived and deleted clients too
  q.load.contacts = true;
  q.load.documents = true;

  // per_page: not a positive integer -> the default; above the maximum -> the maximum.
  if (auto text = last_param(url, "per_page")) {
    auto v = parse_int64(*text);
    if (v && *v >= 1) p.per_page = std::min(*v, max_per_page);
    if (!v && !text->empty() && text->find_first_not_of("0123456789") == std::string::npos)
      p.per_page = max_per_page;  // more digits than int64 holds: clamped like any large value
  }
  p.page = page_number(last_param(url, "page"));

  if (auto include = last_param(url, "include"); include && !include->empty()) {
    for (const auto& raw : split(*include, ',')) {
      std::string rel = trim(raw);
      if (rel == "contacts" || rel == "documents" || rel == "gateway_tokens") continue;
      ListError e;
      e.status = 400;
      e.message = "Relation `" + rel + "` is not a valid include.";
      return e;
    }
  }

  // A filter given with an empty value is ignored, as ClientFilters does for most of them.
  auto given = [&](std::string_view key) -> std::optional<std::string> {
    auto v = last_param(url, key);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };

  if (auto v = given("name")) q.name_contains = *v;
  if (auto v = given("balance")) {
    auto c = parse_balance_condition(*v);
    if (!c && names_amount_out_of_range(*v))
      return invalid("balance", money_range_message("balance"));
    if (!c)
      return invalid("balance",
                     "The balance filter must be op:value (op one of lt, lte, gt, gte, eq) and "
                     "value a number.");
    q.balance.push_back(*c);
  }
  if (auto v = given("between_balance")) {
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
  if (auto v = given("id_number")) q.id_number = *v;
  if (auto v = given("number")) q.number = *v;
  if (auto v = given("filter")) {
    q.search_terms = {*v};
    q.search_fields = core::search_name | core::search_id_number | core::search_number |
                      core::search_contact_names | core::search_contact_email |
                      core::search_contact_phone | core::search_custom_values;
  }
  if (auto v = given("created_at")) {
    auto t = instant(*v);
    if (!t) return invalid("created_at", "The created at is not a valid date.");
    q.created_since = *t;
  }
  if (auto v = given("updated_at")) {
    auto t = instant(*v);
    if (!t) return invalid("updated_at", "The updated at is not a valid date.");
    q.updated_since = *t;
  }
  if (auto v = given("status")) {
    unsigned states = 0;
    for (const auto& raw : split(*v, ',')) {
      std::string s = trim(raw);
      if (s == "active") states |= core::state_active;
      if (s == "archived") states |= core::state_archived;
      if (s == "deleted") states |= core::state_deleted;
    }
    q.states = states;  // no known status: nothing matches (the real query ORs nothing)
  }
  if (auto v = given("is_deleted")) {
    if (*v == "true" || *v == "1")
      q.states &= core::state_deleted;
    else if (*v == "false" || *v == "0")
      q.states &= core::states_live;
    else
      return invalid("is_deleted", "The is deleted field must be true or false.");
  }
  if (auto v = given("sort")) {
    // column|asc or column|desc; an unknown column or direction is ignored (default order).
    auto parts = split(*v, '|');
    auto column = sort_column(trim(parts[0]));
    std::string direction = parts.size() > 1 ? trim(parts[1]) : "asc";
    std::transform(direction.begin(), direction.end(), direction.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (column && parts.size() <= 2 && (direction == "asc" || direction == "desc")) {
      q.sort = *column;
      q.descending = direction == "desc";
    }
  }

  q.limit = p.per_page;
  q.offset = p.page > INT64_MAX / p.per_page ? INT64_MAX : (p.page - 1) * p.per_page;
  q.count_total = true;
  return p;
}

}  // namespace clientgate::dialects::ninja
