#include "clientgate/core/types.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace clientgate::core {
namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

}  // namespace

Timestamp Timestamp::now() {
  auto since = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp{std::chrono::duration_cast<std::chrono::microseconds>(since).count()};
}

std::int64_t Timestamp::unix_seconds() const {
  std::int64_t s = micros / kMicrosPerSecond;
  if (micros % kMicrosPerSecond < 0) --s;
  return s;
}

std::optional<Timestamp> Timestamp::parse_iso8601(std::string_view t) {
  int year, month, day;
  if (!digits(t, 0, 4, year) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, month) ||
      t[7] != '-' || !digits(t, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  std::int64_t micros =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
      kMicrosPerDay;
  if (t.size() == 10) return Timestamp{micros};

  int hour, minute, second;
  if ((t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2, hour) || t.size() < 19 ||
      t[13] != ':' || !digits(t, 14, 2, minute) || t[16] != ':' || !digits(t, 17, 2, second))
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  micros += ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond;

  std::size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    std::int64_t fraction = 0;
    int count = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (count < 6) {
        fraction = fraction * 10 + (t[pos] - '0');
      }
      ++count;
      ++pos;
    }
    if (count == 0 || count > 9) return std::nullopt;
    for (int i = std::min(count, 6); i < 6; ++i)
      fraction *= 10;
    micros += fraction;
  }
  if (pos == t.size()) return std::nullopt;  // a time needs a zone
  if (t[pos] == 'Z' || t[pos] == 'z') {
    return pos + 1 == t.size() ? std::optional<Timestamp>(Timestamp{micros}) : std::nullopt;
  }
  if (t[pos] != '+' && t[pos] != '-') return std::nullopt;
  int oh, om;
  if (!digits(t, pos + 1, 2, oh) || pos + 6 != t.size() || t[pos + 3] != ':' ||
      !digits(t, pos + 4, 2, om) || oh > 23 || om > 59)
    return std::nullopt;
  std::int64_t offset = (oh * 60 + om) * 60 * kMicrosPerSecond;
  micros += t[pos] == '+' ? -offset : offset;
  return Timestamp{micros};
}

std::string Timestamp::iso8601(int fraction_digits) const {
  std::string out;
  append_iso8601(out, fraction_digits);
  return out;
}

void Timestamp::append_iso8601(std::string& text, int fraction_digits) const {
  std::int64_t days = micros / kMicrosPerDay;
  std::int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  Civil c = civil_from_days(days);
  std::int64_t secs = rest / kMicrosPerSecond;
  std::int64_t frac = rest % kMicrosPerSecond;
  // Written digit by digit: this runs for every timestamp of every response.
  char buf[32];
  auto put = [](char* at, std::int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      at[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  if (c.y < 0 || c.y > 9999) {  // outside ISO 8601's four digits: rare, not worth speed
    char wide[64];
    int n =
        std::snprintf(wide, sizeof wide, "%lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                      static_cast<long long>(c.y), c.m, c.d, static_cast<long long>(secs / 3600),
                      static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                      static_cast<long long>(frac));
    std::string_view out(wide, static_cast<std::size_t>(n));
    std::size_t dot = out.rfind('.');
    if (fraction_digits <= 0) {
      text.append(out.substr(0, dot)).push_back('Z');
    } else {
      text.append(out.substr(0, dot + 1 + static_cast<std::size_t>(std::min(fraction_digits, 6))))
          .push_back('Z');
    }
    return;
  }
  put(buf, c.y, 4);
  buf[4] = '-';
  put(buf + 5, c.m, 2);
  buf[7] = '-';
  put(buf + 8, c.d, 2);
  buf[10] = 'T';
  put(buf + 11, secs / 3600, 2);
  buf[13] = ':';
  put(buf + 14, secs / 60 % 60, 2);
  buf[16] = ':';
  put(buf + 17, secs % 60, 2);
  std::size_t n = 19;
  if (fraction_digits > 0) {
    fraction_digits = std::min(fraction_digits, 6);
    buf[n++] = '.';
    char f[6];
    put(f, frac, 6);
    for (int i = 0; i < fraction_digits; ++i)
      buf[n++] = f[i];
  }
  buf[n++] = 'Z';
  text.append(buf, n);
}

std::string Timestamp::date() const {
  return iso8601(0).substr(0, 10);
}

namespace {

// A plain decimal "[+-]digits[.digits]" split into its parts, or nullopt if text is not one.
struct DecimalText {
  bool negative = false;
  std::string_view whole;     // without leading zeros
  std::string_view fraction;  // as written
};

std::optional<DecimalText> decimal_text(std::string_view text) {
  DecimalText d;
  std::size_t pos = 0;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    d.negative = text[0] == '-';
    pos = 1;
  }
  auto run_of_digits = [&] {
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
      ++pos;
    return text.substr(start, pos - start);
  };
  d.whole = run_of_digits();
  bool any_digit = !d.whole.empty();
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    d.fraction = run_of_digits();
    any_digit = any_digit || !d.fraction.empty();
  }
  if (pos != text.size() || !any_digit) return std::nullopt;
  d.whole.remove_prefix(std::min(d.whole.find_first_not_of('0'), d.whole.size()));
  return d;
}

// Decimal(20,6): 14 integer digits and 6 fractional ones.
constexpr std::size_t kMaxWholeDigits = 14;
constexpr std::size_t kMaxFractionDigits = 6;

MoneyProblem problem_of(const std::optional<DecimalText>& d) {
  if (!d) return MoneyProblem::not_a_number;
  if (d->fraction.size() > kMaxFractionDigits) return MoneyProblem::too_many_decimals;
  if (d->whole.size() > kMaxWholeDigits) return MoneyProblem::out_of_range;
  return MoneyProblem::none;
}

}  // namespace

MoneyProblem Money::problem(std::string_view text) {
  return problem_of(decimal_text(text));
}

std::optional<Money> Money::parse(std::string_view text) {
  auto d = decimal_text(text);
  if (problem_of(d) != MoneyProblem::none) return std::nullopt;
  // At most 20 digits in all: below 10^20, well inside 128 bits.
  Int128 micros = 0;
  for (char c : d->whole)
    micros = micros * 10 + (c - '0');
  for (std::size_t i = 0; i < kMaxFractionDigits; ++i)
    micros = micros * 10 + (i < d->fraction.size() ? d->fraction[i] - '0' : 0);
  return Money{d->negative ? -micros : micros};
}

namespace {
std::string money_text(Int128 micros, std::size_t min_fraction_digits) {
  bool negative = micros < 0;
  // |micros| < 10^20 (Money's range), so the whole units fit in 64 bits.
  Int128 magnitude = negative ? -micros : micros;
  std::string out = negative ? "-" : "";
  out += std::to_string(static_cast<std::uint64_t>(magnitude / Money::micros_per_unit));
  auto rest = static_cast<std::uint32_t>(magnitude % Money::micros_per_unit);
  char fraction[kMaxFractionDigits];
  for (std::size_t i = kMaxFractionDigits; i-- > 0; rest /= 10)
    fraction[i] = static_cast<char>('0' + rest % 10);
  std::size_t digits = kMaxFractionDigits;
  while (digits > min_fraction_digits && fraction[digits - 1] == '0')
    --digits;
  if (digits > 0) out.append(".").append(fraction, digits);
  return out;
}
}  // namespace

std::string Money::canonical() const {
  return money_text(micros, 2);
}
std::string Money::shortest() const {
  return money_text(micros, 0);
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "administrator") return Role::administrator;
  if (name == "manager") return Role::manager;
  if (name == "resource") return Role::resource;
  if (name == "executive") return Role::executive;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::administrator:
      return "administrator";
    case Role::manager:
      return "manager";
    case Role::resource:
      return "resource";
    case Role::executive:
      return "executive";
  }
  return "resource";
}

}  // namespace clientgate::core
