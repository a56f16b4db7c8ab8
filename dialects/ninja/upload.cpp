#include "upload.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "multipart.hpp"

namespace clientgate::dialects::ninja {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

}  // namespace

MultipartBody::~MultipartBody() {
  for (const auto& f : files) {
    std::error_code ec;
    if (!f.temp_path.empty()) std::filesystem::remove(f.temp_path, ec);
  }
}

MultipartBody read_multipart(const std::string& boundary, std::string_view body,
                             const std::string& body_file, const std::string& temp_dir,
                             const MultipartLimitsForUpload& limits) {
  MultipartBody out;
  std::string dir = temp_dir;
  if (dir.empty()) {
    std::error_code ec;
    dir = std::filesystem::temp_directory_path(ec).string();
    if (ec) dir = "/tmp";
  }

  // The part being read: a text field, or a file.
  bool in_file = false;
  std::unique_ptr<std::FILE, FileCloser> file;
  std::string field_name, field_value;
  bool field_too_large = false;
  std::string failure;

  MultipartParser::Callbacks cb;
  cb.part_begin = [&](const PartHeaders& h) {
    in_file = h.filename.has_value();
    if (!in_file) {
      field_name = h.name;
      field_value.clear();
      return true;
    }
    UploadedFile f;
    f.field = h.name;
    f.filename = base_file_name(*h.filename);
    std::string pattern = dir + "/clientgate-ninja-upload-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      failure = "cannot store the uploaded file";
      return false;
    }
    f.temp_path = pattern;
    out.files.push_back(std::move(f));
    file.reset(::fdopen(fd, "wb"));
    if (!file) {
      ::close(fd);
      failure = "cannot store the uploaded file";
      return false;
    }
    return true;
  };
  cb.part_data = [&](std::string_view data) {
    if (!in_file) {
      if (field_value.size() + data.size() > limits.max_field_bytes) {
        field_too_large = true;
        return false;
      }
      field_value.append(data);
      return true;
    }
    UploadedFile& f = out.files.back();
    if (f.too_large) return true;  // the rest of an oversized file is skipped, not stored
    if (f.size + static_cast<std::int64_t>(data.size()) > limits.max_file_bytes) {
      f.too_large = true;
      f.size += static_cast<std::int64_t>(data.size());
      return true;
    }
    if (std::fwrite(data.data(), 1, data.size(), file.get()) != data.size()) {
      failure = "cannot store the uploaded file";
      return false;
    }
    f.size += static_cast<std::int64_t>(data.size());
    return true;
  };
  cb.part_end = [&]() {
    if (!in_file) {
      out.fields.push_back({field_name, field_value});
      return true;
    }
    bool ok = std::fflush(file.get()) == 0;
    file.reset();
    if (!ok) failure = "cannot store the uploaded file";
    return ok;
  };

  MultipartParser parser(boundary, cb);
  if (!body_file.empty()) {
    std::ifstream in(body_file, std::ios::binary);
    if (!in) {
      out.error = "the request body could not be read";
      return out;
    }
    std::string chunk(kChunk, '\0');
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      if (!parser.feed(std::string_view(chunk.data(), n))) break;
    }
  } else {
    for (std::size_t at = 0; at < body.size() && !parser.failed(); at += kChunk)
      parser.feed(body.substr(at, kChunk));
  }
  file.reset();
  bool complete = !parser.failed() && parser.finish();
  if (!complete) {
    if (field_too_large)
      out.error = "a multipart text field is larger than 1 MiB";
    else if (!failure.empty())
      out.error = failure;
    else
      out.error = parser.error();
  }
  return out;
}

}  // namespace clientgate::dialects::ninja
