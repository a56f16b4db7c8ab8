// Who is calling, and which companies the credential acts for.
//
// A principal is built once per verified credential (the authenticator remembers it and hands
// out the same std::shared_ptr<const Principal> to every request) and answers every scope
// question in O(1): the lookups are hashed when it is built. The memberships and the scope are
// shared, never copied, by the principals derived from it (narrowed_to, restricted_to).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "clientgate/core/model.hpp"

namespace clientgate::core {

class Principal {
 public:
  UserId user_id = 0;
  std::string name;
  std::string email;

  // Nobody's: no memberships, an empty scope.
  Principal();
  // The user's memberships (dataset order); the scope is the token's company when there is
  // one (nothing when the user is not a member of it), otherwise every company of the user.
  Principal(UserId user, std::string name, std::string email, std::vector<Membership> memberships,
            std::optional<CompanyId> token_company = std::nullopt);

  // All of the user's, dataset order.
  const std::vector<Membership>& memberships() const { return memberships_->list; }
  // The companies this credential acts for (dataset order). The cross-tenant rule is enforced
  // on this.
  const std::vector<CompanyId>& scope() const { return scope_->companies; }

  bool in_scope(CompanyId company) const { return scope_->positions.contains(company); }
  const Membership* membership(CompanyId company) const {
    auto it = memberships_->positions.find(company);
    return it == memberships_->positions.end() ? nullptr : &memberships_->list[it->second];
  }
  // The company of a create that names none: the token's company, else the first membership.
  std::optional<CompanyId> default_company() const {
    if (scope_->companies.empty()) return std::nullopt;
    return scope_->companies.front();
  }
  // Whether the scope is every company the user is a member of: a store may then read the
  // scope from its memberships by user id instead of being handed the list.
  bool scope_is_every_membership() const { return scope_->every_membership; }
  // How many companies of the scope the user is an administrator of / manages clients in.
  std::size_t administrators_in_scope() const { return scope_->administrators; }
  std::size_t client_managers_in_scope() const { return scope_->client_managers; }

  // The same caller, narrowed to one company of its scope (legacy_xml's Host account).
  // nullptr when the company is not in scope. O(1): the memberships are shared.
  std::shared_ptr<const Principal> narrowed_to(CompanyId company) const;
  // The same caller with the scope reduced to those of `companies` (in their order) that are
  // in it. O(companies.size()): the memberships are shared.
  Principal restricted_to(const std::vector<CompanyId>& companies) const;

 private:
  struct Memberships {
    std::vector<Membership> list;
    std::unordered_map<CompanyId, std::size_t> positions;  // company -> index in list
  };
  struct Scope {
    std::vector<CompanyId> companies;
    std::unordered_map<CompanyId, std::size_t> positions;  // company -> index in companies
    bool every_membership = false;
    std::size_t administrators = 0;
    std::size_t client_managers = 0;
  };
  // The scope of `companies` (those that are memberships, once each) over these memberships.
  std::shared_ptr<Scope> scope_of(std::vector<CompanyId> companies) const;

  std::shared_ptr<const Memberships> memberships_;
  std::shared_ptr<const Scope> scope_;
};

}  // namespace clientgate::core
