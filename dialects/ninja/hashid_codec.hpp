// Invoice Ninja's public ids: the Hashids algorithm (hashids.org, as the PHP package
// hashids/hashids 4.x implements it) over integer primary keys, with the application's salt
// and a minimum length of 10. No library on this system provides it, so it lives here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clientgate::dialects::ninja {

class HashidCodec {
 public:
  static constexpr std::string_view default_alphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890";

  explicit HashidCodec(std::string salt = "", std::size_t min_length = 10);

  // The hash of one non-negative id ("" for a negative one, which has no hash).
  std::string encode(std::int64_t id) const;
  std::string encode(const std::vector<std::int64_t>& numbers) const;

  // The numbers a hash stands for; empty when the text is not a hash this codec makes
  // (wrong characters, an overflow, anything that does not encode back to itself).
  std::vector<std::int64_t> decode(std::string_view hash) const;
  // One id: nullopt unless the hash stands for exactly one number.
  std::optional<std::int64_t> decode_id(std::string_view hash) const;

 private:
  std::string salt_;
  std::size_t min_length_;
  std::string alphabet_;
  std::string separators_;
  std::string guards_;
};

}  // namespace clientgate::dialects::ninja
