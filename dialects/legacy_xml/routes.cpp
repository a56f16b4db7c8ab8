#include "routes.hpp"

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects::legacy_xml {
namespace {

constexpr std::string_view suffix = ".xml";

}  // namespace

bool claims_path(std::string_view path) {
  if (path == "/clients.xml") return true;
  return path.starts_with("/clients/") && path.ends_with(suffix);
}

Route route_of(std::string_view path) {
  Route route;
  if (path == "/clients.xml") {
    route.kind = RouteKind::collection;
    return route;
  }
  if (!claims_path(path)) return route;
  std::string_view leaf = path.substr(9, path.size() - 9 - suffix.size());
  if (leaf.find('/') != std::string_view::npos) return route;
  static constexpr struct {
    std::string_view name;
    ListKind kind;
  } lists[] = {{"active", ListKind::active},
               {"inactive", ListKind::inactive},
               {"my_assignments", ListKind::my_assignments},
               {"my_active_assignments", ListKind::my_active_assignments},
               {"my_inactive_assignments", ListKind::my_inactive_assignments}};
  for (const auto& list : lists) {
    if (leaf == list.name) {
      route.kind = RouteKind::list;
      route.list = list.kind;
      return route;
    }
  }
  if (auto id = parse_int64(leaf); id && *id > 0) {
    route.kind = RouteKind::member;
    route.id = *id;
  }
  return route;
}

std::string_view allowed_methods(RouteKind kind) {
  switch (kind) {
    case RouteKind::collection:
      return "GET, POST";
    case RouteKind::list:
      return "GET";
    case RouteKind::member:
      return "GET, PUT, DELETE";
    case RouteKind::unknown:
      break;
  }
  return "";
}

}  // namespace clientgate::dialects::legacy_xml
