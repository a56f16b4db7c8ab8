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

struct ParseOptions {
  // Whether a reference (a client's company_id, a project's client_id, an assignee, a
  // campaign's client_id, a membership's or token's company_id) must point to a record of the
  // same document. false leaves references to records outside the document for the store to
  // check (an import into a store that already holds them; the store checks them anyway).
  bool check_references = true;
};

// Parses and checks a document: unknown keys, wrong types, dangling references, duplicate
// ids, bad timestamps or money are problems (all of them are reported, not just the first).
// Clear-text `password` / `token` are hashed here; `password_hash` / `token_sha256` are
// taken as they are. Defaults of dataset.md are applied, except those the store allocates
// (ids, number, localid, uuid, client_hash), which are left 0 / empty.
// A client given without an id has its documents' `info.client_id` set to -(index + 1) (its
// index in `clients`), which the store resolves when it allocates the client's id.
std::variant<core::Dataset, std::vector<Problem>> parse(std::string_view json);
std::variant<core::Dataset, std::vector<Problem>> parse(std::string_view json,
                                                        const ParseOptions& options);

// Writes the whole dataset; secrets only as hashes. parse(write(d)) == d.
std::string write(const core::Dataset& data);

}  // namespace clientgate::dataset
