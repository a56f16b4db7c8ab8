// The SQL of a list of clients: the WHERE clause and ORDER BY of a core::ClientQuery
// (build_filter), and the list itself with what it loads along (Impl::list).
#include "sqlite_query.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "sqlite_impl.hpp"
#include "sqlite_rows.hpp"

namespace clientgate::storage::sqlite {

std::string placeholders(std::size_t n) {
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i)
    s += i ? ",?" : "?";
  return s;
}

// LIKE pattern for a case-insensitive substring, with the wildcards of the term escaped.
std::string like_pattern(std::string_view term) {
  std::string p = "%";
  for (char c : term) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  p += '%';
  return p;
}

std::optional<std::int64_t> as_localid(std::string_view term) {
  if (term.empty() || term.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : term) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// clientgate_digits(text): the text's digits read as one number, 0 when there are none (a
// REAL, so that any number of digits orders sensibly); see ClientColumn::number_digits.
void digits_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const unsigned char* text = sqlite3_value_text(argv[0]);
  double value = 0;
  if (text != nullptr) {
    for (const unsigned char* p = text; *p; ++p)
      if (*p >= '0' && *p <= '9') value = value * 10 + (*p - '0');
  }
  sqlite3_result_double(ctx, value);
}

const char* sort_column(core::ClientColumn c) {
  using core::ClientColumn;
  switch (c) {
    case ClientColumn::id:
      return "c.id";
    case ClientColumn::name:
      return "c.name";
    case ClientColumn::number:
      return "c.number";
    case ClientColumn::id_number:
      return "c.id_number";
    case ClientColumn::localid:
      return "c.localid";
    case ClientColumn::balance:
      return "c.balance";
    case ClientColumn::paid_to_date:
      return "c.paid_to_date";
    case ClientColumn::credit_balance:
      return "c.credit_balance";
    case ClientColumn::created_at:
      return "c.created_at";
    case ClientColumn::updated_at:
      return "c.updated_at";
    case ClientColumn::archived_at:
      return "c.archived_at";
    case ClientColumn::email:
      return "c.email";
    case ClientColumn::website:
      return "c.website";
    case ClientColumn::phone:
      return "c.phone";
    case ClientColumn::city:
      return "c.city";
    case ClientColumn::state:
      return "c.state";
    case ClientColumn::postal_code:
      return "c.postal_code";
    case ClientColumn::country_id:
      return "c.country_id";
    case ClientColumn::vat_number:
      return "c.vat_number";
    case ClientColumn::custom_value1:
      return "c.custom_value1";
    case ClientColumn::custom_value2:
      return "c.custom_value2";
    case ClientColumn::custom_value3:
      return "c.custom_value3";
    case ClientColumn::custom_value4:
      return "c.custom_value4";
    case ClientColumn::number_digits:
      return "clientgate_digits(c.number)";
  }
  return "c.id";
}

// ORDER BY terms for a sort column: a money column is its whole units, then its millionths.
std::string order_terms(core::ClientColumn c, bool descending) {
  using core::ClientColumn;
  const std::string column = sort_column(c);
  const char* direction = descending ? " DESC" : "";
  if (c == ClientColumn::balance || c == ClientColumn::paid_to_date ||
      c == ClientColumn::credit_balance)
    return column + direction + ", " + column + "_micros" + direction;
  return column + direction;
}

const char* comparison(core::Comparison op) {
  switch (op) {
    case core::Comparison::lt:
      return "<";
    case core::Comparison::lte:
      return "<=";
    case core::Comparison::gt:
      return ">";
    case core::Comparison::gte:
      return ">=";
    case core::Comparison::eq:
      return "=";
  }
  return "=";
}

// The lifecycle states as a condition on a row with columns active and is_deleted.
std::string state_condition(unsigned states, const std::string& p) {
  states &= core::states_all;
  if (states == core::states_all) return "";
  if (states == core::states_live) return p + "is_deleted = 0";
  if (states == core::state_active) return "(" + p + "is_deleted = 0 AND " + p + "active = 1)";
  if (states == core::state_archived) return "(" + p + "is_deleted = 0 AND " + p + "active = 0)";
  if (states == core::state_deleted) return p + "is_deleted = 1";
  std::string s;
  auto any = [&](const std::string& cond) { s += s.empty() ? cond : " OR " + cond; };
  if (states & core::state_active) any("(" + p + "is_deleted = 0 AND " + p + "active = 1)");
  if (states & core::state_archived) any("(" + p + "is_deleted = 0 AND " + p + "active = 0)");
  if (states & core::state_deleted) any(p + "is_deleted = 1");
  return "(" + s + ")";
}

// Whether a query narrows by company and state only, so that the tallies give its total.
bool counts_by_tally(const core::ClientQuery& q) {
  return q.ids.empty() && !q.uuid && q.localids.empty() && !q.name_contains && !q.name_equals &&
         !q.number && !q.id_number && !q.contact_email &&
         (q.search_terms.empty() || q.search_fields == 0) && q.balance.empty() &&
         !q.created_since && !q.updated_since && !q.assigned_user && !q.with_active_project &&
         !q.after_id && !q.with_id;
}

// Whether the scope is one parameter: one company, or every company of one member.
bool scope_in_one_param(const core::ClientQuery& q) {
  if (q.company_id) return !q.member_of;
  return q.member_of || q.companies.size() == 1;
}

// The scope as a condition on `column` (a company id). A member's companies are looked up
// row by row in the memberships' primary key (user_id, company_id): nothing the size of the
// member's company list is bound, built or read per query.
std::string scope_condition(const core::ClientQuery& q, const std::string& column) {
  std::string cond;
  if (q.company_id || (!q.member_of && q.companies.size() == 1)) {
    cond = column + " = ?";
  } else if (!q.member_of) {
    cond = column + " IN (" + placeholders(q.companies.size()) + ")";
  }
  if (q.member_of) {
    cond += cond.empty() ? "" : " AND ";
    cond += "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ? AND m.company_id = " + column +
            ")";
  }
  return cond;
}

// The parameters of scope_condition, in its order.
void add_scope_params(const core::ClientQuery& q, Filter& f) {
  if (q.company_id) {
    f.params.emplace_back(*q.company_id);
  } else if (!q.member_of) {
    for (auto c : q.companies)
      f.params.emplace_back(c);
  }
  if (q.member_of) f.params.emplace_back(*q.member_of);
}

// Whether a page's OFFSET can be stepped over in an index alone: the page is ordered by id,
// and the filter is one company (or one member's companies) and a state that
// (company_id, is_deleted, id) or (company_id, id) holds.
bool offset_in_index(const core::ClientQuery& q) {
  unsigned states = q.states & core::states_all;
  return q.offset > 0 && q.sort == core::ClientColumn::id && scope_in_one_param(q) &&
         counts_by_tally(q) &&
         (states == core::states_all || states == core::states_live ||
          states == core::state_deleted);
}

// The search's candidates from the trigram index: the rows it matches, and the rows whose
// localid a term names (any company that holds clients; the scope is the filter's).
void add_index_candidates(const SearchIndexPlan& index, Filter& f) {
  std::string in = "c.id IN (SELECT rowid FROM client_search WHERE client_search MATCH ?";
  f.params.emplace_back(index.match);
  if (!index.localids.empty()) {
    in +=
        " UNION ALL SELECT s.id FROM clients s WHERE s.company_id IN (SELECT company_id FROM "
        "client_tallies) AND s.localid IN (" +
        placeholders(index.localids.size()) + ")";
    for (auto id : index.localids)
      f.params.emplace_back(id);
  }
  f.add(in + ")");
}

// Returns false when the query can match nothing at all.
bool build_filter(const core::ClientQuery& q, Filter& f, const SearchIndexPlan* index) {
  if (!q.member_of && q.companies.empty()) return false;
  if (q.company_id && !q.member_of &&
      std::find(q.companies.begin(), q.companies.end(), *q.company_id) == q.companies.end()) {
    return false;
  }
  f.add(scope_condition(q, "c.company_id"));
  add_scope_params(q, f);

  unsigned states = q.states & core::states_all;
  if (states == 0) return false;
  if (auto cond = state_condition(states, "c."); !cond.empty()) f.add(cond);

  if (q.ids.size() == 1) {
    f.add("c.id = ?");
    f.params.emplace_back(q.ids.front());
  } else if (!q.ids.empty()) {
    f.add("c.id IN (" + placeholders(q.ids.size()) + ")");
    for (auto id : q.ids)
      f.params.emplace_back(id);
  }
  if (q.uuid) {
    f.add("c.uuid = ?");
    f.params.emplace_back(*q.uuid);
  }
  if (!q.localids.empty()) {
    f.add("c.localid IN (" + placeholders(q.localids.size()) + ")");
    for (auto id : q.localids)
      f.params.emplace_back(id);
  }
  if (q.name_contains) {
    f.add("c.name LIKE ? ESCAPE '\\'");
    f.params.emplace_back(like_pattern(*q.name_contains));
  }
  if (q.name_equals) {
    f.add("c.name = ?");
    f.params.emplace_back(*q.name_equals);
  }
  if (q.number) {
    f.add(q.number_ignores_case ? "c.number = ? COLLATE NOCASE" : "c.number = ?");
    f.params.emplace_back(*q.number);
  }
  if (q.id_number) {
    f.add(q.number_ignores_case ? "c.id_number = ? COLLATE NOCASE" : "c.id_number = ?");
    f.params.emplace_back(*q.id_number);
  }
  if (q.contact_email) {
    f.add(
        "EXISTS (SELECT 1 FROM contacts k WHERE k.client_id = c.id AND k.email = ? COLLATE "
        "NOCASE)");
    f.params.emplace_back(*q.contact_email);
  }
  if (!q.search_terms.empty() && q.search_fields != 0) {
    std::string any;
    auto either = [&](const std::string& cond) { any += any.empty() ? cond : " OR " + cond; };
    const std::string like = " LIKE ? ESCAPE '\\'";
    for (const auto& term : q.search_terms) {
      auto pattern = like_pattern(term);
      auto text = [&](const char* column) {
        either(std::string(column) + like);
        f.params.emplace_back(pattern);
      };
      if (q.search_fields & core::search_name) text("c.name");
      if (q.search_fields & core::search_description) text("c.description");
      if (q.search_fields & core::search_number) text("c.number");
      if (q.search_fields & core::search_id_number) text("c.id_number");
      if (q.search_fields & core::search_custom_values) {
        text("c.custom_value1");
        text("c.custom_value2");
        text("c.custom_value3");
        text("c.custom_value4");
      }
      if (q.search_fields & core::search_localid) {
        if (auto n = as_localid(term)) {
          either("c.localid = ?");
          f.params.emplace_back(*n);
        }
      }
      std::string contact;
      auto contact_text = [&](const char* column) {
        contact += (contact.empty() ? "k." : " OR k.") + std::string(column) + like;
        f.params.emplace_back(pattern);
      };
      if (q.search_fields & core::search_contact_names) {
        contact_text("first_name");
        contact_text("last_name");
      }
      if (q.search_fields & core::search_contact_email) contact_text("email");
      if (q.search_fields & core::search_contact_phone) contact_text("phone");
      if (!contact.empty()) {
        either("EXISTS (SELECT 1 FROM contacts k WHERE k.client_id = c.id AND (" + contact + "))");
      }
    }
    f.add("(" + (any.empty() ? std::string("0") : any) + ")");
  }
  if (index != nullptr && index->usable) add_index_candidates(*index, f);
  for (const auto& m : q.balance) {
    f.add(std::string("(c.balance, c.balance_micros) ") + comparison(m.op) + " (?, ?)");
    f.params.emplace_back(m.value.whole_units());
    f.params.emplace_back(m.value.fraction_micros());
  }
  if (q.created_since) {
    f.add("c.created_at >= ?");
    f.params.emplace_back(q.created_since->micros);
  }
  if (q.updated_since) {
    f.add("c.updated_at >= ?");
    f.params.emplace_back(q.updated_since->micros);
  }
  if (q.assigned_user) {
    std::string cond =
        "EXISTS (SELECT 1 FROM projects p JOIN project_assignees a ON a.project_id = p.id "
        "WHERE p.client_id = c.id AND a.user_id = ?";
    f.params.emplace_back(*q.assigned_user);
    if (q.assigned_project_active) {
      cond += " AND p.active = ?";
      f.params.emplace_back(std::int64_t{*q.assigned_project_active ? 1 : 0});
    }
    f.add(cond + ")");
  }
  if (q.with_active_project) {
    f.add("EXISTS (SELECT 1 FROM projects p WHERE p.client_id = c.id AND p.active = 1)");
  }
  if (q.after_id) {
    f.add("c.id > ?");
    f.params.emplace_back(*q.after_id);
  }
  if (q.with_id) {
    // Everything above, or that one client of the same companies (ClientQuery::with_id).
    f.sql = " WHERE ((" + f.sql.substr(7) + ") OR (c.id = ? AND " +
            scope_condition(q, "c.company_id") + "))";
    f.params.emplace_back(*q.with_id);
    f.with_param = static_cast<int>(f.params.size());
    add_scope_params(q, f);
  }
  return true;
}
}  // namespace clientgate::storage::sqlite

namespace clientgate::storage {

void SqliteRepository::Impl::load_contacts(Connection& c, std::vector<Client>& items) {
  for_each_chunk(items, [&](std::size_t from, std::size_t n) {
    std::string sql = std::string("SELECT ") + contact_columns + " FROM contacts WHERE " +
                      (n == 1 ? "client_id = ?" : "client_id IN (" + placeholders(n) + ")") +
                      " ORDER BY client_id, is_primary DESC, id";
    auto s = c.prepare(sql);
    for (std::size_t i = 0; i < n; ++i)
      s.bind(static_cast<int>(i + 1), items[from + i].id);
    auto where = index_of(items, from, n);
    while (s.step()) {
      auto k = read_contact(s);
      items[where[k.client_id]].contacts.push_back(std::move(k));
    }
  });
}

void SqliteRepository::Impl::load_documents(Connection& c, std::vector<Client>& items) {
  for_each_chunk(items, [&](std::size_t from, std::size_t n) {
    std::string sql = std::string("SELECT ") + document_columns + " FROM documents WHERE " +
                      (n == 1 ? "client_id = ?" : "client_id IN (" + placeholders(n) + ")") +
                      " ORDER BY client_id, id";
    auto s = c.prepare(sql);
    for (std::size_t i = 0; i < n; ++i)
      s.bind(static_cast<int>(i + 1), items[from + i].id);
    auto where = index_of(items, from, n);
    while (s.step()) {
      auto d = read_document_info(s);
      items[where[d.client_id]].documents.push_back(std::move(d));
    }
  });
}

// The clients in these states of every company `member` is a member of, from the tallies.
// The join reads one tally per membership: remembered for the snapshot's data version.
std::int64_t SqliteRepository::Impl::member_tally(Connection& c, core::UserId member,
                                                  unsigned states) {
  PageBounds* known = page_bounds(c);
  states &= core::states_all;
  if (known != nullptr) {
    if (auto total = known->member_total(member, states)) return *total;
  }
  std::string sql =
      "SELECT coalesce(sum(t.n), 0) FROM memberships m JOIN client_tallies t ON t.company_id = "
      "m.company_id WHERE m.user_id = ?";
  if (auto cond = state_condition(states, "t."); !cond.empty()) sql += " AND " + cond;
  auto s = c.prepare(sql);
  s.bind(1, member);
  std::int64_t total = s.step() ? s.i64(0) : 0;
  if (known != nullptr) known->remember_member_total(member, states, total);
  return total;
}

// A member's companies that hold any client, when there are at most this many: its lists then
// run as lists of those companies, on the indexes of one company (a user of 10,000 companies
// whose clients are in one lists them as fast as a user of that one company).
constexpr std::size_t max_listed_member_companies = 8;

// The companies of `member` that hold clients, when they are few; nullopt when they are many
// or when `c` reads without a snapshot. The join reads one tally per membership: remembered
// for the snapshot's data version, like the page boundaries.
std::optional<std::vector<core::CompanyId>> SqliteRepository::Impl::few_member_companies(
    Connection& c, core::UserId member) {
  PageBounds* known = page_bounds(c);
  if (known == nullptr) return std::nullopt;
  const PageBounds::MemberCompanies* found = known->member_companies(member);
  if (found == nullptr) {
    PageBounds::MemberCompanies read;
    auto s = c.prepare(
        "SELECT DISTINCT t.company_id FROM memberships m JOIN client_tallies t ON t.company_id = "
        "m.company_id WHERE m.user_id = ? AND t.n > 0 LIMIT ?");
    s.bind(1, member);
    s.bind(2, static_cast<std::int64_t>(max_listed_member_companies + 1));
    while (s.step())
      read.companies.push_back(s.i64(0));
    read.listed = read.companies.size() <= max_listed_member_companies;
    if (!read.listed) read.companies.clear();
    known->remember_member_companies(member, std::move(read));
    found = known->member_companies(member);
  }
  if (!found->listed) return std::nullopt;
  return found->companies;
}

namespace {

// Above this many candidates, `c.id IN (candidates)` (every candidate looked up, then sorted)
// costs more than the scan it replaces, which stops at the page's end when an index gives
// the order: such a search scans.
constexpr std::int64_t max_index_candidates = 20000;

// Whether the trigram index finds at most `cap` rows for match (it stops at cap + 1).
bool index_candidates_at_most(Connection& c, const std::string& match, std::int64_t cap) {
  auto s = c.prepare(
      "SELECT count(*) FROM (SELECT 1 FROM client_search WHERE client_search MATCH ? LIMIT ?)");
  s.bind(1, match);
  s.bind(2, cap + 1);
  return s.step() && s.i64(0) <= cap;
}

// Tags spelled out in one count at most (sqlite_search.hpp).
constexpr std::size_t max_count_tags = 32;

// The rows the index matches for this FTS5 expression; remembered in `known` when given.
std::int64_t index_count(
    Connection& c, const std::string& match,
    std::unordered_map<std::string, std::int64_t, TransparentHash, std::equal_to<>>* known) {
  if (known != nullptr) {
    if (auto it = known->find(match); it != known->end()) return it->second;
  }
  auto s = c.prepare("SELECT count(*) FROM client_search WHERE client_search MATCH ?");
  s.bind(1, match);
  std::int64_t n = s.step() ? s.i64(0) : 0;
  if (known != nullptr) {
    if (known->size() >= 256) known->clear();
    known->emplace(match, n);
  }
  return n;
}

}  // namespace

// The clients of q's scope that the index matches, counted in the index alone: all its
// matches less those of the tags outside the scope, or its matches within the tags of the
// scope, whichever holds fewer clients (the tallies tell). nullopt when the tags to spell
// out are too many.
std::optional<std::int64_t> SqliteRepository::Impl::count_in_index(Connection& c,
                                                                   const core::ClientQuery& q,
                                                                   const std::string& match) {
  // A member's companies are the memberships table's, not q.companies: the tags cannot say
  // which are in scope, so such a total is an exact count(*) instead.
  if (q.member_of) return std::nullopt;
  std::vector<Tag> inside;
  std::vector<Tag> outside;
  std::int64_t rows_inside = 0;
  std::int64_t rows_outside = 0;
  {
    auto s = c.prepare("SELECT company_id, active, is_deleted, n FROM client_tallies WHERE n > 0");
    while (s.step()) {
      Tag tag{s.i64(0), state_letter(s.i64(1) != 0, s.i64(2) != 0)};
      bool scoped = in_scope(q, tag);
      (scoped ? inside : outside).push_back(tag);
      (scoped ? rows_inside : rows_outside) += s.i64(3);
      if (inside.size() > max_count_tags && outside.size() > max_count_tags) return std::nullopt;
    }
  }
  PageBounds* valid = page_bounds(c);
  auto* known = valid != nullptr ? &c.index_counts : nullptr;
  if (inside.empty()) return 0;
  if (outside.empty()) return index_count(c, match, known);
  if (outside.size() <= max_count_tags &&
      (rows_outside <= rows_inside || inside.size() > max_count_tags)) {
    return index_count(c, match, known) -
           index_count(c, "(" + match + ") AND " + tags_match(outside), known);
  }
  if (inside.size() <= max_count_tags) {
    return index_count(c, "(" + match + ") AND " + tags_match(inside), known);
  }
  return std::nullopt;
}

core::ClientPage SqliteRepository::Impl::list(Connection& c, const core::ClientQuery& q) {
  if (q.member_of && !q.company_id) {
    if (auto companies = few_member_companies(c, *q.member_of)) {
      if (companies->empty()) return {};
      core::ClientQuery listed = q;
      listed.member_of.reset();
      listed.companies = std::move(*companies);
      return list(c, listed);
    }
  }
  core::ClientPage page;
  SearchIndexPlan index;
  if (settings.search_index) index = plan_search_index(q);
  // A page by id walks the index's matches in id order, joined to their rows, and stops at
  // the page's end however many rows match (FTS5 yields rowids in order, lazily).
  const bool index_join = index.usable && q.sort == core::ClientColumn::id && !q.with_id &&
                          index.localids.empty() && !offset_in_index(q);
  const bool index_in =
      index.usable && !index_join && index_candidates_at_most(c, index.match, max_index_candidates);
  Filter f;
  if (!build_filter(q, f, index_in ? &index : nullptr)) return page;
  std::string sql =
      "SELECT " + (q.load.summary ? std::string(client_summary_columns) : client_select_columns());
  if (q.load.counts) {
    sql +=
        ", (SELECT count(*) FROM campaigns g WHERE g.client_id = c.id), (SELECT "
        "coalesce(sum(g.links), 0) FROM campaigns g WHERE g.client_id = c.id)";
  }
  if (index_join) {
    sql += " FROM client_search s CROSS JOIN clients c ON c.id = s.rowid" + f.sql +
           " AND s.client_search MATCH ?";
  } else {
    sql += " FROM clients c" + f.sql;
  }
  const bool skip_in_index = offset_in_index(q);
  // Where the subquery starts stepping, as (offset, id bound): the nearest page boundary
  // this snapshot already knows, else the first row.
  std::pair<std::int64_t, std::int64_t> start{0, q.descending
                                                     ? std::numeric_limits<std::int64_t>::max()
                                                     : std::numeric_limits<std::int64_t>::min()};
  PageBounds* bounds = nullptr;
  PageBounds::Key key{};
  if (skip_in_index) {
    // The page starts at the id the subquery finds, stepping over the rows before it in
    // the index alone (OFFSET in the outer query would visit each row it skips).
    std::string state = state_condition(q.states, "s.");
    sql += q.descending ? " AND c.id <= " : " AND c.id >= ";
    sql += "(SELECT s.id FROM clients s WHERE " + scope_condition(q, "s.company_id") +
           (state.empty() ? "" : " AND " + state) +
           (q.descending ? " AND s.id < ? ORDER BY s.id DESC" : " AND s.id > ? ORDER BY s.id") +
           " LIMIT 1 OFFSET ?)";
    key = {q.member_of ? 0 : q.company_id.value_or(q.companies.front()), q.member_of.value_or(0),
           q.states & core::states_all, q.descending, q.offset};
    bounds = page_bounds(c);
    if (bounds != nullptr) {
      if (auto known = bounds->nearest(key)) start = *known;
    }
  }
  sql += " ORDER BY ";
  if (f.with_param > 0) sql += "(c.id = ?" + std::to_string(f.with_param) + ") DESC, ";
  if (q.sort != core::ClientColumn::id) {
    sql += order_terms(q.sort, q.descending);
    sql += ", c.id";
  } else if (index_join) {
    sql += q.descending ? "s.rowid DESC" : "s.rowid";
  } else {
    sql += q.descending ? "c.id DESC" : "c.id";
  }
  sql += skip_in_index ? " LIMIT ?" : " LIMIT ? OFFSET ?";
  if (q.limit)
    page.items.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(*q.limit, 0, 1000)));
  {
    auto s = c.prepare(sql);
    f.bind(s);
    int next = static_cast<int>(f.params.size()) + 1;
    if (index_join) s.bind(next++, index.match);
    if (skip_in_index) {
      s.bind(next++, std::get<std::int64_t>(f.params.front()));
      s.bind(next++, start.second);
      s.bind(next++, q.offset - start.first);
    }
    s.bind(next, q.limit ? std::max<std::int64_t>(*q.limit, 0) : std::int64_t{-1});
    if (!skip_in_index) s.bind(next + 1, std::max<std::int64_t>(q.offset, 0));
    const int counts_at = q.load.summary ? client_summary_column_count : client_column_count();
    while (s.step()) {
      if (q.load.summary) {
        read_client_summary(s, page.items.emplace_back());
      } else {
        page.items.push_back(read_client(s));
      }
      if (q.load.counts) {
        page.items.back().counts = core::ClientCounts{s.i64(counts_at), s.i64(counts_at + 1)};
      }
    }
  }
  if (bounds != nullptr && !page.items.empty()) {
    // Rows after a bound (before it, descending) are the rows from the boundary's offset on.
    std::int64_t step = q.descending ? 1 : -1;
    bounds->remember(key, page.items.front().id + step);
    key.offset += static_cast<std::int64_t>(page.items.size());
    bounds->remember(key, page.items.back().id);
  }
  if (q.count_total) {
    std::int64_t offset = std::max<std::int64_t>(q.offset, 0);
    auto n = static_cast<std::int64_t>(page.items.size());
    // The page itself often tells the total; count only when it cannot.
    if ((n > 0 || offset == 0) && (!q.limit || n < *q.limit)) {
      page.total = offset + n;
    } else if (counts_by_tally(q) && q.member_of && !q.company_id) {
      page.total = member_tally(c, *q.member_of, q.states);
    } else if (counts_by_tally(q)) {
      std::vector<core::CompanyId> companies =
          q.company_id ? std::vector<core::CompanyId>{*q.company_id} : q.companies;
      std::string sql = "SELECT coalesce(sum(n), 0) FROM client_tallies t WHERE t.company_id " +
                        (companies.size() == 1 ? std::string("= ?")
                                               : "IN (" + placeholders(companies.size()) + ")");
      if (auto cond = state_condition(q.states, "t."); !cond.empty()) sql += " AND " + cond;
      auto s = c.prepare(sql);
      for (std::size_t i = 0; i < companies.size(); ++i) {
        s.bind(static_cast<int>(i + 1), companies[i]);
      }
      if (s.step()) page.total = s.i64(0);
    } else if (auto n = index.usable && index.localids.empty() && counts_by_search_index(q)
                            ? count_in_index(c, q, index.match)
                            : std::nullopt) {
      // The index alone counts: its phrases are the LIKE predicates (sqlite_search.hpp).
      page.total = *n;
    } else {
      Filter counted;
      const bool count_in = index_in || (index_join && index_candidates_at_most(
                                                           c, index.match, max_index_candidates));
      build_filter(q, counted, count_in ? &index : nullptr);
      auto s = c.prepare("SELECT count(*) FROM clients c" + counted.sql);
      counted.bind(s);
      if (s.step()) page.total = s.i64(0);
    }
  }
  if (q.load.contacts) load_contacts(c, page.items);
  if (q.load.documents) load_documents(c, page.items);
  return page;
}

std::optional<Client> SqliteRepository::Impl::load_client(Connection& c, core::ClientId id,
                                                          bool related) {
  std::optional<Client> out;
  {
    auto s = c.prepare("SELECT " + client_select_columns() + " FROM clients c WHERE c.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    out = read_client(s);
  }
  if (related) {
    std::vector<Client> one{std::move(*out)};
    load_contacts(c, one);
    load_documents(c, one);
    auto s =
        c.prepare("SELECT count(*), coalesce(sum(links), 0) FROM campaigns WHERE client_id = ?");
    s.bind(1, id);
    if (s.step()) one.front().counts = core::ClientCounts{s.i64(0), s.i64(1)};
    out = std::move(one.front());
  }
  return out;
}

}  // namespace clientgate::storage
