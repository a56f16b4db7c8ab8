#include "routes.hpp"

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::agency {

namespace {

bool ends_with_xml(const std::string& segment) {
  return segment.size() >= 4 && segment.compare(segment.size() - 4, 4, ".xml") == 0;
}

}  // namespace

bool is_agency_path(boost::urls::url_view url) {
  const auto segments = path_segments(url);
  if (segments.empty() || segments.front() != "clients") return false;
  return !ends_with_xml(segments.back());
}

RouteMatch match_route(boost::beast::http::verb method, boost::urls::url_view url) {
  using boost::beast::http::verb;
  RouteMatch match;
  if (!is_agency_path(url)) return match;
  const auto segments = path_segments(url);

  if (segments.size() == 1) {
    match.allow = "GET, HEAD, POST";
    if (method == verb::get || method == verb::head) {
      match.kind = RouteMatch::Kind::endpoint;
      match.endpoint = Endpoint::list;
    } else if (method == verb::post) {
      match.kind = RouteMatch::Kind::endpoint;
      match.endpoint = Endpoint::create;
    } else {
      match.kind = RouteMatch::Kind::method_not_allowed;
    }
    return match;
  }

  // `/clients/` (an empty id) and deeper paths are no route of the API, as in the real
  // Fastify app, whose router does not ignore trailing slashes.
  if (segments.size() != 2 || segments[1].empty()) return match;

  match.allow = "GET, HEAD, PUT, DELETE";
  match.id = segments[1];
  match.kind = RouteMatch::Kind::endpoint;
  if (method == verb::get || method == verb::head) {  // HEAD: the gateway drops the body
    match.endpoint = Endpoint::show;
  } else if (method == verb::put) {
    match.endpoint = Endpoint::update;
  } else if (method == verb::delete_) {
    match.endpoint = Endpoint::destroy;
  } else {
    match.kind = RouteMatch::Kind::method_not_allowed;
  }
  return match;
}

}  // namespace clientgate::dialects::agency
