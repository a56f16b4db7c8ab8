// Where a request under /client points (the Intervals "client" resource).
#pragma once

#include <span>
#include <string>

#include <boost/url/url_view.hpp>

#include "clientgate/dialects/route_shape.hpp"

namespace clientgate::dialects::intervals {

// Where a request points: the collection, one member, or nothing this resource has.
struct Target {
  enum Kind { collection, member, nowhere } kind = nowhere;
  std::string id_text;  // as written in the path (member)
};

Target target_of(boost::urls::url_view url);

// The request shapes this dialect answers; its claim is computed from them (route_shape.hpp).
std::span<const RouteShape> route_shapes();

}  // namespace clientgate::dialects::intervals
