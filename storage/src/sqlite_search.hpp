// Internal to storage: substring search through the trigram index (client_search, migration 5).
//
// client_search holds each client's searchable text lowered as LIKE compares it (ASCII letters
// only), indexed by an FTS5 trigram tokenizer that keeps case (case_sensitive 1). A needle of
// three characters or more, lowered the same way, is then an FTS5 phrase that matches exactly
// the rows whose column contains it: LIKE '%needle%' ESCAPE '\' (ASCII case folded, every other
// character compared as it is) and the phrase are the same test. Lists still apply the LIKE
// predicates to the rows the index finds; only counts of many matches trust the index alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/query.hpp"

namespace clientgate::storage::sqlite {

// How the search of a query can use the index.
struct SearchIndexPlan {
  bool usable = false;  // every needle of the query is one the index serves
  // The FTS5 expression of the whole search (name_contains AND any of search_terms), over
  // client_search's columns; nothing about companies or states.
  std::string match;
  // search_localid: terms that read as a localid, matched by the localid column, not the index.
  std::vector<std::int64_t> localids;
};

// The plan for q; not usable when q searches nothing, or a needle has fewer than three
// characters (no trigram), is not valid UTF-8, or holds char(0) or char(31) (the separator of
// a client's contacts in the index).
SearchIndexPlan plan_search_index(const core::ClientQuery& q);

// A client's `tag` in the index: ".company.state." with state a (active), r (archived) or d
// (deleted); Tag is one such (company, state letter).
struct Tag {
  core::CompanyId company;
  char state;
};
char state_letter(bool active, bool is_deleted);
// Whether a client with this tag is in q's companies and states.
bool in_scope(const core::ClientQuery& q, const Tag& tag);
// An FTS5 expression matching the clients with any of these tags.
std::string tags_match(const std::vector<Tag>& tags);

// Whether q narrows by companies, states and search only, so that the index's count of the
// plan's match within q's tags is its total.
bool counts_by_search_index(const core::ClientQuery& q);

}  // namespace clientgate::storage::sqlite
