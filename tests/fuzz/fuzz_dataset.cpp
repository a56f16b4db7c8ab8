// The dataset importer: dataset::parse on any bytes and, for a document that parses, its
// import into a store. Promises: parse(write(d)) parses again, and the store either takes
// the document or refuses it with a core::Error (never another exception, never a crash).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "clientgate/core/errors.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "fuzz_check.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static test::TempDir dir;
  static long imports = 0;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto parsed = dataset::parse(json);
  if (!std::holds_alternative<core::Dataset>(parsed)) {
    fuzz::check(!std::get<std::vector<dataset::Problem>>(parsed).empty(),
                "a refused document without a problem");
    return 0;
  }
  const auto& document = std::get<core::Dataset>(parsed);
  std::string written = dataset::write(document);
  fuzz::check(std::holds_alternative<core::Dataset>(dataset::parse(written)),
              "a written dataset that does not parse", written);

  // A fresh store now and then; in between, imports replace what an earlier one left.
  static std::unique_ptr<storage::SqliteRepository> repo;
  if (imports++ % 200 == 0) {
    repo.reset();
    auto file = dir / "import.sqlite";
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(file.string() + suffix);
    repo = storage::SqliteRepository::open(file);
  }
  try {
    repo->import_dataset(document, core::ImportOptions{true});
    (void)repo->export_dataset();
  } catch (const core::Error& e) {
    fuzz::check(e.kind() != core::ErrorKind::unavailable, "the store failed on an import",
                e.what());
  } catch (const std::exception& e) {
    fuzz::fail("an import threw something else than core::Error", e.what());
  }
  return 0;
}
