// Where a request under /api/v1/clients points.
#pragma once

#include <string>

#include <boost/url/url_view.hpp>

namespace clientgate::dialects::json_v1 {

struct Route {
  enum Kind { none, collection, member, unknown } kind = none;
  std::string id;  // the member's path segment, decoded
};

Route route_of(boost::urls::url_view url);

}  // namespace clientgate::dialects::json_v1
