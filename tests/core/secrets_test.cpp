#include <catch2/catch.hpp>
#include <set>

#include "clientgate/core/secrets.hpp"

using namespace clientgate::core;

TEST_CASE("SHA-256 and keyed hashes") {
  CHECK(secrets::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(secrets::keyed_hash_hex("k1", "x") != secrets::keyed_hash_hex("k2", "x"));
  CHECK(secrets::keyed_hash_hex("k1", "x") == secrets::keyed_hash_hex("k1", "x"));
}

TEST_CASE("Passwords are stored as Argon2id hashes and verified") {
  auto hash = secrets::hash_password("correct horse");
  CHECK(secrets::looks_like_password_hash(hash));
  CHECK(hash.find("correct horse") == std::string::npos);
  CHECK(secrets::verify_password(hash, "correct horse"));
  CHECK_FALSE(secrets::verify_password(hash, "correct horse "));
  CHECK_FALSE(secrets::verify_password("not a hash", "x"));
  CHECK_FALSE(secrets::looks_like_password_hash("plain"));
}

TEST_CASE("Random values") {
  auto a = secrets::random_alphanumeric(40);
  CHECK(a.size() == 40);
  for (char c : a)
    CHECK(std::isalnum(static_cast<unsigned char>(c)));
  CHECK(a != secrets::random_alphanumeric(40));
  std::set<std::string> uuids;
  for (int i = 0; i < 100; ++i) {
    auto u = secrets::uuid_v4();
    CHECK(u.size() == 36);
    CHECK(u[14] == '4');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);
    uuids.insert(u);
  }
  CHECK(uuids.size() == 100);
  CHECK(secrets::constant_time_equal("abc", "abc"));
  CHECK_FALSE(secrets::constant_time_equal("abc", "abd"));
  CHECK_FALSE(secrets::constant_time_equal("abc", "abcd"));
}
