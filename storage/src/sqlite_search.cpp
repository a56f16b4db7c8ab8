// The FTS5 expressions of substring searches over client_search (see sqlite_search.hpp).
#include "sqlite_search.hpp"

#include <algorithm>

#include "sqlite_query.hpp"

namespace clientgate::storage::sqlite {

namespace {

// The number of characters of valid UTF-8 text, or nullopt when it is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t n = 0;
  std::size_t i = 0;
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(s[at]); };
  while (i < s.size()) {
    unsigned char b = byte(i);
    std::size_t more = 0;
    if (b < 0x80) {
      more = 0;
    } else if (b >= 0xC2 && b <= 0xDF) {
      more = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      more = 2;
    } else if (b >= 0xF0 && b <= 0xF4) {
      more = 3;
    } else {
      return std::nullopt;
    }
    if (s.size() - i - 1 < more) return std::nullopt;
    for (std::size_t k = 1; k <= more; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((b == 0xE0 && byte(i + 1) < 0xA0) || (b == 0xED && byte(i + 1) >= 0xA0) ||
        (b == 0xF0 && byte(i + 1) < 0x90) || (b == 0xF4 && byte(i + 1) >= 0x90)) {
      return std::nullopt;
    }
    i += more + 1;
    ++n;
  }
  return n;
}

// Whether the index serves this needle exactly.
bool indexable(std::string_view needle) {
  if (needle.find('\0') != std::string_view::npos) return false;
  if (needle.find('\x1f') != std::string_view::npos) return false;
  auto length = utf8_length(needle);
  return length && *length >= 3;
}

// The needle as an FTS5 string: lowered as LIKE folds case, quotes doubled.
std::string phrase(std::string_view needle) {
  std::string s = "\"";
  for (char ch : needle) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch == '"') s += '"';
    s += ch;
  }
  return s + '"';
}

std::string columns_of(unsigned fields) {
  std::string c;
  auto add = [&](const char* column) { c += c.empty() ? column : std::string(" ") + column; };
  if (fields & core::search_name) add("name");
  if (fields & core::search_description) add("description");
  if (fields & core::search_number) add("number");
  if (fields & core::search_id_number) add("id_number");
  if (fields & core::search_custom_values) {
    add("custom_value1");
    add("custom_value2");
    add("custom_value3");
    add("custom_value4");
  }
  if (fields & core::search_contact_names) add("contact_names");
  if (fields & core::search_contact_email) add("contact_emails");
  if (fields & core::search_contact_phone) add("contact_phones");
  return c;
}

}  // namespace

SearchIndexPlan plan_search_index(const core::ClientQuery& q) {
  SearchIndexPlan plan;
  const bool terms = !q.search_terms.empty() && q.search_fields != 0;
  if (!q.name_contains && !terms) return plan;
  std::string match;
  if (q.name_contains) {
    if (!indexable(*q.name_contains)) return plan;
    match = "{name} : " + phrase(*q.name_contains);
  }
  if (terms) {
    const std::string columns = columns_of(q.search_fields);
    std::string any;
    for (const auto& term : q.search_terms) {
      if (q.search_fields & core::search_localid) {
        if (auto n = as_localid(term)) plan.localids.push_back(*n);
      }
      if (columns.empty()) continue;
      if (!indexable(term)) return plan;
      any += (any.empty() ? "{" : " OR {") + columns + "} : " + phrase(term);
    }
    // Only localids: an expression that matches no row, so that the localid part decides.
    if (any.empty()) any = "{tag} : \"###\"";
    match = match.empty() ? "(" + any + ")" : "(" + match + ") AND (" + any + ")";
  }
  plan.usable = true;
  plan.match = std::move(match);
  return plan;
}

char state_letter(bool active, bool is_deleted) {
  return is_deleted ? 'd' : active ? 'a' : 'r';
}

bool in_scope(const core::ClientQuery& q, const Tag& tag) {
  if (q.company_id && *q.company_id != tag.company) return false;
  if (std::find(q.companies.begin(), q.companies.end(), tag.company) == q.companies.end()) {
    return false;
  }
  unsigned bit = tag.state == 'd'   ? core::state_deleted
                 : tag.state == 'a' ? core::state_active
                                    : core::state_archived;
  return (q.states & bit) != 0;
}

std::string tags_match(const std::vector<Tag>& tags) {
  std::string any;
  for (const auto& tag : tags) {
    any += (any.empty() ? "{tag} : \"." : " OR {tag} : \".") + std::to_string(tag.company) + "." +
           tag.state + ".\"";
  }
  return "(" + any + ")";
}

bool counts_by_search_index(const core::ClientQuery& q) {
  return q.ids.empty() && !q.uuid && q.localids.empty() && !q.name_equals && !q.number &&
         !q.id_number && !q.contact_email && q.balance.empty() && !q.created_since &&
         !q.updated_since && !q.assigned_user && !q.with_active_project && !q.after_id &&
         !q.with_id;
}

}  // namespace clientgate::storage::sqlite
