// The command line: help, usage errors, import and export.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("--help for the program and every command") {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"--help"}, {"serve", "--help"}, {"import", "--help"}, {"export", "--help"}}) {
    auto result = run_clientgate(args);
    INFO(args[0]);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("Usage") != std::string::npos);
  }
  auto serve = run_clientgate({"serve", "--help"});
  for (const char* flag : {"--db", "--listen", "--threads", "--config"}) {
    CHECK(serve.out.find(flag) != std::string::npos);
  }
}

TEST_CASE("unknown options and commands are usage errors (exit 2)") {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {},
           {"--bogus"},
           {"frobnicate"},
           {"serve", "--bogus"},
           {"serve", "--threads", "many"},
           {"serve", "--listen", "nowhere"},
           {"import", "--db"},
           {"import", "file.json"},
           {"import", "--db", "x.db", "--replace", "--what", "file.json"},
           {"export", "--db", "x.db", "a.json", "b.json"},
           {"export", "--unknown"}}) {
    auto result = run_clientgate(args);
    INFO((args.empty() ? std::string("(no args)") : args[0] + " ..."));
    CHECK(result.exit_code == 2);
    CHECK_FALSE(result.err.empty());
  }
}

TEST_CASE("a config file with an unknown key is refused before serving") {
  TempDir dir;
  auto config = dir.write("c.toml", "[limits]\nheader_bytez = 10\n");
  auto result = run_clientgate({"serve", "--db", (dir / "db").string(), "--listen", "127.0.0.1:0",
                                "--config", config.string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("limits.header_bytez: unknown setting") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "db"));
}

TEST_CASE("a misspelt or bad dialect setting is refused before serving, naming it") {
  TempDir dir;
  for (auto [toml, message] : {
           std::pair<std::string, std::string>{
               "[dialects.ninja]\nhashid_salt = \"x\"\n",
               "c.toml: dialects.ninja.hashid_salt: unknown setting"},
           {"[dialects.ninja]\nmax_contacts = \"500\"\n",
            "c.toml: dialects.ninja.max_contacts: must be an integer from 1 to 1000000"},
           {"[dialects.legacy_xml]\nbatch_size = 100001\n",
            "c.toml: dialects.legacy_xml.batch_size: must be an integer from 1 to 100000"},
           {"[dialects.json_v1]\npage_size = 10\n",
            "c.toml: dialects.json_v1.page_size: unknown setting"},
           {"[dialects.ninjaa]\nhashids_salt = \"x\"\n",
            "c.toml: dialects.ninjaa: unknown dialect"},
       }) {
    INFO(toml);
    auto config = dir.write("c.toml", toml);
    auto result = run_clientgate({"serve", "--db", (dir / "db").string(), "--listen", "127.0.0.1:0",
                                  "--config", config.string()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "db"));
  }
}

TEST_CASE("import of a bad document prints one path-named line per problem and writes nothing") {
  TempDir dir;
  auto db = (dir / "store.db").string();
  auto bad = dir.write("bad.json", R"({
  "format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "A", "slug": "a", "clients_enabled": true}],
  "clients": [{"id": 5, "company_id": 999, "name": "Orphan"}],
  "surprise": true
})");

  SECTION("into a new database: no file is left behind") {
    auto result = run_clientgate({"import", "--db", db, bad.string()});
    CHECK(result.exit_code == 1);
    auto lines = lines_of(result.err);
    REQUIRE(lines.size() >= 2);
    bool names_company = false, names_key = false;
    for (const auto& line : lines) {
      INFO(line);
      CHECK(line.find(": ") != std::string::npos);
      if (line.rfind("clients[0].company_id: ", 0) == 0) names_company = true;
      if (line.rfind("surprise: ", 0) == 0) names_key = true;
    }
    CHECK(names_company);
    CHECK(names_key);
    CHECK_FALSE(std::filesystem::exists(db));
  }
  SECTION("into an existing database: its content is unchanged") {
    auto good = dir.write("good.json", demo_dataset());
    REQUIRE(run_clientgate({"import", "--db", db, good.string()}).exit_code == 0);
    auto before = run_clientgate({"export", "--db", db});
    REQUIRE(before.exit_code == 0);
    CHECK(run_clientgate({"import", "--db", db, bad.string()}).exit_code == 1);
    // The same ids again: refused whole without --replace.
    auto again = run_clientgate({"import", "--db", db, good.string()});
    CHECK(again.exit_code == 1);
    CHECK_FALSE(again.err.empty());
    CHECK(run_clientgate({"export", "--db", db}).out == before.out);
  }
  SECTION("a file that cannot be read") {
    auto result = run_clientgate({"import", "--db", db, (dir / "missing.json").string()});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("missing.json") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(db));
  }
}

TEST_CASE("an import into an existing store may refer to the records it holds") {
  TempDir dir;
  auto db = (dir / "store.db").string();
  auto first = dir.write("first.json", R"({"format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "A", "slug": "a", "clients_enabled": true}]})");
  REQUIRE(run_clientgate({"import", "--db", db, first.string()}).exit_code == 0);
  auto more = dir.write("more.json", R"({"format": "clientgate-dataset/1",
  "clients": [{"id": 7, "company_id": 1, "name": "Added Later"}]})");
  auto added = run_clientgate({"import", "--db", db, more.string()});
  CHECK(added.exit_code == 0);
  CHECK(run_clientgate({"export", "--db", db}).out.find("Added Later") != std::string::npos);
  auto orphan = dir.write("orphan.json", R"({"format": "clientgate-dataset/1",
  "clients": [{"id": 8, "company_id": 999, "name": "Orphan"}]})");
  auto refused = run_clientgate({"import", "--db", db, orphan.string()});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("clients[0].company_id: no company with id 999") != std::string::npos);
}

TEST_CASE("export then import gives back the same store") {
  TempDir dir;
  auto first = (dir / "first.db").string();
  auto second = (dir / "second.db").string();
  auto source = dir.write("demo.json", demo_dataset());
  REQUIRE(run_clientgate({"import", "--db", first, source.string()}).exit_code == 0);

  auto to_file = run_clientgate({"export", "--db", first, (dir / "export.json").string()});
  REQUIRE(to_file.exit_code == 0);
  auto to_stdout = run_clientgate({"export", "--db", first});
  REQUIRE(to_stdout.exit_code == 0);
  std::ifstream in(dir / "export.json", std::ios::binary);
  std::string exported((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(exported == to_stdout.out);
  CHECK(exported.find("\"password\"") == std::string::npos);  // only hashes leave the store

  REQUIRE(run_clientgate({"import", "--db", second, (dir / "export.json").string()}).exit_code ==
          0);
  CHECK(run_clientgate({"export", "--db", second}).out == exported);

  SECTION("--replace accepts the same ids again") {
    auto result =
        run_clientgate({"import", "--db", second, "--replace", (dir / "export.json").string()});
    CHECK(result.exit_code == 0);
    CHECK(run_clientgate({"export", "--db", second}).out == exported);
  }
  SECTION("import from stdin") {
    auto third = (dir / "third.db").string();
    CHECK(run_clientgate({"import", "--db", third, "-"}, exported).exit_code == 0);
    CHECK(run_clientgate({"export", "--db", third}).out == exported);
  }
}

TEST_CASE("export of a missing database fails without creating it") {
  TempDir dir;
  auto result = run_clientgate({"export", "--db", (dir / "none.db").string()});
  CHECK(result.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(dir / "none.db"));
}

// Invoice Ninja's money columns are decimal(20,6): a real export holds 14-digit balances.
TEST_CASE("import takes decimal(20,6)'s whole range and names the path of an amount past it") {
  TempDir dir;
  auto db = (dir / "store.db").string();
  auto big = dir.write("big.json", R"({"format": "clientgate-dataset/1",
  "companies": [{"id": 1, "title": "A"}],
  "clients": [{"id": 1, "company_id": 1, "name": "Top", "balance": "99999999999999.999999",
               "paid_to_date": "-99999999999999.999999", "credit_balance": "12345678901234.5"}]})");
  REQUIRE(run_clientgate({"import", "--db", db, big.string()}).exit_code == 0);
  auto exported = run_clientgate({"export", "--db", db});
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out.find(R"("balance": "99999999999999.999999")") != std::string::npos);
  CHECK(exported.out.find(R"("paid_to_date": "-99999999999999.999999")") != std::string::npos);
  CHECK(exported.out.find(R"("credit_balance": "12345678901234.50")") != std::string::npos);

  auto past = dir.write("past.json", R"({"format": "clientgate-dataset/1",
  "clients": [{"id": 2, "company_id": 1, "name": "Ok", "balance": "1"},
              {"id": 3, "company_id": 1, "name": "Past", "balance": "100000000000000"}]})");
  auto refused = run_clientgate({"import", "--db", db, past.string()});
  CHECK(refused.exit_code == 1);
  CHECK(lines_of(refused.err) ==
        std::vector<std::string>{"clients[1].balance: out of range: decimal(20,6) holds "
                                 "-99999999999999.999999 to 99999999999999.999999"});
  CHECK(run_clientgate({"export", "--db", db}).out == exported.out);  // nothing written
}
