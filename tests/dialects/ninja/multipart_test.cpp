// The streaming multipart parser on its own, fed in chunks of every size.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "ninja/multipart.hpp"
#include "ninja/upload.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate::dialects::ninja;

namespace {

struct Part {
  PartHeaders headers;
  std::string data;
};

struct Result {
  bool ok = false;
  std::string error;
  std::vector<Part> parts;
};

Result parse(const std::string& boundary, const std::string& body, std::size_t chunk) {
  Result r;
  MultipartParser::Callbacks cb;
  cb.part_begin = [&](const PartHeaders& h) {
    r.parts.push_back({h, {}});
    return true;
  };
  cb.part_data = [&](std::string_view d) {
    r.parts.back().data.append(d);
    return true;
  };
  cb.part_end = [] { return true; };
  MultipartParser p(boundary, cb);
  for (std::size_t at = 0; at < body.size(); at += chunk)
    if (!p.feed(std::string_view(body).substr(at, chunk))) break;
  r.ok = !p.failed() && p.finish();
  r.error = p.error();
  return r;
}

const std::string kBody =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"_method\"\r\n\r\n"
    "PUT\r\n"
    "--XyZ  \r\n"
    "Content-Disposition: form-data; name=\"documents[]\"; filename=\"a \\\"quoted\\\".pdf\"\r\n"
    "Content-Type: application/pdf\r\n\r\n"
    "%PDF-1.4\r\n-XyZ almost; and without its CR: \n--XyZ\r\r\n"
    "--XyZ\r\n"
    "content-disposition: form-data; name=empty; filename=\"\"\r\n\r\n"
    "\r\n"
    "--XyZ--\r\nepilogue";

}  // namespace

TEST_CASE("multipart: parts, quoted names and data, in chunks of every size") {
  for (std::size_t chunk = 1; chunk <= kBody.size(); ++chunk) {
    Result r = parse("XyZ", kBody, chunk);
    INFO("chunk " << chunk);
    REQUIRE(r.ok);
    REQUIRE(r.parts.size() == 3);
    CHECK(r.parts[0].headers.name == "_method");
    CHECK_FALSE(r.parts[0].headers.filename.has_value());
    CHECK(r.parts[0].data == "PUT");
    CHECK(r.parts[1].headers.name == "documents[]");
    CHECK(r.parts[1].headers.filename == "a \"quoted\".pdf");
    CHECK(r.parts[1].headers.content_type == "application/pdf");
    CHECK(r.parts[1].data == "%PDF-1.4\r\n-XyZ almost; and without its CR: \n--XyZ\r");
    CHECK(r.parts[2].headers.filename == "");
    CHECK(r.parts[2].data.empty());
  }
}

TEST_CASE("multipart: malformed bodies are refused") {
  // Truncated: no closing delimiter.
  CHECK_FALSE(parse("XyZ", kBody.substr(0, kBody.size() - 20), 7).ok);
  CHECK_FALSE(parse("XyZ", "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nabc", 3).ok);
  // No delimiter at all.
  CHECK_FALSE(parse("XyZ", "just text", 4).ok);
  CHECK_FALSE(parse("XyZ", "", 1).ok);
  // A part without a name, a header without a colon, a folded header.
  CHECK_FALSE(parse("b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", 5).ok);
  CHECK_FALSE(parse("b", "--b\r\nbogus\r\n\r\nx\r\n--b--", 5).ok);
  CHECK_FALSE(
      parse("b", "--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n--b--", 5).ok);
  // Unterminated quote.
  CHECK_FALSE(
      parse("b", "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--", 5).ok);
  // Garbage after a delimiter.
  CHECK_FALSE(
      parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--bjunk", 5).ok);
  // A header block larger than the limit.
  std::string huge = "--b\r\nX-Pad: " + std::string(20000, 'a') + "\r\n\r\n";
  CHECK_FALSE(parse("b", huge, 4096).ok);
  // Valid: the first delimiter opens the body; an empty body part.
  CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--b--", 2).ok);
  CHECK(parse("b", "--b--", 1).ok);
}

TEST_CASE("multipart: boundary parameter and file names") {
  CHECK(multipart_boundary("multipart/form-data; boundary=abc") == "abc");
  CHECK(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"") == "a b:c");
  CHECK_FALSE(multipart_boundary("multipart/form-data").has_value());
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=").has_value());
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  CHECK_FALSE(multipart_boundary("application/json; boundary=abc").has_value());
  CHECK(base_file_name("../../etc/passwd") == "passwd");
  CHECK(base_file_name("C:\\Users\\me\\doc.pdf") == "doc.pdf");
  CHECK(base_file_name("..") == "");
  CHECK(base_file_name("dir/") == "");
  CHECK(base_file_name("plain.txt") == "plain.txt");
}

TEST_CASE("multipart: a file larger than the chunk size is streamed to its own temp file") {
  clientgate::test::TempDir dir;
  std::string content;
  for (int i = 0; content.size() < 300000; ++i)
    content += "line " + std::to_string(i) + "\r\n-";
  std::string body =
      "--B\r\nContent-Disposition: form-data; name=\"is_public\"\r\n\r\n0\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"documents[]\"; "
      "filename=\"../big.txt\"\r\n\r\n" +
      content + "\r\n--B--\r\n";
  auto spooled = dir.write("body", body);
  std::string temp;
  {
    MultipartBody parts = read_multipart("B", "", spooled.string(), dir.path().string());
    REQUIRE(parts.error.empty());
    REQUIRE(parts.fields.size() == 1);
    CHECK(parts.fields[0].value == "0");
    REQUIRE(parts.files.size() == 1);
    CHECK(parts.files[0].filename == "big.txt");
    CHECK(parts.files[0].size == static_cast<std::int64_t>(content.size()));
    temp = parts.files[0].temp_path;
    std::ifstream in(temp, std::ios::binary);
    std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(stored == content);
  }
  CHECK_FALSE(std::filesystem::exists(temp));  // removed with the body

  MultipartLimitsForUpload small;
  small.max_file_bytes = 1000;
  MultipartBody limited = read_multipart("B", body, "", dir.path().string(), small);
  REQUIRE(limited.files.size() == 1);
  CHECK(limited.files[0].too_large);

  MultipartBody truncated =
      read_multipart("B", body.substr(0, body.size() - 9), "", dir.path().string());
  CHECK_FALSE(truncated.error.empty());
}
