#include "routes.hpp"

#include <vector>

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::ninja {
namespace {

// Under /api/v1 only a request with X-API-TOKEN is ninja's (without it, /api/v1/clients is
// json_v1's), and then every path there is, for its 404 "Method not supported". Documents
// and the old docs' /v1/api prefix are ninja's alone: claimed by path, so that a missing
// token is answered by ninja (403).
constexpr RouteShape token(std::string_view methods, std::string_view path,
                           Claim without_token = Claim::none) {
  return {.methods = methods,
          .path = path,
          .credential = CredentialStyle::header,
          .credential_header = "X-API-TOKEN",
          .without_credential = without_token,
          .trailing_slash_ignored = true};
}
constexpr RouteShape shapes[] = {
    token("GET HEAD POST", "/api/v1/clients"),
    token("GET HEAD", "/api/v1/clients/create"),
    token("POST", "/api/v1/clients/bulk"),
    token("GET HEAD PUT PATCH DELETE", "/api/v1/clients/{hashid}"),
    token("GET HEAD", "/api/v1/clients/{hashid}/edit"),
    token("PUT POST", "/api/v1/clients/{hashid}/upload"),
    token("*", "/api/v1/**"),
    token("GET HEAD", "/api/v1/documents/{hashid}/download", Claim::path),
    token("*", "/v1/api/**", Claim::path),
};

}  // namespace

std::span<const RouteShape> route_shapes() {
  return shapes;
}

Route route_of(boost::urls::url_view url) {
  std::vector<std::string> s = path_segments(url);
  // Laravel ignores one trailing slash ("/api/v1/clients/" is the index route).
  if (!s.empty() && s.back().empty()) s.pop_back();
  if (s.size() < 2) return {};
  bool prefixed = (s[0] == "api" && s[1] == "v1") || (s[0] == "v1" && s[1] == "api");
  if (!prefixed) return {};
  s.erase(s.begin(), s.begin() + 2);
  Route r{Route::unknown, {}};
  if (s.empty()) return r;
  if (s[0] == "clients") {
    if (s.size() == 1) return {Route::clients, {}};
    if (s[1].empty()) return r;
    if (s.size() == 2) return s[1] == "bulk" ? Route{Route::bulk, {}} : Route{Route::client, s[1]};
    if (s.size() == 3 && s[2] == "edit") return {Route::client_edit, s[1]};
    if (s.size() == 3 && s[2] == "upload") return {Route::client_upload, s[1]};
    return r;
  }
  if (s[0] == "documents" && s.size() == 3 && s[2] == "download" && !s[1].empty())
    return {Route::document_download, s[1]};
  return r;
}

}  // namespace clientgate::dialects::ninja
