#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>
#include <vector>

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

TEST_CASE("Random values come from a per-thread pool that never repeats across threads or fork") {
  // 2,000 UUIDs and hashes drawn on four threads at once: all distinct.
  std::vector<std::string> drawn[4];
  std::vector<std::thread> threads;
  for (auto& out : drawn) {
    threads.emplace_back([&out] {
      for (int i = 0; i < 250; ++i) {
        out.push_back(secrets::uuid_v4());
        out.push_back(secrets::random_alphanumeric(40));
      }
    });
  }
  for (auto& t : threads)
    t.join();
  std::set<std::string> all;
  for (const auto& out : drawn)
    all.insert(out.begin(), out.end());
  CHECK(all.size() == 2000);

  // A child process after fork() draws other bytes than its parent does next.
  (void)secrets::random_bytes(8);  // the parent's pool holds bytes now
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::string bytes = secrets::random_bytes(32);
    ssize_t written = write(pipe_fds[1], bytes.data(), bytes.size());
    _exit(written == 32 ? 0 : 1);
  }
  std::string parent = secrets::random_bytes(32);
  std::string from_child(32, '\0');
  REQUIRE(read(pipe_fds[0], from_child.data(), from_child.size()) == 32);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  CHECK(parent != from_child);
}

TEST_CASE("The dummy password hash has hash_password's parameters and matches nothing usual") {
  auto real = secrets::hash_password("x");
  auto dummy = std::string(secrets::dummy_password_hash());
  // "$argon2id$v=19$m=19456,t=2,p=1$": everything before the salt.
  auto params = [](const std::string& h) { return h.substr(0, h.rfind('$', h.rfind('$') - 1)); };
  CHECK(params(dummy) == params(real));
  CHECK(secrets::looks_like_password_hash(dummy));
  CHECK_FALSE(secrets::verify_password(dummy, ""));
  CHECK_FALSE(secrets::verify_password(dummy, "x"));
}
