// The request shapes a dialect answers, declared as data in its routes.cpp. The router's claim
// is computed from them (claim_of, the default Dialect::claim), so what a dialect declares and
// what it claims cannot drift apart; tests/dialects/route_overlap_test.cpp builds requests from
// every registered dialect's shapes and fails when two dialects claim one equally.
#pragma once

#include <span>
#include <string_view>

#include "clientgate/dialects/dialect.hpp"

namespace clientgate::dialects {

// What a dialect reads as the caller's credential.
enum class CredentialStyle {
  bearer,  // `Authorization: Bearer <token>` (scheme case-insensitive)
  basic,   // `Authorization: Basic base64(user:password)`, decodable
  header,  // a header named RouteShape::credential_header, whatever its value
};

// What the path is matched as.
enum class PathView {
  segments,      // each segment percent-decoded on its own: an encoded '/' stays in its segment
  decoded_path,  // the whole path percent-decoded, then split at '/' (Rails matches this)
};

struct RouteShape {
  // The methods the route answers, space separated ("GET HEAD POST"); "*" for a shape that
  // claims every path below a prefix so that the dialect answers its own 404 or 405 there.
  // Claiming ignores the method: a wrong one is the dialect's to answer.
  std::string_view methods;
  // '/'-separated: a literal segment ("" for an empty one: "/client/" is "client" then ""),
  // `{name}` (one non-empty segment), or `**` last (zero or more segments of anything).
  std::string_view path;
  // The last segment must end with it; it is taken off before `path` is matched, so
  // "/clients" with ".xml" is `/clients.xml`.
  std::string_view suffix = {};
  // Not this shape when the last segment ends with it (agency leaves ".xml" to legacy_xml).
  std::string_view excluded_suffix = {};
  CredentialStyle credential = CredentialStyle::bearer;
  std::string_view credential_header = {};  // for CredentialStyle::header
  // The claim on a matching path with the credential, and without it.
  Claim with_credential = Claim::credential;
  Claim without_credential = Claim::path;
  // One trailing empty segment is dropped before matching (Laravel ignores one trailing '/').
  bool trailing_slash_ignored = false;
  PathView view = PathView::segments;
};

// Whether the request target's path has the shape (method and headers aside).
bool path_matches(const RouteShape& shape, boost::urls::url_view url);

// Whether the request carries the shape's credential style (not whether it is valid).
bool carries_credential(const RouteShape& shape, const Header& header);

// The strongest claim of any shape the request matches; Claim::none when it matches none.
Claim claim_of(std::span<const RouteShape> shapes, const Header& header, boost::urls::url_view url);

}  // namespace clientgate::dialects
