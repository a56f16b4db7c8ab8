// The nine LiveTimer routes, recognised from the path alone. Every path under /clients that
// ends in ".xml" belongs to this dialect (the agency dialect has /clients without it).
#pragma once

#include <optional>
#include <string_view>

#include "clientgate/core/types.hpp"

namespace clientgate::dialects::legacy_xml {

enum class ListKind {
  all,                     // /clients.xml
  active,                  // /clients/active.xml
  inactive,                // /clients/inactive.xml
  my_assignments,          // /clients/my_assignments.xml
  my_active_assignments,   // /clients/my_active_assignments.xml
  my_inactive_assignments  // /clients/my_inactive_assignments.xml
};

enum class RouteKind {
  collection,  // /clients.xml: GET lists all, POST creates
  list,        // /clients/<list>.xml: GET
  member,      // /clients/{id}.xml: GET, PUT, DELETE
  unknown,     // claimed (".xml" under /clients) but no such resource: 404
};

struct Route {
  RouteKind kind = RouteKind::unknown;
  ListKind list = ListKind::all;
  core::ClientId id = 0;
};

// Whether the path (percent-decoded) is this dialect's.
bool claims_path(std::string_view path);

// The route of a claimed path.
Route route_of(std::string_view path);

// The methods a route answers, for 405's Allow.
std::string_view allowed_methods(RouteKind kind);

}  // namespace clientgate::dialects::legacy_xml
