#include <catch2/catch.hpp>

#include "clientgate/core/principal.hpp"
#include "clientgate/core/types.hpp"

using namespace clientgate::core;

TEST_CASE("Timestamp parses ISO 8601 and prints it at a chosen precision") {
  auto t = Timestamp::parse_iso8601("2023-01-01T12:00:00.000000Z");
  REQUIRE(t);
  CHECK(t->micros == 1672574400LL * 1'000'000);
  CHECK(t->iso8601(6) == "2023-01-01T12:00:00.000000Z");
  CHECK(t->iso8601(3) == "2023-01-01T12:00:00.000Z");
  CHECK(t->iso8601(0) == "2023-01-01T12:00:00Z");
  CHECK(t->date() == "2023-01-01");
  CHECK(t->unix_seconds() == 1672574400);

  auto micro = Timestamp::parse_iso8601("2023-01-03T10:30:00.123456Z");
  REQUIRE(micro);
  CHECK(micro->iso8601(6) == "2023-01-03T10:30:00.123456Z");
  CHECK(micro->iso8601(3) == "2023-01-03T10:30:00.123Z");
  // Nanoseconds are truncated to microseconds; offsets are folded into UTC.
  CHECK(Timestamp::parse_iso8601("2023-01-03T10:30:00.123456789Z")->iso8601(6) ==
        "2023-01-03T10:30:00.123456Z");
  CHECK(Timestamp::parse_iso8601("2023-01-01T14:00:00+02:00")->iso8601(0) ==
        "2023-01-01T12:00:00Z");
  CHECK(Timestamp::parse_iso8601("2024-02-29")->iso8601(0) == "2024-02-29T00:00:00Z");
  CHECK(Timestamp::parse_iso8601("1969-12-31T23:59:59.5Z")->iso8601(6) ==
        "1969-12-31T23:59:59.500000Z");
  CHECK(Timestamp::parse_iso8601("1969-12-31T23:59:59.5Z")->unix_seconds() == -1);
  // Years past four digits still print (only ever from arithmetic, never parsed).
  CHECK(Timestamp{253402300800LL * 1'000'000 + 5}.iso8601(6) == "10000-01-01T00:00:00.000005Z");
  CHECK(Timestamp{253402300800LL * 1'000'000}.iso8601(0) == "10000-01-01T00:00:00Z");
  CHECK(Timestamp::parse_iso8601("9999-12-31T23:59:59.999999Z")->iso8601(6) ==
        "9999-12-31T23:59:59.999999Z");
}

TEST_CASE("Timestamp refuses what is not a date") {
  for (const char* bad :
       {"", "2023", "2023-13-01", "2023-02-29", "2023-01-01T25:00:00Z", "2023-01-01T12:00:00",
        "2023-01-01T12:00:00.Z", "2023-01-01T12:00:00Zx", "2023-01-01T12:00:00+2:00", "yesterday",
        "2023-01-01T12:00:00.1234567890Z"})
    CHECK_FALSE(Timestamp::parse_iso8601(bad));
}

TEST_CASE("Money is exact") {
  CHECK(Money::parse("10735.05")->micros == 10735050000);
  CHECK(Money::parse("10735.05")->canonical() == "10735.05");
  CHECK(Money::parse("10735.05")->shortest() == "10735.05");
  CHECK(Money::parse("0")->canonical() == "0.00");
  CHECK(Money::parse("0.00")->shortest() == "0");
  CHECK(Money::parse("-1.5")->canonical() == "-1.50");
  CHECK(Money::parse("-1.5")->shortest() == "-1.5");
  CHECK(Money::parse("1.234500")->canonical() == "1.2345");
  CHECK(Money::parse("0.000001")->canonical() == "0.000001");
  CHECK(Money::parse(".5")->canonical() == "0.50");
  CHECK(Money::parse("9223372036854.775807")->canonical() == "9223372036854.775807");
  CHECK(Money::parse("-9223372036854.775807"));
  CHECK_FALSE(Money::parse("9223372036854.775808"));  // one millionth past int64
  CHECK_FALSE(Money::parse("9999999999999.999999"));
  for (const char* bad : {"", "-", ".", "1e3", "1.2345678", "abc", "1,5", "99999999999999", " 1"})
    CHECK_FALSE(Money::parse(bad));
  CHECK(*Money::parse("0.1") < *Money::parse("0.10001"));
}

TEST_CASE("Roles by name") {
  CHECK(parse_role("executive") == Role::executive);
  CHECK_FALSE(parse_role("root"));
  CHECK(role_name(Role::manager) == "manager");
}

TEST_CASE("Principal scope") {
  Principal p;
  p.memberships = {{1, Role::administrator, true}, {2, Role::resource, false}};
  p.scope = {1, 2};
  CHECK(p.in_scope(2));
  CHECK_FALSE(p.in_scope(3));
  CHECK(p.default_company() == 1);
  REQUIRE(p.membership(2));
  CHECK(p.membership(2)->role == Role::resource);
  auto narrowed = p.narrowed_to(2);
  REQUIRE(narrowed);
  CHECK(narrowed->scope == std::vector<CompanyId>{2});
  CHECK_FALSE(p.narrowed_to(3));
}
