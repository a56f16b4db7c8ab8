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
  for (const char* bad : {"", "-", ".", "1e3", "1.2345678", "abc", "1,5", "100000000000000", " 1"})
    CHECK_FALSE(Money::parse(bad));
  CHECK(*Money::parse("0.1") < *Money::parse("0.10001"));
}

// Invoice Ninja's columns are decimal(20,6): 14 integer digits, 6 fractional ones.
TEST_CASE("Money holds decimal(20,6) whole, exactly, and nothing past it") {
  const Int128 top = Int128{99'999'999'999'999} * 1'000'000 + 999'999;
  auto max = Money::parse("99999999999999.999999");
  REQUIRE(max);
  CHECK(max->micros == top);
  CHECK(max->micros == Money::max_micros);
  CHECK(max->canonical() == "99999999999999.999999");
  CHECK(max->shortest() == "99999999999999.999999");
  auto min = Money::parse("-99999999999999.999999");
  REQUIRE(min);
  CHECK(min->micros == -top);
  CHECK(min->canonical() == "-99999999999999.999999");
  CHECK(Money::parse("+99999999999999.999999") == max);
  CHECK(Money::parse("0099999999999999.999999") == max);  // leading zeros are not digits
  CHECK(Money::parse("99999999999999")->canonical() == "99999999999999.00");
  CHECK(Money::parse("99999999999999")->shortest() == "99999999999999");
  CHECK(Money::parse("-12345678901234.5")->canonical() == "-12345678901234.50");
  // The old int64 boundary is nothing special any more.
  CHECK(Money::parse("9223372036854.775808")->canonical() == "9223372036854.775808");
  CHECK(Money::parse("-9223372036854.775809")->shortest() == "-9223372036854.775809");

  // One millionth past either end.
  CHECK_FALSE(Money::parse("100000000000000"));
  CHECK_FALSE(Money::parse("100000000000000.000000"));
  CHECK_FALSE(Money::parse("-100000000000000"));
  CHECK_FALSE(Money::parse("99999999999999.9999999"));
  CHECK_FALSE(Money::parse("123456789012345678901234567890"));

  CHECK(Money::problem("99999999999999.999999") == MoneyProblem::none);
  CHECK(Money::problem("100000000000000") == MoneyProblem::out_of_range);
  CHECK(Money::problem("-100000000000000.5") == MoneyProblem::out_of_range);
  CHECK(Money::problem("99999999999999.9999999") == MoneyProblem::too_many_decimals);
  CHECK(Money::problem("1e20") == MoneyProblem::not_a_number);
  CHECK(Money::problem("") == MoneyProblem::not_a_number);

  // Compared as amounts across the whole range.
  CHECK(*min < *Money::parse("-9223372036854.775809"));
  CHECK(*Money::parse("-0.000001") < Money{});
  CHECK(*Money::parse("9223372036854.775808") < *max);
  CHECK(*Money::parse("99999999999999.999998") < *max);
  CHECK(*Money::parse("99999999999999.999999") == *max);
}

TEST_CASE("Money splits into whole units and millionths that order like the amounts") {
  auto parts = [](const char* text) {
    Money m = *Money::parse(text);
    CHECK(Money::from_parts(m.whole_units(), m.fraction_micros()) == m);
    return std::pair{m.whole_units(), m.fraction_micros()};
  };
  CHECK(parts("99999999999999.999999") ==
        std::pair<std::int64_t, std::int64_t>{99'999'999'999'999, 999'999});
  CHECK(parts("-99999999999999.999999") ==
        std::pair<std::int64_t, std::int64_t>{-99'999'999'999'999, -999'999});
  CHECK(parts("-1.5") == std::pair<std::int64_t, std::int64_t>{-1, -500'000});
  CHECK(parts("-0.5") == std::pair<std::int64_t, std::int64_t>{0, -500'000});
  CHECK(parts("0") == std::pair<std::int64_t, std::int64_t>{0, 0});
  const char* ascending[] = {"-99999999999999.999999",
                             "-2",
                             "-1.5",
                             "-1",
                             "-0.999999",
                             "-0.5",
                             "0",
                             "0.3",
                             "0.999999",
                             "1",
                             "1.000001",
                             "99999999999999.999999"};
  for (std::size_t i = 0; i + 1 < std::size(ascending); ++i) {
    INFO(ascending[i] << " < " << ascending[i + 1]);
    CHECK(parts(ascending[i]) < parts(ascending[i + 1]));
  }
}

TEST_CASE("Roles by name") {
  CHECK(parse_role("executive") == Role::executive);
  CHECK_FALSE(parse_role("root"));
  CHECK(role_name(Role::manager) == "manager");
}

TEST_CASE("Principal scope") {
  Principal p(7, "Ann", "ann@example.com",
              {{1, Role::administrator, true}, {2, Role::resource, false}});
  CHECK(p.scope() == std::vector<CompanyId>{1, 2});
  CHECK(p.in_scope(2));
  CHECK_FALSE(p.in_scope(3));
  CHECK(p.default_company() == 1);
  REQUIRE(p.membership(2));
  CHECK(p.membership(2)->role == Role::resource);
  auto narrowed = p.narrowed_to(2);
  REQUIRE(narrowed);
  CHECK(narrowed->scope() == std::vector<CompanyId>{2});
  CHECK_FALSE(p.narrowed_to(3));
}

TEST_CASE("Principal scope with many memberships: indexed, shared, never copied") {
  constexpr CompanyId companies = 10000;
  std::vector<Membership> memberships;
  for (CompanyId c = 1; c <= companies; ++c)
    memberships.push_back({c, c % 3 == 0 ? Role::administrator : Role::resource, c % 2 == 0});
  Principal all(9, "Agency", "agency@example.com", memberships);
  REQUIRE(all.scope().size() == companies);
  CHECK(all.scope_is_every_membership());
  CHECK(all.default_company() == 1);
  CHECK(all.administrators_in_scope() == companies / 3);
  CHECK(all.client_managers_in_scope() == companies / 2);
  for (CompanyId c = 1; c <= companies; ++c) {
    REQUIRE(all.in_scope(c));
    REQUIRE(all.membership(c) != nullptr);
    REQUIRE(all.membership(c)->company_id == c);
  }
  CHECK_FALSE(all.in_scope(0));
  CHECK_FALSE(all.in_scope(companies + 1));
  CHECK(all.membership(companies + 1) == nullptr);

  // Narrowed (legacy_xml's Host account): one company, the memberships shared, not copied.
  auto one = all.narrowed_to(5000);
  REQUIRE(one);
  CHECK(one->scope() == std::vector<CompanyId>{5000});
  CHECK_FALSE(one->scope_is_every_membership());
  CHECK(one->in_scope(5000));
  CHECK_FALSE(one->in_scope(4999));
  CHECK(one->default_company() == 5000);
  CHECK(&one->memberships() == &all.memberships());
  CHECK(one->membership(4999) == all.membership(4999));  // still a member there
  CHECK(one->client_managers_in_scope() == 1);
  CHECK(one->administrators_in_scope() == 0);
  CHECK_FALSE(all.narrowed_to(companies + 1));
  CHECK_FALSE(one->narrowed_to(4999));  // narrowing never widens

  // Restricted (legacy_xml's companies with clients on): only companies of the scope, once.
  auto some = all.restricted_to({3, 3, 6, companies + 5, 2});
  CHECK(some.scope() == std::vector<CompanyId>{3, 6, 2});
  CHECK_FALSE(some.scope_is_every_membership());
  CHECK(some.administrators_in_scope() == 2);
  CHECK(some.client_managers_in_scope() == 2);
  CHECK(&some.memberships() == &all.memberships());
  auto same = all.restricted_to(all.scope());
  CHECK(same.scope_is_every_membership());
  CHECK(&same.scope() == &all.scope());

  // A token of one company: that company only, and nothing when the user is not a member.
  Principal token(9, "Agency", "agency@example.com", memberships, 42);
  CHECK(token.scope() == std::vector<CompanyId>{42});
  CHECK_FALSE(token.scope_is_every_membership());
  CHECK_FALSE(token.in_scope(1));
  Principal stranger(9, "Agency", "agency@example.com", memberships, companies + 1);
  CHECK(stranger.scope().empty());
  CHECK_FALSE(stranger.default_company());

  Principal nobody;
  CHECK(nobody.scope().empty());
  CHECK_FALSE(nobody.in_scope(1));
  CHECK(nobody.membership(1) == nullptr);
}
