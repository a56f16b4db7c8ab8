#include "hashid_codec.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

namespace clientgate::dialects::ninja {
namespace {

constexpr double kSeparatorDivisor = 3.5;
constexpr std::size_t kGuardDivisor = 12;
constexpr std::string_view kSeparators = "cfhistuCFHISTU";

// The salt-driven permutation every step of the algorithm uses.
void shuffle(std::string& alphabet, std::string_view salt) {
  if (salt.empty() || alphabet.size() < 2) return;
  std::size_t v = 0;
  std::size_t p = 0;
  for (std::size_t i = alphabet.size() - 1; i > 0; --i, ++v) {
    v %= salt.size();
    std::size_t code = static_cast<unsigned char>(salt[v]);
    p += code;
    std::size_t j = (code + v + p) % i;
    std::swap(alphabet[j], alphabet[i]);
  }
}

std::string hash_number(std::uint64_t input, std::string_view alphabet) {
  std::string out;
  do {
    out.insert(out.begin(), alphabet[input % alphabet.size()]);
    input /= alphabet.size();
  } while (input > 0);
  return out;
}

// The number a sub-hash stands for; nullopt for a character outside the alphabet or a value
// beyond int64 (the PHP version would turn to bignum strings; no id of ours is that large).
std::optional<std::int64_t> unhash(std::string_view input, std::string_view alphabet) {
  if (input.empty()) return std::nullopt;
  const std::uint64_t base = alphabet.size();
  std::uint64_t number = 0;
  for (char c : input) {
    auto pos = alphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    constexpr std::uint64_t kMax = static_cast<std::uint64_t>(INT64_MAX);
    if (number > (kMax - pos) / base) return std::nullopt;
    number = number * base + pos;
  }
  return static_cast<std::int64_t>(number);
}

bool contains(std::string_view set, char c) {
  return set.find(c) != std::string_view::npos;
}

}  // namespace

HashidCodec::HashidCodec(std::string salt, std::size_t min_length)
    : salt_(std::move(salt)), min_length_(min_length) {
  std::string unique;
  for (char c : default_alphabet)
    if (!contains(unique, c)) unique += c;

  for (char c : kSeparators)
    if (contains(unique, c)) separators_ += c;
  for (char c : unique)
    if (!contains(kSeparators, c)) alphabet_ += c;
  shuffle(separators_, salt_);

  if (separators_.empty() ||
      static_cast<double>(alphabet_.size()) / static_cast<double>(separators_.size()) >
          kSeparatorDivisor) {
    auto wanted = static_cast<std::size_t>(
        std::ceil(static_cast<double>(alphabet_.size()) / kSeparatorDivisor));
    if (wanted > separators_.size()) {
      std::size_t diff = wanted - separators_.size();
      separators_ += alphabet_.substr(0, diff);
      alphabet_.erase(0, diff);
    }
  }

  shuffle(alphabet_, salt_);
  std::size_t guard_count = (alphabet_.size() + kGuardDivisor - 1) / kGuardDivisor;
  if (alphabet_.size() < 3) {
    guards_ = separators_.substr(0, guard_count);
    separators_.erase(0, guard_count);
  } else {
    guards_ = alphabet_.substr(0, guard_count);
    alphabet_.erase(0, guard_count);
  }
}

std::string HashidCodec::encode(std::int64_t id) const {
  if (id < 0) return {};
  return encode(std::vector<std::int64_t>{id});
}

std::string HashidCodec::encode(const std::vector<std::int64_t>& numbers) const {
  if (numbers.empty()) return {};
  for (auto n : numbers)
    if (n < 0) return {};

  std::string alphabet = alphabet_;
  std::uint64_t numbers_hash = 0;
  for (std::size_t i = 0; i < numbers.size(); ++i)
    numbers_hash += static_cast<std::uint64_t>(numbers[i]) % (i + 100);

  const char lottery = alphabet[numbers_hash % alphabet.size()];
  std::string out(1, lottery);
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    std::string salt = std::string(1, lottery) + salt_ + alphabet;
    salt.resize(alphabet.size());
    shuffle(alphabet, salt);
    auto number = static_cast<std::uint64_t>(numbers[i]);
    std::string last = hash_number(number, alphabet);
    out += last;
    if (i + 1 < numbers.size()) {
      number %= static_cast<std::uint64_t>(static_cast<unsigned char>(last[0])) + i;
      out += separators_[number % separators_.size()];
    }
  }

  if (out.size() < min_length_) {
    std::size_t guard_index = (numbers_hash + static_cast<unsigned char>(out[0])) % guards_.size();
    out.insert(out.begin(), guards_[guard_index]);
    if (out.size() < min_length_) {
      guard_index = (numbers_hash + static_cast<unsigned char>(out[2])) % guards_.size();
      out += guards_[guard_index];
    }
  }

  const std::size_t half = alphabet.size() / 2;
  while (out.size() < min_length_) {
    std::string key = alphabet;
    shuffle(alphabet, key);
    out = alphabet.substr(half) + out + alphabet.substr(0, half);
    if (out.size() > min_length_) {
      std::size_t excess = out.size() - min_length_;
      out = out.substr(excess / 2, min_length_);
    }
  }
  return out;
}

std::vector<std::int64_t> HashidCodec::decode(std::string_view hash) const {
  // Ids are short; a long text is refused before any work is done on it.
  if (hash.empty() || hash.size() > 256) return {};

  std::vector<std::string_view> parts;
  {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= hash.size(); ++i) {
      if (i == hash.size() || contains(guards_, hash[i])) {
        parts.push_back(hash.substr(start, i - start));
        start = i + 1;
      }
    }
  }
  std::string_view core = parts[(parts.size() == 2 || parts.size() == 3) ? 1 : 0];
  if (core.empty()) return {};

  const char lottery = core[0];
  core.remove_prefix(1);
  std::vector<std::string_view> sub_hashes;
  {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= core.size(); ++i) {
      if (i == core.size() || contains(separators_, core[i])) {
        sub_hashes.push_back(core.substr(start, i - start));
        start = i + 1;
      }
    }
  }

  std::string alphabet = alphabet_;
  std::vector<std::int64_t> numbers;
  for (auto sub : sub_hashes) {
    std::string salt = std::string(1, lottery) + salt_ + alphabet;
    salt.resize(alphabet.size());
    shuffle(alphabet, salt);
    auto number = unhash(sub, alphabet);
    if (!number) return {};
    numbers.push_back(*number);
  }
  // Only a hash this codec would make is accepted: this rejects every other spelling.
  if (encode(numbers) != hash) return {};
  return numbers;
}

std::optional<std::int64_t> HashidCodec::decode_id(std::string_view hash) const {
  auto numbers = decode(hash);
  if (numbers.size() != 1) return std::nullopt;
  return numbers.front();
}

}  // namespace clientgate::dialects::ninja
