// The body of the request in progress: read into memory, or spooled to a temporary file
// (RoutePlan::spool_body) that is removed as soon as the handler is done with it. Its chunk
// extensions count against the header limit as a whole. Internal to the gateway (session.hpp).
#pragma once

#include <unistd.h>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::gateway::detail {

class RequestBody {
 public:
  using HeaderParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;

  explicit RequestBody(std::size_t header_bytes) : header_bytes_(header_bytes) {}
  ~RequestBody() { remove_spool_file(); }
  RequestBody(const RequestBody&) = delete;
  RequestBody& operator=(const RequestBody&) = delete;

  // Takes the message over from the parser that read its header, with the plan's body limit.
  // False, and why in `error`, when the spool file cannot be made.
  bool begin(HeaderParser& header_parser, const dialects::RoutePlan& plan, std::string& error) {
    if (!plan.spool_body) {
      string_.emplace(std::move(header_parser));
      prepare(*string_, plan);
      return true;
    }
    std::string pattern = (spool_directory() / "clientgate-body-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      error = "cannot create a temporary file";
      return false;
    }
    ::close(fd);
    spool_path_ = pattern;
    file_.emplace(std::move(header_parser));
    prepare(*file_, plan);
    boost::system::error_code ec;
    file_->get().body().open(spool_path_.c_str(), boost::beast::file_mode::write, ec);
    if (ec) error = ec.message();
    return !ec;
  }

  // The header, as the body's parser holds it.
  const dialects::Header& header() const {
    return string_ ? static_cast<const dialects::Header&>(string_->get())
                   : static_cast<const dialects::Header&>(file_->get());
  }
  bool done() const { return string_ ? string_->is_done() : file_->is_done(); }

  // Calls read(parser) with the body's parser, to read the rest of the message.
  template <class Read>
  void read(Read&& read) {
    extension_bytes_ = 0;
    if (string_) return read(*string_);
    read(*file_);
  }

  // The message was read whole: the spool file is complete.
  void finished() {
    if (file_) file_->get().body().close();
  }

  bool in_memory() const { return string_.has_value(); }
  std::string_view text() const { return string_ ? std::string_view(string_->get().body()) : ""; }
  const std::string& spool_path() const { return spool_path_; }

  void remove_spool_file() {
    if (spool_path_.empty()) return;
    if (file_) file_->get().body().close();
    std::error_code ignored;
    std::filesystem::remove(spool_path_, ignored);
    spool_path_.clear();
  }

  void reset() {
    remove_spool_file();
    string_.reset();
    file_.reset();
  }

 private:
  template <class Parser>
  void prepare(Parser& parser, const dialects::RoutePlan& plan) {
    parser.body_limit(plan.body_limit);
    parser.eager(true);
    parser.on_chunk_header(count_chunk_extensions_);
  }

  static std::filesystem::path spool_directory() {
    const char* tmp = std::getenv("TMPDIR");
    return tmp != nullptr && *tmp != '\0' ? std::filesystem::path(tmp)
                                          : std::filesystem::path("/tmp");
  }

  std::size_t header_bytes_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> string_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::file_body>> file_;
  std::string spool_path_;
  std::size_t extension_bytes_ = 0;
  std::function<void(std::uint64_t, boost::beast::string_view, boost::system::error_code&)>
      count_chunk_extensions_ = [this](std::uint64_t, boost::beast::string_view extensions,
                                       boost::system::error_code& ec) {
        extension_bytes_ += extensions.size();
        if (extension_bytes_ > header_bytes_) ec = boost::beast::http::error::header_limit;
      };
};

}  // namespace clientgate::gateway::detail
