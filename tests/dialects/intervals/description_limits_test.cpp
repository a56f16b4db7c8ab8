// The description clean-up's bounds (issue 19 item 2): HTML5 tree building re-opens every
// unclosed formatting element at each new block, so `<b id=N><p>` pairs made a tree that grew
// with the square of the pairs (69 KB in, 22 s, 5.5 GB, 207 MB stored). Each shape is
// refused by a bound on size, not on time; what stays is stored as before.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <variant>

#include "intervals/description_html.hpp"
#include "intervals/parse.hpp"

using namespace clientgate;
using namespace clientgate::dialects::intervals;

namespace {

std::string bold_paragraph_pairs(int pairs) {
  std::string html;
  for (int i = 0; i < pairs; ++i)
    html += "<b id=" + std::to_string(i) + "><p>";
  return html;
}

DescriptionRefusal refusal_of(std::string_view html, const DescriptionLimits& limits = {}) {
  DescriptionRefusal why{};
  auto out = clean_description_html(html, limits, &why);
  CHECK_FALSE(out);
  return why;
}

}  // namespace

TEST_CASE("intervals html: re-opened formatting elements cannot grow the tree quadratically") {
  for (int pairs : {2000, 4999}) {
    INFO(pairs << " pairs");
    std::string html = bold_paragraph_pairs(pairs);
    REQUIRE(static_cast<std::size_t>(pairs) * 2 <= DescriptionLimits{}.max_tags);
    auto start = std::chrono::steady_clock::now();
    CHECK(refusal_of(html) == DescriptionRefusal::too_costly);
    auto took = std::chrono::steady_clock::now() - start;
    // The parse stops at its memory budget, long before its deadline (a safety net).
    CHECK(took < std::chrono::milliseconds(DescriptionLimits{}.max_parse_ms));
  }
  // A few such pairs are ordinary (if odd) markup: kept, and bounded by what came in.
  auto few = clean_description_html(bold_paragraph_pairs(20));
  REQUIRE(few);
  CHECK(few->size() < 20 * 20 * 40);
  CHECK(clean_description_html(*few) == few);
}

TEST_CASE("intervals html: the cleaned text is bounded in bytes, markup or not") {
  DescriptionLimits limits;
  limits.max_bytes = 64;
  CHECK(clean_description_html(std::string(64, 'x'), limits) == std::string(64, 'x'));
  CHECK(refusal_of(std::string(65, 'x'), limits) == DescriptionRefusal::too_large);
  // Escaping grows the text: what counts is what would be stored.
  std::string ampersands = "<b>" + std::string(20, '>') + "</b>";
  CHECK(refusal_of(ampersands, limits) == DescriptionRefusal::too_large);
  limits.max_bytes = 1024;
  CHECK(clean_description_html(ampersands, limits));
}

TEST_CASE("intervals html: the cleaned tree is bounded in depth") {
  DescriptionLimits limits;
  limits.max_depth = 10;
  std::string ten, eleven;
  for (int i = 0; i < 10; ++i)
    ten += "<i>";
  eleven = ten + "<i>";
  CHECK(clean_description_html(ten, limits));
  CHECK(refusal_of(eleven, limits) == DescriptionRefusal::too_deep);
}

TEST_CASE("intervals html: the parse is bounded in memory and in time") {
  DescriptionLimits limits;
  limits.max_parse_bytes = 65536;
  std::string many_paragraphs;
  for (int i = 0; i < 2000; ++i)
    many_paragraphs += "<p>paragraph</p>";
  CHECK(refusal_of(many_paragraphs, limits) == DescriptionRefusal::too_costly);
  CHECK(clean_description_html(many_paragraphs));  // the default budget holds it

  // One tag with 20,000 attributes: the parser's duplicate check is quadratic and allocates
  // little; the deadline stops it.
  std::string attributes = "<b";
  for (int i = 0; i < 20000; ++i)
    attributes += " a" + std::to_string(i);
  attributes += ">";
  limits = {};
  limits.max_parse_ms = 1;
  CHECK(refusal_of(attributes, limits) == DescriptionRefusal::too_costly);
}

TEST_CASE("intervals body: a description past a bound is code 18 naming the field") {
  BodyFields fields{{"name", std::string("Acme")}, {"description", bold_paragraph_pairs(4999)}};
  auto patch = client_patch(fields, true);
  REQUIRE(std::holds_alternative<ApiError>(patch));
  const auto& error = std::get<ApiError>(patch);
  CHECK(error.code == ApiCode::validation);
  REQUIRE(error.verbose.size() == 1);
  CHECK(error.verbose[0].rfind("The field description", 0) == 0);

  DescriptionLimits limits;
  limits.max_bytes = 8;
  fields = {{"description", std::string("<b>bold</b>")}};
  patch = client_patch(fields, false, limits);
  REQUIRE(std::holds_alternative<ApiError>(patch));
  CHECK(std::get<ApiError>(patch).verbose[0] ==
        "The field description may not be longer than 8 bytes once cleaned");
}
