// A document read piece by piece (issue 19 item 6): what a download pulls between writes.
#include "storage_test_support.hpp"

using namespace clientgate;
using namespace clientgate::test;

TEST_CASE("a document is read in pieces from any offset") {
  World w;
  auto t0 = *core::Timestamp::parse_iso8601("2024-01-01T00:00:00Z");
  std::string big(1024 * 1024 + 5, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>(i * 13 % 251);
  core::NewDocument doc;
  doc.name = "big.bin";
  doc.content = big;
  auto stored = w.repo->add_document(10, doc, t0);

  std::string back;
  std::size_t pieces = 0;
  for (std::uint64_t offset = 0;;) {
    auto piece = w.repo->read_document_piece(stored.id, offset, 300000);
    REQUIRE(piece);
    if (piece->empty()) break;
    CHECK(piece->size() <= 300000);
    offset += piece->size();
    back += *piece;
    ++pieces;
  }
  CHECK(back == big);
  CHECK(pieces == 4);
  CHECK(w.repo->read_document_piece(stored.id, big.size() - 2, 10) == big.substr(big.size() - 2));
  CHECK(w.repo->read_document_piece(stored.id, big.size() + 100, 10) == std::string());

  core::NewDocument empty;
  empty.name = "empty";
  auto e = w.repo->add_document(10, empty, t0);
  CHECK(w.repo->read_document_piece(e.id, 0, 10) == std::string());
  CHECK_FALSE(w.repo->read_document_piece(9999, 0, 10));
}
