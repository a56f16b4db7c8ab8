// A small synchronous HTTP/1.1 client for end-to-end tests: one keep-alive connection,
// requests sent as written (raw mode for malformed input).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace clientgate::test {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order received
  std::string body;                                          // de-chunked
  // First value of a header, case-insensitive; "" when absent.
  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  HttpClient(std::string host, std::uint16_t port);
  ~HttpClient();

  // Sends a request with Host, Content-Length (when body non-empty or method is POST/PUT)
  // and the given headers; reads the response. Reconnects if the server closed the
  // connection before the request, or said it would (Connection: close).
  HttpResponse request(const std::string& method, const std::string& target,
                       const Headers& headers = {}, const std::string& body = "");
  HttpResponse get(const std::string& target, const Headers& headers = {}) {
    return request("GET", target, headers);
  }

  // Sends bytes as they are and reads one response (or status 0 when the server closed the
  // connection without one).
  HttpResponse raw(const std::string& bytes);

  // Sends bytes as they are, reading nothing (a request left half-sent).
  void raw_send(const std::string& bytes);

  // Reads the next response (one of several pipelined by raw()).
  HttpResponse read_response();

  // Whether the server closed the connection (after the last response).
  bool closed();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "Basic " + base64(user:password)
std::string basic_auth(const std::string& user, const std::string& password);

}  // namespace clientgate::test
