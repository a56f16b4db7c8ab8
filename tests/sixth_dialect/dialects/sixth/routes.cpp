#include "routes.hpp"

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::sixth {

namespace {

constexpr RouteShape shapes[] = {
    {.methods = "GET HEAD POST", .path = "/sixth/clients"},
    {.methods = "GET HEAD PUT DELETE", .path = "/sixth/clients/{id}"},
    {.methods = "*", .path = "/sixth/clients/**"},
};

}  // namespace

std::span<const RouteShape> route_shapes() {
  return shapes;
}

Route route_of(boost::urls::url_view url) {
  auto segments = path_segments(url);
  if (segments.size() < 2 || segments[0] != "sixth" || segments[1] != "clients") return {};
  if (segments.size() == 2) return {Route::collection, {}};
  if (segments.size() == 3 && !segments[2].empty()) return {Route::member, segments[2]};
  return {Route::unknown, {}};  // deeper paths, or a trailing slash
}

}  // namespace clientgate::dialects::sixth
