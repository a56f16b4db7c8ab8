// Internal to storage: the SQL of a list of clients (core::ClientQuery) and its pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sqlite_connection.hpp"
#include "sqlite_search.hpp"

namespace clientgate::storage::sqlite {

// "?,?,...,?": n placeholders.
std::string placeholders(std::size_t n);
// LIKE pattern for a case-insensitive substring, with the wildcards of the term escaped.
std::string like_pattern(std::string_view term);
std::optional<std::int64_t> as_localid(std::string_view term);
// clientgate_digits(text), registered on every connection.
void digits_function(sqlite3_context* ctx, int, sqlite3_value** argv);
const char* sort_column(core::ClientColumn c);
// ORDER BY terms for a sort column: a money column is its whole units, then its millionths.
std::string order_terms(core::ClientColumn c, bool descending);
const char* comparison(core::Comparison op);

// A WHERE clause under construction with its parameters, bound in order.
struct Filter {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> params;
  int with_param = 0;  // the 1-based number of ClientQuery::with_id's parameter (0: none)

  void add(std::string_view condition) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += condition;
  }
  void bind(Stmt& s, int first = 1) const {
    int i = first;
    for (const auto& p : params) {
      if (const auto* v = std::get_if<std::int64_t>(&p)) {
        s.bind(i++, *v);
      } else {
        s.bind(i++, std::get<std::string>(p));
      }
    }
  }
};

// The lifecycle states as a condition on a row with columns active and is_deleted.
std::string state_condition(unsigned states, const std::string& p);
// Whether a query narrows by company and state only, so that the tallies give its total.
bool counts_by_tally(const core::ClientQuery& q);
// Whether a page's OFFSET can be stepped over in an index alone.
bool offset_in_index(const core::ClientQuery& q);
// Returns false when the query can match nothing at all. With a usable `index`, the search
// also narrows to the index's candidates (`c.id IN (...)`), its LIKE predicates kept.
bool build_filter(const core::ClientQuery& q, Filter& f, const SearchIndexPlan* index = nullptr);

}  // namespace clientgate::storage::sqlite
