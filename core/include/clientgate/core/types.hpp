// Value types shared by every layer: ids, instants, money, roles.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clientgate::core {

using CompanyId = std::int64_t;
using UserId = std::int64_t;
using ClientId = std::int64_t;
using ContactId = std::int64_t;
using DocumentId = std::int64_t;
using ProjectId = std::int64_t;
using TaskId = std::int64_t;

// A nullable text column: nullopt is SQL NULL / JSON null, "" is an empty string.
using Text = std::optional<std::string>;

// A field a write may set. nullopt: leave the stored value alone.
template <class T>
using Change = std::optional<T>;

// An instant in UTC with microsecond precision (the dataset's precision).
struct Timestamp {
  std::int64_t micros = 0;  // since 1970-01-01T00:00:00Z
  auto operator<=>(const Timestamp&) const = default;

  static Timestamp now();
  static Timestamp from_unix_seconds(std::int64_t s) { return Timestamp{s * 1'000'000}; }
  std::int64_t unix_seconds() const;  // floor

  // ISO 8601 parsing: "2023-01-01T12:00:00Z", with 0..9 fractional digits (extra digits beyond
  // 6 are truncated), an offset "+02:00" or "Z", or a date alone ("2023-01-01", midnight UTC).
  static std::optional<Timestamp> parse_iso8601(std::string_view text);
  // "2023-01-01T12:00:00.000000Z" with `fraction_digits` in 0..6 (0: no dot).
  std::string iso8601(int fraction_digits) const;
  std::string date() const;  // "2023-01-01"
};

// An exact decimal amount, kept as an integer count of millionths (Invoice Ninja's
// decimal(20,6)); never binary floating point.
struct Money {
  std::int64_t micros = 0;
  auto operator<=>(const Money&) const = default;

  // "10735.05", "-3", "0.000001", "1e3" is refused; at most 6 fractional digits; at most
  // 9,223,372,036,854.775807 either way (an int64 of millionths).
  static std::optional<Money> parse(std::string_view text);
  // The canonical text: at least two fractional digits, trailing zeros beyond them dropped:
  // "0.00", "10735.05", "1.2345".
  std::string canonical() const;
  // The shortest text a JSON number needs: "0", "10735.05", "-1.5".
  std::string shortest() const;
};

enum class Role { administrator, manager, resource, executive };

std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);

}  // namespace clientgate::core
