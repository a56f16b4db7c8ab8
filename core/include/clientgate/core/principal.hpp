// Who is calling, and which companies the credential acts for.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "clientgate/core/model.hpp"

namespace clientgate::core {

struct Principal {
  UserId user_id = 0;
  std::string name;
  std::string email;
  std::vector<Membership> memberships;  // all of the user's, dataset order
  // The companies this credential acts for: the token's company when it has one, otherwise
  // every company of the user (dataset order). The cross-tenant rule is enforced on this.
  std::vector<CompanyId> scope;

  bool in_scope(CompanyId company) const {
    return std::find(scope.begin(), scope.end(), company) != scope.end();
  }
  const Membership* membership(CompanyId company) const {
    for (const auto& m : memberships)
      if (m.company_id == company) return &m;
    return nullptr;
  }
  // The company of a create that names none: the token's company, else the first membership.
  std::optional<CompanyId> default_company() const {
    if (scope.empty()) return std::nullopt;
    return scope.front();
  }
  // The same caller, narrowed to one company of its scope (legacy_xml's Host account).
  // nullopt when the company is not in scope.
  std::optional<Principal> narrowed_to(CompanyId company) const {
    if (!in_scope(company)) return std::nullopt;
    Principal p = *this;
    p.scope = {company};
    return p;
  }
};

}  // namespace clientgate::core
