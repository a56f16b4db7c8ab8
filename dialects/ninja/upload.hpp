// A multipart body read to the end: its text fields, and its files each written to a
// temporary file of its own (so a file larger than memory never sits in memory).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "php_input.hpp"

namespace clientgate::dialects::ninja {

struct UploadedFile {
  std::string field;      // the part's name, e.g. "documents[]"
  std::string filename;   // base name as PHP keeps it ("" when nothing was left)
  std::string temp_path;  // the part's bytes
  std::int64_t size = 0;
  bool too_large = false;  // over max_file_bytes: the rest was not kept
};

struct MultipartLimitsForUpload {
  std::int64_t max_file_bytes = 100LL * 1024 * 1024;
  std::size_t max_field_bytes = 1024 * 1024;
};

class MultipartBody {
 public:
  MultipartBody() = default;
  MultipartBody(const MultipartBody&) = delete;
  MultipartBody& operator=(const MultipartBody&) = delete;
  MultipartBody(MultipartBody&&) = default;
  MultipartBody& operator=(MultipartBody&&) = default;
  ~MultipartBody();  // removes the temporary files

  std::vector<FormField> fields;
  std::vector<UploadedFile> files;
  std::string error;  // not empty: the body is malformed (and fields/files are incomplete)
};

// Reads a multipart body from `body_file` when it is set, else from `body`. Temporary files
// go to `temp_dir` (the system's when empty).
MultipartBody read_multipart(const std::string& boundary, std::string_view body,
                             const std::string& body_file, const std::string& temp_dir,
                             const MultipartLimitsForUpload& limits = {});

}  // namespace clientgate::dialects::ninja
