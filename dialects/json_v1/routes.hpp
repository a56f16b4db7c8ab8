// Where a request under /api/v1/clients points.
#pragma once

#include <span>
#include <string>

#include <boost/url/url_view.hpp>

#include "clientgate/dialects/route_shape.hpp"

namespace clientgate::dialects::json_v1 {

struct Route {
  enum Kind { none, collection, member, unknown } kind = none;
  std::string id;  // the member's path segment, decoded
};

Route route_of(boost::urls::url_view url);

// The request shapes this dialect answers; its claim is computed from them (route_shape.hpp).
std::span<const RouteShape> route_shapes();

}  // namespace clientgate::dialects::json_v1
