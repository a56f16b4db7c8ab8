#include "clientgate/core/authenticator.hpp"

#include <algorithm>
#include <cctype>

#include "clientgate/core/secrets.hpp"

namespace clientgate::core {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Authenticator::Authenticator(Repository& repository, AuthSettings settings)
    : repo_(repository), settings_(settings), cache_key_(secrets::random_bytes(32)) {}

std::optional<Principal> Authenticator::cached(const std::string& key) {
  if (settings_.cache_ttl.count() <= 0) return std::nullopt;
  std::shared_ptr<const Principal> hit;
  auto now = std::chrono::steady_clock::now();
  {
    std::shared_lock lock(mutex_);
    auto it = cache_.find(key);
    if (it == cache_.end()) return std::nullopt;
    if (it->second.expires > now) hit = it->second.principal;
  }
  if (!hit) {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires <= now) cache_.erase(it);
    return std::nullopt;
  }
  return *hit;
}

void Authenticator::remember(const std::string& key, const Principal& p) {
  if (settings_.cache_ttl.count() <= 0) return;
  std::lock_guard lock(mutex_);
  if (cache_.size() >= settings_.cache_capacity) cache_.clear();
  cache_[key] = Entry{std::make_shared<const Principal>(p),
                      std::chrono::steady_clock::now() + settings_.cache_ttl};
}

std::optional<Principal> Authenticator::principal_for(UserId user,
                                                      std::optional<CompanyId> token_company) {
  auto found = repo_.find_user(user);
  if (!found) return std::nullopt;
  Principal p;
  p.user_id = found->id;
  p.name = found->name;
  p.email = found->email;
  p.memberships = found->memberships;
  for (const auto& m : p.memberships)
    if (!token_company || m.company_id == *token_company) p.scope.push_back(m.company_id);
  return p;
}

std::optional<Principal> Authenticator::by_token(std::string_view token) {
  if (token.empty()) return std::nullopt;
  // The cache key is a keyed hash: the process never keeps a credential in clear.
  std::string key = secrets::keyed_hash_hex(cache_key_, std::string("t\n").append(token));
  if (auto hit = cached(key)) return hit;
  std::string digest = secrets::sha256_hex(token);
  auto grant = repo_.find_token(digest);
  if (!grant || !secrets::constant_time_equal(grant->token_sha256, digest)) return std::nullopt;
  auto p = principal_for(grant->user_id, grant->company_id);
  if (p) remember(key, *p);
  return p;
}

std::string Authenticator::password_key(std::string_view email, std::string_view password) const {
  return secrets::keyed_hash_hex(
      cache_key_, std::string("p\n").append(lower(email)).append(1, '\0').append(password));
}

bool Authenticator::remembers_password(std::string_view email, std::string_view password) {
  return !email.empty() && cached(password_key(email, password)).has_value();
}

std::optional<Principal> Authenticator::by_password(std::string_view email,
                                                    std::string_view password) {
  if (email.empty()) return std::nullopt;
  std::string key = password_key(email, password);
  if (auto hit = cached(key)) return hit;
  auto user = repo_.find_user_by_email(email);
  if (!user || !user->password_hash) {
    secrets::burn_password_verification();  // no user enumeration by timing
    return std::nullopt;
  }
  // Failures are not cached: each wrong guess pays the full hash.
  if (!secrets::verify_password(*user->password_hash, password)) return std::nullopt;
  auto p = principal_for(user->id, std::nullopt);
  if (p) remember(key, *p);
  return p;
}

std::optional<Principal> Authenticator::for_user(UserId id) {
  return principal_for(id, std::nullopt);
}

}  // namespace clientgate::core
