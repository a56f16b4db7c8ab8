// Credentials to principals. Tokens are looked up by their SHA-256; passwords verified with
// crypto_pwhash. A verified credential is remembered for a short time, in memory, keyed by a
// keyed hash of the credential, so a keep-alive client sending Basic on every request pays
// the slow password hash once.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "clientgate/core/principal.hpp"
#include "clientgate/core/repository.hpp"

namespace clientgate::core {

struct AuthSettings {
  // How long a verified credential (token or e-mail + password) is remembered. A revoked
  // credential stops working at most this long after the store changes. 0 disables caching.
  std::chrono::milliseconds cache_ttl{5000};
  std::size_t cache_capacity = 10000;  // entries; the cache is cleared when full
};

class Authenticator {
 public:
  Authenticator(Repository& repository, AuthSettings settings = {});

  // A bearer / API token. nullopt when unknown.
  std::optional<Principal> by_token(std::string_view token);
  // E-mail (case-insensitive) and password. nullopt when either is wrong.
  std::optional<Principal> by_password(std::string_view email, std::string_view password);
  // Whether by_password would answer this pair from what it remembers, without a hash.
  bool remembers_password(std::string_view email, std::string_view password);

  // A principal for a user id with the full scope of its memberships (admin tooling).
  std::optional<Principal> for_user(UserId id);

 private:
  struct Entry {
    std::shared_ptr<const Principal> principal;  // copied outside the lock
    std::chrono::steady_clock::time_point expires;
  };
  std::optional<Principal> cached(const std::string& key);
  std::string password_key(std::string_view email, std::string_view password) const;
  void remember(const std::string& key, const Principal& p);
  std::optional<Principal> principal_for(UserId user, std::optional<CompanyId> token_company);

  Repository& repo_;
  AuthSettings settings_;
  // Shared for lookups (every request), exclusive to remember or forget an entry.
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;
  std::string cache_key_;  // random per process: cache keys are keyed hashes
};

}  // namespace clientgate::core
