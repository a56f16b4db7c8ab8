// Where a request under /api/v1 (or the old docs' /v1/api) points.
#pragma once

#include <span>
#include <string>

#include <boost/url/url_view.hpp>

#include "clientgate/dialects/route_shape.hpp"

namespace clientgate::dialects::ninja {

struct Route {
  enum Kind {
    none,               // not under /api/v1 or /v1/api: not ours
    unknown,            // under the prefix, but no route of ours: 404 "Method not supported"
    clients,            // /clients
    bulk,               // /clients/bulk
    client,             // /clients/{hashid}
    client_edit,        // /clients/{hashid}/edit
    client_upload,      // /clients/{hashid}/upload
    document_download,  // /documents/{hashid}/download
  } kind = none;
  std::string id;  // the hashid path segment, decoded
};

Route route_of(boost::urls::url_view url);

// The request shapes this dialect answers; its claim is computed from them (route_shape.hpp).
std::span<const RouteShape> route_shapes();

}  // namespace clientgate::dialects::ninja
