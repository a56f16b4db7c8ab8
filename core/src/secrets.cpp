#include "clientgate/core/secrets.hpp"

#include <sodium.h>

#include <pthread.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

namespace clientgate::core::secrets {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

// Argon2id, t=2, m=19 MiB: the OWASP minimum. The parameters travel inside each stored hash,
// so they can be raised later without breaking stored passwords.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u * 1024u * 1024u;

// Random bytes are drawn from libsodium 512 at a time per thread and handed out from there: one
// system call (getrandom) per 512 bytes rather than one per draw. Bytes handed out are wiped
// from the pool. A child process after fork() refills before its first draw, so that parent
// and child never hand out the same bytes.
std::atomic<unsigned> fork_generation{0};

void draw(void* out, std::size_t n) {
  struct Pool {
    unsigned char bytes[512];
    std::size_t used = sizeof bytes;
    unsigned generation = 0;
    ~Pool() { sodium_memzero(bytes, sizeof bytes); }
  };
  thread_local Pool pool;
  if (n > sizeof pool.bytes / 4) {
    randombytes_buf(out, n);
    return;
  }
  unsigned generation = fork_generation.load(std::memory_order_relaxed);
  if (pool.generation != generation || sizeof pool.bytes - pool.used < n) {
    randombytes_buf(pool.bytes, sizeof pool.bytes);
    pool.used = 0;
    pool.generation = generation;
  }
  std::memcpy(out, pool.bytes + pool.used, n);
  sodium_memzero(pool.bytes + pool.used, n);
  pool.used += n;
}

}  // namespace

void initialize() {
  // sodium_init takes a process-wide lock on every call, which every request thread would
  // contend for; the first call is enough.
  static const bool initialized = [] {
    if (sodium_init() < 0) return false;
    pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1); });
    return true;
  }();
  if (!initialized) throw std::runtime_error("libsodium failed to initialize");
}

std::string sha256_hex(std::string_view data) {
  initialize();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(out, sizeof out);
}

std::string keyed_hash_hex(std::string_view key, std::string_view data) {
  initialize();
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     std::min<std::size_t>(key.size(), crypto_generichash_KEYBYTES_MAX));
  return to_hex(out, sizeof out);
}

std::string hash_password(std::string_view password) {
  initialize();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(std::string_view hash, std::string_view password) {
  initialize();
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string terminated(hash);  // crypto_pwhash_str_verify wants a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string_view dummy_password_hash() {
  // Made once with hash_password (kOpsLimit, kMemLimit), kept as text so that no process pays
  // a hash to make it; secrets_test checks that its parameters are hash_password's.
  return "$argon2id$v=19$m=19456,t=2,p=1$HroPERTgvJXoRv4Esty74A$"
         "aaFntko+C5Dwat0T87bmk53U3ch0McpWX4Hv5by6iu4";
}

bool looks_like_password_hash(std::string_view text) {
  return text.rfind("$argon2id$", 0) == 0 || text.rfind("$argon2i$", 0) == 0;
}

std::string random_alphanumeric(std::size_t length) {
  initialize();
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  constexpr unsigned kSize = sizeof kAlphabet - 1;   // 62
  constexpr unsigned kAccept = 256 / kSize * kSize;  // 248: bytes below it map uniformly
  // Bytes at or above kAccept are rejected so that every character is equally likely.
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    unsigned char b = 0;
    draw(&b, 1);
    if (b < kAccept) out += kAlphabet[b % kSize];
  }
  return out;
}

std::string random_bytes(std::size_t length) {
  initialize();
  std::string out(length, '\0');
  draw(out.data(), out.size());
  return out;
}

std::string uuid_v4() {
  std::string bytes = random_bytes(16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  std::string hex = to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace clientgate::core::secrets
