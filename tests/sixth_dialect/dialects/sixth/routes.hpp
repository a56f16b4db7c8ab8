// Where a request under /sixth/clients points.
#pragma once

#include <boost/url/url_view.hpp>
#include <string>

namespace clientgate::dialects::sixth {

struct Route {
  enum Kind { none, collection, member, unknown } kind = none;
  std::string id;  // the member's path segment, decoded
};

Route route_of(boost::urls::url_view url);

}  // namespace clientgate::dialects::sixth
