// One dialect's request handling as the gateway drives it (claim, plan, handle, and the
// transport errors), over a temporary SQLite store loaded from a fixture dataset.
//
// Input framing: the bytes up to the first blank line are an HTTP/1.1 request head without
// the version ("METHOD TARGET\n" then "Name: value\n" lines; "\n" or "\r\n" both end a line);
// the rest is the body. The head goes through Beast's own parser, as on the wire, so the
// dialect only ever sees a header the gateway could have read.
//
// What is checked of every answer: no exception escapes handle() (the gateway would answer
// 500), no 5xx at all (no store fault is simulated here, so a 5xx is a client's mistake
// answered as the server's), header values without CR, LF or NUL, and a body that parses as
// what its Content-Type says (JSON with valid UTF-8, XML).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/url/parse.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <pugixml.hpp>
#include <string>
#include <variant>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"
#include "clientgate/core/errors.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/dialect.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "fuzz_check.hpp"
#include "support/temp_dir.hpp"

namespace clientgate::fuzz {

namespace http = boost::beast::http;
using MakeDialect = std::unique_ptr<dialects::Dialect> (*)(const dialects::Services&);

class DialectHarness {
 public:
  // Requests between two resets of the store to the fixture: writes accumulate in between
  // (so an update can follow a create), but the database stays small.
  static constexpr int requests_per_store = 500;
  static constexpr std::size_t default_body_limit = 1048576;  // the gateway's default

  // `uploads`: the dialect spools uploads (ninja), so it is given `upload_temp_dir` (a dialect
  // that checks its options refuses one it does not know).
  DialectHarness(MakeDialect make, const std::string& fixture_json,
                 dialects::DialectSettings settings = {}, bool uploads = false)
      : make_(make), settings_(std::move(settings)) {
    auto parsed = dataset::parse(fixture_json);
    if (!std::holds_alternative<core::Dataset>(parsed)) fail("the fixture does not parse");
    {
      auto repo = storage::SqliteRepository::open(dir_ / "fixture.sqlite");
      repo->import_dataset(std::get<core::Dataset>(parsed), {});
    }
    if (uploads) settings_.emplace("upload_temp_dir", dir_.path().string());
    reset();
  }

  void run(const std::uint8_t* data, std::size_t size) {
    if (++requests_ % requests_per_store == 0) reset();
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto head_end = input.find("\n\n");
    auto crlf_end = input.find("\r\n\r\n");
    std::size_t body_at;
    if (crlf_end != std::string_view::npos &&
        (head_end == std::string_view::npos || crlf_end < head_end)) {
      head_end = crlf_end;
      body_at = crlf_end + 4;
    } else if (head_end != std::string_view::npos) {
      body_at = head_end + 2;
    } else {
      head_end = input.size();
      body_at = input.size();
    }
    std::string_view head = input.substr(0, head_end);
    std::string_view body = input.substr(body_at);

    // "METHOD TARGET" + lines -> "METHOD TARGET HTTP/1.1\r\n" + lines joined by CRLF.
    std::string wire;
    auto first_end = head.find('\n');
    std::string_view request_line = head.substr(0, first_end);
    if (!request_line.empty() && request_line.back() == '\r') request_line.remove_suffix(1);
    wire.append(request_line).append(" HTTP/1.1\r\n");
    if (first_end != std::string_view::npos) {
      std::string_view fields = head.substr(first_end + 1);
      while (!fields.empty()) {
        auto end = fields.find('\n');
        std::string_view line = fields.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        wire.append(line).append("\r\n");
        fields = end == std::string_view::npos ? std::string_view{} : fields.substr(end + 1);
      }
    }
    wire.append("\r\n");

    http::request_parser<http::empty_body> parser;
    parser.eager(false);
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(wire), ec);
    if (ec || !parser.is_header_done()) return;  // the gateway answers 400 itself
    http::request_header<> header = parser.get().base();
    if (header.method() == http::verb::head) header.method(http::verb::get);  // as the gateway

    auto url = boost::urls::parse_origin_form(header.target());
    if (!url) return;  // 400 from the gateway
    if (url->encoded_path() == "/healthz") return;

    if (dialect_->claim(header, *url) == dialects::Claim::none) return;
    dialects::RoutePlan plan = dialect_->plan(header, *url, {default_body_limit, false});
    for (auto error :
         {dialects::TransportError::body_too_large, dialects::TransportError::timeout,
          dialects::TransportError::bad_request, dialects::TransportError::unavailable}) {
      check_response(dialect_->transport_error(error, header), true);
    }
    if (body.size() > plan.body_limit) return;

    std::string body_file;
    std::string_view body_in_memory = body;
    if (plan.spool_body) {
      body_file = (dir_ / "spooled-body").string();
      std::ofstream(body_file, std::ios::binary).write(body.data(), std::streamsize(body.size()));
      body_in_memory = {};
    }
    dialects::Response response;
    try {
      response = dialect_->handle(dialects::Request{header, *url, body_in_memory, body_file});
    } catch (const std::exception& e) {
      fail("an exception escaped handle()", e.what());
    }
    check_response(response, false);
    if (!body_file.empty()) std::filesystem::remove(body_file);
  }

 private:
  void reset() {
    dialect_.reset();
    auth_.reset();
    clients_.reset();
    repo_.reset();
    auto live = dir_ / "live.sqlite";
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(live.string() + suffix);
    }
    std::filesystem::copy_file(dir_ / "fixture.sqlite", live);
    repo_ = storage::SqliteRepository::open(live);
    clients_ = std::make_unique<core::ClientService>(*repo_);
    // Verified passwords stay cached: a fuzzer repeating one credential pays Argon2 once.
    auth_ = std::make_unique<core::Authenticator>(
        *repo_, core::AuthSettings{std::chrono::hours(24), 100000});
    dialect_ = make_(dialects::Services{*clients_, *auth_, settings_});
  }

  static void check_response(const dialects::Response& response, bool transport) {
    auto status = static_cast<unsigned>(response.status);
    check(status >= 100 && status <= 599, "a status outside 100..599");
    // 503 is the transport error `unavailable`; a handled request never answers 5xx here.
    if (!transport) check(status < 500, "a 5xx answer", response.body);
    for (const auto& field : response.headers) {
      check(field.value().find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
            "a header value with CR, LF or NUL", field.name_string());
      check(field.name_string().find_first_of(std::string_view("\r\n\0: ", 5)) == std::string::npos,
            "a header name with a separator", field.name_string());
    }
    std::string body = response.body;
    if (response.stream) {
      try {
        for (int pieces = 0; pieces < 100000; ++pieces) {
          auto piece = response.stream();
          if (!piece) break;
          body += *piece;
        }
      } catch (const std::exception& e) {
        fail("an exception escaped a response stream", e.what());
      }
    }
    std::string type(response.headers[http::field::content_type]);
    auto semicolon = type.find(';');
    std::string media = type.substr(0, semicolon);
    if (body.empty()) return;
    if (media == "application/json" || media.ends_with("+json")) {
      rapidjson::Document doc;
      doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
      if (doc.HasParseError()) {
        fail("a JSON answer that does not parse",
             std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " in " + body);
      }
    } else if (media == "application/xml" || media == "text/xml" || media.ends_with("+xml")) {
      pugi::xml_document doc;
      auto result = doc.load_buffer(body.data(), body.size());
      if (!result)
        fail("an XML answer that does not parse", result.description() + (" in " + body));
    }
  }

  MakeDialect make_;
  dialects::DialectSettings settings_;
  test::TempDir dir_;
  std::unique_ptr<storage::SqliteRepository> repo_;
  std::unique_ptr<core::ClientService> clients_;
  std::unique_ptr<core::Authenticator> auth_;
  std::unique_ptr<dialects::Dialect> dialect_;
  long requests_ = 0;
};

}  // namespace clientgate::fuzz
