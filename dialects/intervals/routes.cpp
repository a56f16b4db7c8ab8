#include "routes.hpp"

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::intervals {
namespace {

// HTTP Basic (the API token as user name). Every path whose first segment is `client` is
// claimed, for the dialect's own 404 (API code 14) and 400 (code 16).
constexpr RouteShape shapes[] = {
    {.methods = "GET HEAD POST PUT", .path = "/client/", .credential = CredentialStyle::basic},
    {.methods = "GET HEAD PUT POST DELETE",
     .path = "/client/{id}/",
     .credential = CredentialStyle::basic},
    {.methods = "*", .path = "/client/**", .credential = CredentialStyle::basic},
};

}  // namespace

std::span<const RouteShape> route_shapes() {
  return shapes;
}

Target target_of(boost::urls::url_view url) {
  auto segments = path_segments(url);
  if (segments.empty() || segments[0] != "client") return {};
  if (segments.size() == 1 || (segments.size() == 2 && segments[1].empty()))
    return {Target::collection, {}};
  if (!segments[1].empty() &&
      (segments.size() == 2 || (segments.size() == 3 && segments[2].empty())))
    return {Target::member, segments[1]};
  return {};
}

}  // namespace clientgate::dialects::intervals
