#include "support/dialect_adapter.hpp"

#include <cstdio>
#include <ctime>

namespace clientgate::test {

std::string uuid_of(long long id) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012llx", id);
  return text;
}

std::string unquote(const std::string& json) {
  if (json.size() >= 2 && json.front() == '"') return json.substr(1, json.size() - 2);
  return json;
}

Request with_body(Request r, const std::string& content_type, std::string body) {
  r.headers.emplace_back("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}

std::string field(const Flat& flat, const std::string& key) {
  auto it = flat.find(key);
  return it == flat.end() ? "<missing>" : unquote(it->second);
}

std::string at_digits(const std::string& iso6, int digits) {
  std::string base = iso6.substr(0, 19);
  if (digits == 0) return base + "Z";
  return base + iso6.substr(19, digits + 1) + "Z";
}

std::int64_t unix_seconds(const std::string& iso6) {
  std::tm tm{};
  strptime(iso6.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  return static_cast<std::int64_t>(timegm(&tm));
}

// Laravel's and Rails' rule, which most dialects follow: 405 with Allow (a HEAD, having no
// body, may also be a plain 404).
bool DialectAdapter::no_such_method(const Route& route, const HttpResponse& a) const {
  if (route.method == "HEAD") return (a.status == 405 && a.has_header("Allow")) || a.status == 404;
  return a.status == 405 && a.has_header("Allow");
}

HttpResponse send(HttpClient& http, const Request& r) {
  bool names_host = false;
  for (const auto& [k, v] : r.headers) {
    if (k == "Host") names_host = true;
  }
  if (!names_host) return http.request(r.method, r.target, r.headers, r.body);
  std::string bytes = r.method + " " + r.target + " HTTP/1.1\r\n";
  for (const auto& [k, v] : r.headers)
    bytes += k + ": " + v + "\r\n";
  bytes += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  return http.raw(bytes);
}

}  // namespace clientgate::test
