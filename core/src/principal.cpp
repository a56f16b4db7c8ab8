#include "clientgate/core/principal.hpp"

#include <unordered_set>
#include <utility>

namespace clientgate::core {

Principal::Principal()
    : memberships_(std::make_shared<const Memberships>()),
      scope_(std::make_shared<const Scope>()) {}

Principal::Principal(UserId user, std::string name_, std::string email_,
                     std::vector<Membership> memberships, std::optional<CompanyId> token_company)
    : user_id(user), name(std::move(name_)), email(std::move(email_)) {
  auto all = std::make_shared<Memberships>();
  all->list = std::move(memberships);
  all->positions.reserve(all->list.size());
  for (std::size_t i = 0; i < all->list.size(); ++i)
    all->positions.emplace(all->list[i].company_id, i);  // the first of a repeated company
  memberships_ = std::move(all);

  std::vector<CompanyId> companies;
  if (token_company) {
    companies.push_back(*token_company);
  } else {
    companies.reserve(memberships_->list.size());
    for (const auto& m : memberships_->list)
      companies.push_back(m.company_id);
  }
  auto scope = scope_of(std::move(companies));
  scope->every_membership = !token_company;
  scope_ = std::move(scope);
}

std::shared_ptr<Principal::Scope> Principal::scope_of(std::vector<CompanyId> companies) const {
  auto scope = std::make_shared<Scope>();
  scope->companies.reserve(companies.size());
  scope->positions.reserve(companies.size());
  for (CompanyId company : companies) {
    const Membership* m = membership(company);
    if (m == nullptr) continue;  // a scope holds only companies the user is a member of
    if (!scope->positions.emplace(company, scope->companies.size()).second) continue;
    scope->companies.push_back(company);
    if (m->role == Role::administrator) ++scope->administrators;
    if (m->client_manager) ++scope->client_managers;
  }
  return scope;
}

std::shared_ptr<const Principal> Principal::narrowed_to(CompanyId company) const {
  if (!in_scope(company)) return nullptr;
  auto narrowed = std::make_shared<Principal>(*this);  // shares the memberships
  narrowed->scope_ = scope_of({company});
  return narrowed;
}

Principal Principal::restricted_to(const std::vector<CompanyId>& companies) const {
  std::vector<CompanyId> kept;
  kept.reserve(companies.size());
  std::unordered_set<CompanyId> seen;
  for (CompanyId company : companies)
    if (in_scope(company) && seen.insert(company).second) kept.push_back(company);
  // Shares the memberships, and the scope as it is (its order, what it is known to be) when
  // all of it is kept.
  Principal restricted(*this);
  if (kept.size() != scope_->companies.size()) restricted.scope_ = scope_of(std::move(kept));
  return restricted;
}

}  // namespace clientgate::core
