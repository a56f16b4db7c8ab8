// Where a request under /sixth/clients points.
#pragma once

#include <boost/url/url_view.hpp>
#include <span>
#include <string>

#include "clientgate/dialects/route_shape.hpp"

namespace clientgate::dialects::sixth {

struct Route {
  enum Kind { none, collection, member, unknown } kind = none;
  std::string id;  // the member's path segment, decoded
};

// The route shapes the router's claim is computed from (Bearer; every path under the prefix,
// so that the dialect answers its own 404 and 405 there).
std::span<const RouteShape> route_shapes();

Route route_of(boost::urls::url_view url);

}  // namespace clientgate::dialects::sixth
