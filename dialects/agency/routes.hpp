// Which endpoint of the agency API a request addresses, from its method and path alone.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <boost/url/url_view.hpp>
#include <string>

namespace clientgate::dialects::agency {

enum class Endpoint { list, create, show, update, destroy };

struct RouteMatch {
  enum class Kind { endpoint, method_not_allowed, not_found };
  Kind kind = Kind::not_found;
  Endpoint endpoint = Endpoint::list;
  std::string id;  // the path's {uuid} segment as sent (percent-decoded), for show/update/destroy
  std::string allow;  // the Allow header of a 405
};

// `/clients` and everything under `/clients/` except what ends in `.xml` (legacy_xml's).
bool is_agency_path(boost::urls::url_view url);

RouteMatch match_route(boost::beast::http::verb method, boost::urls::url_view url);

}  // namespace clientgate::dialects::agency
