// Credentials to principals. Tokens are looked up by their SHA-256; passwords verified with
// crypto_pwhash. A verified credential is remembered for a short time, in memory, keyed by a
// keyed hash of the credential, so a keep-alive client sending Basic on every request pays
// the slow password hash once. Failed password attempts are counted per client address and
// per account (FailureThrottle); past either limit an attempt is refused without a hash.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "clientgate/core/failure_throttle.hpp"
#include "clientgate/core/principal.hpp"
#include "clientgate/core/repository.hpp"

namespace clientgate::core {

struct AuthSettings {
  // How long a verified credential (token or e-mail + password) is remembered. A revoked
  // credential stops working at most this long after the store changes. 0 disables caching.
  std::chrono::milliseconds cache_ttl{5000};
  std::size_t cache_capacity = 10000;  // entries; the cache is cleared when full
  // Failed password verifications (wrong password and unknown e-mail alike) allowed in one
  // window, per client address and per account (e-mail); 0 turns one off.
  std::size_t failures_per_address = 20;
  std::size_t failures_per_account = 10;
  std::chrono::milliseconds failure_window{60000};
  std::size_t throttle_entries = 100000;  // keys per table (addresses, accounts)
};

enum class PasswordOutcome {
  verified,   // principal set
  refused,    // wrong password, unknown e-mail or no password set: one failure counted
  throttled,  // too many failures from this address or for this account: no hash was run
  busy,       // a hash was needed on a thread that must not run one (see below)
};

struct PasswordCheck {
  PasswordOutcome outcome = PasswordOutcome::refused;
  std::shared_ptr<const Principal> principal;
  std::chrono::milliseconds retry_after{0};  // when throttled
};

class Authenticator {
 public:
  Authenticator(Repository& repository, AuthSettings settings = {});

  // A bearer / API token. nullptr when unknown. A remembered credential's principal is the
  // same object on every request: nothing of it is copied.
  std::shared_ptr<const Principal> by_token(std::string_view token);
  // E-mail (case-insensitive) and password, from `client_address` (empty: unknown, only the
  // account is throttled). An unknown e-mail takes the same path as a wrong password: the same
  // throttle keys and counts, and a verification against a dummy hash of the same cost.
  PasswordCheck check_password(std::string_view email, std::string_view password,
                               std::string_view client_address);
  // check_password without an address: the principal, nullptr when refused for any reason.
  std::shared_ptr<const Principal> by_password(std::string_view email, std::string_view password);
  // Whether by_password would answer this pair from what it remembers, without a hash.
  bool remembers_password(std::string_view email, std::string_view password);

  // From now on, a password hash needed on the calling thread is not run: check_password
  // answers `busy`. The gateway's io threads call it, so that a verification can only run on
  // the password pool, whatever races with the credential cache.
  static void refuse_password_hashing_on_this_thread();

  // A principal for a user id with the full scope of its memberships (admin tooling).
  std::shared_ptr<const Principal> for_user(UserId id);

 private:
  struct Entry {
    std::shared_ptr<const Principal> principal;  // shared with every request that uses it
    std::chrono::steady_clock::time_point expires;
  };
  std::shared_ptr<const Principal> cached(const std::string& key);
  std::string password_key(std::string_view email, std::string_view password) const;
  void remember(const std::string& key, std::shared_ptr<const Principal> p);
  std::shared_ptr<const Principal> principal_for(UserId user,
                                                 std::optional<CompanyId> token_company);

  Repository& repo_;
  AuthSettings settings_;
  // Shared for lookups (every request), exclusive to remember or forget an entry.
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;
  std::string cache_key_;  // random per process: cache keys are keyed hashes
  FailureThrottle address_failures_;
  FailureThrottle account_failures_;
};

}  // namespace clientgate::core
