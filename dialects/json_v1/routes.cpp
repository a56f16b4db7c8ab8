#include "routes.hpp"

#include <vector>

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::json_v1 {
namespace {

// Bearer, but the path alone makes the claim, with or without it: ninja's X-API-TOKEN
// (a `credential` claim) takes /api/v1/clients over. Every path under it is claimed, for
// Laravel's route-not-found 404.
constexpr RouteShape shapes[] = {
    {.methods = "GET HEAD POST", .path = "/api/v1/clients", .with_credential = Claim::path},
    {.methods = "GET HEAD PUT PATCH DELETE",
     .path = "/api/v1/clients/{id}",
     .with_credential = Claim::path},
    {.methods = "*", .path = "/api/v1/clients/**", .with_credential = Claim::path},
};

}  // namespace

std::span<const RouteShape> route_shapes() {
  return shapes;
}

Route route_of(boost::urls::url_view url) {
  // Laravel's UriValidator matches the path with its trailing slashes trimmed.
  std::vector<std::string> segments = path_segments(url);
  while (!segments.empty() && segments.back().empty())
    segments.pop_back();
  if (segments.size() < 3 || segments[0] != "api" || segments[1] != "v1" ||
      segments[2] != "clients")
    return {};
  if (segments.size() == 3) return {Route::collection, {}};
  if (segments.size() == 4 && !segments[3].empty()) return {Route::member, segments[3]};
  return {Route::unknown, {}};  // deeper paths: Laravel's route-not-found 404
}

}  // namespace clientgate::dialects::json_v1
