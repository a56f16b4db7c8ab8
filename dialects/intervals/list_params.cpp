#include "list_params.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "clientgate/dialects/common.hpp"
#include "parse.hpp"

namespace clientgate::dialects::intervals {
namespace {

std::vector<std::string> split_csv(std::string_view text) {
  std::vector<std::string> parts;
  while (true) {
    auto comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return std::string(s);
}

constexpr std::string_view list_parameters[] = {"localid",   "active",  "search", "projectsonly",
                                                "sortfield", "sortdir", "offset", "limit"};

}  // namespace

bool is_list_parameter(std::string_view key) {
  return std::find(std::begin(list_parameters), std::end(list_parameters), key) !=
         std::end(list_parameters);
}

std::variant<core::ClientQuery, ApiError> list_query(boost::urls::params_view params) {
  std::map<std::string, std::string> given;
  std::vector<std::string> unknown;
  for (auto param : params) {
    std::string key = param.key;
    if (key.empty()) continue;  // "/client/?" and "a=1&&b=2": nothing was asked
    if (!is_list_parameter(key)) {
      unknown.push_back("Unknown parameter: " + key);
      continue;
    }
    given[key] = param.value;
  }
  if (!unknown.empty())
    return ApiError{ApiCode::unknown_parameter, std::move(unknown), std::nullopt};

  core::ClientQuery query;
  query.limit = default_limit;
  std::vector<std::string> problems;
  auto value_of = [&](const char* key) -> std::optional<std::string> {
    auto it = given.find(key);
    if (it == given.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };

  if (auto localid = value_of("localid")) {
    auto parts = split_csv(*localid);
    if (parts.size() > max_list_values) {
      problems.push_back("The parameter localid takes at most " + std::to_string(max_list_values) +
                         " values");
    } else {
      for (const auto& part : parts) {
        auto number = parse_int64(trimmed(part));
        if (!number) {
          problems.push_back("The parameter localid must be a list of integers (e.g. 3,5,11)");
          query.localids.clear();
          break;
        }
        query.localids.push_back(*number);
      }
    }
  }
  if (auto active = value_of("active")) {
    auto flag = parse_boolean(*active);
    if (!flag)
      problems.push_back("The parameter active must be t or f");
    else
      query.states = *flag ? core::state_active : core::state_archived;
  }
  if (auto search = value_of("search")) {
    auto parts = split_csv(*search);
    if (parts.size() > max_list_values) {
      problems.push_back("The parameter search takes at most " + std::to_string(max_list_values) +
                         " values");
    } else {
      for (const auto& part : parts)
        if (auto term = trimmed(part); !term.empty()) query.search_terms.push_back(term);
      query.search_fields = core::search_name | core::search_description | core::search_localid;
    }
  }
  if (auto projects_only = value_of("projectsonly")) {
    auto flag = parse_boolean(*projects_only);
    if (!flag)
      problems.push_back("The parameter projectsonly must be t or f");
    else
      query.with_active_project = *flag;
  }
  if (auto field = value_of("sortfield")) {
    std::string name = ascii_lower(*field);
    if (name == "id")
      query.sort = core::ClientColumn::id;
    else if (name == "localid")
      query.sort = core::ClientColumn::localid;
    else if (name == "name")
      query.sort = core::ClientColumn::name;
    else if (name == "datecreated")
      query.sort = core::ClientColumn::created_at;
    else
      problems.push_back("The parameter sortfield must be one of id, localid, name, datecreated");
  }
  if (auto direction = value_of("sortdir")) {
    std::string name = ascii_lower(*direction);
    if (name == "asc")
      query.descending = false;
    else if (name == "desc")
      query.descending = true;
    else
      problems.push_back("The parameter sortdir must be ASC or DESC");
  }
  if (auto offset = value_of("offset")) {
    auto number = parse_int64(*offset);
    if (!number)
      problems.push_back("The parameter offset must be a whole number, 0 or more");
    else
      query.offset = *number;
  }
  if (auto limit = value_of("limit")) {
    auto number = parse_int64(*limit);
    if (!number)
      problems.push_back("The parameter limit must be a whole number, 0 or more");
    else
      query.limit = *number;
  }
  if (!problems.empty()) return ApiError{ApiCode::validation, std::move(problems), std::nullopt};
  return query;
}

}  // namespace clientgate::dialects::intervals
