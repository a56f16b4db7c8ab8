// The `clientgate-dataset/1` JSON format (shared/contract/dataset.md) to and from
// core::Dataset. The only JSON outside dialects/.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "clientgate/core/model.hpp"

namespace clientgate::dataset {

// One problem of a document: its JSON path and what is wrong, printed as "path: message".
struct Problem {
  std::string path;  // e.g. "clients[3].company_id"
  std::string message;
};

// Parses and checks a document: unknown keys, wrong types, dangling references, duplicate
// ids, bad timestamps or money are problems (all of them are reported, not just the first).
// Clear-text `password` / `token` are hashed here; `password_hash` / `token_sha256` are
// taken as they are. Defaults of dataset.md are applied, except those the store allocates
// (ids, number, localid, uuid, client_hash), which are left 0 / empty.
std::variant<core::Dataset, std::vector<Problem>> parse(std::string_view json);

// Writes the whole dataset; secrets only as hashes. parse(write(d)) == d.
std::string write(const core::Dataset& data);

}  // namespace clientgate::dataset
