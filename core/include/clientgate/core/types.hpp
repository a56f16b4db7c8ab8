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
  // The same text appended to `out` (a renderer's buffer: no string of its own).
  void append_iso8601(std::string& out, int fraction_digits) const;
  std::string date() const;  // "2023-01-01"
};

// A 128-bit integer: GCC and Clang have one; __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef __int128 Int128;

// Why Money::parse refuses a text.
enum class MoneyProblem {
  none,               // parse accepts it
  not_a_number,       // "", "abc", "1e3", "1,5"
  too_many_decimals,  // more than 6 fractional digits
  out_of_range,       // a plain decimal past ±99,999,999,999,999.999999
};

// An exact decimal amount, kept as an integer count of millionths over Invoice Ninja's whole
// decimal(20,6) range, ±99,999,999,999,999.999999; never binary floating point. That range is
// 10^20 - 1 millionths either way, more than an int64 holds, hence the 128-bit count.
struct Money {
  Int128 micros = 0;
  auto operator<=>(const Money&) const = default;

  static constexpr Int128 micros_per_unit = 1'000'000;
  // 10^20 - 1: 99,999,999,999,999.999999.
  static constexpr Int128 max_micros = Int128{99'999'999'999'999} * micros_per_unit + 999'999;

  // "10735.05", "-3", "0.000001"; "1e3" is refused; at most 6 fractional digits; at most
  // 99,999,999,999,999.999999 either way.
  static std::optional<Money> parse(std::string_view text);
  // Why parse(text) refuses text (MoneyProblem::none when it accepts it).
  static MoneyProblem problem(std::string_view text);
  // The canonical text: at least two fractional digits, trailing zeros beyond them dropped:
  // "0.00", "10735.05", "1.2345".
  std::string canonical() const;
  // The shortest text a JSON number needs: "0", "10735.05", "-1.5".
  std::string shortest() const;

  // The amount as whole units and the millionths left over, both truncated toward zero so
  // that they share the amount's sign: -1.5 is (-1, -500000). Ordered pairwise like the
  // amounts themselves, which lets storage keep it in two 64-bit integers.
  std::int64_t whole_units() const { return static_cast<std::int64_t>(micros / micros_per_unit); }
  std::int64_t fraction_micros() const {
    return static_cast<std::int64_t>(micros % micros_per_unit);
  }
  static Money from_parts(std::int64_t whole_units, std::int64_t fraction_micros) {
    return Money{Int128{whole_units} * micros_per_unit + fraction_micros};
  }
};

enum class Role { administrator, manager, resource, executive };

std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);

}  // namespace clientgate::core
