// Everything `clientgate serve` can be told: the TOML config file, then the flags (a flag wins
// over the file). Every limit is a setting with a safe default; gateway/README.md lists them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/settings_schema.hpp"
#include "clientgate/storage/sqlite_repository.hpp"

namespace clientgate::gateway {

// A config file or flag value that cannot be used; the message names the key or flag.
class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  // "HOST:PORT", "[v6]:PORT"
  std::string to_string() const;
};

// "127.0.0.1:8080", "[::1]:0", "localhost:80". Throws SettingsError.
ListenAddress parse_listen_address(std::string_view text);

struct Limits {
  std::size_t header_bytes = 8192;   // request line + fields; over it: 431
  std::size_t body_bytes = 1048576;  // default body limit (a dialect may raise it): 413
  std::chrono::milliseconds read_timeout{10000};   // a whole request, first byte to last: 408
  std::chrono::milliseconds idle_timeout{30000};   // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30000};  // one response write to a slow reader
  std::chrono::milliseconds linger{1000};          // draining a closing connection's unread input
  // Beyond it, the oldest idle connection is closed to make room; with none idle: 503.
  std::size_t max_connections = 10000;
  bool max_connections_set = false;  // by the config: refused, not lowered, if it cannot fit
  // Connections from one client address (an IPv6 /64); beyond it, as above among its own.
  std::size_t max_connections_per_address = 1000;
  std::chrono::milliseconds shutdown_grace{5000};  // in-flight requests at SIGTERM
};

struct Settings {
  std::string db = "./clientgate.db";
  ListenAddress listen;
  unsigned threads = 0;  // 0 until resolved: one per core
  // Threads that run requests other than GET and HEAD (the ones that may write), so that
  // writes arriving together are committed together; 0 runs them on the io threads.
  unsigned write_threads = 16;
  // Requests that may write and carry their body in memory are gathered on their io thread
  // during a turn of its event loop and handled there at its end, their writes committed
  // together (Repository::write_together); false hands each to the write threads.
  bool write_batching = true;
  // Password verifications (Argon2id, ~40 ms of CPU and 19 MiB each) run on this many threads
  // of their own, never on an io thread; at most password_queue wait, beyond that a request
  // needing one is answered 503 with Retry-After at once ([auth] in the config file).
  // 0: half the cores, at least one, so that hashing never takes more than half the machine
  // even when a flood comes from more addresses than the throttle counts.
  unsigned password_threads = 0;
  std::size_t password_queue = 64;
  // A 429 for too many failed passwords is sent this long after it is decided (the connection
  // holds no thread meanwhile): a client that retries at once, ignoring Retry-After, makes at
  // most one attempt per connection per this period.
  std::chrono::milliseconds throttled_answer_delay{1000};
  Limits limits;
  core::AuthSettings auth;
  storage::StorageSettings storage;
  std::string admin_token;  // empty: the admin (migration) views are disabled
  std::map<std::string, dialects::DialectSettings> dialects;
};

// What each dialect compiled in declares it can be told (dialects::settings_schemas()).
using DialectSchemas = std::vector<const dialects::SettingsSchema*>;

// Applies a TOML document to `settings`. `source` names the file in messages; a
// [dialects.NAME] table must name one of `dialect_schemas` and hold only what it declares.
// Unknown keys, wrong types and out-of-range values throw SettingsError
// ("FILE: limits.header_bytes: must be an integer from 256 to 16777216",
// "FILE: dialects.ninja.hashid_salt: unknown setting").
void apply_config(Settings& settings, std::string_view toml_text, const std::string& source,
                  const DialectSchemas& dialect_schemas);

// Reads and applies a config file; an unreadable file throws SettingsError.
void apply_config_file(Settings& settings, const std::string& path,
                       const DialectSchemas& dialect_schemas);

// One-per-core when `threads` was not set.
unsigned resolved_threads(const Settings& settings);
// The password pool's threads: password_threads, or half the cores (at least one) when 0.
unsigned resolved_password_threads(const Settings& settings);

}  // namespace clientgate::gateway
