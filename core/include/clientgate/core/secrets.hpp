// Hashing and random values, on libsodium.
#pragma once

#include <string>
#include <string_view>

namespace clientgate::core::secrets {

void initialize();  // sodium_init; safe to call more than once

std::string sha256_hex(std::string_view data);
// A keyed BLAKE2b of `data`, hex; for in-memory cache keys.
std::string keyed_hash_hex(std::string_view key, std::string_view data);
// crypto_pwhash_str (Argon2id, t=2, m=19 MiB: the OWASP minimum).
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);
// A hash of a password nobody has, with hash_password's parameters: verifying against it costs
// what verifying a real one does (unknown users: no user enumeration by timing).
std::string_view dummy_password_hash();
bool looks_like_password_hash(std::string_view text);

std::string random_alphanumeric(std::size_t length);
std::string random_bytes(std::size_t length);
std::string uuid_v4();
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace clientgate::core::secrets
