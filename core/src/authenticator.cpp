#include "clientgate/core/authenticator.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

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

thread_local bool hashing_refused = false;

// The per-address throttle's key: an IPv4 address as it is (an IPv4-mapped IPv6 one as IPv4),
// an IPv6 address by its /64 network, which one subscriber usually holds whole (rack-attack
// and Cloudflare count IPv6 clients the same way): otherwise one client could send each guess
// from an address of its own.
std::string address_key(std::string_view address) {
  std::string text(address);
  unsigned char bytes[16];
  if (::inet_pton(AF_INET6, text.c_str(), bytes) != 1) return text;
  static constexpr unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char out[INET6_ADDRSTRLEN];
  if (std::equal(bytes, bytes + 12, v4_mapped)) {
    if (::inet_ntop(AF_INET, bytes + 12, out, sizeof out) != nullptr) return out;
    return text;
  }
  std::fill(bytes + 8, bytes + 16, 0);
  if (::inet_ntop(AF_INET6, bytes, out, sizeof out) == nullptr) return text;
  return std::string(out) + "/64";
}

}  // namespace

Authenticator::Authenticator(Repository& repository, AuthSettings settings)
    : repo_(repository),
      settings_(settings),
      cache_key_(secrets::random_bytes(32)),
      address_failures_(settings.failures_per_address, settings.failure_window,
                        settings.throttle_entries),
      account_failures_(settings.failures_per_account, settings.failure_window,
                        settings.throttle_entries) {}

void Authenticator::refuse_password_hashing_on_this_thread() {
  hashing_refused = true;
}

std::shared_ptr<const Principal> Authenticator::cached(const std::string& key) {
  if (settings_.cache_ttl.count() <= 0) return nullptr;
  std::shared_ptr<const Principal> hit;
  auto now = std::chrono::steady_clock::now();
  {
    std::shared_lock lock(mutex_);
    auto it = cache_.find(key);
    if (it == cache_.end()) return nullptr;
    if (it->second.expires > now) hit = it->second.principal;
  }
  if (!hit) {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires <= now) cache_.erase(it);
    return nullptr;
  }
  return hit;
}

void Authenticator::remember(const std::string& key, std::shared_ptr<const Principal> p) {
  if (settings_.cache_ttl.count() <= 0) return;
  std::lock_guard lock(mutex_);
  if (cache_.size() >= settings_.cache_capacity) cache_.clear();
  cache_[key] = Entry{std::move(p), std::chrono::steady_clock::now() + settings_.cache_ttl};
}

std::shared_ptr<const Principal> Authenticator::principal_for(
    UserId user, std::optional<CompanyId> token_company) {
  auto found = repo_.find_user(user);
  if (!found) return nullptr;
  return std::make_shared<const Principal>(found->id, std::move(found->name),
                                           std::move(found->email), std::move(found->memberships),
                                           token_company);
}

std::shared_ptr<const Principal> Authenticator::by_token(std::string_view token) {
  if (token.empty()) return nullptr;
  // The cache key is a keyed hash: the process never keeps a credential in clear.
  std::string key = secrets::keyed_hash_hex(cache_key_, std::string("t\n").append(token));
  if (auto hit = cached(key)) return hit;
  std::string digest = secrets::sha256_hex(token);
  auto grant = repo_.find_token(digest);
  if (!grant || !secrets::constant_time_equal(grant->token_sha256, digest)) return nullptr;
  auto p = principal_for(grant->user_id, grant->company_id);
  if (p) remember(key, p);
  return p;
}

std::string Authenticator::password_key(std::string_view email, std::string_view password) const {
  return secrets::keyed_hash_hex(
      cache_key_, std::string("p\n").append(lower(email)).append(1, '\0').append(password));
}

bool Authenticator::remembers_password(std::string_view email, std::string_view password) {
  return !email.empty() && cached(password_key(email, password)) != nullptr;
}

std::shared_ptr<const Principal> Authenticator::by_password(std::string_view email,
                                                            std::string_view password) {
  auto check = check_password(email, password, {});
  if (check.outcome != PasswordOutcome::verified) return nullptr;
  return std::move(check.principal);
}

PasswordCheck Authenticator::check_password(std::string_view email, std::string_view password,
                                            std::string_view client_address) {
  PasswordCheck result;
  std::string key = password_key(email, password);
  if (auto hit = cached(key)) {  // verified lately: not a guess, never throttled
    result.outcome = PasswordOutcome::verified;
    result.principal = std::move(hit);
    return result;
  }
  if (hashing_refused) {
    result.outcome = PasswordOutcome::busy;
    return result;
  }
  // The attempt is counted before the hash and given back when it succeeds: concurrent
  // guesses cannot all slip under the limit. The account key is a keyed hash of the e-mail,
  // whether or not such a user exists (the table's memory does not depend on e-mail length).
  auto now = FailureThrottle::Clock::now();
  std::string account =
      secrets::keyed_hash_hex(cache_key_, std::string("a\n").append(lower(email)));
  std::chrono::milliseconds wait{0};
  bool address_charged = false;
  std::string address = client_address.empty() ? std::string() : address_key(client_address);
  if (!address.empty()) {
    if (!address_failures_.try_charge(address, now, wait)) {
      result.outcome = PasswordOutcome::throttled;
      result.retry_after = wait;
      return result;
    }
    address_charged = true;
  }
  if (!account_failures_.try_charge(account, now, wait)) {
    if (address_charged) address_failures_.refund(address, now);
    result.outcome = PasswordOutcome::throttled;
    result.retry_after = wait;
    return result;
  }

  // An unknown e-mail (or a user without a password) is verified against a dummy hash of the
  // same parameters: the same work, the same time, the same answer as a wrong password.
  std::optional<User> user = email.empty() ? std::nullopt : repo_.find_user_by_email(email);
  bool known = user && user->password_hash;
  bool matches = secrets::verify_password(
      known ? std::string_view(*user->password_hash) : secrets::dummy_password_hash(), password);
  if (!known || !matches) {
    result.outcome = PasswordOutcome::refused;  // failures are not cached
    return result;
  }
  now = FailureThrottle::Clock::now();
  account_failures_.refund(account, now);
  if (address_charged) address_failures_.refund(address, now);
  auto p = principal_for(user->id, std::nullopt);
  if (!p) return result;
  remember(key, p);
  result.outcome = PasswordOutcome::verified;
  result.principal = std::move(p);
  return result;
}

std::shared_ptr<const Principal> Authenticator::for_user(UserId id) {
  return principal_for(id, std::nullopt);
}

}  // namespace clientgate::core
