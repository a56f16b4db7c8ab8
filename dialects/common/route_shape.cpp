#include "clientgate/dialects/route_shape.hpp"

#include <optional>
#include <string>
#include <vector>

#include "clientgate/dialects/common.hpp"

namespace clientgate::dialects {
namespace {

std::vector<std::string> segments_of(PathView view, boost::urls::url_view url) {
  std::vector<std::string> out;
  if (view == PathView::segments) {
    auto segments = url.segments();
    out.reserve(segments.size());
    for (auto segment : segments)
      out.push_back(segment);
    return out;
  }
  std::string path = url.path();
  std::string_view rest = path;
  if (rest.starts_with('/')) rest.remove_prefix(1);
  if (rest.empty()) return out;
  for (;;) {
    auto slash = rest.find('/');
    out.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

// `segments` (the first `count` of them, the last one cut to `last`) against the pattern.
bool matches(std::string_view pattern, const std::vector<std::string>& segments, std::size_t count,
             std::string_view last) {
  if (pattern.starts_with('/')) pattern.remove_prefix(1);
  std::size_t i = 0;
  for (;;) {
    auto slash = pattern.find('/');
    std::string_view element = pattern.substr(0, slash);
    if (element == "**") return true;
    if (i == count) return false;
    std::string_view segment = i + 1 == count ? last : std::string_view(segments[i]);
    ++i;
    if (element.starts_with('{') && element.ends_with('}')) {
      if (segment.empty()) return false;
    } else if (segment != element) {
      return false;
    }
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return i == count;
}

// Whether the path's segments have the shape: the trailing slash the shape ignores and its
// suffix come off before the pattern is matched.
bool matches_segments(const RouteShape& shape, const std::vector<std::string>& segments) {
  std::size_t count = segments.size();
  if (shape.trailing_slash_ignored && count > 0 && segments[count - 1].empty()) --count;
  std::string_view last = count > 0 ? std::string_view(segments[count - 1]) : std::string_view();
  if (!shape.excluded_suffix.empty() && count > 0 && last.ends_with(shape.excluded_suffix))
    return false;
  if (!shape.suffix.empty()) {
    if (count == 0 || !last.ends_with(shape.suffix)) return false;
    last.remove_suffix(shape.suffix.size());
  }
  return matches(shape.path, segments, count, last);
}

}  // namespace

bool path_matches(const RouteShape& shape, boost::urls::url_view url) {
  return matches_segments(shape, segments_of(shape.view, url));
}

bool carries_credential(const RouteShape& shape, const Header& header) {
  switch (shape.credential) {
    case CredentialStyle::bearer:
      return bearer_token(header).has_value();
    case CredentialStyle::basic:
      return basic_credentials(header).has_value();
    case CredentialStyle::header:
      return header.find(shape.credential_header) != header.end();
  }
  return false;
}

Claim claim_of(std::span<const RouteShape> shapes, const Header& header,
               boost::urls::url_view url) {
  // Each view of the path, and whether the request carries each credential style, is found
  // once, on first use, for all the shapes.
  std::optional<std::vector<std::string>> by_view[2];
  std::optional<bool> carried[3];
  Claim best = Claim::none;
  for (const RouteShape& shape : shapes) {
    auto& segments = by_view[static_cast<int>(shape.view)];
    if (!segments) segments = segments_of(shape.view, url);
    if (!matches_segments(shape, *segments)) continue;
    // Header credentials are looked up per shape: two shapes may name different headers.
    bool has_credential;
    if (shape.credential == CredentialStyle::header) {
      has_credential = carries_credential(shape, header);
    } else {
      auto& known = carried[static_cast<int>(shape.credential)];
      if (!known) known = carries_credential(shape, header);
      has_credential = *known;
    }
    Claim claim = has_credential ? shape.with_credential : shape.without_credential;
    if (static_cast<int>(claim) > static_cast<int>(best)) best = claim;
  }
  return best;
}

Claim Dialect::claim(const Header& header, boost::urls::url_view url) const {
  return claim_of(routes(), header, url);
}

}  // namespace clientgate::dialects
