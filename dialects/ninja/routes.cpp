#include "routes.hpp"

#include <vector>

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::ninja {

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
